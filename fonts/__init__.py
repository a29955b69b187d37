"""The bundled fonts, installed as package data bulletin.data.fonts (see README.md here)."""
