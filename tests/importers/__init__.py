"""Tests of bulletin.importers."""
