"""The camp's messages as families receive them: each child's placement in words, the link to
the application, in the family's language, readable as plain text."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tortoise import timezone

from booking import camp, camp_messages
from booking.models import AllocationRule, CampApplication
from tests.factories import application_input, child_input, make_camp
from venskab import mail, settings
from venskab.models import OutboxMessage


def assert_readable(message: OutboxMessage) -> None:
    assert message.subject and "\n" not in message.subject
    assert f'<html lang="{message.language}"' in message.html_body
    assert all(len(line) <= 76 or "://" in line for line in message.text_body.splitlines())


async def test_applied_says_where_each_child_is_placed_with_the_link():
    camp_row, (young, _, mixed) = await make_camp(capacity=1)
    now = timezone.now()
    await camp.apply(camp_row, application_input([child_input([young])]), now)
    form = application_input(
        [child_input([young], name="Марія"), child_input([mixed], name="Петро")],
        language="en",
        keep_siblings_together=False,
    )
    applied = await camp.apply(camp_row, form, now)
    message = await OutboxMessage.filter(template="camp/applied").order_by("-id").first()
    assert message.to_address == applied.application.guardian_email
    assert_readable(message)
    text = message.text_body
    assert "Марія: On the waitlist for week 1" in text
    assert "Position on the waitlist: 1." in text
    assert "Петро: Placed in week 3:" in text
    assert camp_messages.application_url(applied.application) in text
    assert camp_messages.application_url(applied.application) in message.html_body


async def test_a_lottery_application_is_told_when_the_draw_is():
    closes = timezone.now() + timedelta(days=10)
    camp_row, (young, _, _) = await make_camp(
        allocation=AllocationRule.LOTTERY, applications_close_at=closes
    )
    form = application_input([child_input([young], name="Марія")], language="en")
    await camp.apply(camp_row, form, timezone.now())
    message = await OutboxMessage.get(template="camp/applied")
    assert "Марія: Waiting for the draw." in message.text_body
    assert "drawn by lot after applications close on" in message.text_body


async def test_withdrawing_tells_the_family_and_offers_the_place_to_the_next():
    camp_row, [young] = await make_camp(ages=[(6, 9)], capacity=1)
    now = timezone.now()
    first = await camp.apply(camp_row, application_input([child_input([young], name="Іра")]), now)
    waiting = await camp.apply(
        camp_row, application_input([child_input([young], name="Оля")], language="en"), now
    )
    [child] = await camp.application_children(first.application)
    await camp.withdraw_children(first.application, [child.id], now)
    withdrawn = await OutboxMessage.get(template="camp/withdrawn")
    assert "Іра" in withdrawn.text_body and withdrawn.language == "uk"
    offered = await OutboxMessage.get(template="camp/offered")
    assert offered.to_address == waiting.application.guardian_email
    assert_readable(offered)
    assert "places have become free in week 1" in offered.text_body
    assert "for Оля" in offered.text_body
    assert camp_messages.application_url(waiting.application) in offered.text_body


async def test_the_deletion_message_names_no_one():
    camp_row, (young, _, _) = await make_camp()
    now = timezone.now()
    form = application_input([child_input([young], name="Марія")], language="da")
    applied = await camp.apply(camp_row, form, now)
    await camp.delete(applied.application, now)
    message = await OutboxMessage.get(template="camp/deleted")
    assert_readable(message)
    assert "Марія" not in message.text_body + message.html_body
    assert form.contact.guardian_name not in message.text_body + message.html_body


@pytest.mark.parametrize("language", settings.LANGUAGES)
@pytest.mark.parametrize(
    "template",
    ["camp/applied", "camp/result", "camp/offered", "camp/promoted", "camp/withdrawn"],
)
async def test_every_camp_mail_renders_in_every_language(template, language):
    camp_row, (young, older, _) = await make_camp(capacity=1)
    now = timezone.now()
    await camp.apply(camp_row, application_input([child_input([young])]), now)
    form = application_input(
        [child_input([young]), child_input([older], age=11)], keep_siblings_together=False
    )
    applied = await camp.apply(camp_row, form, now)
    application = await CampApplication.get(id=applied.application.id)
    context = await camp_messages._context(application)
    children = context["children"]
    context |= {"registration": children[0].registration, "withdrawn": children[:1]}
    subject, text, html = mail.render(template, language, {**context, "attached": []})
    assert subject and f'<html lang="{language}"' in html
    assert all(len(line) <= 76 or "://" in line for line in text.splitlines())
    assert context["application_url"] in text
