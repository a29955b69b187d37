"""Output writers: each turns a typeset issue into one kind of file."""
