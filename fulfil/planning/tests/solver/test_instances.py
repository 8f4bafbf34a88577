"""The synthetic borough term looks like the Sutton story: big SALT team, short-staffed OT with
the most owed, 60 settings in 5 patches, a 13-week term less half term."""

from collections import Counter

import pytest

from fulfil.planning.solver.instances import generate_term, scaled
from fulfil.planning.solver.schema import check_instance


@pytest.fixture(scope="module")
def sutton():
    return generate_term()


def test_it_has_the_size_of_a_london_borough(sutton):
    assert len({n.child_id for n in sutton.needs}) == 2600
    assert len(sutton.therapists) == 45 and len(sutton.settings) == 60
    assert len({s.cluster for s in sutton.settings}) == 5
    assert check_instance(sutton) == []


def test_the_term_is_thirteen_weeks_less_a_half_term_week_with_closed_days(sutton):
    indices = [w.index for w in sutton.weeks]
    assert len(indices) == 12 and set(range(13)) - set(indices) == {6}
    assert sum(5 - len(w.open_weekdays) for w in sutton.weeks) >= 2


def test_speech_and_language_is_the_biggest_team_and_ot_is_short_staffed(sutton):
    team = Counter(t.discipline for t in sutton.therapists)
    lines = Counter(n.discipline for n in sutton.needs)
    assert team["salt"] > team["physio"] > team["ot"]
    assert lines["ot"] / team["ot"] > lines["salt"] / team["salt"]
    assert any(t.discipline == "ot" and len(t.unavailable_weeks) == len(sutton.weeks) for t in sutton.therapists)


def test_ot_lines_carry_the_most_owed_sessions(sutton):
    def owed_share(discipline):
        lines = [n for n in sutton.needs if n.discipline == discipline]
        return sum(n.sessions_owed for n in lines) / sum(n.required for n in lines)
    assert owed_share("ot") > owed_share("salt") > owed_share("physio")


def test_lines_mix_lengths_frequencies_and_group_permission(sutton):
    assert {n.session_minutes for n in sutton.needs} == {30, 45, 60}
    assert {n.sessions_due for n in sutton.needs} == {3, 6, 12}
    grouped = sum(n.group_allowed for n in sutton.needs) / len(sutton.needs)
    assert 0.30 <= grouped <= 0.50


def test_the_same_seed_gives_the_same_term_and_another_seed_does_not():
    assert generate_term(children=200, seed=4) == generate_term(children=200, seed=4)
    assert generate_term(children=200, seed=4) != generate_term(children=200, seed=5)


def test_scaled_areas_keep_the_sutton_ratios():
    area = scaled(10_000)
    assert len({n.child_id for n in area.needs}) == 10_000
    assert len(area.therapists) == 173 and len(area.settings) == 231
