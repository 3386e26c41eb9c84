"""What a registrant carries: the check-in QR code and the .ics of their date. Pure."""

from __future__ import annotations

import functools
import io
import struct
import zlib

import segno

from booking import qr_masks
from events.ical import CalendarEntry, CalendarInfo, build_calendar

qr_masks.install()  # the same codes, the mask chosen in a fraction of the time


def qr_png(url: str) -> bytes:
    """A QR code of the check-in URL, large enough to scan from a phone screen at the door:
    8 pixels per module, a quiet zone of 4 modules, black on white."""
    return _png_8x(segno.make(url, error="m").matrix, border=4)


def _png_8x(matrix: tuple[bytearray, ...], border: int) -> bytes:
    """A 1-bit greyscale PNG of a QR matrix at 8 pixels per module.

    At that scale one module is exactly one byte of a scanline (0x00 black, 0xFF white), so
    the image is a few byte joins: segno's generic writer packs every pixel in Python, which
    took most of a registration's time under the lock. The confirmation mail is written while
    the occurrence is locked (booking/registrations.py).
    """
    size = len(matrix) + 2 * border
    quiet = b"\xff" * border
    same = b"\x02" + bytes(size)  # filter "up": the same pixels as the line above
    blank = b"\x00" + b"\xff" * size + same * (8 * border - 1)
    rows = [
        b"\x00"
        + quiet
        + bytes(row).replace(b"\x00", b"\xff").replace(b"\x01", b"\x00")
        + quiet
        + same * 7
        for row in matrix
    ]
    pixels = 8 * size
    header = struct.pack(">IIBBBBB", pixels, pixels, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    image = zlib.compress(blank + b"".join(rows) + blank)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", image)
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


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
    one; it is built while the date's lock is held."""
    return build_calendar([entry], info)
