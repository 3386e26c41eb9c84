"""The draw's result mail (booking/camp_messages.py, camp/result): written by the draw in one
insert with each child's outcome frozen in its params, rendered when the worker sends it, so
what the draw said survives a withdrawal or a promotion before sending; a family that deleted
its application meanwhile gets nothing; "my data" shows the message once sent."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from tortoise import timezone

from booking import camp, camp_messages, lottery, waitlist
from booking.models import AllocationRule, Registration, RegistrationStatus
from tests.factories import application_input, child_input, make_camp
from tests.mail_helpers import MailServer
from venskab import settings
from venskab.mail import send_due
from venskab.models import OutboxMessage

Status = RegistrationStatus


@pytest.fixture
def server(monkeypatch):
    smtp = MailServer()
    smtp.start()
    monkeypatch.setattr(settings, "SMTP_URL", smtp.url)
    yield smtp
    smtp.stop()


async def drawn_camp(families: int, *, capacity: int = 1, seed: str = "result mail"):
    """A lottery camp of one week (ages 6–9) with `capacity` places and one child per family
    (English, named Child 1, 2, …), drawn; returns the applications in draw order, the week
    and a moment after the draw."""
    now = timezone.now()
    camp_row, [week] = await make_camp(
        allocation=AllocationRule.LOTTERY,
        ages=[(6, 9)],
        capacity=capacity,
        applications_close_at=now + timedelta(hours=1),
    )
    applications = {}
    for n in range(1, families + 1):
        form = application_input([child_input([week], name=f"Child {n}")], language="en")
        applied = await camp.apply(camp_row, form, now)
        applications[applied.application.id] = applied.application
    after = now + timedelta(hours=2)
    record = await lottery.run_draw(camp_row, seed, "admin@venskab.example", after)
    order = [applications[entry["application"]] for entry in record.result]
    return order, week, after, record


def result_to(server: MailServer, address: str) -> str:
    """The plain text of the draw's result as `address` received it."""
    [received] = [
        m
        for m in server.inbox.messages
        if m["To"] == address and m["Subject"].startswith("The result of the draw")
    ]
    return received.get_body(preferencelist=("plain",)).get_content()


async def test_the_draw_writes_each_result_unrendered_with_the_outcome_frozen():
    (first, second, third), week, _, record = await drawn_camp(3)
    messages = await OutboxMessage.filter(template="camp/result").order_by("id")
    assert len(messages) == 3
    by_application = {m.params["application"]: m for m in messages}
    assert all(m.subject == "" and m.rendered_at is None for m in messages)
    assert {m.dedupe_key for m in messages} == {
        f"camp-result-{record.id}-{a.id}" for a in (first, second, third)
    }
    outcomes = [by_application[a.id].params["children"] for a in (first, second, third)]
    assert [[(o["session"], o["status"], o["position"]) for o in c] for c in outcomes] == [
        [(week.id, "confirmed", None)],
        [(week.id, "waitlisted", 1)],
        [(week.id, "waitlisted", 2)],
    ]
    registrations = {r.id: r for r in await Registration.all()}
    for children in outcomes:
        [outcome] = children
        assert registrations[outcome["registration"]].status == outcome["status"]


async def test_the_result_says_what_the_draw_said_even_after_a_withdrawal_before_sending(server):
    (first, second, third), _, after, _ = await drawn_camp(3)
    [placed] = await camp.application_children(first)
    promoted = await camp.withdraw_children(first, [placed.id], after)
    assert [r.camp_application_id for r in promoted] == [second.id]  # offered the place
    assert await waitlist.position(await Registration.get(camp_application_id=third.id)) == 1

    written = await OutboxMessage.all().count()  # applied, results, withdrawn, offered
    assert await send_due(after + timedelta(minutes=1)) == written
    await server.wait_for(written)
    assert f"{placed.name}: Placed in week 1:" in result_to(server, first.guardian_email)
    [offered] = await camp.application_children(second)
    second_text = result_to(server, second.guardian_email)
    assert f"{offered.name}: On the waitlist for week 1" in second_text
    assert "Position on the waitlist: 1." in second_text
    third_text = result_to(server, third.guardian_email)
    assert "Position on the waitlist: 2." in third_text  # as drawn, though first in line now
    assert camp_messages.application_url(third) in third_text
    result = await OutboxMessage.get(template="camp/result", to_address=third.guardian_email)
    assert result.sent_at is not None and result.rendered_at is not None
    assert "Position on the waitlist: 2." in result.text_body
    assert result.subject.startswith("The result of the draw")


async def test_a_family_that_deleted_its_application_before_sending_gets_no_result(server):
    (first, second), _, after, _ = await drawn_camp(2)
    address = second.guardian_email
    await camp.delete(second, after)
    await send_due(after + timedelta(minutes=1))
    results = {
        m.params["application"]: m for m in await OutboxMessage.filter(template="camp/result")
    }
    assert results[first.id].sent_at is not None
    failed = results[second.id]
    assert failed.sent_at is None and failed.failed_at is not None
    assert f"camp application {second.id} was deleted" in failed.last_error
    assert failed.subject == "" and failed.text_body == ""
    told = [m["Subject"] for m in server.inbox.messages if m["To"] == address]
    assert len(told) == 2  # having applied, and the deletion
    assert not any(subject.startswith("The result of the draw") for subject in told)


async def test_my_data_shows_the_result_mail_once_it_is_sent(client, server):
    [family], _, after, _ = await drawn_camp(1)
    url = camp_messages.application_url(family).removeprefix(settings.BASE_URL)

    async def result_in_my_data():
        data = json.loads((await client.get(f"{url}/data.json")).text)
        return data["emails_to_this_address"][-1]  # after the confirmation of applying

    before = await result_in_my_data()
    assert (before["subject"], before["sent_at"]) == (None, None)
    await send_due(after + timedelta(minutes=1))
    sent = await result_in_my_data()
    assert sent["subject"].startswith("The result of the draw")
    assert sent["sent_at"] is not None


async def test_positions_count_the_parties_already_waiting_before_the_draw():
    now = timezone.now()
    camp_row, [week] = await make_camp(
        allocation=AllocationRule.LOTTERY,
        ages=[(6, 9)],
        capacity=1,
        applications_close_at=now + timedelta(hours=1),
    )
    earlier = await Registration.create(
        occurrence=week,
        status=Status.WAITLISTED,
        seats=1,
        name="Moved by an organiser",
        email="earlier@example.org",
        language="da",
        idempotency_key="earlier-waiting-party-0001",
        token_nonce="n" * 32,
        created_at=now,
        queued_at=now + timedelta(hours=3),  # later than the draw's moment
    )
    for n in range(2):
        form = application_input([child_input([week], name=f"Child {n}")], language="en")
        await camp.apply(camp_row, form, now)
    after = now + timedelta(hours=2)
    record = await lottery.run_draw(camp_row, "queue end", "admin@venskab.example", after)
    queue = await waitlist.queue_of(week)
    drawn = [entry["application"] for entry in record.result if entry["waitlisted"]]
    assert queue[0].id == earlier.id
    assert [r.camp_application_id for r in queue[1:]] == drawn
    frozen = {
        m.params["application"]: m.params["children"][0]["position"]
        for m in await OutboxMessage.filter(template="camp/result")
    }
    for registration in queue[1:]:
        assert frozen[registration.camp_application_id] == await waitlist.position(registration)
