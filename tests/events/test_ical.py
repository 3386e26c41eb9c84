"""events/ical.py: calendar bytes that every client reads the same way. Pure: no database.

Each feed is read by Python's icalendar and by Mozilla's ical.js (Thunderbird's parser, run
through tests/events/icaljs.mjs), and both must see the same events at the same UTC times.
Without node or node_modules/ical.js those checks skip, except in CI, where they fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, vDuration
from icalendar import Event as IcsEvent

from events.ical import CalendarEntry, CalendarInfo, build_calendar

ROOT = Path(__file__).resolve().parents[2]
ICALJS_SCRIPT = Path(__file__).with_name("icaljs.mjs")
CPH = ZoneInfo("Europe/Copenhagen")
CHANGED = datetime(2026, 11, 2, 9, 30, 15, tzinfo=UTC)
CREATED = datetime(2026, 10, 1, 8, 0, 0, tzinfo=UTC)
HOST = "venskab.example"


@pytest.fixture(autouse=True)
def empty_database():
    """These tests need no tables: the conftest fixture that empties them is not used here."""
    yield


# ---------------------------------------------------------------- building blocks


def entry(n: int = 1, **values) -> CalendarEntry:
    """A timed entry (a summer evening screening) with every field filled; override by name."""
    defaults = {
        "uid": f"occurrence-{n}@{HOST}",
        "title": f"Кінопоказ {n}: «Тіні забутих предків»",
        "description": "Фільм українською мовою з данськими субтитрами.",
        "location": "Kulturhuset Islands Brygge, Islands Brygge 18, 2300 København S",
        "url": f"https://{HOST}/uk/events/film-{n}",
        "starts_at": datetime(2027, 7, 5, 19, 0, tzinfo=CPH),
        "ends_at": datetime(2027, 7, 5, 21, 0, tzinfo=CPH),
        "all_day": False,
        "cancelled": False,
        "sequence": 0,
        "last_modified": CHANGED,
        "created": CREATED,
        "categories": ("film",),
    }
    return CalendarEntry(**{**defaults, **values})


def all_day_entry(n: int = 1, **values) -> CalendarEntry:
    """An exhibition from 20 October to 5 November 2027: across the October clock change."""
    defaults = {
        "title": f"Виставка {n}: Київ у фотографіях — Ærø og Øresund",
        "starts_at": datetime(2027, 10, 20, tzinfo=CPH),
        "ends_at": datetime(2027, 11, 6, tzinfo=CPH),
        "all_day": True,
        "categories": ("exhibition",),
    }
    return entry(n, **{**defaults, **values})


INFO = CalendarInfo(
    name="Програма Копенгаген–Київ",
    description="Події програми міст-побратимів Копенгаген–Київ. Час копенгагенський.",
    language="uk",
    cancelled_prefix="Скасовано: ",
    url=f"https://{HOST}/uk/programme",
)


def lines(ics: bytes) -> list[str]:
    """Logical content lines: unfolded (CRLF + one space or tab removed) and decoded."""
    unfolded = re.sub(rb"\r\n[ \t]", b"", ics)
    return unfolded.decode("utf-8").split("\r\n")[:-1]


def properties(ics: bytes, name: str) -> list[str]:
    """Every content line of property `name` (with its parameters), in file order."""
    return [line for line in lines(ics) if re.match(rf"{name}[;:]", line)]


def component_blocks(ics: bytes, name: str) -> list[list[str]]:
    """The content lines inside each BEGIN:name … END:name."""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in lines(ics):
        if line == f"BEGIN:{name}":
            current = []
        elif line == f"END:{name}":
            assert current is not None
            blocks.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def escaped(text: str) -> str:
    """RFC 5545 §3.3.11 TEXT escaping, written out independently of icalendar."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


# ---------------------------------------------------------------- the two parsers


def icaljs_missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not (ROOT / "node_modules" / "ical.js" / "package.json").exists():
        return "node_modules/ical.js is not installed (run npm ci)"
    return None


def parse_with_icaljs(ics: bytes) -> dict:
    """The calendar as Thunderbird's parser reads it (see icaljs.mjs for the shape)."""
    missing = icaljs_missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"ical.js checks cannot run in CI: {missing}", pytrace=False)
        pytest.skip(missing)
    # TZ=UTC: a TZID that ical.js failed to resolve would be read as floating time and
    # converted with the machine's zone; on a Copenhagen machine that would hide the error.
    result = subprocess.run(
        ["node", str(ICALJS_SCRIPT)],
        input=ics,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "TZ": "UTC"},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    return json.loads(result.stdout.decode("utf-8"))


