"""WeasyPrint glue, the Chinese line-layout extension, character classes and the bundled fonts."""
