"""Moved to ``core.images``; migrations name the field by this path, so it stays importable."""

from core.images import ValidatedImageField  # noqa: F401