def _moment(value: datetime | date) -> str:
    if isinstance(value, datetime):
        assert value.tzinfo is not None, "a floating time: the TZID was not understood"
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return value.isoformat()


def parse_with_icalendar(ics: bytes) -> list[dict]:
    """The events as Python's icalendar reads them, in the same shape as icaljs.mjs."""
    calendar = Calendar.from_ical(ics)
    events = []
    for event in calendar.walk("VEVENT"):
        last_modified = event.get("LAST-MODIFIED")
        events.append(
            {
                "uid": str(event["UID"]),
                "summary": str(event["SUMMARY"]),
                "status": str(event["STATUS"]) if "STATUS" in event else None,
                "sequence": int(event.get("SEQUENCE", 0)),
                "isAllDay": not isinstance(event.start, datetime),
                "start": _moment(event.start),
                "end": _moment(event.end),
                "lastModified": _moment(last_modified.dt) if last_modified else None,
                "location": str(event["LOCATION"]) if "LOCATION" in event else None,
                "description": str(event["DESCRIPTION"]) if "DESCRIPTION" in event else None,
            }
        )
    return events


COMPARED = (
    "uid",
    "summary",
    "status",
    "sequence",
    "isAllDay",
    "start",
    "end",
    "lastModified",
    "location",
    "description",
)


def seen_by_both(ics: bytes) -> dict[str, dict]:
    """The events by UID, after checking that ical.js and icalendar read exactly the same."""
    from_js = {event["uid"]: event for event in parse_with_icaljs(ics)["events"]}
    from_python = {event["uid"]: event for event in parse_with_icalendar(ics)}
    assert from_js.keys() == from_python.keys()
    for uid, python_event in from_python.items():
        js_event = {key: from_js[uid][key] for key in COMPARED}
        assert js_event == python_event, f"ical.js and icalendar disagree on {uid}"
    return from_python


# ---------------------------------------------------------------- determinism and identity


def test_same_entries_give_identical_bytes_in_any_order():
    entries = [
        entry(1),
        entry(
            2,
            starts_at=datetime(2027, 1, 12, 19, 0, tzinfo=CPH),
            ends_at=datetime(2027, 1, 12, 21, 0, tzinfo=CPH),
        ),
        all_day_entry(3),
    ]
    first = build_calendar(entries, INFO)
    assert build_calendar(list(reversed(entries)), INFO) == first
    assert build_calendar(entries, INFO) == first


def test_dtstamp_is_the_last_change_not_now():
    ics = build_calendar(
        [entry(last_modified=datetime(2026, 11, 2, 9, 30, 15, 999, tzinfo=UTC))], INFO
    )
    assert properties(ics, "DTSTAMP") == ["DTSTAMP:20261102T093015Z"]
    assert properties(ics, "LAST-MODIFIED") == ["LAST-MODIFIED:20261102T093015Z"]


def test_uid_is_the_entrys_stable_uid():
    ics = build_calendar([entry(7), entry(8)], INFO)
    assert properties(ics, "UID") == [f"UID:occurrence-7@{HOST}", f"UID:occurrence-8@{HOST}"]


def test_sequence_last_modified_and_created_come_from_the_entry():
    edited = entry(sequence=3, last_modified=datetime(2027, 2, 1, 12, 0, tzinfo=CPH))
    ics = build_calendar([edited], INFO)
    assert properties(ics, "SEQUENCE") == ["SEQUENCE:3"]
    assert properties(ics, "LAST-MODIFIED") == ["LAST-MODIFIED:20270201T110000Z"]
    assert properties(ics, "CREATED") == ["CREATED:20261001T080000Z"]


def test_cancelled_entry_has_status_cancelled_and_the_calendars_prefix():
    ics = build_calendar([entry(1, cancelled=True), entry(2)], INFO)
    first, second = component_blocks(ics, "VEVENT")
    assert "STATUS:CANCELLED" in first
    assert f"SUMMARY:{escaped('Скасовано: Кінопоказ 1: «Тіні забутих предків»')}" in first
    assert "STATUS:CONFIRMED" in second
    assert f"SUMMARY:{escaped('Кінопоказ 2: «Тіні забутих предків»')}" in second


# ---------------------------------------------------------------- time zones and dates


