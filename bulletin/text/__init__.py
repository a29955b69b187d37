"""Pure text helpers that import nothing of bulletin: character classes, coverage, Markdown."""
