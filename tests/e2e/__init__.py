"""End-to-end promises: whole builds read back, the installed package, hostile input."""