def test_copenhagen_vtimezone_is_in_rrule_form_with_one_standard_and_one_daylight():
    ics = build_calendar([entry()], INFO)
    (timezone,) = component_blocks(ics, "VTIMEZONE")
    assert "TZID:Europe/Copenhagen" in timezone
    daylight = component_blocks(ics, "DAYLIGHT")
    standard = component_blocks(ics, "STANDARD")
    assert len(daylight) == 1 and len(standard) == 1
    assert not properties(ics, "RDATE")
    (summer,), (winter,) = daylight, standard
    assert [line for line in summer if line.startswith("RRULE")] == [
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"
    ]
    assert [line for line in winter if line.startswith("RRULE")] == [
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"
    ]
    assert {"TZOFFSETFROM:+0100", "TZOFFSETTO:+0200"} <= set(summer)
    assert {"TZOFFSETFROM:+0200", "TZOFFSETTO:+0100"} <= set(winter)


def test_vtimezone_comes_before_the_events_that_use_it():
    ics = lines(build_calendar([entry()], INFO))
    assert ics.index("BEGIN:VTIMEZONE") < ics.index("BEGIN:VEVENT")


def test_timed_entries_carry_local_time_with_tzid():
    winter = entry(
        2,
        starts_at=datetime(2027, 1, 12, 18, 0, tzinfo=UTC),
        ends_at=datetime(2027, 1, 12, 20, 0, tzinfo=UTC),
    )
    first, second = component_blocks(build_calendar([entry(1), winter], INFO), "VEVENT")
    assert "DTSTART;TZID=Europe/Copenhagen:20270112T190000" in first
    assert "DTEND;TZID=Europe/Copenhagen:20270112T210000" in first
    assert "DTSTART;TZID=Europe/Copenhagen:20270705T190000" in second
    assert "DTEND;TZID=Europe/Copenhagen:20270705T210000" in second


def test_vtimezone_only_when_some_entry_is_timed():
    only_all_day = build_calendar([all_day_entry(1), all_day_entry(2)], INFO)
    assert b"VTIMEZONE" not in only_all_day
    assert b"TZID" not in only_all_day
    mixed = build_calendar([all_day_entry(1), entry(2)], INFO)
    assert len(component_blocks(mixed, "VTIMEZONE")) == 1
    empty = build_calendar([], INFO)
    assert b"VTIMEZONE" not in empty and b"BEGIN:VCALENDAR" in empty


def test_all_day_entry_is_value_date_with_exclusive_end_and_transparent():
    ics = build_calendar([all_day_entry()], INFO)
    (event,) = component_blocks(ics, "VEVENT")
    assert "DTSTART;VALUE=DATE:20271020" in event
    assert "DTEND;VALUE=DATE:20271106" in event  # the day after the last day, 5 November
    assert "TRANSP:TRANSPARENT" in event


def test_timed_entry_is_opaque():
    (event,) = component_blocks(build_calendar([entry()], INFO), "VEVENT")
    assert "TRANSP:OPAQUE" in event


# ---------------------------------------------------------------- text: escaping, folding, bytes


def test_text_escapes_commas_semicolons_backslashes_and_newlines():
    title = "Film, talk; Q&A \\ debate\nFilm, розмова; дискусія"
    description = "Line one, with comma;\nline two \\ backslash\n\nhttps://venskab.example/x"
    ics = build_calendar([entry(title=title, description=description)], INFO)
    assert properties(ics, "SUMMARY") == [f"SUMMARY:{escaped(title)}"]
    assert properties(ics, "DESCRIPTION")[-1] == f"DESCRIPTION:{escaped(description)}"
    assert properties(ics, "LOCATION") == [
        "LOCATION:Kulturhuset Islands Brygge\\, Islands Brygge 18\\, 2300 København S"
    ]
    (event,) = seen_by_both(ics).values()
    assert event["summary"] == title
    assert event["description"] == description


LONG_TITLES = [
    "x" * pad
    + "Кінопоказ просто неба: «Тіні забутих предків» Сергія Параджанова — "
    + "з данськими субтитрами, Ærø, Øresund og Åbenrå, æøå ÆØÅ, ще й ще українською мовою"
    for pad in range(4)
]
LONG_NAME = "Програма міст-побратимів Копенгаген–Київ: кінопокази та виставки — æøå ÆØÅ Ærø"


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    entries = [
        entry(n, title=title, description=title * 3, location=title[:150])
        for n, title in enumerate(LONG_TITLES)
    ]
    ics = build_calendar(entries, replace(INFO, name=LONG_NAME))
    physical = ics.split(b"\r\n")[:-1]
    assert any(line.startswith(b" ") for line in physical), "nothing was long enough to fold"
    for line in physical:
        assert len(line) <= 75, line
        line.decode("utf-8")  # each physical line is valid UTF-8 on its own
    assert properties(ics, "SUMMARY") == [f"SUMMARY:{escaped(title)}" for title in LONG_TITLES]
    assert f"X-WR-CALNAME:{LONG_NAME}" in lines(ics)
    assert parse_with_icaljs(ics)["calendar"]["calname"] == LONG_NAME
    events = seen_by_both(ics)
    for n, title in enumerate(LONG_TITLES):
        assert events[f"occurrence-{n}@{HOST}"]["summary"] == title
        assert events[f"occurrence-{n}@{HOST}"]["description"] == title * 3


