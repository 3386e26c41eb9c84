"""The public privacy notice (templates/booking/privacy.html): registrations, and the summer
camp at the stable anchor #camp that the camp application's consent links to."""

from __future__ import annotations

import re

from venskab import settings


async def test_the_camp_section_has_a_stable_anchor_in_every_language(client):
    for lang in ("uk", "da", "en"):
        page = await client.get(f"/{lang}/privacy")
        assert page.status_code == 200
        assert '<h2 id="camp">' in page.text
        assert 'href="#camp"' in page.text


async def test_the_camp_section_says_what_is_stored_why_who_sees_it_and_for_how_long(client):
    page = (await client.get("/en/privacy")).text
    camp = page[page.index('id="camp"') :]
    for heading in (
        "What we store about your family",
        "Why we ask",
        "Who sees your children's details",
        "How long we keep them",
        "Your choices",
    ):
        assert f"<h3>{heading}</h3>" in camp
    for field in ("allergies and diet", "medical notes", "medication", "date of birth"):
        assert field in camp
    assert "Other organisers see only which week" in camp


async def test_the_notice_gives_the_periods_purge_applies(client, monkeypatch):
    monkeypatch.setattr(settings, "CAMP_MEDICAL_RETENTION_DAYS", 21)
    monkeypatch.setattr(settings, "PERSONAL_RETENTION_DAYS", 60)
    page = (await client.get("/en/privacy")).text
    text = re.sub(r"\s+", " ", page)
    assert "medication) are erased 21 days after your children" in text
    assert "is erased 60 days after that week ends" in text
    assert "accessibility needs are erased 60 days after the event" in text
    assert "deleted 60 days after they were sent" in text
