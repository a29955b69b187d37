"""Tests of bulletin.site."""
