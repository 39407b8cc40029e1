"""Giving back: filled in by the charity issue."""
