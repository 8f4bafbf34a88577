"""The day-template plan (`solver.patterns`): templates lay out exactly, the knapsack prices the
best day, and a template plan keeps every rule and is as good as the plan it starts from."""

from fulfil.planning.solver.diary import Diary, diary_reward
from fulfil.planning.solver.greedy import greedy_diary
from fulfil.planning.solver.patterns import Template, _knapsack, generate, lay_out, templates_of, whole_templates
from fulfil.planning.solver.solve import plan_from_diary
from fulfil.planning.tests.solver.builders import need, setting, term, therapist


def test_whole_templates_lay_out_exactly_in_the_weeks_of_their_weekday():
    instance = term([therapist(minutes=300)], [setting(journey=30)], [need("a", due=3), need("b", minutes=60, due=2)], weeks=3)
    both = Template("T1", 0, ("S1",), ("a", "b"))
    only_a = Template("T1", 0, ("S1",), ("a",))
    diary = lay_out(instance, {both: 2, only_a: 1})
    assert diary.count == {"a": 3, "b": 2}
    plan_from_diary(instance, diary, status="TEST")  # raises PlanInvalid if a rule is broken


def test_a_line_gets_no_more_than_it_needs_when_templates_offer_more():
    instance = term([therapist()], [setting()], [need("a", due=2)], weeks=3)
    diary = lay_out(instance, {Template("T1", 0, ("S1",), ("a",)): 3})
    assert diary.count["a"] == 2


def test_a_diary_read_back_as_templates_lays_out_the_same_sessions():
    instance = term([therapist(days=(0, 2))], [setting()], [need(f"n{i}", due=2) for i in range(12)], weeks=2)
    start = greedy_diary(instance)
    again = lay_out(instance, dict(templates_of(start)))
    assert again.count == start.count


def test_the_knapsack_fills_the_day_with_the_most_valuable_sessions_that_fit():
    items = [(2, 10.0, "a"), (2, 9.0, "b"), (4, 15.0, "c")]
    best, pick = _knapsack(items, 4)
    assert best[4] == 19.0 and pick[4] == 0b011
    assert best[2] == 10.0 and best[3] == 10.0  # "at most c units": never falls as c grows


def test_pricing_alone_finds_full_days_from_nothing_and_nobody_is_left_at_zero():
    # 300 minutes less a 30-minute journey hold nine 30-minute sessions a week; two weeks; ten
    # children due two each. No start and no top-up: the templates are all the pricing's.
    needs = [need(f"n{i}", due=2) for i in range(10)]
    instance = term([therapist(minutes=300)], [setting(journey=30)], needs, weeks=2)
    diary = lay_out(instance, whole_templates(instance, Diary(instance), seconds=None))
    assert sum(diary.count.values()) == 18
    assert all(diary.count[n.id] >= 1 for n in needs)
    plan_from_diary(instance, diary, status="TEST")


def test_pricing_pairs_two_settings_in_a_day_when_neither_fills_it():
    # Four 60-minute sessions at each school, 330 minutes less two 25-minute journeys: a shared
    # day holds four sessions, a day at one school only two of its own (its children are seen
    # once a week each, two weeks running).
    team = [therapist(minutes=330, settings=("S1", "S2"))]
    needs = [need(f"a{i}", at="S1", minutes=60, due=1) for i in range(2)]
    needs += [need(f"b{i}", at="S2", minutes=60, due=1) for i in range(2)]
    instance = term(team, [setting("S1", journey=25), setting("S2", journey=25)], needs, weeks=1)
    chosen = whole_templates(instance, Diary(instance), seconds=None)
    diary = lay_out(instance, chosen)
    assert sum(diary.count.values()) == 4
    assert [t.settings for t in chosen] == [("S1", "S2")]


def test_a_template_plan_keeps_one_therapist_and_one_mode_per_line_and_every_weekly_rule():
    team = [therapist("T1", days=(0, 1), settings=("S1", "S2")), therapist("T2", days=(0, 2), settings=("S1",))]
    places = [setting("S1", journey=20), setting("S2", journey=35, open_days=(0, 1))]
    needs = [need(f"g{i}", group=True, due=3, current="T2" if i % 2 else None) for i in range(7)]
    needs += [need(f"s{i}", at="S2", minutes=45, due=2, owed=i % 2) for i in range(5)]
    needs += [need(f"l{i}", minutes=60, due=3) for i in range(4)]
    instance = term(team, places, needs, weeks=3, closed={1: (0,)})
    start = greedy_diary(instance)
    diary = generate(instance, start, seconds=None)
    plan = plan_from_diary(instance, diary, status="TEST")  # validates: therapist, mode, minutes, seats
    assert diary_reward(instance, diary) >= diary_reward(instance, start)
    assert plan.stats.children_at_zero == 0


def test_without_a_clock_the_same_input_gives_the_same_plan():
    needs = [need(f"n{i}", due=3, minutes=(30, 45, 60)[i % 3], group=i % 4 == 0) for i in range(15)]
    instance = term([therapist("T1", days=(0, 1, 2)), therapist("T2", days=(1, 3))], [setting()], needs, weeks=3)
    first = generate(instance, greedy_diary(instance), seconds=None)
    second = generate(instance, greedy_diary(instance), seconds=None)
    assert first.count == second.count and first.therapist == second.therapist
