"""The national-scale path must give the same figures as the reference ledger."""

import datetime as dt

import pytest
from django.core.management import call_command

from fulfil.children.models import Child
from fulfil.core.models import LocalArea
from fulfil.ledger.bulk import area_figures, arrays_from_duckdb, open_csv_dataset
from fulfil.ledger.selectors import cohort_shortfall

START, END, TODAY = dt.date(2025, 9, 1), dt.date(2026, 8, 31), dt.date(2026, 11, 25)


@pytest.mark.django_db(transaction=True)
def test_bulk_figures_equal_the_reference_ledger_on_a_generated_area(tmp_path):
    args = ["--seed", "11", "--today", TODAY.isoformat(), "--children", "150"]
    call_command("generate", *args, "--output", str(tmp_path), verbosity=0)
    call_command("generate", *args, verbosity=0)
    area = LocalArea.objects.get()
    reference = cohort_shortfall(local_area=area, children=Child.objects.all(), start=START, end=END, today=TODAY)

    con = open_csv_dataset(tmp_path, memory_limit="1GB")
    (arrays,) = list(arrays_from_duckdb(con, start=START, end=END))
    bulk = {f.discipline: f for f in area_figures(arrays, start=START, end=END, today=TODAY)}
    assert reference.by_discipline
    for ref in reference.by_discipline:
        got = bulk[ref.discipline]
        assert (got.children_with_provision, got.fully_delivered, got.short, got.received_none) == (
            ref.children_with_provision, ref.fully_delivered, ref.short, ref.received_none), ref.discipline
        assert got.due == pytest.approx(ref.due, rel=1e-9)
        assert got.delivered_within_due == pytest.approx(ref.delivered_within_due, rel=1e-9)
        assert got.owed_hours == pytest.approx(ref.owed_hours, rel=1e-9)
        assert got.owed_cost == pytest.approx(ref.owed_cost, rel=1e-9)
