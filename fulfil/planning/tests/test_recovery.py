"""The recovery plan from the records: the command, the page, and its CSV and XLSX files."""

import datetime as dt
import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook

from fulfil.accounts.models import User

pytestmark = pytest.mark.django_db

# The demo is generated as of this day and the commands are told it. The page reads the clock, so
# its test pins the clock to the same day: 31 March 2027 is refused as a target once it has passed.
TODAY = "2026-11-25"


@pytest.fixture
def demo(transactional_db):
    call_command("generate", "--seed", "4", "--today", TODAY, "--children", "300", verbosity=0)


def test_recovery_command_costs_the_hours_it_buys(demo):
    out = StringIO()
    call_command("recovery", "--discipline", "OT", "--by", "2027-03-31", "--today", TODAY, "--rate", "100", "--json", stdout=out)
    data = json.loads(out.getvalue()[out.getvalue().index("{"):])
    assert data["target_month"] == "2027-03" and data["feasible"]
    assert data["cost"] == pytest.approx(data["hours_to_buy"] * 100, abs=5)  # hours are shown to one decimal place
    assert sum(data["by_month"].values()) == pytest.approx(data["hours_to_buy"], abs=0.5)


def test_with_no_in_house_staff_everything_owed_must_be_bought(demo):
    from fulfil.workforce.models import Therapist

    Therapist.objects.filter(discipline="ot").update(archived_at="2026-11-01T00:00:00Z", archived_reason="test: no OTs")
    out = StringIO()
    call_command("recovery", "--discipline", "OT", "--by", "2027-03-31", "--today", TODAY, "--json", stdout=out)
    data = json.loads(out.getvalue()[out.getvalue().index("{"):])
    assert data["hours_to_buy"] >= data["owed_hours_now"] > 0


@freeze_time(TODAY)
def test_the_commissioner_downloads_the_recovery_plan(client, demo):
    client.force_login(User.objects.get(username="commissioner"))
    page = client.get(reverse("planning:recovery"), {"discipline": "ot", "by": "2027-03-31", "budget": "1000000"})
    body = page.content.decode()
    assert page.status_code == 200 and "hours to buy" in body and "everyone can be back on track by" in body
    csv_response = client.get(reverse("planning:recovery"), {"discipline": "ot", "by": "2027-03-31", "format": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv") and "Hours to buy" in csv_response.content.decode()
    xlsx = client.get(reverse("planning:recovery"), {"discipline": "ot", "by": "2027-03-31", "format": "xlsx"})
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Summary", "Hours to buy", "Backlog by month"]
    bad = client.get(reverse("planning:recovery"), {"discipline": "ot", "rate": "cheap"})
    assert bad.status_code == 400 and "amounts in pounds" in bad.content.decode()
    boxes = client.get(reverse("planning:recovery"), {"discipline": "ot", "by_day": "30", "by_month": "4", "by_year": "2027"})
    assert boxes.status_code == 200 and boxes.context["by"] == dt.date(2027, 4, 30)
    assert 'name="by_month" value="4"' in boxes.content.decode()
    partial = client.get(reverse("planning:recovery"), {"discipline": "ot", "by_day": "30", "by_year": "2027"})
    assert partial.status_code == 400 and "Enter a real date to be back on track by" in partial.content.decode()
    # NaN, infinity and a target years away get the same answers (year 9999 was a 500: issue 18).
    for amounts in ({"rate": "NaN"}, {"budget": "Infinity"}):
        refused = client.get(reverse("planning:recovery"), {"discipline": "ot", **amounts})
        assert refused.status_code == 400 and "amounts in pounds" in refused.content.decode()
    far = client.get(reverse("planning:recovery"), {"discipline": "ot", "by_day": "31", "by_month": "3", "by_year": "9999"})
    assert far.status_code == 400 and "within 3 years" in far.content.decode()


def test_the_solvers_banner_never_reaches_stdout():
    """HiGHS prints a banner on the first solver object a process makes; `--json` output must
    stay pure JSON, so Django's start-up makes that first object quietly."""
    import subprocess  # nosec B404
    import sys

    code = ("import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings.test'; django.setup(); "
            "import highspy; highspy.Highs(); print('only this')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603  # nosec B603
    assert out.stdout == "only this\n"
