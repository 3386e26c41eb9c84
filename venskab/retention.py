"""`venskab purge`, also the worker's daily `purge` job: every retention step in one place.

Steps, in order (docs/privacy.md):
1. camp applications: children's medical fields CAMP_MEDICAL_RETENTION_DAYS after the
   application's last session ends, everything personal PERSONAL_RETENTION_DAYS after
   (booking/retention.py has the rules);
2. registrations of dates that ended PERSONAL_RETENTION_DAYS ago: name, email, phone and
   accessibility needs;
3. outbox messages sent or given up PERSONAL_RETENTION_DAYS ago (messages still waiting stay);
4. rate-limit hits older than RATE_LIMIT_KEEP, and organiser sessions that have expired.

Every step is idempotent and safe beside a twin run in another worker (conditional updates,
deletes by condition), so the worker needs no "who runs it today" lock: each worker runs it at
start and once a day, and the second run in a day finds nothing to do.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from booking import audit
from booking.retention import erase_camp_data, erase_registrations
from venskab import mail, settings
from venskab.models import OrganiserSession, RateLimitHit

# Longer than any window a rate limit counts hits in (the longest is an hour: "resend my
# links"; sign-in counts LOGIN_WINDOW_SECONDS), so deleting older hits never lifts a limit.
RATE_LIMIT_KEEP = timedelta(days=1)
DELETE_BATCH = 5000

# The steps, as `venskab purge` prints them.
STEPS = {
    "camp_medical": "camp applications: medical data erased",
    "camp_personal": "camp applications: personal data erased",
    "registrations": "registrations: personal data erased",
    "outbox": "outbox messages deleted",
    "rate_limit_hits": "rate-limit hits deleted",
    "organiser_sessions": "expired organiser sessions deleted",
}


def rate_limit_keep() -> timedelta:
    return max(RATE_LIMIT_KEEP, timedelta(seconds=settings.LOGIN_WINDOW_SECONDS))


async def purge(now: datetime) -> dict[str, int]:
    """Run every retention step as of `now`; how many rows each step erased or deleted."""
    medical_after = timedelta(days=settings.CAMP_MEDICAL_RETENTION_DAYS)
    personal_after = timedelta(days=settings.PERSONAL_RETENTION_DAYS)
    camp = await erase_camp_data(now, medical_after=medical_after, personal_after=personal_after)
    counts = {
        "camp_medical": camp.medical,
        "camp_personal": camp.personal,
        "registrations": await erase_registrations(now, after=personal_after),
        "outbox": await mail.delete_sent_before(now - personal_after),
        "rate_limit_hits": await _delete_rate_limit_hits(now - rate_limit_keep()),
        "organiser_sessions": await OrganiserSession.filter(expires_at__lte=now).delete(),
    }
    erased = {step: counts[step] for step in ("camp_medical", "camp_personal", "registrations")}
    if any(erased.values()):
        # Ids and figures only: the record that retention ran outlives what it erased.
        await audit.record(None, audit.DATA_ERASED, "retention", erased, now)
    return counts


async def _delete_rate_limit_hits(cutoff: datetime) -> int:
    """In batches: a flood of attempts must not become one long delete."""
    deleted = 0
    while True:
        ids = (
            await RateLimitHit.filter(at__lt=cutoff)
            .order_by("id")
            .limit(DELETE_BATCH)
            .values_list("id", flat=True)
        )
        if not ids:
            return deleted
        deleted += await RateLimitHit.filter(id__in=list(ids)).delete()
