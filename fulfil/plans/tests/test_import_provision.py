import pytest
from django.core.management import CommandError, call_command

from fulfil.factories import PlanVersionFactory
from fulfil.plans.imports import provision_lines_import
from fulfil.plans.models import ProvisionItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(area):
    return PlanVersionFactory(plan__child__local_area=area, plan__reference="EHCP-319-0000123").plan


GOOD = (
    "plan_reference,wording,starts_on,section\n"
    "EHCP-319-0000123,6 x 45 min direct OT per term plus a sensory diet delivered daily by a trained TA,2026-09-03,F\n"
    "EHCP-319-0000123,Regular access to speech and language therapy as appropriate,,\n"
)


def test_lines_are_checked_and_imported_once(area, plan):
    result = provision_lines_import(local_area=area, data=GOOD.encode())
    assert result.ok and result.rows == 2 and result.created == 3
    assert result.verdicts == {"partly_quantified": 1, "not_quantified": 1}
    ot = ProvisionItem.objects.get(discipline="ot", kind="direct")
    assert (ot.sessions, ot.minutes, ot.period, str(ot.starts_on)) == (6, 45, "term", "2026-09-03")
    vague = ProvisionItem.objects.get(discipline="salt")
    assert vague.sessions is None and vague.period == "" and not vague.is_quantified
    again = provision_lines_import(local_area=area, data=GOOD.encode())
    assert again.created == 0 and again.skipped_existing == 3
    assert ProvisionItem.objects.count() == 3


def test_a_file_with_any_bad_row_imports_nothing_and_names_row_and_column(area, plan):
    bad = GOOD + "EHCP-319-9999999,Weekly OT,2026-13-01,H\n,,,\nEHCP-319-0000123,Lots of support,,\n"
    result = provision_lines_import(local_area=area, data=bad.encode("utf-8-sig"))
    assert not result.ok
    assert "Row 4, column plan_reference: there is no plan EHCP-319-9999999 in Sutton (test)" in result.errors
    assert "Row 4, column starts_on: write the date as YYYY-MM-DD, like 2026-09-03" in result.errors
    assert "Row 4, column section: write F or G" in result.errors
    assert any(e.startswith("Row 6, column wording: the therapy is not named") for e in result.errors)
    assert ProvisionItem.objects.count() == 0


def test_missing_columns_and_non_utf8_files_are_explained(area, plan):
    assert provision_lines_import(local_area=area, data=b"reference,text\nx,y\n").errors == [
        "Row 1 (the header): add the columns plan_reference, wording"]
    assert "not UTF-8" in provision_lines_import(local_area=area, data="plan_reference,wording\nx,caf\xe9\n".encode("latin-1")).errors[0]


def test_the_command_dry_runs_and_imports(area, plan, tmp_path, capsys):
    path = tmp_path / "lines.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("import-provision", str(path), "--dry-run")
    assert "ready to import: 2 rows" in capsys.readouterr().out and ProvisionItem.objects.count() == 0
    call_command("import-provision", str(path))
    assert "3 lines added" in capsys.readouterr().out
    path.write_text("plan_reference,wording\nnope,Weekly SALT\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import-provision", str(path))


def test_the_upload_page_checks_then_imports(client, area, plan):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from fulfil.factories import UserFactory

    client.force_login(UserFactory(role="council_officer", local_area=area))
    url = reverse("plans:import")
    html = client.post(url, {"action": "check", "file": SimpleUploadedFile("lines.csv", GOOD.encode())}).content.decode()
    assert "The file is ready to import: 2 rows" in html and ProvisionItem.objects.count() == 0
    html = client.post(url, {"action": "import", "file": SimpleUploadedFile("lines.csv", GOOD.encode())}).content.decode()
    assert "3 lines added" in html and ProvisionItem.objects.count() == 3
    html = client.post(url, {"action": "import"}).content.decode()
    assert "Choose a CSV file to upload" in html
