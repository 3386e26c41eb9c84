"""Organiser pages for events, their texts, occurrences and venues."""

from __future__ import annotations

from starlette.routing import Route

routes: list[Route] = []
