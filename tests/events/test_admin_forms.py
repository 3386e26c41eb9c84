"""Reading what organisers type: money, dates, times and web addresses."""

from __future__ import annotations

from datetime import date, time

import pytest

from events.forms import format_kroner, parse_clock, parse_day, parse_kroner, slugify


@pytest.mark.parametrize(
    ("typed", "ore"),
    [
        ("50", 5000),
        ("50,00", 5000),
        ("50,5", 5050),
        ("50.50", 5050),
        ("1.500", 150000),
        ("1.500,75", 150075),
        ("1 500", 150000),
        ("75 kr.", 7500),
        ("75 DKK", 7500),
        ("0", 0),
    ],
)
def test_kroner_are_read_as_ore_in_danish_and_english_notation(typed, ore):
    assert parse_kroner(typed) == ore


@pytest.mark.parametrize("typed", ["abc", "-5", "5,123", "1,2,3", "", "12345678", "5e3", "½"])
def test_anything_else_is_not_money(typed):
    with pytest.raises(ValueError):
        parse_kroner(typed)


def test_kroner_round_trip_through_the_form():
    for ore in (0, 5000, 5050, 150075):
        assert parse_kroner(format_kroner(ore)) == ore


def test_days_are_read_from_date_inputs_and_typed_day_first():
    assert parse_day("2027-07-05") == date(2027, 7, 5)
    assert parse_day("5.7.2027") == date(2027, 7, 5)
    assert parse_day("05/07/2027") == date(2027, 7, 5)
    assert parse_day("2027-02-30") is None
    assert parse_day("31.2.2027") is None
    assert parse_day("1999-12-31") is None  # a typing mistake, not an event
    assert parse_day("next friday") is None


def test_times_accept_colon_and_dot():
    assert parse_clock("19:00") == time(19, 0)
    assert parse_clock("9.30") == time(9, 30)
    assert parse_clock("19:00:00") == time(19, 0)
    assert parse_clock("24:00") is None
    assert parse_clock("7pm") is None


def test_addresses_are_made_from_ukrainian_and_danish_titles():
    assert slugify("Київ: літній табір") == "kyiv-litnii-tabir"
    assert slugify("Støj i byen – Østerbro") == "stoej-i-byen-oesterbro"
    assert slugify("  Pocket parks & climate!  ") == "pocket-parks-climate"
    assert len(slugify("word " * 40)) <= 80


def test_services_refuse_what_forms_would_not_send():
    """The rules live in the service, so demo data and future callers meet them too."""
    from datetime import UTC, datetime

    from events.services import EventInput, OccurrenceInput, validate_event, validate_occurrence

    long_alt = EventInput(
        slug="ok", category="film", texts={"en": {"title": "T", "poster_alt": "x" * 301}}
    )
    assert "poster_alt_en" in validate_event(long_alt)
    start = datetime(2027, 7, 5, 9, tzinfo=UTC)
    aged = OccurrenceInput(venue_id=None, starts_at=start, ends_at=start, max_age=150)
    assert "max_age" in validate_occurrence(aged)
