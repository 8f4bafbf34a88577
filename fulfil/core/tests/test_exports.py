import pytest

from fulfil.core.exports import safe_cell


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx"])
def test_cells_that_a_spreadsheet_would_run_are_made_text(text):
    assert safe_cell(text) == "'" + text


def test_ordinary_values_are_unchanged():
    assert safe_cell("Amelia Jones") == "Amelia Jones"
    assert safe_cell(-3) == -3 and safe_cell(2.5) == 2.5 and safe_cell(None) is None
