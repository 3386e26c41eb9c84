"""The camp's public forms: what a family submits → what booking/camp.py takes, and back.

Reading only: whether an application is acceptable is decided by camp.validate. Every value is
kept exactly as typed (`values`, keyed by field name), so a form that comes back with errors,
or with a child block added or removed, shows what the family wrote. What cannot even be read
(a choice that is not on the list) is reported here, per field, with the same keys as the
domain's errors ("child-2-swimming").

Field names: the contact fields by their ContactInput names; a child's as "child-N-field"
(N from 1); its preferences as "child-N-preference-R" (R = 1st, 2nd, 3rd choice), whose errors
are reported under "child-N-preferences".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from booking.camp import ApplicationInput, ChildInput, ContactInput, MedicalInput
from booking.models import LanguageLevel, Swimming
from venskab.i18n import N_
from venskab.settings import LANGUAGES

CHOICES = 3  # preferences asked per child: 1st, 2nd and 3rd choice
MOST_BLOCKS = 12  # a tampered count is read no further (the domain refuses more than six)
CONTACT_FIELDS = tuple(f.name for f in fields(ContactInput))
CHILD_TEXTS = ("name", "date_of_birth", "allergies_diet", "medical_notes", "medication")
MEDICAL_TEXTS = ("allergies_diet", "medical_notes", "medication")
CHILD_CHOICES: dict[str, type[Swimming] | type[LanguageLevel]] = {
    "swimming": Swimming,
    "danish_level": LanguageLevel,
    "english_level": LanguageLevel,
}
YES_NO = ("yes", "no")
ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
# Without a date picker (an old browser) people type the date as they write it: 30.06.2015.
DAY_FIRST = re.compile(r"^([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{4})$")
ID = re.compile(r"^[0-9]{1,9}$")
CHOOSE = N_("Choose one of the options.")
YES_OR_NO = N_("Please answer yes or no.")


def child_field(number: int, name: str) -> str:
    return f"child-{number}-{name}"


def preference_field(number: int, rank: int) -> str:
    return f"child-{number}-preference-{rank}"


def _text(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value.strip().replace("\r\n", "\n") if isinstance(value, str) else ""


def _name(form: Mapping[str, Any], name: str) -> str:
    """A person's name: pasted names carry odd white space."""
    return " ".join(_text(form, name).split())


