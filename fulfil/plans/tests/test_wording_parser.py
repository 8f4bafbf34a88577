"""The wording checker on statements as plans write them."""

from __future__ import annotations

import pytest

from fulfil.plans.wording import NOT_QUANTIFIED, PARTLY_QUANTIFIED, QUANTIFIED, ProvisionDraft, check_many, check_statement


def fields(draft: ProvisionDraft) -> tuple:
    return (draft.discipline, draft.kind, draft.sessions, draft.minutes, draft.period, draft.deliverer)


def only_item(text: str) -> ProvisionDraft:
    check = check_statement(text)
    assert len(check.items) == 1, [fields(item) for item in check.items]
    return check.items[0]


# -- the four examples in the issue ---------------------------------------------------------------


def test_weekly_individual_sessions_with_a_therapist_are_quantified():
    check = check_statement("Weekly 30-minute individual sessions with a speech and language therapist")
    assert check.verdict == QUANTIFIED
    assert check.reasons == []
    assert [fields(item) for item in check.items] == [("salt", "direct", 1, 30, "week", "therapist")]


def test_direct_ot_plus_a_sensory_diet_is_two_items():
    check = check_statement("6 x 45 min direct OT per term plus a sensory diet delivered daily by a trained TA")
    assert [fields(item) for item in check.items] == [
        ("ot", "direct", 6, 45, "term", None),
        ("ot", "indirect", 5, None, "week", "school_staff"),
    ]
    assert check.verdict == PARTLY_QUANTIFIED
    assert check.reasons == ["no_minutes", "deliverer_not_named"]
    assert check.items[0].reasons == ["deliverer_not_named"]
    assert check.items[1].reasons == ["no_minutes"]
    assert check.items[1].qualification == "trained"


def test_a_programme_devised_by_a_therapist_is_delivered_by_school_staff():
    check = check_statement(
        "A programme of language activities devised by a SaLT, delivered 3 times a week for 15 minutes by school "
        "staff, reviewed half-termly"
    )
    assert check.verdict == QUANTIFIED
    item = check.items[0]
    assert fields(item) == ("salt", "indirect", 3, 15, "week", "school_staff")
    # The review clause is the item's review point, not an item or a second frequency.
    assert len(check.items) == 1
    assert item.review == "reviewed half-termly"
    assert item.review_period == "half_term"


def test_regular_access_as_appropriate_is_not_quantified():
    check = check_statement("Regular access to speech and language therapy as appropriate")
    assert check.verdict == NOT_QUANTIFIED
    assert [fields(item) for item in check.items] == [("salt", "direct", None, None, None, None)]
    assert {"vague_access", "discretion", "no_frequency"} <= set(check.reasons)
    assert "'as appropriate' leaves the amount to someone's discretion" in " ".join(check.messages)


# -- numbers, frequencies and lengths ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sessions", "minutes", "period"),
    [
        ("Six 45-minute sessions per term with an OT", 6, 45, "term"),
        ("Ten 30-minute sessions of 1:1 speech and language therapy across the academic year", 10, 30, "year"),
        ("Forty-five minute sessions twice weekly with a physiotherapist", 2, 45, "week"),
        ("Three times a week for fifteen minutes with a TA", 3, 15, "week"),
        ("One and a half hours of OT once a term by an OT", 1, 90, "term"),
        ("An hour and a half with the SLT once per half term", 1, 90, "half_term"),
        ("Fortnightly 1.5 hour sessions with an OT", 1, 90, "fortnight"),
        ("Half an hour with a SaLT every week", 1, 30, "week"),
        ("A 1 hour 30 minute physio session each month", 1, 90, "month"),
        ("SALT every two weeks for 40 minutes", 1, 40, "fortnight"),
        ("SALT every other week for 40 minutes", 1, 40, "fortnight"),
        ("Twice per academic year, 60 minutes, by the OT", 2, 60, "year"),
        ("Annual 60-minute OT review", 1, 60, "year"),
        ("Daily 10-minute practice with a TA", 5, 10, "week"),
        ("Twice daily stretches for 10 mins by school staff", 10, 10, "week"),
        ("Half-termly 45 min consultation with the SLT", 1, 45, "half_term"),
        ("Termly 30 min liaison by the OT", 1, 30, "term"),
        ("3x weekly 20 mins with LSA", 3, 20, "week"),
        ("SALT: 1x30 mins/week", 1, 30, "week"),
    ],
)
def test_it_reads_counts_periods_and_lengths_as_plans_write_them(text, sessions, minutes, period):
    item = check_statement(text).items[0]
    assert (item.sessions, item.minutes, item.period) == (sessions, minutes, period)


