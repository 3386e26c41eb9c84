"""Links into a registration: manage (the registrant) and check-in (the door), and into a
camp application (the family's manage link).

A token is the registration id and an HMAC-SHA256 of a random stored nonce under SECRET_KEY:
a copy of the database alone opens no registration, and "resend my links" can send the same
links again. 192 bits of the MAC are kept.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from booking.models import CampApplication, Registration
from venskab import settings
from venskab.errors import NotFound
from venskab.i18n import N_


def _mac(purpose: str, row: Registration | CampApplication) -> str:
    message = f"{purpose}:{row.id}:{row.token_nonce}".encode()
    digest = hmac.new(str(settings.SECRET_KEY).encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:32]  # 192 bits


def manage_token(registration: Registration) -> str:
    return f"{registration.id}-{_mac('manage', registration)}"


def checkin_token(registration: Registration) -> str:
    return f"{registration.id}-{_mac('checkin', registration)}"


def application_token(application: CampApplication) -> str:
    return f"{application.id}-{_mac('camp', application)}"


def _parse(token: str) -> tuple[int, str]:
    row_id, _, mac = token.partition("-")
    if not row_id.isdigit() or len(row_id) > 9 or len(mac) != 32:
        raise NotFound(N_("This link is not valid. Ask for your links again by email."))
    return int(row_id), mac


async def by_application_token(token: str) -> CampApplication:
    application_id, mac = _parse(token)
    application = await CampApplication.get_or_none(id=application_id)
    if application is None or not hmac.compare_digest(mac, _mac("camp", application)):
        raise NotFound(N_("This link is not valid. Ask for your links again by email."))
    return application


async def _by_token(token: str, purpose: str) -> Registration:
    registration_id, mac = _parse(token)
    registration = await Registration.get_or_none(id=registration_id)
    if registration is None or not hmac.compare_digest(mac, _mac(purpose, registration)):
        raise NotFound(N_("This link is not valid. Ask for your links again by email."))
    return registration


async def by_manage_token(token: str) -> Registration:
    return await _by_token(token, "manage")


async def by_checkin_token(token: str) -> Registration:
    return await _by_token(token, "checkin")
