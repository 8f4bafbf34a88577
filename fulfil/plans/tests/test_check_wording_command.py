"""fulfil check-wording on the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("check-wording", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write_csv(tmp_path, text: str, name: str = "section_f.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_it_explains_the_verdict_in_plain_english():
    out, _ = run("6 x 45 min direct OT per term plus a sensory diet delivered daily by a trained TA")
    assert "Verdict: partly quantified" in out
    assert "No minutes per session" in out
    assert "Deliverer not named" in out
    assert "1. Occupational therapy, direct one-to-one: 6 x 45 minutes per term; deliverer not named" in out
    assert "2. Occupational therapy, indirect or programme: 5 sessions (minutes not given) per week; by school staff (trained)" in out
    assert "Checked 1 statement(s): 0 quantified, 1 partly quantified, 0 not quantified." in out


def test_json_gives_verdict_reasons_and_items_per_statement():
    out, _ = run("--json", "Weekly 30-minute individual sessions with a speech and language therapist", "Regular SALT")
    data = json.loads(out)
    assert [entry["verdict"] for entry in data] == ["quantified", "not_quantified"]
    assert data[0]["reasons"] == []
    item = data[0]["items"][0]
    assert {key: item[key] for key in ("discipline", "kind", "sessions", "minutes", "period", "deliverer")} == {
        "discipline": "salt", "kind": "direct", "sessions": 1, "minutes": 30, "period": "week", "deliverer": "therapist"}
    assert "no_frequency" in data[1]["reasons"]


def test_a_csv_file_is_read_from_its_text_column(tmp_path):
    path = write_csv(tmp_path, "id,text\n1,Weekly 30 minute SALT with a SLT\n2,\"Up to 6 sessions of OT a year, if needed\"\n")
    out, _ = run("--file", str(path), "--json")
    data = json.loads(out)
    assert [(entry["row"], entry["verdict"]) for entry in data] == [(2, "quantified"), (3, "partly_quantified")]
    assert "ceiling" in data[1]["reasons"]


def test_a_named_column_is_used_and_without_a_text_column_the_first_is(tmp_path):
    named = write_csv(tmp_path, "child,provision\nA,Weekly SALT\n", "named.csv")
    assert json.loads(run("--file", str(named), "--column", "provision", "--json")[0])[0]["items"][0]["discipline"] == "salt"
    first = write_csv(tmp_path, "provision,child\nFortnightly OT,A\n", "first.csv")
    assert json.loads(run("--file", str(first), "--json")[0])[0]["items"][0]["period"] == "fortnight"


def test_a_blank_row_is_reported_and_skipped(tmp_path):
    path = write_csv(tmp_path, "text\nWeekly SALT\n\n   \nRegular OT\n")
    out, err = run("--file", str(path))
    assert "Row 2: Weekly SALT" in out
    assert "Row 5: Regular OT" in out
    assert f"{path} row 3: column 'text' is blank; skipped." in err
    assert f"{path} row 4: column 'text' is blank; skipped." in err
    assert "Checked 2 statement(s)" in out


def test_a_missing_column_names_the_file_and_the_columns_it_has(tmp_path):
    path = write_csv(tmp_path, "id,wording\n1,Weekly SALT\n")
    with pytest.raises(CommandError, match=r"section_f\.csv has no column 'provision'\. Its columns are: id, wording\."):
        run("--file", str(path), "--column", "provision")


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*nowhere\.csv: No such file or directory"):
        run("--file", str(tmp_path / "nowhere.csv"))


def test_a_file_that_is_not_utf8_names_the_row(tmp_path):
    path = write_csv(tmp_path, "text\nWeekly SALT\nTwice weekly OT \xa3\n", encoding="latin-1")
    with pytest.raises(CommandError, match=r"Cannot read .*section_f\.csv row 3: not UTF-8 text"):
        run("--file", str(path))


def test_an_empty_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="is empty: it needs a header row"):
        run("--file", str(write_csv(tmp_path, "")))


def test_nothing_to_check_is_a_clear_error():
    with pytest.raises(CommandError, match="Give a statement to check"):
        run()


def test_the_installed_command_has_the_hyphenated_name():
    proc = subprocess.run(
        [sys.executable, "-m", "fulfil.cli", "check-wording", "--json", "Weekly 30 minute SALT"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["items"][0]["minutes"] == 30
