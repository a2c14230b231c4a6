"""Builders for the demo and for tests: the same code makes both, so the demo is always tested."""
