"""Organiser accounts: create, change, deactivate. No HTTP here."""

from __future__ import annotations

import re

from venskab.errors import Invalid
from venskab.models import Organiser, OrganiserSession, Role
from venskab.security import hash_password

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 10


def validate_account(email: str, password: str | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        errors["email"] = "Enter an email address like name@example.com."
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = "Use a password of at least 10 characters."
    return errors


async def save_organiser(
    *, email: str, role: Role, password: str | None, name: str = "", is_active: bool = True
) -> Organiser:
    """Create the account for `email`, or update it. A password of None keeps the old one.

    Changing the password or deactivating ends every session of that account.
    """
    email = email.strip().lower()
    errors = validate_account(email, password)
    if errors:
        raise Invalid(errors)
    organiser = await Organiser.get_or_none(email=email)
    if organiser is None:
        if password is None:
            raise Invalid({"password": "Use a password of at least 10 characters."})
        return await Organiser.create(
            email=email, role=role, name=name.strip(), password_hash=hash_password(password)
        )
    organiser.role = role
    organiser.name = name.strip() or organiser.name
    organiser.is_active = is_active
    if password is not None:
        organiser.password_hash = hash_password(password)
    await organiser.save()
    if password is not None or not is_active:
        await OrganiserSession.filter(organiser=organiser).delete()
    return organiser
