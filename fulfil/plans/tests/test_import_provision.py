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


def test_a_line_with_no_period_is_imported_as_the_check_said_it_would_be(area, plan):
    # 'OT 6 sessions' names no period: the check said "ready" and the import then crashed (issue 18).
    data = b"plan_reference,wording\nEHCP-319-0000123,OT 6 sessions\n"
    check = provision_lines_import(local_area=area, data=data, dry_run=True)
    assert check.ok, check.errors
    result = provision_lines_import(local_area=area, data=data)
    assert result.ok and result.created == 1
    assert ProvisionItem.objects.get().period == ""


def test_a_line_the_import_would_refuse_is_refused_by_the_check(area, plan, monkeypatch):
    # Whatever the wording checker reads, the check validates each line exactly as the import
    # would save it: here, minutes no session can have.
    from fulfil.plans import imports

    def reads_negative_minutes(wording):
        check = real(wording)
        for item in check.items:
            item.minutes = -45
        return check

    real = imports.check_statement
    monkeypatch.setattr(imports, "check_statement", reads_negative_minutes)
    data = b"plan_reference,wording\nEHCP-319-0000123,6 x 45 min direct OT per term\n"
    check = provision_lines_import(local_area=area, data=data, dry_run=True)
    result = provision_lines_import(local_area=area, data=data)
    assert not check.ok and check.errors == result.errors
    assert check.errors[0].startswith("Row 2, column wording: the line cannot be saved as read")
    assert ProvisionItem.objects.count() == 0


def test_an_over_long_cell_is_named_by_row_and_column(area, plan):
    for size in (6_000, 200_000):  # over Fulfil's limit; over the csv module's own
        data = f"plan_reference,wording\nEHCP-319-0000123,{'x' * size}\n".encode()
        result = provision_lines_import(local_area=area, data=data)
        assert not result.ok and result.errors[0].startswith("Row 2"), result.errors
    assert ProvisionItem.objects.count() == 0


def test_a_garbage_file_lists_the_first_hundred_problems_and_counts_the_rest(area, plan):
    garbage = "plan_reference,wording\n" + "nonsense,\n" * 3_000
    result = provision_lines_import(local_area=area, data=garbage.encode())
    assert len(result.errors) == 100 and result.error_count == 6_000 and result.errors_not_listed == 5_900
    too_big = provision_lines_import(local_area=area, data=b"plan_reference,wording\n" + b"x" * (6 * 1024 * 1024))
    assert too_big.errors == ["The file is 6.0 MB: it must be at most 5 MB. Split it into smaller files"]
    many = provision_lines_import(local_area=area, data=("plan_reference,wording\n" + "a,b\n" * 10_001).encode())
    assert "The file has more than 10,000 rows: split it into smaller files" in many.errors
    with_nul = provision_lines_import(local_area=area, data=b"plan_reference,wording\nEHCP-319-0000123,OT\x00 weekly\n")
    assert "NUL" in with_nul.errors[0]
    assert ProvisionItem.objects.count() == 0


def test_the_page_shows_how_many_problems_it_did_not_list(client, area, plan):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fulfil.factories import UserFactory

    client.force_login(UserFactory(role="council_officer", local_area=area))
    upload = SimpleUploadedFile("plans.csv", ("plan_reference,wording\n" + "nonsense,\n" * 300).encode(), content_type="text/csv")
    response = client.post("/plans/import/", {"file": upload, "action": "check"})
    assert response.status_code == 200
    assert "and 500 more problems" in response.content.decode()
    too_big = SimpleUploadedFile("plans.csv", b"x" * (6 * 1024 * 1024), content_type="text/csv")
    response = client.post("/plans/import/", {"file": too_big, "action": "import"})
    assert "The file must be at most 5 MB" in response.content.decode() and len(response.content) < 100_000
