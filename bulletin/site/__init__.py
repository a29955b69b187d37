"""The e-edition site: every issue and article at stable URLs, searchable, written atomically."""