def test_a_range_gives_the_lower_number_and_is_at_best_partly_quantified():
    check = check_statement("Speech and language therapy 2-3 times a week for 30-45 minutes with a SaLT")
    assert (check.items[0].sessions, check.items[0].minutes) == (2, 30)
    assert check.verdict == PARTLY_QUANTIFIED
    assert check.reasons == ["range"]
    assert "'2-3 times' gives a range" in check.messages[0]


@pytest.mark.parametrize("text", ["Between 4 and 6 OT sessions per term, 30 minutes, by an OT", "Once or twice a week for 30 minutes with an OT"])
def test_ranges_in_words_are_ranges(text):
    check = check_statement(text)
    assert "range" in check.reasons
    assert check.items[0].sessions in (1, 4)


def test_up_to_is_a_ceiling_not_an_entitlement():
    check = check_statement("Up to 6 sessions of physiotherapy a year if needed")
    item = only_item("Up to 6 sessions of physiotherapy a year if needed")
    assert (item.sessions, item.period) == (6, "year")
    assert check.verdict == PARTLY_QUANTIFIED
    assert {"ceiling", "discretion"} <= set(check.reasons)
    assert "'Up to 6' sets a ceiling, not an entitlement" in " ".join(check.messages)


def test_up_to_on_a_group_size_is_not_a_ceiling_on_provision():
    check = check_statement("Weekly 45-minute group with an SLT (groups of up to 4 children)")
    assert "ceiling" not in check.reasons
    assert check.verdict == QUANTIFIED


def test_a_total_for_a_period_is_not_split_into_sessions():
    check = check_statement("2 hours of OT per term")
    item = check.items[0]
    assert (item.sessions, item.minutes, item.period) == (None, None, "term")
    assert check.verdict == PARTLY_QUANTIFIED
    assert "total_not_split" in check.reasons


def test_a_block_of_sessions_without_a_period_has_no_period():
    check = check_statement("A block of 6 sessions of speech and language therapy with a SLT, 30 minutes each")
    item = check.items[0]
    assert (item.sessions, item.period) == (6, None)
    assert "no_period" in check.reasons
    assert check.verdict == PARTLY_QUANTIFIED


def test_a_length_of_block_is_a_duration_not_a_frequency():
    item = only_item("A 6-week block of weekly 45-minute OT sessions with an OT")
    assert (item.sessions, item.minutes, item.period) == (1, 45, "week")
    assert item.duration == "A 6-week block"


def test_how_long_the_arrangement_lasts_is_kept():
    item = only_item("Fortnightly 45 minute group sessions led by an SLT for the first two terms")
    assert fields(item) == ("salt", "group", 1, 45, "fortnight", "therapist")
    assert item.duration == "for the first two terms"


def test_the_plans_annual_review_is_not_a_frequency():
    item = only_item("Speech and language therapy with a SLT, 30 minutes, until the annual review")
    assert item.period is None
    assert item.kind == "direct"


# -- disciplines, kinds and deliverers ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "discipline"),
    [
        ("Weekly SaLT", "salt"), ("Weekly SLT", "salt"), ("Weekly SALT", "salt"), ("Weekly speech therapy", "salt"),
        ("Weekly OT", "ot"), ("Weekly occupational therapy", "ot"),
        ("Weekly PT", "physio"), ("Weekly physio", "physio"), ("Weekly physiotherapy", "physio"),
    ],
)
def test_disciplines_by_name_and_abbreviation(text, discipline):
    assert only_item(text).discipline == discipline


