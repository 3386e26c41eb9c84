"""What a registrant carries: the check-in QR code and the .ics of their date. Pure."""

from __future__ import annotations

import functools
import io

import segno

from events.ical import CalendarEntry, CalendarInfo, build_calendar


def qr_png(url: str) -> bytes:
    """A QR code of the check-in URL, large enough to scan from a phone screen at the door:
    8 pixels per module, a quiet zone of 4 modules, black on white. Made by the worker when
    it sends the mail (booking/messages.py), outside any lock."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def qr_svg(url: str, title: str) -> str:
    """The same code as inline SVG for the confirmation page (no extra request)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=6, border=4, xmldecl=False, svgns=True, title=title
    )
    return buffer.getvalue().decode()


@functools.lru_cache(maxsize=256)
def registration_ics(entry: CalendarEntry, info: CalendarInfo) -> bytes:
    """The registrant's date, with the same UID as the public feeds.

    Remembered: the file is a pure function of the entry and the header (both frozen, so the
    key is every value in it), and everyone confirmed for a date in a language gets the same
    one."""
    return build_calendar([entry], info)
