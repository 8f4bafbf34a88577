"""The GOV.UK date input field (`fulfil.core.widgets`): three boxes in, one date out."""

import datetime as dt

import pytest
from django import forms

from fulfil.core.widgets import GovukDateField


class DateForm(forms.Form):
    starts_on = GovukDateField(label="Start date")
    ends_on = GovukDateField(label="End date", required=False)


def boxes(day="", month="", year="", name="starts_on") -> dict:
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def test_day_month_and_year_make_a_date():
    form = DateForm(data=boxes("7", "3", "2027"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"starts_on": dt.date(2027, 3, 7), "ends_on": None}


def test_an_iso_date_under_the_fields_own_name_is_still_read():
    form = DateForm(data={"starts_on": "2027-03-07"})
    assert form.is_valid() and form.cleaned_data["starts_on"] == dt.date(2027, 3, 7)


@pytest.mark.parametrize(("day", "month", "year", "message"), [
    ("7", "", "2027", "Start date must include a month"),
    ("", "", "2027", "Start date must include a day and a month"),
    ("31", "2", "2027", "Start date must be a real date"),
    ("7", "March", "2027", "Start date must be a real date"),
    ("7", "3", "27", "Year must include 4 numbers"),
])
def test_a_partial_or_impossible_date_says_what_to_fix(day, month, year, message):
    form = DateForm(data=boxes(day, month, year))
    assert not form.is_valid()
    assert form.errors["starts_on"] == [message]


def test_empty_boxes_are_a_missing_date_and_an_optional_one_may_be_left_empty():
    form = DateForm(data=boxes() | boxes(name="ends_on"))
    assert form.errors["starts_on"] == ["This field is required."]
    assert "ends_on" not in form.errors


def test_the_boxes_show_what_was_typed_and_the_label_points_at_the_day_box():
    form = DateForm(data=boxes("7", "", "2027"))
    html = str(form["starts_on"])
    assert 'id="id_starts_on_day"' in html and 'value="7"' in html and 'value="2027"' in html
    assert form["starts_on"].id_for_label == "id_starts_on_day"
    assert 'type="date"' not in html
    initial = str(DateForm(initial={"starts_on": dt.date(2027, 3, 7)})["starts_on"])
    assert 'name="starts_on_month" value="3"' in initial and 'name="starts_on_year" value="2027"' in initial


def test_a_date_sent_outside_a_form_is_read_from_boxes_or_iso_and_none_when_not_real():
    from fulfil.core.widgets import date_in

    assert date_in(boxes("7", "3", "2027"), "starts_on") == dt.date(2027, 3, 7)
    assert date_in({"starts_on": "2027-03-07"}, "starts_on") == dt.date(2027, 3, 7)
    assert date_in(boxes("31", "2", "2027"), "starts_on") is None
    assert date_in({}, "starts_on") is None


@pytest.mark.parametrize("year", ["0001", "1899", "2101", "9999"])
def test_a_date_outside_the_years_fulfil_takes_says_the_range(year):
    # Year 0001 or 9999 overflowed the week arithmetic behind the pages (a 500: issue 18).
    form = DateForm(data=boxes("1", "1", year))
    assert not form.is_valid()
    assert form.errors["starts_on"] == ["Start date must be between 1 January 1900 and 31 December 2100"]
    assert not DateForm(data={"starts_on": f"{year}-01-01"}).is_valid()


def test_a_field_can_narrow_the_range_and_date_in_keeps_to_it():
    from fulfil.core.widgets import date_in

    field = GovukDateField(label="Back on track by", latest=dt.date(2027, 3, 31))
    with pytest.raises(forms.ValidationError, match="Back on track by must be between 1 January 1900 and 31 March 2027"):
        field.clean({"day": "1", "month": "4", "year": "2027"})
    assert date_in({"by_day": "31", "by_month": "3", "by_year": "2027"}, "by", latest=dt.date(2027, 3, 31)) == dt.date(2027, 3, 31)
    assert date_in({"by": "9999-01-01"}, "by") is None
