"""The bundled layouts, installed as package data bulletin.data.layouts: one folder each."""
