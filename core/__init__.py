"""Shared infrastructure below every app: authorization rules, private files, limits and
export helpers. Imports nothing from the project's other apps (design.md, "Layers")."""
