"""Importers: plain-text back issues and Word drafts into content records, through one writer."""
