"""Tests of bulletin.render."""
