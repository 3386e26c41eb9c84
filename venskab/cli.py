"""`venskab …`: migrate, seed-demo, create-organiser, check, worker, purge, camp-draw.

Each command opens its own database context and closes it; none needs the web app.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import sys
from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

from tortoise import timezone
from tortoise.context import TortoiseContext
from tortoise.migrations.api.migrate import migrate as migrate_api

from venskab import settings
from venskab.errors import DomainError, Invalid
from venskab.models import Organiser, Role


@contextlib.asynccontextmanager
async def database() -> AsyncIterator[None]:
    """An initialised ORM for one command, closed afterwards."""
    async with TortoiseContext() as context:
        await context.init(config=settings.TORTOISE_ORM)
        yield


async def migrate() -> None:
    """Apply every migration that has not been applied yet (idempotent)."""
    if settings.DATABASE_URL.startswith("sqlite://"):
        # A fresh checkout has no var/ folder yet; SQLite will not create folders.
        path = settings.DATABASE_URL.removeprefix("sqlite://").split("?", 1)[0]
        if path and path != ":memory:":
            from pathlib import Path

            Path(path).parent.mkdir(parents=True, exist_ok=True)
    async with database():
        await migrate_api(config=settings.TORTOISE_ORM)


async def seed_demo() -> str:
    from venskab import demo

    async with database():
        return await demo.seed(timezone.now())


async def create_organiser(email: str, role: Role, password: str, name: str = "") -> Organiser:
    """Create an organiser account, or reset the password and role of an existing one."""
    from venskab.accounts import save_organiser

    async with database():
        return await save_organiser(email=email, role=role, password=password, name=name)


async def purge(now: datetime) -> dict[str, int]:
    """Every retention step as of `now` (venskab/retention.py)."""
    from venskab import retention

    async with database():
        return await retention.purge(now)


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(settings.TIMEZONE))
    return moment


def check() -> list[str]:
    """Configuration problems; in production every one of them is fatal."""
    problems = settings.production_problems()
    if not settings.PRODUCTION:
        return []
    return problems


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password again: "):
            raise SystemExit("The passwords do not match.")
        return first
    return sys.stdin.readline().rstrip("\n")


async def camp_draw(slug: str, seed: str) -> list[str]:
    """Run a lottery camp's draw once (booking/lottery.py); what it did, in a few lines."""
    from booking import lottery

    async with database():
        camp = await lottery.camp_by_slug(slug)
        record = await lottery.run_draw(camp, seed, "command line", timezone.now())
        return await lottery.describe(record)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="venskab", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply database migrations")
    commands.add_parser("seed-demo", help="load the demo programme (only into an empty one)")
    organiser = commands.add_parser(
        "create-organiser", help="create an organiser account (password from prompt or stdin)"
    )
    organiser.add_argument("email")
    organiser.add_argument("--role", choices=[r.value for r in Role], default=Role.ORGANISER)
    organiser.add_argument("--name", default="")
    draw = commands.add_parser("camp-draw", help="run a lottery camp's draw (once)")
    draw.add_argument("camp", help="the camp event's slug")
    draw.add_argument("--seed", required=True, help="chosen in public after the window closed")
    commands.add_parser("check", help="check the configuration")
    commands.add_parser("worker", help="run the background worker until SIGTERM")
    purge_command = commands.add_parser(
        "purge", help="erase personal data past its retention period (the worker runs it daily)"
    )
    purge_command.add_argument(
        "--now", type=_moment, help="as if it were then (ISO 8601; no offset: Copenhagen time)"
    )
    args = parser.parse_args(argv)

    if args.command == "check":
        problems = check()
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        if problems:
            raise SystemExit(1)
        print(f"configuration ok ({settings.ENV})")
    elif args.command == "worker":
        import logging

        from venskab import worker

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        asyncio.run(worker.main())
    elif args.command == "purge":
        from venskab.retention import STEPS

        counts = asyncio.run(purge(args.now or timezone.now()))
        for step, label in STEPS.items():
            print(f"{label}: {counts[step]}")
    elif args.command == "migrate":
        asyncio.run(migrate())
        print("migrations applied")
    elif args.command == "seed-demo":
        print(asyncio.run(seed_demo()))
    elif args.command == "create-organiser":
        password = _read_password()
        try:
            created = asyncio.run(
                create_organiser(args.email, Role(args.role), password, args.name)
            )
        except Invalid as error:
            raise SystemExit("error: " + " ".join(error.errors.values())) from error
        print(f"organiser {created.email} ({created.role.value}) saved")
    elif args.command == "camp-draw":
        try:
            print("\n".join(asyncio.run(camp_draw(args.camp, args.seed))))
        except Invalid as error:
            raise SystemExit("error: " + " ".join(error.errors.values())) from error
        except DomainError as error:
            raise SystemExit(f"error: {error.message}") from error


if __name__ == "__main__":
    main()
