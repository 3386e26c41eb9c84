"""The platform's exception hierarchy.

Domain code raises these with the sentence the reader will see (an English msgid that the web
layer translates into the request's language); the web layer only maps each kind to a status.

    DomainError
    ├── NotFound        the thing asked for does not exist (or is not public)   → 404
    ├── Invalid         input that cannot be accepted, per field                → 400
    ├── Conflict        valid input that the current state refuses              → 409
    ├── Forbidden       the signed-in person may not do this                    → 403
    ├── TooManyRequests a rate limit was reached                                → 429
    └── Busy            the database could not take the lock in time            → 503
"""

from __future__ import annotations

from venskab.i18n import N_


class DomainError(Exception):
    """Base class. `message` is an English msgid, translated when shown."""

    message = N_("Something went wrong.")

    def __init__(self, message: str | None = None, **params: object) -> None:
        if message is not None:
            self.message = message
        self.params = params
        super().__init__(self.message)


class NotFound(DomainError):
    message = N_("We could not find that page.")


class Invalid(DomainError):
    """Input errors per field: {"field name": "English msgid"}; "" is the form as a whole."""

    message = N_("Please correct the marked fields.")

    def __init__(self, errors: dict[str, str], message: str | None = None) -> None:
        super().__init__(message)
        self.errors = errors


class Conflict(DomainError):
    message = N_("That cannot be done right now.")


class Forbidden(DomainError):
    message = N_("You do not have access to this page.")


class TooManyRequests(DomainError):
    message = N_("Too many attempts. Please wait a few minutes and try again.")

    def __init__(self, message: str | None = None, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Busy(DomainError):
    message = N_("Busy, please try again.")