def test_lines_end_with_crlf_only():
    ics = build_calendar([entry(description="one\ntwo\r\nthree"), all_day_entry(2)], INFO)
    assert ics.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in ics.replace(b"\r\n", b"")
    assert b"\r" not in ics.replace(b"\r\n", b"")


# ---------------------------------------------------------------- the calendar's header


def test_header_publishes_with_name_and_refresh_as_durations():
    ics = build_calendar([entry()], replace(INFO, refresh=timedelta(hours=6)))
    header = lines(ics)[: lines(ics).index("BEGIN:VTIMEZONE")]
    assert header[0] == "BEGIN:VCALENDAR"
    assert "VERSION:2.0" in header
    assert any(line.startswith("PRODID:") for line in header)
    assert "METHOD:PUBLISH" in header
    assert f"NAME:{INFO.name}" in header
    assert f"X-WR-CALNAME:{INFO.name}" in header
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H" in header
    assert "X-PUBLISHED-TTL:PT6H" in header
    assert vDuration.from_ical("PT6H") == timedelta(hours=6)
    calendar = parse_with_icaljs(ics)["calendar"]
    assert calendar == {
        "name": INFO.name,
        "calname": INFO.name,
        "method": "PUBLISH",
        "refreshInterval": "PT6H",
        "publishedTtl": "PT6H",
    }


def test_default_refresh_is_one_hour():
    header = lines(build_calendar([], INFO))
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in header
    assert "X-PUBLISHED-TTL:PT1H" in header


# ---------------------------------------------------------------- what clients see


def programme() -> list[CalendarEntry]:
    """The cases clients get wrong, in one calendar."""
    return [
        entry(1, title="Літній кінопоказ — Sommerbio på Amager Strand"),
        entry(
            2,
            title="Зимовий кінопоказ — Vinterbio i Kødbyen",
            starts_at=datetime(2027, 1, 12, 19, 0, tzinfo=CPH),
            ends_at=datetime(2027, 1, 12, 21, 30, tzinfo=CPH),
        ),
        all_day_entry(3),
        entry(
            4,
            title="Майстерня: вишивка — Broderi-værksted",
            starts_at=datetime(2027, 3, 6, 13, 0, tzinfo=CPH),
            ends_at=datetime(2027, 3, 6, 16, 0, tzinfo=CPH),
            categories=("workshop",),
        ),
        entry(
            5,
            title="Зустріч ветеранів — Veteranmøde",
            cancelled=True,
            starts_at=datetime(2027, 4, 20, 17, 0, tzinfo=CPH),
            ends_at=datetime(2027, 4, 20, 19, 0, tzinfo=CPH),
            sequence=1,
            categories=("veterans",),
        ),
    ]


def test_summer_evening_screening_is_17z_for_both_parsers():
    events = seen_by_both(build_calendar(programme(), INFO))
    summer = events[f"occurrence-1@{HOST}"]
    assert (summer["start"], summer["end"]) == (
        "2027-07-05T17:00:00.000Z",
        "2027-07-05T19:00:00.000Z",
    )
    assert summer["isAllDay"] is False


def test_winter_evening_screening_is_18z_for_both_parsers():
    events = seen_by_both(build_calendar(programme(), INFO))
    winter = events[f"occurrence-2@{HOST}"]
    assert (winter["start"], winter["end"]) == (
        "2027-01-12T18:00:00.000Z",
        "2027-01-12T20:30:00.000Z",
    )


def test_exhibition_across_the_october_clock_change_stays_on_its_dates_for_both_parsers():
    events = seen_by_both(build_calendar(programme(), INFO))
    exhibition = events[f"occurrence-3@{HOST}"]
    assert exhibition["isAllDay"] is True
    assert (exhibition["start"], exhibition["end"]) == ("2027-10-20", "2027-11-06")


