"""Every command given bad input says so in one line (CommandError) and exits non-zero: no
traceback (issue 18: six commands crashed on a latin-1 file, NaN, year 0001 or 9999...).
(A NUL cannot be typed into a command line: argv is C strings. NUL in files: their own tests.)"""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

LATIN_1 = "plan_reference,wording\nEHCP-1,Caf\xe9 OT weekly\n".encode("latin-1")

BAD = [
    ("shortfall", "--today", "0001-01-01"),
    ("shortfall", "--from", "9999-12-31"),
    ("shortfall", "--from", "2026-09-01", "--to", "2025-09-01"),
    ("shortfall", "--discipline", "juggling"),
    ("capacity", "--term", "9999-spring"),
    ("capacity", "--term", "2027-spring", "--fill-vacancy", "x:2027-01-04"),
    ("capacity", "--term", "2027-spring", "--leave", "1:2027-03-26:2027-01-04"),
    ("capacity", "--term", "2027-spring", "--buy-hours", "nan"),
    ("capacity", "--term", "2027-spring", "--buy-hours", "-5"),
    ("recovery", "--discipline", "ot", "--by", "9999-03-31"),
    ("recovery", "--discipline", "ot", "--by", "2099-03-31", "--today", "2026-11-25"),
    ("recovery", "--discipline", "ot", "--by", "2027-03-31", "--today", "2026-11-25", "--rate", "nan"),
    ("recovery", "--discipline", "ot", "--by", "2027-03-31", "--today", "2026-11-25", "--rate", "0"),
    ("recovery", "--discipline", "ot", "--by", "2027-03-31", "--today", "2026-11-25", "--budget", "-inf"),
    ("plan-term", "--today", "9999-01-01"),
    ("benchmarks", "show", "--la", "319", "--year", "99999999999"),
    ("import-provision", "{latin1}"),
    ("import-provision", "{missing}"),
    ("check-wording", "--file", "{latin1}"),
    ("check-wording", "--file", "{missing}"),
    ("generate", "--today", "0001-01-01"),
    ("generate", "--children", "-5"),
]


@pytest.mark.parametrize("args", BAD, ids=[" ".join(a) for a in BAD])
def test_bad_input_is_one_line_and_a_non_zero_exit(args, area, tmp_path):
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(LATIN_1)
    args = [a.format(latin1=latin1, missing=tmp_path / "missing.csv") for a in args]
    with pytest.raises(CommandError) as refused:
        call_command(*args)
    message = str(refused.value)
    assert message and "\n" not in message and "Traceback" not in message
