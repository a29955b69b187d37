"""Tests of bulletin.content."""
