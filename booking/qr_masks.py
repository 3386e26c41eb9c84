"""segno's choice of QR mask pattern, computed faster: the same masks, the same scores.

segno evaluates all eight mask patterns of ISO/IEC 18004 (7.8.3) one module at a time in
Python: ~6 ms of the ~7 ms a check-in QR code costs, and the confirmation mail that carries it
is written while the occurrence is locked (booking/registrations.py). These replacements work
on whole rows (bytes and integers) and give exactly segno's results (pinned by
tests/booking/test_qr_masks.py against segno's own functions); `install()` puts them in place
of segno.encoder's apply_mask and evaluate_mask, which its mask search calls.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence

import segno.encoder

_RUN = re.compile(rb"\x00{5,}|\x01{5,}")  # N1: five or more modules of one colour in a line
_FINDER_LIKE = bytes((1, 0, 1, 1, 1, 0, 1))  # N3: 1:1:3:1:1
_AS_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
_XOR_ROWS: dict[tuple[int, int, str], list[int]] = {}
# segno's own, kept for the tests that compare.
SEGNO_APPLY_MASK = segno.encoder.apply_mask
SEGNO_EVALUATE_MASK = segno.encoder.evaluate_mask


def apply_mask(
    matrix: Sequence[bytearray],
    mask_pattern: Callable[[int, int], bool],
    width: int,
    height: int,
    is_encoding_region: Callable[[int, int], bool],
) -> None:
    """segno.encoder.apply_mask, a row at a time: the modules a mask flips depend only on the
    symbol's size and the pattern, so they are worked out once per size and pattern."""
    key = (width, height, mask_pattern.__name__)
    rows = _XOR_ROWS.get(key)
    if rows is None:
        rows = _XOR_ROWS[key] = [
            int.from_bytes(
                bytes(
                    1 if is_encoding_region(i, j) and mask_pattern(i, j) else 0
                    for j in range(width)
                ),
                "big",
            )
            for i in range(height)
        ]
    for row, flips in zip(matrix, rows, strict=True):
        if flips:
            row[:] = (int.from_bytes(row, "big") ^ flips).to_bytes(width, "big")


def evaluate_mask(matrix: Sequence[bytearray], width: int, height: int) -> int:
    """segno.encoder.evaluate_mask: the sum of mask_scores."""
    return sum(mask_scores(matrix, width, height))


def mask_scores(matrix: Sequence[bytearray], width: int, height: int) -> tuple[int, ...]:
    """segno.encoder.mask_scores (N1, N2, N3, N4) for a square matrix of 0/1 modules."""
    size = width
    rows = [bytes(row) for row in matrix]
    columns = [bytes(column) for column in zip(*rows, strict=True)]
    lines = rows + columns
    n1 = sum(len(run) - 2 for line in lines for run in _RUN.findall(line))
    bits = [int(row.translate(_AS_DIGITS), 2) for row in rows]
    pairs = (1 << (size - 1)) - 1  # a 2×2 block starts at each of the first size-1 columns
    n2 = 0
    for above, below in itertools.pairwise(bits):
        same = ~(above ^ below) & ~(above ^ (above >> 1)) & ~(below ^ (below >> 1)) & pairs
        n2 += 3 * same.bit_count()
    n3 = sum(_finder_like(line, size) for line in lines)
    dark = sum(row.count(1) for row in rows)
    percent = float(dark) / (size**2)
    n4 = 10 * int(abs(percent * 100 - 50) / 5)
    return n1, n2, n3, n4


def _finder_like(line: bytes, size: int) -> int:
    """N3 as segno counts it: 40 per 1:1:3:1:1 pattern with four light modules (or the
    symbol's edge) on one side."""
    count = 0
    index = line.find(_FINDER_LIKE)
    while index != -1:
        offset = index + 7
        if (
            index in (0, size - 7)
            or not any(line[max(index - 4, 0) : min(index, size)])
            or not any(line[max(offset, 0) : min(offset + 4, size)])
        ):
            count += 40
        else:
            offset = index + 4
        index = line.find(_FINDER_LIKE, offset)
    return count


def install() -> None:
    """Use these in segno's mask search (segno.encoder.find_and_apply_best_mask)."""
    segno.encoder.apply_mask = apply_mask
    segno.encoder.evaluate_mask = evaluate_mask
