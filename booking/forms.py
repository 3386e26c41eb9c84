"""The public forms (register, resend my links): submitted values → what the domain takes.

Reading only: whether a value is allowed is decided in booking/registrations.py. Every value is
kept as typed, so a form with errors comes back exactly as it was sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from booking.registrations import EMAIL_PATTERN, RegistrationForm
from venskab.i18n import N_

TEXT_FIELDS = ("name", "email", "phone", "accessibility_needs")
SEATS = re.compile(r"^[0-9]{1,3}$")


def _text(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def read_registration(
    form: Mapping[str, Any], language: str
) -> tuple[RegistrationForm, dict[str, str]]:
    """The registration as the domain takes it, and the values as typed (for a re-render)."""
    values = {name: _text(form, name) for name in TEXT_FIELDS}
    values["name"] = " ".join(values["name"].split())  # pasted names carry odd white space
    values["accessibility_needs"] = values["accessibility_needs"].replace("\r\n", "\n")
    values["seats"] = _text(form, "seats")
    values["consent"] = "on" if form.get("consent") else ""
    # Not a number: 0, which the domain refuses with its own sentence ("choose from the list").
    seats = int(values["seats"]) if SEATS.match(values["seats"]) else 0
    registration = RegistrationForm(
        name=values["name"],
        email=values["email"],
        seats=seats,
        consent=bool(values["consent"]),
        language=language,
        idempotency_key=_text(form, "idempotency_key"),
        phone=values["phone"],
        accessibility_needs=values["accessibility_needs"],
    )
    return registration, values


def read_email(form: Mapping[str, Any]) -> tuple[str, dict[str, str]]:
    """The address of "resend my links", lower-case as registrations store it, and its error."""
    email = _text(form, "email")
    if len(email) > 254 or not EMAIL_PATTERN.match(email):
        return email, {"email": N_("Enter an email address like name@example.com.")}
    return email.lower(), {}
