"""Records + a layout folder → one HTML document; never imports WeasyPrint."""