@pytest.mark.parametrize(
    ("text", "deliverer"),
    [
        ("Weekly 30-minute SALT sessions", None),
        ("Weekly 30-minute sessions with a speech and language therapist", "therapist"),
        ("Weekly 30-minute sessions delivered by an HCPC-registered SaLT", "therapist"),
        ("Weekly 30-minute sessions by the OT", "therapist"),
        ("Weekly 30-minute sessions with a therapy assistant", "assistant"),
        ("Weekly 30-minute sessions with an OT assistant", "assistant"),
        ("Weekly 30-minute sessions with a physiotherapy technician", "assistant"),
        ("Weekly 30-minute practice with the TA", "school_staff"),
        ("Weekly 30-minute practice with an LSA", "school_staff"),
        ("Weekly 30-minute practice with a teaching assistant", "school_staff"),
        ("Weekly 30-minute practice led by the class teacher", "school_staff"),
        ("Weekly 30-minute practice with a trained adult", "school_staff"),
        ("Weekly 30-minute practice with the key worker", "school_staff"),
    ],
)
def test_deliverers(text, deliverer):
    item = check_statement(text).items[0]
    assert item.deliverer == deliverer


def test_a_therapy_named_without_a_deliverer_is_at_best_partly_quantified():
    check = check_statement("Weekly 30-minute SALT sessions")
    assert check.verdict == PARTLY_QUANTIFIED
    assert check.reasons == ["deliverer_not_named"]


def test_people_trained_or_consulted_are_not_the_deliverer():
    item = only_item("Training for the class staff and TA from the speech and language therapy service once a year (90 minutes)")
    assert fields(item) == ("salt", "training", 1, 90, "year", "therapist")
    shared = check_statement("Two 30-minute sessions of direct SALT each half-term, with targets shared with class staff")
    assert shared.items[0].deliverer is None


def test_the_designer_is_not_the_deliverer_but_gives_the_discipline():
    item = only_item("A sensory programme set by an occupational therapist, delivered daily for 10 minutes")
    assert (item.discipline, item.kind, item.deliverer) == ("ot", "indirect", None)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Weekly 1:1 SALT", "direct"), ("Weekly one-to-one SALT", "direct"), ("Weekly individual SALT", "direct"),
        ("Weekly SALT", "direct"), ("Weekly small-group SALT", "group"), ("A weekly social skills group", "group"),
        ("A daily exercise programme", "indirect"), ("Termly advice to school staff from the OT", "indirect"),
        ("Termly training for staff by the OT", "training"), ("Termly consultation with the physiotherapist", "training"),
        ("An annual assessment by the SLT", "review"), ("A termly OT review", "review"),
    ],
)
def test_kinds(text, kind):
    assert check_statement(text).items[0].kind == kind


# -- statements with several provisions -------------------------------------------------------------


def test_speech_and_language_is_one_therapy_not_two_items():
    assert len(check_statement("Weekly speech and language therapy with a speech and language therapist").items) == 1


def test_semicolons_and_sentences_separate_provisions():
    check = check_statement(
        "SALT: 1 x 30 min session every fortnight by SLT; TA to practise targets 3 x weekly for 10 mins. "
        "The OT will train staff once a term (1 hour)."
    )
    assert [fields(item) for item in check.items] == [
        ("salt", "direct", 1, 30, "fortnight", "therapist"),
        ("salt", "indirect", 3, 10, "week", "school_staff"),
        ("ot", "training", 1, 60, "term", "therapist"),
    ]


def test_a_second_sentence_that_adds_detail_joins_the_first_item():
    check = check_statement("X will receive weekly direct SALT. Sessions will be 30 minutes long and delivered by an HCPC registered SLT.")
    assert [fields(item) for item in check.items] == [("salt", "direct", 1, 30, "week", "therapist")]
    assert check.verdict == QUANTIFIED


