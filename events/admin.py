"""Organiser pages for events, their texts, occurrences and venues.

Thin: read the form (events/forms.py), call a service, then redirect (POST → 303 → GET) or show
the form again with 400. Who may do what: admins everything, organisers the events they own
(security.can_edit_event) and the shared venues, camp staff none of it (403). Anonymous
visitors never get here: venskab.admin.OrganiserRequired guards the whole mount.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise import timezone
from tortoise.exceptions import IntegrityError

from booking import organiser_actions, registrations
from events import forms, services
from events.models import (
    Audience,
    Category,
    Event,
    EventStatus,
    EventText,
    Occurrence,
    OccurrenceStatus,
    Venue,
)
from venskab import accounts, security, web
from venskab.errors import Forbidden, Invalid
from venskab.i18n import N_, current_language
from venskab.models import Organiser, Role
from venskab.settings import LANGUAGES

# Shown after a redirect, chosen by the `done` query parameter (unknown keys show nothing).
NOTICES = {
    "created": N_("The event was created. It stays a draft until you publish it."),
    "saved": N_("Your changes were saved."),
    "published": N_("The event is published: it is in the programme now."),
    "draft": N_("The event is a draft again: it is no longer in the programme."),
    "cancelled": N_("The event is cancelled. It stays in the programme, marked cancelled."),
    "date-added": N_("The date was added."),
    "date-saved": N_("The date was saved."),
    "date-cancelled": N_("The date was cancelled."),
    "venue-saved": N_("The venue was saved."),
}
# Status changes an organiser makes with one button; cancelling has its own confirmation page.
STATUS_ACTIONS = {"published": EventStatus.PUBLISHED, "draft": EventStatus.DRAFT}


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    return web.organiser_page(request, template, NOTICES, status_code, **context)


def editor(request: Request) -> Organiser:
    """Admins and organisers; camp staff get 403."""
    return security.require_role(request, Role.ORGANISER)


async def editable_event(
    request: Request, organiser: Organiser
) -> tuple[Event, dict[str, EventText]]:
    """The event in the path with its texts, if this organiser may change it (else 403)."""
    event, texts = await services.event_with_texts(request.path_params["event_id"])
    if not security.can_edit_event(organiser, event.owner_id):  # type: ignore[attr-defined]
        raise Forbidden(N_("You can only change events you organise."))
    return event, texts


def title_of(texts: dict[str, EventText]) -> EventText | None:
    return services.pick_text(texts.values(), current_language.get())


async def editable_occurrence(request: Request, organiser: Organiser) -> Occurrence:
    occurrence = await services.occurrence_by_id(request.path_params["occurrence_id"])
    if not security.can_edit_event(organiser, occurrence.event.owner_id):  # type: ignore[attr-defined]
        raise Forbidden(N_("You can only change events you organise."))
    return occurrence


# ---------------------------------------------------------------- events


async def event_list(request: Request) -> Response:
    organiser = editor(request)
    owner_id = None if organiser.role == Role.ADMIN else organiser.id
    rows = await services.events_for_owner(owner_id, current_language.get(), timezone.now())
    return page(request, "admin/events.html", rows=rows, section="events")


async def event_detail(request: Request) -> Response:
    organiser = editor(request)
    event, texts = await editable_event(request, organiser)
    occurrences = await services.occurrences_of(event)
    return page(
        request,
        "admin/event.html",
        event=event,
        text=title_of(texts),
        texts=texts,
        occurrences=occurrences,
        fills=await organiser_actions.fills(occurrences, timezone.now()),
        section="events",
    )


async def _event_form(
    request: Request,
    organiser: Organiser,
    event: Event | None,
    values: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    is_admin = organiser.role == Role.ADMIN
    return page(
        request,
        "admin/event_form.html",
        status_code=status_code,
        event=event,
        values=values,
        errors=errors,
        owners=[
            (str(o.id), f"{o.name} <{o.email}>" if o.name else o.email)
            for o in await accounts.event_owners()
        ]
        if is_admin
        else [],
        categories=list(Category),
        audiences=list(Audience),
        spoken_languages=services.SPOKEN_LANGUAGES,
        languages=LANGUAGES,
        section="events",
    )


async def _save_event_form(
    request: Request, organiser: Organiser, event: Event | None
) -> Event | Response:
    """Save the submitted event form: the saved event, or the form again with errors."""
    form = await security.read_form(request)
    data, reader = forms.read_event(form, creating=event is None)
    is_admin = organiser.role == Role.ADMIN
    owner_id = reader.whole_number("owner") if is_admin else organiser.id
    # Show every problem at once: what could not be read, and what the rules refuse.
    errors = {**services.validate_event(data), **reader.errors}
    if is_admin:
        errors.update(await services.owner_errors(owner_id))
    try:
        if errors:
            raise Invalid(errors)
        if event is None:
            return await services.save_event(data, owner_id=owner_id)
        saved = await services.save_event(data, owner_id=event.owner_id, event=event)  # type: ignore[attr-defined]
        if is_admin:
            await services.assign_event_owner(saved, owner_id)
        return saved
    except IntegrityError:  # another event took the address at the same moment
        errors = {"slug": N_("Another event already uses this address.")}
    except Invalid as error:
        errors = error.errors
    return await _event_form(request, organiser, event, reader.values, errors, 400)


async def event_new(request: Request) -> Response:
    organiser = editor(request)
    if request.method == "GET":
        values = {"owner": str(organiser.id), "audience": Audience.EVERYONE.value}
        return await _event_form(request, organiser, None, values, {})
    saved = await _save_event_form(request, organiser, None)
    if isinstance(saved, Response):
        return saved
    return web.after_write(f"events/{saved.id}", "created")


async def event_edit(request: Request) -> Response:
    organiser = editor(request)
    event, texts = await editable_event(request, organiser)
    if request.method == "GET":
        return await _event_form(request, organiser, event, forms.event_values(event, texts), {})
    saved = await _save_event_form(request, organiser, event)
    if isinstance(saved, Response):
        return saved
    return web.after_write(f"events/{event.id}", "saved")


async def event_status(request: Request) -> Response:
    """Publish, or take back to draft (from published or cancelled)."""
    organiser = editor(request)
    event, _ = await editable_event(request, organiser)
    form = await security.read_form(request)
    status = STATUS_ACTIONS.get(str(form.get("status", "")))
    if status is None:
        raise Invalid({"status": N_("Choose publish or draft.")})
    await services.set_event_status(event, status)
    return web.after_write(f"events/{event.id}", status.value)


async def event_cancel(request: Request) -> Response:
    """Cancelling is confirmed on a page of its own: it cannot be undone for registrants."""
    organiser = editor(request)
    event, texts = await editable_event(request, organiser)
    if request.method == "GET":
        text = title_of(texts)
        return page(request, "admin/event_cancel.html", event=event, text=text, section="events")
    await security.read_form(request)
    now = timezone.now()
    # Every date's registrants are told, as when one date is cancelled.
    for occurrence in await services.occurrences_of(event):
        if occurrence.status == OccurrenceStatus.SCHEDULED and occurrence.ends_at > now:
            await organiser_actions.cancel_occurrence(occurrence.id, "", now, actor=organiser)
    await services.set_event_status(event, EventStatus.CANCELLED)
    return web.after_write(f"events/{event.id}", "cancelled")


# ---------------------------------------------------------------- occurrences


async def _occurrence_form(
    request: Request,
    event: Event,
    occurrence: Occurrence | None,
    values: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    _, texts = await services.event_with_texts(event.id)
    return page(
        request,
        "admin/occurrence_form.html",
        status_code=status_code,
        event=event,
        text=title_of(texts),
        occurrence=occurrence,
        camp=event.category == Category.CAMP,
        venues_choices=[(str(venue.id), venue.name) for venue in await Venue.all()],
        values=values,
        errors=errors,
        section="events",
    )


async def _save_occurrence_form(
    request: Request, event: Event, occurrence: Occurrence | None
) -> Response | None:
    """Save the submitted form; None when saved, else the form again with errors."""
    form = await security.read_form(request)
    data, reader = forms.read_occurrence(form, camp=event.category == Category.CAMP)
    errors = reader.errors
    if data is not None:
        try:
            if occurrence is not None and data.capacity != occurrence.capacity:
                # Through the capacity rules: never below the seats taken; raising promotes.
                await registrations.set_capacity(occurrence.id, data.capacity, timezone.now())
            await services.save_occurrence(event, data, occurrence)
            return None
        except Invalid as error:
            errors = error.errors
    return await _occurrence_form(request, event, occurrence, reader.values, errors, 400)


async def occurrence_new(request: Request) -> Response:
    event, _ = await editable_event(request, editor(request))
    if request.method == "GET":
        return await _occurrence_form(request, event, None, forms.occurrence_values(None), {})
    response = await _save_occurrence_form(request, event, None)
    return response or web.after_write(f"events/{event.id}", "date-added")


async def occurrence_edit(request: Request) -> Response:
    occurrence = await editable_occurrence(request, editor(request))
    event = occurrence.event
    if request.method == "GET":
        values = forms.occurrence_values(occurrence)
        return await _occurrence_form(request, event, occurrence, values, {})
    response = await _save_occurrence_form(request, event, occurrence)
    return response or web.after_write(f"events/{event.id}", "date-saved")


async def occurrence_cancel(request: Request) -> Response:
    occurrence = await editable_occurrence(request, editor(request))
    if request.method == "GET":
        _, texts = await services.event_with_texts(occurrence.event.id)
        return page(
            request,
            "admin/occurrence_cancel.html",
            occurrence=occurrence,
            text=title_of(texts),
            section="events",
        )
    await security.read_form(request)
    await organiser_actions.cancel_occurrence(
        occurrence.id, "", timezone.now(), actor=request.scope["state"].get("organiser")
    )
    return web.after_write(f"events/{occurrence.event.id}", "date-cancelled")


# ---------------------------------------------------------------- venues


async def venue_list(request: Request) -> Response:
    editor(request)
    return page(request, "admin/venues.html", venues=await Venue.all(), section="venues")


async def _venue_form(
    request: Request,
    venue: Venue | None,
    values: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    return page(
        request,
        "admin/venue_form.html",
        status_code=status_code,
        venue=venue,
        values=values,
        errors=errors,
        languages=LANGUAGES,
        section="venues",
    )


async def _save_venue_form(request: Request, venue: Venue | None) -> Response | None:
    form = await security.read_form(request)
    data, reader = forms.read_venue(form)
    errors = reader.errors
    if not errors:
        try:
            await services.save_venue(data, venue)
            return None
        except IntegrityError:  # another venue took the address at the same moment
            errors = {"slug": N_("Another venue already uses this address.")}
        except Invalid as error:
            errors = error.errors
    return await _venue_form(request, venue, reader.values, errors, 400)


async def venue_new(request: Request) -> Response:
    editor(request)
    if request.method == "GET":
        return await _venue_form(request, None, {}, {})
    return await _save_venue_form(request, None) or web.after_write("venues", "venue-saved")


async def venue_edit(request: Request) -> Response:
    editor(request)
    venue = await services.venue_by_id(request.path_params["venue_id"])
    if request.method == "GET":
        return await _venue_form(request, venue, forms.venue_values(venue), {})
    return await _save_venue_form(request, venue) or web.after_write("venues", "venue-saved")


GET_POST = ["GET", "POST"]
routes = [
    Route("/events", event_list, name="organiser-events"),
    Route("/events/new", event_new, methods=GET_POST, name="organiser-event-new"),
    Route("/events/{event_id:id}", event_detail, name="organiser-event"),
    Route("/events/{event_id:id}/edit", event_edit, methods=GET_POST, name="organiser-event-edit"),
    Route("/events/{event_id:id}/status", event_status, methods=["POST"]),
    Route("/events/{event_id:id}/cancel", event_cancel, methods=GET_POST),
    Route("/events/{event_id:id}/dates/new", occurrence_new, methods=GET_POST),
    Route("/dates/{occurrence_id:id}/edit", occurrence_edit, methods=GET_POST),
    Route("/dates/{occurrence_id:id}/cancel", occurrence_cancel, methods=GET_POST),
    Route("/venues", venue_list, name="organiser-venues"),
    Route("/venues/new", venue_new, methods=GET_POST, name="organiser-venue-new"),
    Route("/venues/{venue_id:id}/edit", venue_edit, methods=GET_POST),
]
