"""Tests of bulletin.operations."""