def test_cancelled_entry_is_cancelled_for_both_parsers():
    events = seen_by_both(build_calendar(programme(), INFO))
    cancelled = events[f"occurrence-5@{HOST}"]
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["summary"] == "Скасовано: Зустріч ветеранів — Veteranmøde"
    assert {e["status"] for uid, e in events.items() if not uid.startswith("occurrence-5")} == {
        "CONFIRMED"
    }


def test_edited_entry_is_a_newer_version_of_the_same_event_for_both_parsers():
    before = seen_by_both(build_calendar(programme(), INFO))[f"occurrence-1@{HOST}"]
    edited = replace(
        programme()[0],
        starts_at=datetime(2027, 7, 5, 20, 0, tzinfo=CPH),
        ends_at=datetime(2027, 7, 5, 22, 0, tzinfo=CPH),
        sequence=1,
        last_modified=CHANGED + timedelta(days=3),
    )
    after = seen_by_both(build_calendar([edited, *programme()[1:]], INFO))[f"occurrence-1@{HOST}"]
    assert after["uid"] == before["uid"]
    assert after["sequence"] > before["sequence"]
    assert after["lastModified"] > before["lastModified"]
    assert after["start"] == "2027-07-05T18:00:00.000Z"


def test_cyrillic_and_danish_letters_reach_both_parsers_intact():
    events = seen_by_both(build_calendar(programme(), INFO))
    assert (
        events[f"occurrence-1@{HOST}"]["summary"] == "Літній кінопоказ — Sommerbio på Amager Strand"
    )
    assert events[f"occurrence-3@{HOST}"]["summary"] == (
        "Виставка 3: Київ у фотографіях — Ærø og Øresund"
    )
    assert events[f"occurrence-1@{HOST}"]["location"] == (
        "Kulturhuset Islands Brygge, Islands Brygge 18, 2300 København S"
    )
    assert parse_with_icaljs(build_calendar(programme(), INFO))["calendar"]["name"] == INFO.name


def test_our_vtimezone_agrees_with_zoneinfo_around_every_clock_change_for_icaljs():
    """Just before and after each change, and mid-month, 2026–2035: ical.js reading our
    VTIMEZONE must give the instant zoneinfo gives."""
    moments = []
    for year in range(2026, 2036):
        for month in range(1, 13):
            moments.append(datetime(year, month, 15, 19, 0, tzinfo=CPH))
        for month in (3, 10):
            last_sunday = max(
                date(year, month, day)
                for day in range(25, 32)
                if date(year, month, day).weekday() == 6
            )
            for hour in (1, 4):  # 02:00–03:00 is skipped in March and doubled in October
                moments.append(
                    datetime.combine(last_sunday, datetime.min.time(), CPH).replace(hour=hour)
                )
    entries = [
        entry(n, starts_at=moment, ends_at=moment + timedelta(minutes=30))
        for n, moment in enumerate(moments)
    ]
    events = seen_by_both(build_calendar(entries, INFO))
    for n, moment in enumerate(moments):
        assert events[f"occurrence-{n}@{HOST}"]["start"] == _moment(moment), moment


def test_icalendars_own_generated_vtimezone_puts_summer_events_an_hour_off_in_icaljs():
    """Why events/ical.py writes its own VTIMEZONE: the one icalendar generates lists the
    changes as one multi-valued RDATE, of which ical.js reads only the first."""
    calendar = Calendar.new(name="Regression")
    calendar.add_component(
        IcsEvent.new(
            uid=f"summer@{HOST}",
            summary="Sommerbio",
            start=datetime(2027, 7, 5, 19, 0, tzinfo=CPH),
            end=datetime(2027, 7, 5, 21, 0, tzinfo=CPH),
            stamp=CHANGED,
        )
    )
    calendar.add_missing_timezones(first_date=date(2024, 1, 1), last_date=date(2030, 1, 1))
    generated = calendar.to_ical()
    assert re.search(rb"RDATE:[0-9T]+,", generated), "the multi-valued RDATE form is gone"
    (python_event,) = parse_with_icalendar(generated)
    (js_event,) = parse_with_icaljs(generated)["events"]
    assert python_event["start"] == "2027-07-05T17:00:00.000Z"
    assert js_event["start"] == "2027-07-05T18:00:00.000Z"  # an hour off
    ours = seen_by_both(build_calendar([entry(uid=f"summer@{HOST}")], INFO))
    assert ours[f"summer@{HOST}"]["start"] == "2027-07-05T17:00:00.000Z"
