"""The organiser area under /{lang}/organiser/: sign-in, sign-out, the start page, and the
composition of the domain packages' organiser routes.

Every route mounted here sits behind `OrganiserRequired`, so a new organiser route cannot be
left open by forgetting a decorator; only the sign-in page is let through.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from tortoise import timezone

from events import admin as events_admin
from venskab import security
from venskab.i18n import current_language
from venskab.models import Role
from venskab.web import render

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
        context.update(error="The email or password is not right.", email=email)
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


async def dashboard(request: Request) -> Response:
    organiser = security.require_role(request, Role.ORGANISER, Role.CAMP_STAFF)
    return render(
        request,
        "admin/dashboard.html",
        {"organiser": organiser, "csrf_token": security.csrf_token(request)},
    )


middleware = [
    Middleware(security.OrganiserSessionMiddleware),
    Middleware(OrganiserRequired),
]

routes = [
    Route("/login", login_page, methods=["GET", "POST"], name="organiser-login"),
    Route("/logout", logout, methods=["POST"], name="organiser-logout"),
    Route("/", dashboard, name="organiser-dashboard"),
    *events_admin.routes,
]
