"""Parts share no therapist and no setting visit, so planning them one by one loses nothing."""

from fulfil.planning.solver.decompose import split
from fulfil.planning.solver.instances import generate_term
from fulfil.planning.tests.solver.builders import need, setting, term, therapist


def test_parts_are_one_discipline_and_share_no_therapist_or_visit():
    instance = generate_term(children=600, therapists=14, settings=24, seed=2)
    parts, uncovered = split(instance)
    assert len(parts) > 3
    seen_therapists, seen_visits = set(), set()
    for part in parts:
        assert len({n.discipline for n in part.needs}) == 1
        therapists = {t.id for t in part.therapists}
        visits = {(n.discipline, n.setting_id) for n in part.needs}
        assert not therapists & seen_therapists and not visits & seen_visits
        seen_therapists |= therapists
        seen_visits |= visits
    planned = sum(len(p.needs) for p in parts) + len(uncovered)
    assert planned == sum(1 for n in instance.needs if n.required > 0)


def test_lines_nobody_covers_are_set_aside_and_linked_settings_stay_together():
    instance = term([therapist("T1", settings=("S1", "S2")), therapist("T2", settings=("S2",)), therapist("T3", settings=("S4",))],
                    [setting(s) for s in ("S1", "S2", "S3", "S4")],
                    [need("a", at="S1"), need("b", at="S2"), need("c", at="S3"), need("d", at="S4"), need("e", at="S1", due=0)])
    parts, uncovered = split(instance)
    assert sorted(sorted(n.id for n in p.needs) for p in parts) == [["a", "b"], ["d"]]
    assert [n.id for n in uncovered] == ["c"]