def read_date(text: str, today: date) -> date | None:
    """A date of birth as typed (2015-06-30, or 30.06.2015 without a date picker); None when
    it is not a real date, or lies in the future."""
    iso, day_first = ISO_DATE.match(text), DAY_FIRST.match(text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif day_first:
        day, month, year = (int(part) for part in day_first.groups())
    else:
        return None
    try:
        born = date(year, month, day)
    except ValueError:
        return None  # 2019-02-30
    return born if born <= today else None


def child_count(text: str, most: int) -> int:
    """How many child blocks to show: a number from 1 to `most`, else 1."""
    return int(text) if ID.match(text) and 1 <= int(text) <= most else 1


# ---------------------------------------------------------------- the application


@dataclass(frozen=True)
class Submitted:
    application: ApplicationInput
    values: dict[str, str]  # as typed, for a re-render
    errors: dict[str, str]  # what could not be read; camp.validate adds the rest
    count: int  # child blocks sent (a tampered count is kept, so validation refuses it)


def initial_values(language: str) -> dict[str, str]:
    """A new form: messages in the page's language, siblings kept together."""
    return {"language": language, "keep_siblings_together": "on"}


def read_application(form: Mapping[str, Any], today: date) -> Submitted:
    """The application as the domain takes it, the values as typed, and reading errors."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name in CONTACT_FIELDS:
        values[name] = _name(form, name) if name.endswith("_name") else _text(form, name)
    values["language"] = _text(form, "language")
    if values["language"] not in LANGUAGES:
        errors["language"] = CHOOSE
    consents = {}
    for name in ("consent_photos", "consent_emergency_treatment"):
        values[name] = _text(form, name)
        if values[name] not in YES_NO:
            errors[name] = YES_OR_NO
        consents[name] = values[name] == "yes"
    for name in ("consent_data", "keep_siblings_together"):
        values[name] = "on" if form.get(name) else ""
    count_text = _text(form, "children")
    count = int(count_text) if ID.match(count_text) else 0
    values["children"] = str(count)
    children = []
    for number in range(1, min(count, MOST_BLOCKS) + 1):
        child, child_values, child_errors = _read_child(form, number, today)
        children.append(child)
        values |= child_values
        errors |= child_errors
    application = ApplicationInput(
        contact=ContactInput(**{name: values[name] for name in CONTACT_FIELDS}),
        children=tuple(children),
        language=values["language"] if values["language"] in LANGUAGES else LANGUAGES[0],
        idempotency_key=_text(form, "idempotency_key"),
        consent_data=bool(values["consent_data"]),
        keep_siblings_together=bool(values["keep_siblings_together"]),
        **consents,
    )
    return Submitted(application, values, errors, count)


def _read_child(
    form: Mapping[str, Any], number: int, today: date
) -> tuple[ChildInput, dict[str, str], dict[str, str]]:
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name in CHILD_TEXTS:
        key = child_field(number, name)
        values[key] = _name(form, key) if name == "name" else _text(form, key)
    preferences = []
    for rank in range(1, CHOICES + 1):
        key = preference_field(number, rank)
        values[key] = _text(form, key)
        if values[key]:
            # Not a session id at all: 0, which no session has (the domain says "choose from
            # the list").
            preferences.append(int(values[key]) if ID.match(values[key]) else 0)
    choices = {}
    for name, kind in CHILD_CHOICES.items():
        key = child_field(number, name)
        values[key] = _text(form, key)
        try:
            choices[name] = kind(values[key])
        except ValueError:
            errors[key] = CHOOSE
    child = ChildInput(
        name=values[child_field(number, "name")],
        date_of_birth=read_date(values[child_field(number, "date_of_birth")], today),
        preferences=tuple(preferences),
        allergies_diet=values[child_field(number, "allergies_diet")],
        medical_notes=values[child_field(number, "medical_notes")],
        medication=values[child_field(number, "medication")],
        **choices,  # type: ignore[arg-type]
    )
    return child, values, errors


def in_page_order(errors: Mapping[str, str], count: int) -> dict[str, str]:
    """The errors in the order of the form's fields, so the summary reads like the page."""
    child_fields = ("name", "date_of_birth", "preferences", *MEDICAL_TEXTS, *CHILD_CHOICES)
    order = [
        "",
        "children",
        *("guardian_name", "guardian_email", "guardian_phone", "guardian_address", "language"),
        *("second_guardian_name", "second_guardian_phone", "second_guardian_email"),
        *("emergency_name", "emergency_phone", "emergency_relation"),
        *(child_field(n, name) for n in range(1, count + 1) for name in child_fields),
        "keep_siblings_together",
        "consent_data",
        "consent_photos",
        "consent_emergency_treatment",
    ]
    rank = {name: place for place, name in enumerate(order)}
    return dict(sorted(errors.items(), key=lambda item: rank.get(item[0], len(order))))


def without_child(values: Mapping[str, str], number: int, count: int) -> dict[str, str]:
    """The values with child `number` taken out and the children after it moved up one."""
    kept = {key: value for key, value in values.items() if not key.startswith("child-")}
    for old in range(1, count + 1):
        if old == number:
            continue
        new = old if old < number else old - 1
        prefix, moved = f"child-{old}-", f"child-{new}-"
        kept |= {
            moved + key.removeprefix(prefix): value
            for key, value in values.items()
            if key.startswith(prefix)
        }
    return kept


# ---------------------------------------------------------------- changes after applying


def contact_values(source: Any) -> dict[str, str]:
    """The contact fields of an application (or anything with those attributes)."""
    return {name: getattr(source, name) for name in CONTACT_FIELDS}


def read_contact(form: Mapping[str, Any]) -> tuple[ContactInput, dict[str, str]]:
    values = {
        name: _name(form, name) if name.endswith("_name") else _text(form, name)
        for name in CONTACT_FIELDS
    }
    return ContactInput(**values), values


def medical_values(child: Any) -> dict[str, str]:
    values = {name: getattr(child, name) for name in MEDICAL_TEXTS}
    return values | {"swimming": str(child.swimming.value)}


def read_medical(
    form: Mapping[str, Any],
) -> tuple[MedicalInput | None, dict[str, str], dict[str, str]]:
    """A child's safety details; None with an error when the swimming choice is unreadable."""
    values = {name: _text(form, name) for name in (*MEDICAL_TEXTS, "swimming")}
    try:
        swimming = Swimming(values["swimming"])
    except ValueError:
        return None, values, {"swimming": CHOOSE}
    medical = MedicalInput(
        allergies_diet=values["allergies_diet"],
        medical_notes=values["medical_notes"],
        medication=values["medication"],
        swimming=swimming,
    )
    return medical, values, {}
