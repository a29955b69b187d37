"""Tests of bulletin.outputs."""
