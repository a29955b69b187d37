"""Content records: models, a loader whose values remember file and line, checks, numbering."""
