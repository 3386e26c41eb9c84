"""The camp staff's roster of a week: every placed child with the safety data staff need, on
screen, on paper and as CSV, each read written to the audit log (who, which week, when, no
names); and the daily check-in and check-out, with undo."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from tortoise import timezone

from booking import camp_roster
from booking.camp_roster import Attendance
from booking.models import Camp, CampAttendance, RegistrationStatus
from events.services import LOCAL
from tests.booking.test_camp_staff_support import (
    ALLERGY,
    EMERGENCY_PHONE,
    MEDICAL,
    MEDICATION,
    make_child,
    make_family,
    owned_camp,
    running_session,
    signed_in,
)
from tests.client_helpers import post_form
from tests.factories import make_organiser
from venskab.errors import Conflict, NotFound
from venskab.models import AuditEntry, Role

Status = RegistrationStatus


def today():
    return timezone.now().astimezone(LOCAL).date()


async def week_with_children(client=None, role: Role = Role.CAMP_STAFF):
    """A running week with two placed siblings, a child of another family, and children who
    must not be on the roster (waiting, withdrawn, placed in another week)."""
    camp, (later, _, _), _ = await owned_camp()
    week = await running_session(camp)
    family = await make_family(camp, consent_photos=False)
    anna = await make_child(family, week, name="Anna Søskende", age=7)
    boris = await make_child(family, week, name="Борис Søskende", registration=anna.registration)
    other = await make_child(
        await make_family(camp, consent_photos=True, language="da"),
        week,
        name="Clara Anden",
        allergies_diet="",
        medical_notes="",
        medication="",
    )
    await make_child(await make_family(camp), week, Status.WAITLISTED, name="Waiting Child")
    await make_child(
        await make_family(camp), week, name="Withdrawn Child", withdrawn_at=timezone.now()
    )
    await make_child(await make_family(camp), later, name="Later Child")
    person = await signed_in(client, role) if client is not None else None
    return week, [anna, boris, other], person


# ---------------------------------------------------------------- what the roster holds


async def test_the_roster_lists_each_placed_child_with_its_safety_data(client):
    week, (anna, boris, other), _ = await week_with_children(client)
    page = (await client.get(f"/en/organiser/camp-sessions/{week.id}/roster")).text
    for child in (anna, boris, other):
        assert child.name in page
    for absent in ("Waiting Child", "Withdrawn Child", "Later Child"):
        assert absent not in page
    for data in (ALLERGY, MEDICAL, MEDICATION, EMERGENCY_PHONE, "дядько"):
        assert data in page
    assert "Swims with armbands or a float" in page
    assert "7 years" in page  # age on the first day
    assert '<strong class="attention">No</strong>' in page  # no photos of Anna and Boris
    assert page.index("Anna Søskende") < page.index("Clara Anden") < page.index("Борис")
    assert "style=" not in page and "<script" not in page and page.count("<h1") == 1


async def test_the_roster_answers_a_week_that_is_not_a_camps_with_404(client):
    from tests.factories import make_occurrence

    await signed_in(client, Role.ADMIN)
    film = await make_occurrence()
    assert (await client.get(f"/en/organiser/camp-sessions/{film.id}/roster")).status_code == 404


@pytest.mark.parametrize("kind", ["roster", "roster/print", "roster.csv"])
@pytest.mark.parametrize("role", [Role.CAMP_STAFF, Role.ADMIN])
async def test_every_view_print_and_export_is_logged_without_names(client, kind, role):
    week, children, person = await week_with_children(client, role)
    before = timezone.now()
    for _ in range(2):
        response = await client.get(f"/en/organiser/camp-sessions/{week.id}/{kind}")
        assert response.status_code == 200
    action = {
        "roster": "camp-roster-viewed",
        "roster/print": "camp-roster-printed",
        "roster.csv": "camp-roster-exported",
    }[kind]
    entries = await AuditEntry.filter(action=action).order_by("id")
    assert len(entries) == 2
    for entry in entries:
        assert (entry.actor_id, entry.actor_email) == (person.id, person.email)
        assert entry.subject == f"occurrence {week.id}"
        assert entry.detail["occurrence"] == week.id and entry.detail["children"] == 3
        assert entry.at >= before
        logged = f"{entry.subject} {entry.detail}"
        assert not any(child.name in logged for child in children)


async def test_a_refused_roster_view_leaves_no_audit_entry_and_shows_nothing(client):
    week, (anna, _, _), _ = await week_with_children(client, Role.ORGANISER)
    response = await client.get(f"/en/organiser/camp-sessions/{week.id}/roster")
    assert response.status_code == 403 and anna.name not in response.text
    assert not await AuditEntry.filter(action__startswith="camp-roster").exists()


async def test_the_csv_is_utf8_with_bom_and_cells_are_never_formulas(client):
    week, (anna, _, _), _ = await week_with_children(client)
    camp = await Camp.get(id=anna.application.camp_id)
    await make_child(
        await make_family(camp, emergency_relation="=HYPERLINK(1)"),
        week,
        name="=cmd|' /C calc'!A0",
    )
    response = await client.get(f"/en/organiser/camp-sessions/{week.id}/roster.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"].startswith(
        f'attachment; filename="camp-roster-{week.id}-'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    assert header[:4] == ["Child", "Date of birth", "Age on the first day", "Allergies and diet"]
    assert "Photo consent" in header and "Emergency contact's phone" in header
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {"Anna Søskende", "Борис Søskende", "Clara Anden", "'=cmd|' /C calc'!A0"}
    anna_row = by_name["Anna Søskende"]
    assert anna_row["Medical information"] == MEDICAL
    assert anna_row["Medication"] == MEDICATION
    assert anna_row["Photo consent"] == "No"
    assert anna_row["Emergency contact's phone"] == "'" + EMERGENCY_PHONE  # + starts a formula
    assert anna_row["Age on the first day"] == "7"
    assert by_name["Clara Anden"]["Family's language"] == "Dansk"
    assert by_name["'=cmd|' /C calc'!A0"]["Emergency contact's relation"] == "'=HYPERLINK(1)"


async def test_the_print_view_is_a_table_with_every_child(client):
    week, children, _ = await week_with_children(client)
    page = (await client.get(f"/en/organiser/camp-sessions/{week.id}/roster/print")).text
    assert '<table class="roster-table">' in page
    for child in children:
        assert child.name in page
    assert MEDICAL in page and "Check in" not in page


# ---------------------------------------------------------------- check-in and check-out


async def test_staff_check_a_child_in_and_out_and_the_roster_says_by_whom(client):
    week, (anna, _, _), person = await week_with_children(client)
    url = f"/en/organiser/camp-sessions/{week.id}/children/{anna.id}/attendance"
    day = today().isoformat()
    response = await post_form(client, url, {"action": "check-in", "day": day})
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"/en/organiser/camp-sessions/{week.id}/roster?day={day}&done=check-in#c-{anna.id}"
    )
    record = await CampAttendance.get(child_id=anna.id, day=today())
    assert record.checked_in_at is not None and record.checked_in_by == person.email
    page = (await client.get(response.headers["location"])).text
    assert "Checked in." in page and f"checked in by {person.email}" in page
    assert "Checked in: 1" in page
    await post_form(client, url, {"action": "check-out", "day": day})
    record = await CampAttendance.get(child_id=anna.id, day=today())
    assert record.checked_out_at is not None and record.checked_out_by == person.email
    actions = await AuditEntry.filter(subject=f"child {anna.id}").values_list("action", flat=True)
    assert sorted(actions) == ["camp-check-in", "camp-check-out"]


async def test_checking_in_twice_keeps_the_first_time_and_logs_once():
    week, (anna, _, _), _ = await week_with_children()
    staff = await make_organiser(role=Role.CAMP_STAFF)
    now = timezone.now()
    first, changed = await camp_roster.record_attendance(
        week, anna.id, today(), Attendance.CHECK_IN, now, actor=staff
    )
    again, changed_again = await camp_roster.record_attendance(
        week, anna.id, today(), Attendance.CHECK_IN, now + timedelta(minutes=5), actor=staff
    )
    assert changed and not changed_again
    assert again.checked_in_at == first.checked_in_at
    assert await AuditEntry.filter(action="camp-check-in").count() == 1


async def test_undo_takes_back_the_last_step_only():
    week, (anna, _, _), _ = await week_with_children()
    staff = await make_organiser(role=Role.CAMP_STAFF)
    now = timezone.now()

    async def step(action):
        return await camp_roster.record_attendance(week, anna.id, today(), action, now, actor=staff)

    with pytest.raises(Conflict):
        await step(Attendance.CHECK_OUT)  # not in yet
    await step(Attendance.CHECK_IN)
    await step(Attendance.CHECK_OUT)
    with pytest.raises(Conflict):
        await step(Attendance.UNDO_CHECK_IN)  # the check-out first
    record, changed = await step(Attendance.UNDO_CHECK_OUT)
    assert changed and record.checked_out_at is None and record.checked_in_at is not None
    record, changed = await step(Attendance.UNDO_CHECK_IN)
    assert changed and record.checked_in_at is None and record.checked_in_by == ""
    actions = await AuditEntry.filter(subject=f"child {anna.id}").order_by("id")
    assert [a.action for a in actions] == [
        "camp-check-in",
        "camp-check-out",
        "camp-check-out-undone",
        "camp-check-in-undone",
    ]
    assert all(a.detail == {"occurrence": week.id, "day": today().isoformat()} for a in actions)


async def test_check_in_is_refused_for_a_child_not_placed_in_the_week_or_a_day_not_begun():
    week, (anna, _, _), _ = await week_with_children()
    camp, (later, _, _), _ = await owned_camp()
    elsewhere = await make_child(await make_family(camp), later)
    now = timezone.now()
    with pytest.raises(NotFound):
        await camp_roster.record_attendance(
            week, elsewhere.id, today(), Attendance.CHECK_IN, now, actor=None
        )
    days = camp_roster.session_days(week)
    with pytest.raises(Conflict):
        await camp_roster.record_attendance(
            week, anna.id, days[-1] + timedelta(days=1), Attendance.CHECK_IN, now, actor=None
        )
    with pytest.raises(Conflict):
        await camp_roster.record_attendance(
            week, anna.id, today() + timedelta(days=1), Attendance.CHECK_IN, now, actor=None
        )
    assert await CampAttendance.all().count() == 0


async def test_a_refused_check_in_shows_the_roster_again_with_the_reason(client):
    week, (anna, _, _), _ = await week_with_children(client)
    url = f"/en/organiser/camp-sessions/{week.id}/children/{anna.id}/attendance"
    tomorrow = (today() + timedelta(days=1)).isoformat()
    response = await post_form(client, url, {"action": "check-in", "day": tomorrow})
    assert response.status_code == 409
    assert "That camp day has not begun yet." in response.text
    assert anna.name in response.text
    response = await post_form(client, url, {"action": "dance", "day": today().isoformat()})
    assert response.status_code == 409


async def test_each_camp_day_has_its_own_record(client):
    week, (anna, _, _), _ = await week_with_children(client)
    days = camp_roster.session_days(week)
    yesterday = days[0]
    assert yesterday < today()
    url = f"/en/organiser/camp-sessions/{week.id}/children/{anna.id}/attendance"
    await post_form(client, url, {"action": "check-in", "day": yesterday.isoformat()})
    page = (
        await client.get(
            f"/en/organiser/camp-sessions/{week.id}/roster", params={"day": today().isoformat()}
        )
    ).text
    assert "Checked in: 0" in page
    page = (
        await client.get(
            f"/en/organiser/camp-sessions/{week.id}/roster", params={"day": yesterday.isoformat()}
        )
    ).text
    assert "Checked in: 1" in page
    assert await CampAttendance.filter(child_id=anna.id).count() == 1


async def test_admins_read_roster_access_in_the_audit_log(client):
    week, (anna, _, _), admin = await week_with_children(client, Role.ADMIN)
    await client.get(f"/en/organiser/camp-sessions/{week.id}/roster.csv")
    await client.get(f"/en/organiser/camp-sessions/{week.id}/roster")
    page = (await client.get("/en/organiser/audit")).text
    assert page.index("Camp roster viewed") < page.index("Camp roster downloaded")
    assert f'href="/en/organiser/camp-sessions/{week.id}/roster"' in page
    assert "Children: 3" in page and admin.email in page
    assert anna.name not in page
