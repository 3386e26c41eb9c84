"""booking/qr_masks.py gives exactly segno's QR codes, only faster: the same penalty scores
for every masked matrix segno evaluates, and the same final symbols."""

from __future__ import annotations

import random
import string

import segno
import segno.encoder

from booking import qr_masks, tickets

rng = random.Random(2027)
URLS = [
    f"https://venskab.example/{lang}/organiser/check-in/{rng.randint(1, 10**9)}-"
    + "".join(rng.choice(string.ascii_letters + string.digits + "-_") for _ in range(32))
    for lang in ("uk", "da", "en")
    for _ in range(8)
] + ["".join(rng.choice(string.printable) for _ in range(rng.randint(1, 150))) for _ in range(16)]


def test_every_mask_scores_as_segno_scores_it(monkeypatch):
    matrices = []

    def record(matrix, width, height):
        matrices.append(([bytearray(row) for row in matrix], width, height))
        return qr_masks.SEGNO_EVALUATE_MASK(matrix, width, height)

    monkeypatch.setattr(segno.encoder, "evaluate_mask", record)
    monkeypatch.setattr(segno.encoder, "apply_mask", qr_masks.SEGNO_APPLY_MASK)
    for url in URLS:
        segno.make(url, error="m")
    assert len(matrices) >= 8 * 24
    for matrix, width, height in matrices:
        assert qr_masks.mask_scores(matrix, width, height) == segno.encoder.mask_scores(
            matrix, width, height
        )


def test_the_symbols_are_segnos(monkeypatch):
    assert segno.encoder.evaluate_mask is qr_masks.evaluate_mask  # installed by booking.tickets
    fast = [segno.make(url, error="m") for url in URLS]
    monkeypatch.setattr(segno.encoder, "evaluate_mask", qr_masks.SEGNO_EVALUATE_MASK)
    monkeypatch.setattr(segno.encoder, "apply_mask", qr_masks.SEGNO_APPLY_MASK)
    for url, code in zip(URLS, fast, strict=True):
        reference = segno.make(url, error="m")
        assert (code.matrix, code.mask, code.version) == (
            reference.matrix,
            reference.mask,
            reference.version,
        )
    assert tickets.qr_png(URLS[0]).startswith(b"\x89PNG\r\n\x1a\n")
