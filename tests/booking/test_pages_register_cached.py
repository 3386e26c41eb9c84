"""The empty registration form comes from the page cache in a rush, yet each reader gets their
own CSRF token and a new idempotency key (booking/views.py _blank_form)."""

from __future__ import annotations

import re

import httpx

from booking.views import _CSRF_MARK, _KEY_MARK
from tests.booking.test_pages_support import KEY
from tests.factories import make_occurrence
from venskab import web
from venskab.security import CSRF_COOKIE

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


async def test_a_cached_form_carries_each_browsers_own_token_and_a_new_key(app, monkeypatch):
    monkeypatch.setattr(web.page_cache, "ttl", 60)
    web.page_cache.clear()
    occurrence = await make_occurrence(capacity=10)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    pages, tokens = [], []
    try:
        for _ in range(2):  # two browsers, each with its own cookie jar
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as b:
                page = await b.get(f"/en/register/{occurrence.id}")
                assert page.status_code == 200
                pages.append(page.text)
                tokens.append(b.cookies[CSRF_COOKIE])
    finally:
        web.page_cache.clear()
    keys = [KEY.search(text).group(1) for text in pages]
    assert keys[0] != keys[1]
    assert [CSRF.search(text).group(1) for text in pages] == tokens
    assert tokens[0] != tokens[1]
    assert not any(mark in text for mark in (_CSRF_MARK, _KEY_MARK) for text in pages)
