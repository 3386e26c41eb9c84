"""Links that put an occurrence or a feed into people's calendars. Pure URL building.

Google and Outlook have no published API for these links; the forms here are the ones their
own "add to calendar" buttons use, and they ignore parameters they do not know.
"""

from __future__ import annotations

from datetime import UTC
from urllib.parse import quote, urlencode

from events.ical import LOCAL, TZID, CalendarEntry

GOOGLE_RENDER = "https://calendar.google.com/calendar/render"
OUTLOOK_COMPOSE = "https://outlook.live.com/calendar/0/deeplink/compose"
OUTLOOK_ADD_FROM_WEB = "https://outlook.live.com/calendar/0/addfromweb"


def webcal_url(feed_url: str) -> str:
    """The same feed for calendar apps: webcal:// opens the subscribe dialogue."""
    return "webcal://" + feed_url.split("://", 1)[1]


def google_subscribe_url(feed_url: str) -> str:
    return f"{GOOGLE_RENDER}?cid={quote(webcal_url(feed_url), safe='')}"


def outlook_subscribe_url(feed_url: str, name: str) -> str:
    return f"{OUTLOOK_ADD_FROM_WEB}?{urlencode({'url': feed_url, 'name': name})}"


def google_event_url(entry: CalendarEntry) -> str:
    if entry.all_day:
        first = entry.starts_at.astimezone(LOCAL).date()
        after_last = entry.ends_at.astimezone(LOCAL).date()
        dates = f"{first:%Y%m%d}/{after_last:%Y%m%d}"
    else:
        start, end = entry.starts_at.astimezone(UTC), entry.ends_at.astimezone(UTC)
        dates = f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"
    query = {
        "action": "TEMPLATE",
        "text": entry.title,
        "dates": dates,
        "details": entry.description,
        "location": entry.location,
        "ctz": TZID,
    }
    return f"{GOOGLE_RENDER}?{urlencode(query)}"


def outlook_event_url(entry: CalendarEntry) -> str:
    if entry.all_day:
        start = entry.starts_at.astimezone(LOCAL).date().isoformat()
        end = entry.ends_at.astimezone(LOCAL).date().isoformat()
    else:
        start = entry.starts_at.astimezone(UTC).isoformat()
        end = entry.ends_at.astimezone(UTC).isoformat()
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": entry.title,
        "startdt": start,
        "enddt": end,
        "allday": "true" if entry.all_day else "false",
        "body": entry.description,
        "location": entry.location,
    }
    return f"{OUTLOOK_COMPOSE}?{urlencode(query)}"
