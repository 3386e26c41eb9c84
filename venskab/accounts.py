"""Organiser accounts: create, change, deactivate. No HTTP here."""

from __future__ import annotations

import re

from tortoise.exceptions import IntegrityError

from venskab.errors import Invalid, NotFound
from venskab.i18n import N_
from venskab.models import Organiser, OrganiserSession, Role
from venskab.security import hash_password

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 10


def validate_account(email: str, password: str | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        errors["email"] = N_("Enter an email address like name@example.com.")
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = N_("Use a password of at least 10 characters.")
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
            raise Invalid({"password": N_("Use a password of at least 10 characters.")})
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


# ---------------------------------------------------------------- the accounts pages' rules


async def list_organisers() -> list[Organiser]:
    """Every account, active ones first, by email."""
    return await Organiser.all().order_by("-is_active", "email")


async def event_owners() -> list[Organiser]:
    """Accounts that can own events: active organisers and admins."""
    return await Organiser.filter(is_active=True, role__in=[Role.ADMIN, Role.ORGANISER]).order_by(
        "name", "email"
    )


async def organiser_by_id(organiser_id: int) -> Organiser:
    organiser = await Organiser.get_or_none(id=organiser_id)
    if organiser is None:
        raise NotFound(N_("We could not find that account."))
    return organiser


async def create_organiser(*, email: str, name: str, role: Role, password: str) -> Organiser:
    """A new account. Unlike save_organiser, never takes over an existing one."""
    errors = validate_account(email.strip().lower(), password)
    if "email" not in errors and await Organiser.exists(email=email.strip().lower()):
        errors["email"] = N_("There is already an account with this email.")
    if len(name) > 200:
        errors["name"] = N_("This is too long. Please shorten it.")
    if errors:
        raise Invalid(errors)
    try:
        return await save_organiser(email=email, role=role, password=password, name=name)
    except IntegrityError as error:  # the same email created at the same moment
        raise Invalid({"email": N_("There is already an account with this email.")}) from error


async def change_access(
    organiser: Organiser, *, actor: Organiser, role: Role, is_active: bool, name: str
) -> Organiser:
    """Change an account's role and whether it can sign in.

    Admins cannot demote or deactivate themselves: that way there is always an active admin
    (the one making the change) and nobody locks the platform's accounts away by accident.
    """
    errors: dict[str, str] = {}
    if organiser.id == actor.id and role != Role.ADMIN:
        errors["role"] = N_("You cannot remove your own admin role.")
    if organiser.id == actor.id and not is_active:
        errors["is_active"] = N_("You cannot deactivate your own account.")
    if len(name) > 200:
        errors["name"] = N_("This is too long. Please shorten it.")
    if errors:
        raise Invalid(errors)
    return await save_organiser(
        email=organiser.email, role=role, password=None, name=name, is_active=is_active
    )


async def reset_password(organiser: Organiser, password: str) -> Organiser:
    """Set a new password; every session of the account ends (save_organiser does that)."""
    if len(password) > 1000:
        raise Invalid({"password": N_("This is too long. Please shorten it.")})
    return await save_organiser(
        email=organiser.email,
        role=organiser.role,
        password=password,
        name=organiser.name,
        is_active=organiser.is_active,
    )
