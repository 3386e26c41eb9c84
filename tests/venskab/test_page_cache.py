"""The per-process page cache: bounded staleness, and one build per page at a time."""

from __future__ import annotations

import asyncio

import pytest
from starlette.responses import HTMLResponse, Response

from venskab.web import PageCache


def _builder(counter: list[int], status: int = 200, delay: float = 0.01):
    async def build() -> Response:
        counter.append(1)
        await asyncio.sleep(delay)
        return HTMLResponse(f"page {len(counter)}", status_code=status)

    return build


async def test_concurrent_misses_build_the_page_once():
    cache, builds = PageCache(ttl=60), []
    responses = await asyncio.gather(
        *(cache.get_or_render("/en/programme?", _builder(builds)) for _ in range(20))
    )
    assert len(builds) == 1
    assert {r.body for r in responses} == {b"page 1"}


async def test_expired_page_is_rebuilt_after_the_ttl():
    cache, builds = PageCache(ttl=0.05), []
    await cache.get_or_render("k", _builder(builds))
    await cache.get_or_render("k", _builder(builds))
    assert len(builds) == 1
    await asyncio.sleep(0.06)
    fresh = await cache.get_or_render("k", _builder(builds))
    assert fresh.body == b"page 2"


async def test_while_one_request_rebuilds_others_get_the_previous_page():
    cache, builds = PageCache(ttl=0.01), []
    await cache.get_or_render("k", _builder(builds))
    await asyncio.sleep(0.02)
    slow = asyncio.create_task(cache.get_or_render("k", _builder(builds, delay=0.1)))
    await asyncio.sleep(0.01)
    meanwhile = await cache.get_or_render("k", _builder(builds))
    assert meanwhile.body == b"page 1"
    assert (await slow).body == b"page 2"
    assert len(builds) == 2


async def test_error_pages_are_not_cached():
    cache, builds = PageCache(ttl=60), []
    await cache.get_or_render("k", _builder(builds, status=404))
    await cache.get_or_render("k", _builder(builds, status=404))
    assert len(builds) == 2


async def test_a_failed_build_does_not_block_the_next_request():
    cache = PageCache(ttl=60)

    async def failing() -> Response:
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        await cache.get_or_render("k", failing)
    builds: list[int] = []
    assert (await cache.get_or_render("k", _builder(builds))).body == b"page 1"


async def test_an_expired_page_whose_version_did_not_move_is_kept_without_building():
    cache, builds, version = PageCache(ttl=0.01), [], {"value": 1}

    async def current_version():
        return version["value"]

    await cache.get_or_render("feed", _builder(builds), current_version)
    await asyncio.sleep(0.02)
    kept = await cache.get_or_render("feed", _builder(builds), current_version)
    assert kept.body == b"page 1" and len(builds) == 1
    version["value"] = 2
    await asyncio.sleep(0.02)
    rebuilt = await cache.get_or_render("feed", _builder(builds), current_version)
    assert rebuilt.body == b"page 2" and len(builds) == 2
