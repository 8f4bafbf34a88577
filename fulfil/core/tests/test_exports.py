import csv
import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fulfil.core.exports import safe_cell, safe_csv_writer
from fulfil.factories import UserFactory

NASTY = ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\r=1", "\n=1+1", " =1+1", "\u3000=1",
         "\uff1d1+1", "\uff0bA1", "\uff0d2", "\uff20SUM(A1)"]


@pytest.mark.parametrize("text", NASTY)
def test_cells_that_a_spreadsheet_would_run_are_made_text(text):
    assert safe_cell(text) == "'" + text


def test_ordinary_values_are_unchanged():
    assert safe_cell("Amelia Jones") == "Amelia Jones"
    assert safe_cell(-3) == -3 and safe_cell(2.5) == 2.5 and safe_cell(None) is None


def test_a_leading_space_on_a_plain_name_is_left_alone():
    assert safe_cell(" Amelia") == " Amelia"


def test_the_csv_writer_escapes_every_cell_headers_included():
    buffer = io.StringIO()
    safe_csv_writer(buffer).writerow(["=1+1", "\uff1d2", 3])
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == ["'=1+1", "'\uff1d2", "3"]


AREA = "\uff1dHYPERLINK(\"http://evil\")"


def test_an_area_name_that_looks_like_a_formula_is_text_in_the_shortfall_and_recovery_exports():
    from fulfil.ledger.exports import shortfall_workbook
    from fulfil.planning.exports import recovery_csv, recovery_workbook

    report = SimpleNamespace(start=dt.date(2025, 9, 1), end=dt.date(2025, 10, 24), hourly_rate=90, unquantified_lines=0, children=[])
    book = load_workbook(io.BytesIO(shortfall_workbook(report, [], area_name=AREA)))
    assert [c.value for c in book["Summary"]["A"] if c.value and AREA in c.value][0].startswith("'")
    plan = SimpleNamespace(purchases=[], target_month="2027-03", total_hours=0.0, total_cost=0.0, hours_by_discipline={},
                           cost_by_discipline={}, feasible=True, backlog_hours={})
    rows = list(csv.reader(io.StringIO(recovery_csv(plan, area_name=AREA, rate=90.0))))
    assert rows[2][0].startswith("'" + AREA)
    book = load_workbook(io.BytesIO(recovery_workbook(plan, SimpleNamespace(months=[]), area_name=AREA, rate=90.0)))
    assert [c.value for c in book["Summary"]["A"] if c.value and AREA in c.value][0].startswith("'")


@pytest.mark.django_db
def test_an_area_name_that_looks_like_a_formula_is_text_in_the_sen2_csv(client, area):
    area.name = AREA
    area.save()
    client.force_login(UserFactory(role="council_officer", local_area=area))
    header = next(csv.reader(io.StringIO(client.get(reverse("plans:sen2"), {"format": "csv"}).content.decode())))
    assert header[1].startswith("'" + AREA) and header[2].startswith("'" + AREA)
