"""Cells for the portal's spreadsheets (CSV and Excel), made safe to open.

Every export writes its text through ``csv_safe``: one rule, one character set.
"""

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """Text a spreadsheet shows as text, never runs: a leading quote disarms it.
    None is an empty cell."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
