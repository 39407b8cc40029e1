"""Writing spreadsheets people open: one helper that keeps a cell's text from running as a
formula (OWASP "CSV injection"), used by every xlsx export, openpyxl or django-import-export.
"""

# A spreadsheet program runs a cell that begins with one of these as a formula, also after
# leading spaces; a tab or carriage return first can smuggle one in (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@")
CONTROL_STARTS = ("\t", "\r")


def safe_cell(value):
    """``value`` as a cell may hold it: text a spreadsheet would take for a formula gets a
    leading apostrophe and is written as text; everything else is returned unchanged.

    Text that already begins with apostrophes before such a start gets one more, so that
    ``unescape_cell`` can always give back what was written.
    """
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(CONTROL_STARTS) or value.lstrip().lstrip("'").lstrip().startswith(
        FORMULA_STARTS
    ):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    """The import's side: the text ``safe_cell`` was given, from what it wrote."""
    if value.startswith("'") and safe_cell(value[1:]) == value:
        return value[1:]
    return value
