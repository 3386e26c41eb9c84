"""The organiser area under /{lang}/organiser/: sign-in, sign-out, the start page, the
organiser accounts (admins only), and the composition of the domain packages' organiser routes.

Every route mounted here sits behind `OrganiserRequired`, so a new organiser route cannot be
left open by forgetting a decorator; only the sign-in page is let through.
"""

from __future__ import annotations

from typing import Any

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from tortoise import timezone

from booking import admin as booking_admin
from booking import camp_admin, organiser_actions
from events import admin as events_admin
from events import services
from venskab import accounts, security
from venskab.errors import Invalid
from venskab.i18n import N_, current_language
from venskab.models import Organiser, Role
from venskab.web import after_write, organiser_page, render

OPEN_PATHS = ("/organiser/login",)


class OrganiserRequired:
    """Anonymous visitors are sent to sign in (GET) or refused (anything else)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("state", {}).get("organiser") is not None:
            await self.app(scope, receive, send)
            return
        if scope["path"].rstrip("/").endswith(OPEN_PATHS):
            await self.app(scope, receive, send)
            return
        language = current_language.get()
        if scope["method"] in ("GET", "HEAD"):
            response: Response = RedirectResponse(
                f"/{language}/organiser/login?next={scope['path']}", status_code=303
            )
        else:
            response = Response(status_code=403)
        await response(scope, receive, send)


def _organiser_home(language: str) -> str:
    return f"/{language}/organiser/"


def _safe_next(value: str | None, language: str) -> str:
    """Only paths inside our own organiser area: no open redirect."""
    if value and value.startswith(f"/{language}/organiser/") and "//" not in value:
        return value
    return _organiser_home(language)


async def login_page(request: Request) -> Response:
    language = current_language.get()
    if request.scope["state"].get("organiser") is not None:
        return RedirectResponse(_organiser_home(language), status_code=303)
    context = {
        "next": request.query_params.get("next", ""),
        "csrf_token": security.csrf_token(request),
        "error": None,
        "email": "",
    }
    if request.method == "GET":
        return render(request, "admin/login.html", context)
    form = await security.read_form(request)
    email = str(form.get("email", ""))[:254]
    password = str(form.get("password", ""))[:1000]
    client = request.client.host if request.client else "unknown"
    now = timezone.now()
    try:
        organiser = await security.authenticate(email, password, client, now)
    except security.LoginFailed:
        context.update(error=N_("The email or password is not right."), email=email)
        return render(request, "admin/login.html", context, status_code=400)
    cookie = await security.start_session(organiser, now)
    response = RedirectResponse(_safe_next(str(form.get("next", "")), language), 303)
    response.headers.append("Set-Cookie", security.session_cookie_header(cookie))
    return response


async def logout(request: Request) -> Response:
    await security.read_form(request)
    cookie = request.cookies.get(security.SESSION_COOKIE)
    if cookie:
        await security.end_session(cookie)
    response = RedirectResponse(f"/{current_language.get()}/organiser/login", status_code=303)
    response.headers.append("Set-Cookie", security.session_cookie_header("", max_age=0))
    return response


# Shown after a redirect, chosen by the `done` query parameter (unknown keys show nothing).
NOTICES = {
    "account-created": N_("The account was created. Give the person their password in person."),
    "account-saved": N_("The account was saved."),
    "password-reset": N_("The password was changed. The person is signed out everywhere."),
}


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    return organiser_page(request, template, NOTICES, status_code, **context)


async def dashboard(request: Request) -> Response:
    """Links by role; organisers and admins also see their next dates, and how full each is."""
    organiser = security.require_role(request, Role.ORGANISER, Role.CAMP_STAFF)
    upcoming: list[services.UpcomingRow] = []
    now = timezone.now()
    if security.has_role(organiser, Role.ORGANISER):
        owner_id = None if organiser.role == Role.ADMIN else organiser.id
        upcoming = await services.upcoming_for_owner(owner_id, current_language.get(), now)
    fills = await organiser_actions.fills([row.occurrence for row in upcoming], now)
    return page(request, "admin/dashboard.html", upcoming=upcoming, fills=fills, section="start")


# ---------------------------------------------------------------- accounts (admins only)


def _admin(request: Request) -> Organiser:
    return security.require_role(request, Role.ADMIN)


def _role(value: object) -> Role | None:
    try:
        return Role(str(value))
    except ValueError:
        return None


async def account_list(request: Request) -> Response:
    _admin(request)
    accounts_ = await accounts.list_organisers()
    return page(request, "admin/accounts.html", accounts=accounts_, section="accounts")


def _account_form(
    request: Request, values: dict[str, str], errors: dict[str, str], status_code: int = 200
) -> Response:
    return page(
        request,
        "admin/account_new.html",
        status_code=status_code,
        values=values,
        errors=errors,
        roles=list(Role),
        section="accounts",
    )


async def account_new(request: Request) -> Response:
    _admin(request)
    if request.method == "GET":
        return _account_form(request, {"role": Role.ORGANISER.value}, {})
    form = await security.read_form(request)
    values = {name: str(form.get(name, "")).strip() for name in ("email", "name", "role")}
    role = _role(values["role"])
    try:
        if role is None:
            raise Invalid({"role": N_("Choose a role.")})
        created = await accounts.create_organiser(
            email=values["email"],
            name=values["name"],
            role=role,
            password=str(form.get("password", "")),
        )
    except Invalid as error:
        return _account_form(request, values, error.errors, 400)
    return after_write(f"accounts/{created.id}", "account-created")


def _account_page(
    request: Request,
    account: Organiser,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    values = values or {
        "name": account.name,
        "role": account.role.value,
        "is_active": "on" if account.is_active else "",
    }
    return page(
        request,
        "admin/account.html",
        status_code=status_code,
        account=account,
        values=values,
        errors=errors or {},
        roles=list(Role),
        section="accounts",
    )


async def account_edit(request: Request) -> Response:
    """Name, role, and whether the account can sign in."""
    actor = _admin(request)
    account = await accounts.organiser_by_id(request.path_params["organiser_id"])
    if request.method == "GET":
        return _account_page(request, account)
    form = await security.read_form(request)
    values = {
        "name": str(form.get("name", "")).strip(),
        "role": str(form.get("role", "")),
        "is_active": "on" if form.get("is_active") else "",
    }
    role = _role(values["role"])
    try:
        if role is None:
            raise Invalid({"role": N_("Choose a role.")})
        await accounts.change_access(
            account,
            actor=actor,
            role=role,
            is_active=bool(values["is_active"]),
            name=values["name"],
        )
    except Invalid as error:
        return _account_page(request, account, values, error.errors, 400)
    return after_write(f"accounts/{account.id}", "account-saved")


async def account_password(request: Request) -> Response:
    """A new password chosen by an admin; the account's sessions end."""
    _admin(request)
    account = await accounts.organiser_by_id(request.path_params["organiser_id"])
    form = await security.read_form(request)
    try:
        await accounts.reset_password(account, str(form.get("password", "")))
    except Invalid as error:
        return _account_page(request, account, errors=error.errors, status_code=400)
    return after_write(f"accounts/{account.id}", "password-reset")


middleware = [
    Middleware(security.OrganiserSessionMiddleware),
    Middleware(OrganiserRequired),
]

routes = [
    Route("/login", login_page, methods=["GET", "POST"], name="organiser-login"),
    Route("/logout", logout, methods=["POST"], name="organiser-logout"),
    Route("/", dashboard, name="organiser-dashboard"),
    *events_admin.routes,
    *booking_admin.routes,
    *camp_admin.routes,
    Route("/accounts", account_list, name="organiser-accounts"),
    Route("/accounts/new", account_new, methods=["GET", "POST"]),
    Route("/accounts/{organiser_id:id}", account_edit, methods=["GET", "POST"]),
    Route("/accounts/{organiser_id:id}/password", account_password, methods=["POST"]),
]
