"""Tests of bulletin.cli."""
