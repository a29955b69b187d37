"""Reads a PDF back as its receivers do: setting, fonts and file, and for print the press."""