def test_and_between_two_provisions_splits_them():
    check = check_statement("Weekly 30 minute SALT sessions with a SLT and a daily 10 minute language programme delivered by the TA")
    assert [fields(item) for item in check.items] == [
        ("salt", "direct", 1, 30, "week", "therapist"),
        ("salt", "indirect", 5, 10, "week", "school_staff"),
    ]


def test_and_inside_one_provision_does_not_split_it():
    check = check_statement("Weekly 45-minute individual OT sessions with an OT focusing on fine motor skills and handwriting")
    assert len(check.items) == 1


def test_two_therapies_in_one_phrase_are_two_items():
    check = check_statement("Speech and language therapy and occupational therapy assessments once a year")
    assert [(item.discipline, item.kind, item.period) for item in check.items] == [("salt", "review", "year"), ("ot", "review", "year")]


def test_a_standalone_review_is_an_item_of_kind_review():
    check = check_statement("Weekly direct SALT with a SLT for 30 minutes. A termly review by the SLT (1 hour).")
    assert [fields(item) for item in check.items] == [
        ("salt", "direct", 1, 30, "week", "therapist"),
        ("salt", "review", 1, 60, "term", "therapist"),
    ]


def test_a_review_note_in_a_later_sentence_is_the_items_review_point():
    check = check_statement("Weekly direct SALT with a SLT for 30 minutes. Progress will be reviewed termly.")
    assert len(check.items) == 1
    assert check.items[0].review == "Progress will be reviewed termly"


# -- evidence and messages -------------------------------------------------------------------------


def test_evidence_points_at_the_words_each_field_came_from():
    text = "A programme of language activities devised by a SaLT, delivered 3 times a week for 15 minutes by school staff"
    item = check_statement(text).items[0]
    words = {name: found.words for name, found in item.evidence.items()}
    assert words["sessions"] == "3 times"
    assert words["period"] == "a week"
    assert words["minutes"] == "15 minutes"
    assert words["deliverer"] == "school staff"
    assert words["discipline"] == "SaLT"
    assert words["kind"] == "programme"
    for found in item.evidence.values():
        assert text[found.start:found.end] == found.words


def test_to_dict_gives_the_json_shape():
    data = check_statement("Weekly 30 minute SALT").to_dict()
    assert data["verdict"] == "partly_quantified"
    assert data["reasons"] == ["deliverer_not_named"]
    assert data["items"][0] | {"evidence": None, "spans": None} == {
        "discipline": "salt", "kind": "direct", "sessions": 1, "minutes": 30, "period": "week", "deliverer": None,
        "qualification": None, "duration": None, "review": None, "review_period": None,
        "reasons": ["deliverer_not_named"], "evidence": None, "spans": None,
    }
    assert data["items"][0]["evidence"]["minutes"] == "30 minute"
    assert data["items"][0]["spans"]["minutes"] == [7, 16]


def test_text_with_no_provision_has_no_items_and_is_not_quantified():
    check = check_statement("Sam enjoys football and drawing.")
    assert check.items == []
    assert check.verdict == NOT_QUANTIFIED
    assert check.messages


def test_check_many_checks_each_statement_in_order():
    results = check_many(["Weekly SALT", "Regular SALT"])
    assert [check.verdict for check in results] == [PARTLY_QUANTIFIED, NOT_QUANTIFIED]


def test_anything_that_is_not_text_is_read_as_empty():
    assert check_statement(None).verdict == NOT_QUANTIFIED  # type: ignore[arg-type]


