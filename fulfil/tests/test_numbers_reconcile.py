"""The same area and period give the same numbers on every screen (issue 17, part 5).

One generated area, the clock pinned to the day it was generated for (`clock_on_demo_day`,
freezegun), and the figures each
screen shows read from that screen: the demo's start-up summary, the shortfall report (page,
CSV and command), the children's own ledgers, the capacity page and the recovery plan. Where
two of them count the same thing they must agree; where they count different things (children's
hours for a period, therapist hours for a term, hours to buy) each says so (checked on the pages).
"""

import csv
import datetime as dt
import io
import json
import re
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.urls import reverse

from fulfil.accounts.models import User
from fulfil.children.models import Child
from fulfil.core.models import LocalArea
from fulfil.ledger.ledger import sessions_owed
from fulfil.ledger.selectors import child_ledgers, cohort_shortfall, last_complete_year
from fulfil.plans.models import ProvisionItem

TODAY = "2026-11-25"  # conftest's DEMO_DAY, the day `clock_on_demo_day` pins
pytestmark = pytest.mark.usefixtures("clock_on_demo_day")
SUMMARY = re.compile(r"Last complete year \((?P<period>[^)]*)\): (?P<ot>[\d,]+) of (?P<ot_all>[\d,]+) children ended behind "
                     r"their statutory OT; (?P<salt>[\d,]+) of (?P<salt_all>[\d,]+) behind their SALT")


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def _command_json(*args) -> dict:
    out = io.StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def demo(transactional_db, clock_on_demo_day):
    out = io.StringIO()
    call_command("generate", "--seed", "3", "--today", TODAY, "--children", "300", stdout=out, verbosity=0)
    return LocalArea.objects.get(), out.getvalue()


@pytest.fixture
def officer(client, demo):
    client.force_login(User.objects.get(username="officer"))
    return client


def test_the_demo_summary_counts_children_behind_as_the_shortfall_report_does(officer, demo):
    _, printed = demo
    summary = SUMMARY.search(printed)
    assert summary, printed
    for discipline in ("ot", "salt"):
        # The command, with no period and no --today: the last complete year on the pinned clock.
        report = _command_json("shortfall", "--discipline", discipline)
        assert (report["short"], report["children_with_provision"]) == (
            _int(summary[discipline]), _int(summary[f"{discipline}_all"])), discipline
        # The page opens on the same year and shows the same count.
        page = officer.get(reverse("ledger:shortfall"), {"discipline": discipline})
        totals = page.context["report"].totals
        assert (page.context["report"].start.isoformat(), page.context["report"].end.isoformat()) == (report["from"], report["to"])
        assert (totals.short, totals.children_with_provision) == (report["short"], report["children_with_provision"])
    assert report["from"] == "2025-09-01" and report["to"] == "2026-08-31"
    assert _int(summary["ot"]) > 0  # the demo's story: OT fell behind last year


def test_owed_hours_on_the_report_are_the_sum_of_the_childrens_own_ledgers(demo):
    local_area, _ = demo
    today = dt.date.fromisoformat(TODAY)
    start, end = last_complete_year(today)
    report = cohort_shortfall(local_area=local_area, children=Child.objects.filter(local_area=local_area), start=start, end=end,
                              today=today)
    # Each child's ledger as their record shows it (from the start of records to this year's end), read
    # at the end of the last complete year: records begin on its first day, so nothing is carried in.
    hours: dict[str, float] = defaultdict(float)
    children_owed: dict[str, set[int]] = defaultdict(set)
    for child in Child.objects.filter(pk__in=ProvisionItem.objects.values("child_id")):
        _, ledgers = child_ledgers(child, today=today)
        for ledger in ledgers.values():
            blocks = [b for b in ledger.blocks if b.ends_on <= end]
            owed = sessions_owed(blocks[-1].owed_after) if blocks else 0
            hours[ledger.line.discipline] += owed * (ledger.line.minutes or 0) / 60
            if owed:
                children_owed[ledger.line.discipline].add(child.pk)
    for figures in report.by_discipline:
        assert figures.owed_hours == pytest.approx(hours[figures.discipline]), figures.discipline
        assert figures.short == len(children_owed[figures.discipline]), figures.discipline
    assert report.totals.owed_hours == pytest.approx(sum(hours.values()))
    assert sum(c.owed_hours for c in report.children) == pytest.approx(report.totals.owed_hours)


def test_no_row_is_short_of_nothing_or_owes_without_a_child_short(officer):
    periods = [option[0] for option in officer.get(reverse("ledger:shortfall")).context["form"].fields["period"].choices]
    assert len(periods) == 8  # this year and last, each with its three terms
    for period in periods:
        page = officer.get(reverse("ledger:shortfall"), {"period": period})
        for f in page.context["report"].by_discipline + [page.context["report"].totals]:
            assert (f.short == 0) == (f.owed_hours == 0) == (f.owed_cost == 0), (period, f)
        for child in page.context["report"].children:
            assert child.owed_contacts > 0 and child.owed_hours > 0, (period, child)
        # The download holds the same rows: none short beside nothing owed, some short beside a cost.
        rows = list(csv.reader(io.StringIO(officer.get(reverse("ledger:shortfall-csv"), {"period": period}).content.decode())))
        for row in rows[1:rows.index([])] if [] in rows else rows[1:]:
            assert (row[3] == "0") == (row[7] == "£0"), (period, row)
            assert row[3] != "0" or row[6] == "0", (period, row)


def test_capacity_and_recovery_count_the_same_therapist_hours_owed_today(officer):
    # The next term has not started, so what the capacity page carries into it is what is owed today,
    # which is where the recovery plan starts.
    capacity = _command_json("capacity", "--term", "2027-spring", "--discipline", "ot")["scenarios"][0][0]
    recovery = _command_json("recovery", "--discipline", "ot", "--by", "2027-03-31")
    assert capacity["owed_hours"] > 0
    assert capacity["owed_hours"] == pytest.approx(recovery["owed_hours_now"], abs=0.1)
    # Each page says what it counts and links to the other two.
    pages = {
        "capacity": officer.get(reverse("planning:capacity"), {"term": "2027-spring"}).content.decode(),
        "recovery": officer.get(reverse("planning:recovery"), {"discipline": "ot"}).content.decode(),
        "shortfall": officer.get(reverse("ledger:shortfall")).content.decode(),
    }
    notes = {name: re.search(r'<div class="govuk-inset-text" id="what-[^"]*">(.*?)</div>', html, re.S)[1] for name, html in pages.items()}
    assert notes["capacity"].startswith("The gap counts therapist hours")
    assert f"clear the {recovery['owed_hours_now']:.0f} therapist hours owed today" in notes["recovery"]
    assert notes["shortfall"].startswith("Hours owed counts the whole sessions each child was owed")
    links = {"capacity": reverse("planning:capacity"), "recovery": reverse("planning:recovery"), "shortfall": reverse("ledger:shortfall")}
    for name, note in notes.items():
        for other, url in links.items():
            if other != name:
                assert f'href="{url}' in note, (name, other)
