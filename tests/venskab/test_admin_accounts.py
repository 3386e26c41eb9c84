"""Admins manage organiser accounts: create, change role, deactivate, reset a password."""

from __future__ import annotations

import re

from tests.client_helpers import post_form, sign_in
from tests.factories import PASSWORD, make_organiser
from venskab.models import Organiser, OrganiserSession, Role
from venskab.security import verify_password


async def signed_in_admin(client) -> Organiser:
    admin = await make_organiser(role=Role.ADMIN)
    await sign_in(client, admin)
    return admin


async def test_admin_creates_an_account_that_can_sign_in(client):
    await signed_in_admin(client)
    response = await post_form(
        client,
        "/en/organiser/accounts/new",
        {
            "email": "Mykola@Venskab.example",
            "name": "Mykola",
            "role": "organiser",
            "password": "a-long-initial-password",
        },
    )
    assert response.status_code == 303
    assert re.search(
        r"/en/organiser/accounts/\d+\?done=account-created$", response.headers["location"]
    )
    created = await Organiser.get(email="mykola@venskab.example")
    assert created.role == Role.ORGANISER
    listing = (await client.get("/en/organiser/accounts")).text
    assert "mykola@venskab.example" in listing

    client.cookies.clear()
    await sign_in(client, created, password="a-long-initial-password")
    assert (await client.get("/en/organiser/events")).status_code == 200


async def test_creating_an_account_never_takes_over_an_existing_one(client):
    await signed_in_admin(client)
    existing = await make_organiser(email="taken@venskab.example", role=Role.ORGANISER)
    response = await post_form(
        client,
        "/en/organiser/accounts/new",
        {"email": "taken@venskab.example", "role": "admin", "password": "another-password"},
    )
    assert response.status_code == 400
    assert "There is already an account with this email." in response.text
    unchanged = await Organiser.get(id=existing.id)
    assert unchanged.role == Role.ORGANISER
    assert verify_password(unchanged.password_hash, PASSWORD)


async def test_new_account_form_errors_keep_values_but_never_the_password(client):
    await signed_in_admin(client)
    response = await post_form(
        client,
        "/en/organiser/accounts/new",
        {"email": "not-an-email", "name": "Iryna", "role": "wizard", "password": "short"},
    )
    assert response.status_code == 400
    assert 'value="not-an-email"' in response.text
    assert 'value="Iryna"' in response.text
    assert 'value="short"' not in response.text
    assert "Choose a role." in response.text


async def test_admin_changes_a_role(client):
    await signed_in_admin(client)
    organiser = await make_organiser(role=Role.ORGANISER)
    response = await post_form(
        client,
        f"/en/organiser/accounts/{organiser.id}",
        {"name": "Camp lead", "role": "camp-staff", "is_active": "on"},
    )
    assert response.status_code == 303
    changed = await Organiser.get(id=organiser.id)
    assert (changed.role, changed.name, changed.is_active) == (Role.CAMP_STAFF, "Camp lead", True)


async def test_deactivating_an_account_signs_it_out_everywhere(client, app):
    import httpx

    organiser = await make_organiser()
    transport = httpx.ASGITransport(app=app, client=("127.0.0.2", 50001))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
        await sign_in(other, organiser)
        assert (await other.get("/en/organiser/")).status_code == 200
        await signed_in_admin(client)
        response = await post_form(
            client, f"/en/organiser/accounts/{organiser.id}", {"role": "organiser"}
        )
        assert response.status_code == 303
        assert not (await Organiser.get(id=organiser.id)).is_active
        assert await OrganiserSession.filter(organiser_id=organiser.id).count() == 0
        assert (await other.get("/en/organiser/")).status_code == 303


async def test_admin_cannot_lock_themselves_out(client):
    admin = await signed_in_admin(client)
    response = await post_form(
        client, f"/en/organiser/accounts/{admin.id}", {"role": "organiser", "is_active": ""}
    )
    assert response.status_code == 400
    assert "You cannot remove your own admin role." in response.text
    assert "You cannot deactivate your own account." in response.text
    unchanged = await Organiser.get(id=admin.id)
    assert unchanged.role == Role.ADMIN and unchanged.is_active


async def test_admin_resets_a_password(client):
    await signed_in_admin(client)
    organiser = await make_organiser()
    response = await post_form(
        client,
        f"/en/organiser/accounts/{organiser.id}/password",
        {"password": "a-brand-new-password"},
    )
    assert response.status_code == 303
    assert verify_password(
        (await Organiser.get(id=organiser.id)).password_hash, "a-brand-new-password"
    )


async def test_too_short_password_is_refused(client):
    await signed_in_admin(client)
    organiser = await make_organiser()
    response = await post_form(
        client, f"/en/organiser/accounts/{organiser.id}/password", {"password": "short"}
    )
    assert response.status_code == 400
    assert "Use a password of at least 10 characters." in response.text
    assert verify_password((await Organiser.get(id=organiser.id)).password_hash, PASSWORD)


async def test_unknown_account_is_404(client):
    await signed_in_admin(client)
    assert (await client.get("/en/organiser/accounts/987654")).status_code == 404


async def test_organiser_cannot_change_roles_or_passwords(client):
    organiser = await make_organiser(role=Role.ORGANISER)
    await sign_in(client, organiser)
    response = await post_form(
        client,
        f"/en/organiser/accounts/{organiser.id}",
        {"role": "admin", "is_active": "on"},
    )
    assert response.status_code == 403
    response = await post_form(
        client, f"/en/organiser/accounts/{organiser.id}/password", {"password": "x" * 12}
    )
    assert response.status_code == 403
    assert (await Organiser.get(id=organiser.id)).role == Role.ORGANISER