# -- rules the labelling contract implies ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sessions", "period"),
    [
        ("1:1 physiotherapy every 6 weeks (45 mins) with a physiotherapist", 1, None),
        ("45 minute OT session every three weeks with an OT", 1, None),
        ("4-6 weekly SLT review", 1, None),
        ("Direct 1:1 OT, 45 minutes, every other week, by an OT", 1, "fortnight"),
        ("Every Monday and Thursday, a 30-minute session with the SLT", 2, "week"),
        ("Every Wednesday afternoon, an hour of 1:1 OT with the OT", 1, "week"),
        ("A sensory diet delivered by a trained TA every day: 3 x 10 minute movement breaks", 15, "week"),
        ("A block of 6 weekly 45-minute OT sessions each term with an OT", 6, "term"),
    ],
)
def test_frequencies_the_ledger_can_and_cannot_count(text, sessions, period):
    item = check_statement(text).items[0]
    assert (item.sessions, item.period) == (sessions, period)


def test_a_length_per_each_period_is_a_session_but_per_period_is_a_total():
    each = check_statement("Hydrotherapy with the physiotherapist: 30 minutes every fortnight.").items[0]
    assert (each.sessions, each.minutes, each.period) == (1, 30, "fortnight")
    total = check_statement("Direct occupational therapy 1 hour per month.")
    assert (total.items[0].sessions, total.items[0].minutes, total.items[0].period) == (None, None, "month")
    assert "total_not_split" in total.reasons


def test_the_subject_of_to_or_will_delivers():
    assert check_statement("OT to carry out a 90-minute assessment once a year").items[0].deliverer == "therapist"
    assert check_statement("The school will deliver the SaLT's programme three times a week").items[0].deliverer == "school_staff"
    assert check_statement("The school will have access to OT consultation when required").items[0].deliverer is None


def test_the_source_a_provision_follows_is_not_its_kind_or_deliverer():
    item = only_item("Sensory circuits for 15 minutes daily by trained staff, following the OT's programme.")
    assert fields(item) == ("ot", "indirect", 5, 15, "week", "school_staff")
    therapy = only_item("Speech and language therapy to be provided as set out in the SaLT advice.")
    assert (therapy.kind, therapy.deliverer) == ("direct", None)


def test_training_is_staff_training_only_when_someone_is_trained():
    assert only_item("Gait training for 15 minutes twice a day with a trained LSA").kind == "indirect"
    assert only_item("Makaton training for class staff once a term (1 hour) by the SLT").kind == "training"


def test_school_staff_carrying_out_sessions_is_a_programme_unless_it_is_a_group():
    assert only_item("Daily 20 minute 1:1 session with a TA on the SaLT's targets").kind == "indirect"
    assert only_item("The class teacher will deliver the SaLT's programme in a small group weekly for 20 minutes").kind == "group"


def test_a_single_assessment_is_one_session():
    item = check_statement("OT assessment within the first half term").items[0]
    assert (item.kind, item.sessions, item.period) == ("review", 1, None)
    assert check_statement("Physiotherapy assessment as needed").items[0].sessions is None


def test_a_later_phase_is_its_own_item_and_keeps_what_it_does_not_restate():
    check = check_statement("The OT will see Noah 1:1 for 30 minutes twice weekly, then once a week.")
    assert [fields(item) for item in check.items] == [
        ("ot", "direct", 2, 30, "week", "therapist"),
        ("ot", "direct", 1, 30, "week", "therapist"),
    ]


def test_different_things_joined_by_and_are_separate_items():
    check = check_statement("Speech and language therapist to assess and provide advice as needed.")
    assert [(item.kind, item.deliverer) for item in check.items] == [("review", "therapist"), ("indirect", "therapist")]
    assert check.verdict == NOT_QUANTIFIED


def test_either_of_two_deliverers_names_neither():
    assert only_item("Speech and language therapy: weekly, 30 mins (may be delivered by SLT or SLT assistant).").deliverer is None


def test_a_word_missing_a_letter_is_still_read():
    item = only_item("A course of 12 sesions of sensory integration therapy with an OT.")
    assert (item.sessions, item.deliverer) == (12, "therapist")


def test_a_review_clause_after_a_therapy_keeps_the_therapy_as_the_item():
    item = only_item("Weekly SALT with a SLT, reviewed termly.")
    assert (item.kind, item.sessions, item.period, item.review, item.review_period) == ("direct", 1, "week", "reviewed termly", "term")
