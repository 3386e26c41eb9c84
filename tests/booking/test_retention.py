"""Retention (booking/retention.py): camp medical data erased 30 days after the family's last
session, everything personal after 90, past registrations erased with their counts unchanged;
a second run (or a twin run at the same time) erases nothing new. Time is pinned."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from tortoise import timezone

from booking import camp, capacity, registrations, retention
from booking.models import (
    AllocationRule,
    ApplicationStatus,
    CampApplication,
    CampAttendance,
    Child,
    Registration,
    RegistrationStatus,
)
from events.models import Occurrence
from tests.factories import (
    application_input,
    child_input,
    make_camp,
    make_occurrence,
    registration_form,
)

MEDICAL = timedelta(days=30)
PERSONAL = timedelta(days=90)
DAY = timedelta(days=1)


async def erase(now):
    return await retention.erase_camp_data(now, medical_after=MEDICAL, personal_after=PERSONAL)


async def apply(camp_row, *children, **values):
    applied = await camp.apply(camp_row, application_input(children, **values), timezone.now())
    return applied.application


async def medical_of(application):
    return await Child.filter(application=application).values_list(
        "allergies_diet", "medical_notes", "medication"
    )


async def fresh(application):
    return await CampApplication.get(id=application.id)


# ---------------------------------------------------------------- the camp


async def test_medical_data_is_erased_30_days_after_the_session_not_29():
    camp_row, (week, *_) = await make_camp()
    application = await apply(camp_row, child_input([week]))
    assert await erase(week.ends_at + 29 * DAY) == retention.CampErased(0, 0)
    assert (await fresh(application)).medical_erased_at is None
    assert await medical_of(application) == [("Горіхи", "Астма, інгалятор", "Сальбутамол")]

    now = week.ends_at + 31 * DAY
    assert await erase(now) == retention.CampErased(medical=1, personal=0)
    erased = await fresh(application)
    assert (erased.medical_erased_at, erased.personal_erased_at) == (now, None)
    assert await medical_of(application) == [("", "", "")]
    # The rest stays until 90 days.
    assert erased.guardian_name and erased.guardian_email and erased.emergency_phone
    assert (await Child.get(application=application)).name


async def test_everything_personal_is_erased_90_days_after_the_session():
    camp_row, (week, *_) = await make_camp()
    staff = "leder@venskab.example"
    application = await apply(
        camp_row, child_input([week]), child_input([week], age=7), keep_siblings_together=True
    )
    medical_at = week.ends_at + 31 * DAY
    await erase(medical_at)
    children = await Child.filter(application=application).order_by("number")
    day = camp.first_day(week)
    await CampAttendance.create(
        child=children[0],
        day=day,
        checked_in_at=week.starts_at,
        checked_out_at=week.starts_at + timedelta(hours=7),
        checked_in_by=staff,
        checked_out_by=staff,
    )
    before = await capacity.availability(week, week.ends_at)
    assert await erase(week.ends_at + 89 * DAY) == retention.CampErased(0, 0)

    now = week.ends_at + 91 * DAY
    assert await erase(now) == retention.CampErased(medical=0, personal=1)
    erased = await fresh(application)
    assert erased.personal_erased_at == now
    assert erased.medical_erased_at == medical_at  # the first erasure's date is kept
    for field in (
        "guardian_name",
        "guardian_email",
        "guardian_phone",
        "guardian_address",
        "second_guardian_name",
        "second_guardian_phone",
        "second_guardian_email",
        "emergency_name",
        "emergency_phone",
        "emergency_relation",
    ):
        assert getattr(erased, field) == "", field
    # Anonymous counts stay: the application, its children as rows, where they were, seats.
    assert (erased.status, erased.consent_data) == (ApplicationStatus.ALLOCATED, True)
    rows = await Child.filter(application=application).order_by("number")
    assert [(c.name, c.date_of_birth, c.medical_notes) for c in rows] == [("", None, "")] * 2
    assert [c.preferences for c in rows] == [[week.id], [week.id]]
    [registration] = await Registration.filter(camp_application_id=application.id)
    assert (registration.status, registration.seats) == (RegistrationStatus.CONFIRMED, 2)
    assert (registration.name, registration.email, registration.phone) == ("", "", "")
    assert registration.erased_at == now
    assert await capacity.availability(week, week.ends_at) == before
    # Staff accountability stays; the child it points at names no one.
    attendance = await CampAttendance.get(child=children[0]).select_related("child")
    assert (attendance.checked_in_by, attendance.checked_out_by) == (staff, staff)
    assert attendance.child.name == "" and attendance.child.date_of_birth is None


async def test_personal_erasure_after_a_long_pause_erases_the_medical_data_too():
    camp_row, (week, *_) = await make_camp()
    application = await apply(camp_row, child_input([week]))
    now = week.ends_at + 120 * DAY
    assert await erase(now) == retention.CampErased(medical=1, personal=1)
    erased = await fresh(application)
    assert erased.medical_erased_at == erased.personal_erased_at == now
    assert await medical_of(application) == [("", "", "")]


async def test_the_familys_last_session_counts_so_a_session_still_running_keeps_it_whole():
    camp_row, (young, _, mixed) = await make_camp()
    # The third week moves to much later: it is running when the first ended 100 days ago.
    later = young.ends_at + 99 * DAY
    await Occurrence.filter(id=mixed.id).update(starts_at=later, ends_at=later + 5 * DAY)
    apart = await apply(
        camp_row,
        child_input([young], age=7),
        child_input([mixed], age=8),
        keep_siblings_together=False,
    )
    alone = await apply(camp_row, child_input([young]))
    now = young.ends_at + 100 * DAY
    assert await erase(now) == retention.CampErased(medical=1, personal=1)
    assert (await fresh(alone)).personal_erased_at == now
    untouched = await fresh(apart)
    assert (untouched.medical_erased_at, untouched.personal_erased_at) == (None, None)
    assert untouched.guardian_name
    assert ("Горіхи", "Астма, інгалятор", "Сальбутамол") in await medical_of(apart)


async def test_an_application_never_placed_ends_with_the_camps_last_session():
    camp_row, sessions = await make_camp(allocation=AllocationRule.LOTTERY)
    first, last = sessions[0], sessions[-1]
    application = await apply(camp_row, child_input([first]))  # waits for the draw
    assert await Registration.filter(camp_application_id=application.id).count() == 0
    assert await erase(first.ends_at + 31 * DAY) == retention.CampErased(0, 0)
    assert await erase(last.ends_at + 31 * DAY) == retention.CampErased(medical=1, personal=0)


async def test_a_withdrawn_application_is_erased_after_its_session_too():
    camp_row, (week, *_) = await make_camp()
    application = await apply(camp_row, child_input([week]))
    children = await Child.filter(application=application)
    await camp.withdraw_children(application, [c.id for c in children], timezone.now())
    assert (await fresh(application)).status == ApplicationStatus.WITHDRAWN
    assert await erase(week.ends_at + 29 * DAY) == retention.CampErased(0, 0)
    assert await erase(week.ends_at + 91 * DAY) == retention.CampErased(medical=1, personal=1)


async def test_a_second_run_erases_nothing_new():
    camp_row, (week, *_) = await make_camp()
    for _ in range(3):
        await apply(camp_row, child_input([week]))
    now = week.ends_at + 91 * DAY
    assert await erase(now) == retention.CampErased(medical=3, personal=3)
    assert await erase(now) == retention.CampErased(0, 0)
    assert await erase(now + 400 * DAY) == retention.CampErased(0, 0)
    assert await CampApplication.filter(personal_erased_at=now).count() == 3


async def test_two_runs_at_once_erase_each_application_once():
    camp_row, (week, *_) = await make_camp()
    for _ in range(5):
        await apply(camp_row, child_input([week]))
    now = week.ends_at + 91 * DAY
    first, second = await asyncio.gather(erase(now), erase(now))
    assert first.personal + second.personal == 5
    assert first.medical + second.medical == 5
    assert await CampApplication.filter(personal_erased_at=None).count() == 0


async def test_pages_of_applications_are_all_visited():
    camp_row, (week, *_) = await make_camp()
    for _ in range(5):
        await apply(camp_row, child_input([week]))
    now = week.ends_at + 31 * DAY
    result = await retention.erase_camp_data(
        now, medical_after=MEDICAL, personal_after=PERSONAL, batch=2
    )
    assert result == retention.CampErased(medical=5, personal=0)


# ---------------------------------------------------------------- registrations of dates


async def register_people(occurrence, count, now):
    for n in range(count):
        form = registration_form(
            seats=2, phone="+45 11 22 33 44", accessibility_needs=f"Kørestol {n}"
        )
        await registrations.register(occurrence.id, form, now)


async def test_registrations_are_erased_90_days_after_the_date_with_their_counts_kept():
    booked_at = timezone.now()
    occurrence = await make_occurrence(capacity=5, starts_at=booked_at + 2 * DAY)
    await register_people(occurrence, 3, booked_at)  # two confirmed, one waiting
    ended = occurrence.ends_at
    before = await capacity.availability(occurrence, ended)
    assert (before.confirmed, before.waitlisted) == (4, 2)

    assert await retention.erase_registrations(ended + 89 * DAY, after=PERSONAL) == 0
    assert await Registration.filter(erased_at=None).count() == 3

    now = ended + 91 * DAY
    assert await retention.erase_registrations(now, after=PERSONAL, batch=2) == 3
    rows = await Registration.filter(occurrence_id=occurrence.id).order_by("id")
    assert {(r.name, r.email, r.phone, r.accessibility_needs) for r in rows} == {("", "", "", "")}
    assert {r.erased_at for r in rows} == {now}
    assert await capacity.availability(occurrence, ended) == before
    assert await retention.erase_registrations(now, after=PERSONAL) == 0


async def test_a_date_within_the_period_keeps_its_registrations():
    booked_at = timezone.now()
    old = await make_occurrence(starts_at=booked_at + DAY)
    recent = await make_occurrence(starts_at=booked_at + 30 * DAY)
    await register_people(old, 1, booked_at)
    await register_people(recent, 1, booked_at)
    assert await retention.erase_registrations(old.ends_at + 91 * DAY, after=PERSONAL) == 1
    kept = await Registration.get(occurrence_id=recent.id)
    assert kept.erased_at is None and kept.email and kept.name


async def test_camp_registrations_follow_their_application_not_their_date():
    camp_row, (young, _, mixed) = await make_camp()
    later = young.ends_at + 99 * DAY
    await Occurrence.filter(id=mixed.id).update(starts_at=later, ends_at=later + 5 * DAY)
    application = await apply(
        camp_row,
        child_input([young], age=7),
        child_input([mixed], age=8),
        keep_siblings_together=False,
    )
    assert await retention.erase_registrations(young.ends_at + 100 * DAY, after=PERSONAL) == 0
    assert (
        await Registration.filter(camp_application_id=application.id, erased_at=None).count() == 2
    )
