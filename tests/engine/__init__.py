"""Tests of bulletin.engine."""
