"""Cells for the portal's spreadsheets (CSV and Excel), made safe to open."""

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text) -> str:
    """Text a spreadsheet shows as text, never runs: a leading quote disarms it."""
    text = "" if text is None else str(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
