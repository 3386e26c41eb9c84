"""Dates, times and money as each language writes them, in Copenhagen time."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from venskab import i18n
from venskab.web import money, when


@pytest.fixture
def language():
    tokens = []

    def use(code: str) -> None:
        tokens.append(i18n.current_language.set(code))

    yield use
    for token in reversed(tokens):
        i18n.current_language.reset(token)


def _occurrence(start: datetime, end: datetime, all_day: bool = False) -> SimpleNamespace:
    return SimpleNamespace(starts_at=start, ends_at=end, all_day=all_day)


def test_summer_evening_is_shown_in_copenhagen_time(language):
    language("da")
    shown = when(
        _occurrence(datetime(2027, 7, 5, 17, tzinfo=UTC), datetime(2027, 7, 5, 19, tzinfo=UTC))
    )
    assert shown == "mandag den 5. juli 2027 19.00–21.00"


def test_winter_evening_is_one_hour_from_utc(language):
    language("en")
    shown = when(
        _occurrence(datetime(2027, 1, 5, 18, tzinfo=UTC), datetime(2027, 1, 5, 20, tzinfo=UTC))
    )
    assert shown == "Tuesday, 5 January 2027, 19:00–21:00"


def test_multi_day_timed_occurrence_has_no_seconds(language):
    language("uk")
    shown = when(
        _occurrence(datetime(2027, 7, 5, 7, tzinfo=UTC), datetime(2027, 7, 9, 14, tzinfo=UTC))
    )
    assert "09:00" in shown and "16:00" in shown
    assert ":00:00" not in shown
    assert "липня" in shown


def test_all_day_range_ends_on_the_last_day_not_the_exclusive_end(language):
    language("en")
    # Stored as local midnight 6 Nov .. local midnight after 21 Dec.
    start = datetime(2026, 11, 5, 23, tzinfo=UTC)
    end = datetime(2026, 12, 21, 23, tzinfo=UTC)
    shown = when(_occurrence(start, end, all_day=True)).replace("\u2009", " ")
    assert shown == "6 Nov – 21 Dec 2026"


def test_money_in_each_language(language):
    language("da")
    assert money(6000) == "60 kr."
    assert money(0) == "Gratis"
    language("uk")
    assert money(0) == "Безкоштовно"
    assert money(12550).startswith("125,50")
    language("en")
    assert money(150000) == "1,500 DKK"
