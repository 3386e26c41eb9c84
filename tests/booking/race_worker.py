"""One racing process for tests/booking/test_races.py and test_camp_races.py (not a test
module: run as a script).

    python tests/booking/race_worker.py register OCCURRENCE_ID ATTEMPTS LABEL [--seats 1|1-3]
    python tests/booking/race_worker.py cancel REGISTRATION_ID [REGISTRATION_ID ...]
    python tests/booking/race_worker.py camp-apply CAMP_ID SESSION_ID FAMILIES LABEL

DATABASE_URL (and VENSKAB_CAPACITY_LOCK, for the control twin) come from the environment, read
once when venskab.settings is imported. The process opens the ORM, fills its connection pool,
prints "ready" and waits for a line on stdin: the test writes it to every worker at once, so the
processes start racing together. Then it runs every attempt concurrently (asyncio.gather), each
through the service the web view calls, and prints one JSON line: what each attempt got.

An attempt's outcome is its registration's status, or "busy" / "conflict" for those domain
errors, or "error: <repr>" for anything else (the test allows none).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the project root

from tortoise import Tortoise, timezone

from booking import registrations, waitlist
from booking.models import Registration
from venskab.cli import database
from venskab.errors import Busy, Conflict

POOL = 10  # settings: maxsize=10 per process, as a web worker has


async def fill_pool() -> None:
    """Open every pooled connection before the start, so the race is not a race to connect."""
    connection = Tortoise.get_connection("default")
    if connection.capabilities.dialect != "postgres":
        return
    await asyncio.gather(*(connection.execute_query("SELECT pg_sleep(0.05)") for _ in range(POOL)))


async def wait_for_start() -> None:
    print("ready", flush=True)
    line = await asyncio.to_thread(sys.stdin.readline)
    if line.strip() != "go":
        raise SystemExit(f"expected 'go' on stdin, got {line!r}")


async def attempt(occurrence_id: int, label: str, n: int, seats: int) -> dict:
    email = f"{label}-{n}@race.example"
    key = f"{label}-{n}-{secrets.token_hex(8)}"
    form = registrations.RegistrationForm(
        name=f"Racer {label} {n}",
        email=email,
        seats=seats,
        consent=True,
        language="en",
        idempotency_key=key,
    )
    found = {"email": email, "key": key, "seats": seats}
    try:
        outcome = await registrations.register(occurrence_id, form, timezone.now())
    except Busy:
        return {**found, "outcome": "busy"}
    except Conflict:
        return {**found, "outcome": "conflict"}
    except Exception as error:
        return {**found, "outcome": f"error: {error!r}"}
    registration = outcome.registration
    return {**found, "outcome": str(registration.status), "id": registration.id}


async def register(args: argparse.Namespace) -> list[dict]:
    low, _, high = args.seats.partition("-")
    choose = random.Random(f"{args.label}-{args.occurrence}")  # reproducible party sizes
    sizes = [choose.randint(int(low), int(high or low)) for _ in range(args.attempts)]
    await wait_for_start()
    return await asyncio.gather(
        *(attempt(args.occurrence, args.label, n, size) for n, size in enumerate(sizes))
    )


async def cancel_one(registration: Registration) -> dict:
    found: dict = {"id": registration.id}
    try:
        outcome = await registrations.cancel(registration, timezone.now())
    except Busy:
        return {**found, "outcome": "busy"}
    except Exception as error:
        return {**found, "outcome": f"error: {error!r}"}
    return {**found, "outcome": "cancelled", "promoted": [r.id for r in outcome.promoted]}


async def cancel(args: argparse.Namespace) -> list[dict]:
    chosen = [await Registration.get(id=registration_id) for registration_id in args.ids]
    await wait_for_start()
    return await asyncio.gather(*(cancel_one(registration) for registration in chosen))


async def camp_apply_one(camp_row, form) -> dict:
    from booking import camp

    found: dict = {"key": form.idempotency_key, "children": len(form.children)}
    try:
        applied = await camp.apply(camp_row, form, timezone.now())
    except Busy:
        return {**found, "outcome": "busy"}
    except Exception as error:
        return {**found, "outcome": f"error: {error!r}"}
    return {**found, "outcome": "applied", "application": applied.application.id}


async def camp_apply(args: argparse.Namespace) -> list[dict]:
    """Families of 1–3 children (siblings kept together), all choosing the one session."""
    from booking.models import Camp
    from events.models import Occurrence
    from tests.factories import application_input, child_input

    camp_row = await Camp.get(id=args.camp)
    session = await Occurrence.get(id=args.session)
    choose = random.Random(f"{args.label}-{args.camp}")  # reproducible family sizes
    forms = [
        application_input(
            [child_input([session], age=choose.randint(6, 13)) for _ in range(choose.randint(1, 3))]
        )
        for _ in range(args.families)
    ]
    await wait_for_start()
    return await asyncio.gather(*(camp_apply_one(camp_row, form) for form in forms))


async def main(args: argparse.Namespace) -> None:
    async with database():
        await fill_pool()
        if args.command == "camp-apply":
            print(json.dumps(await camp_apply(args)), flush=True)
            return
        results = await (register(args) if args.command == "register" else cancel(args))
        # Where each waitlisted registration stands once this process is done (for the log).
        for result in results:
            if result["outcome"] == "waitlisted":
                registration = await Registration.get(id=result["id"])
                result["position_after"] = await waitlist.position(registration)
    print(json.dumps(results), flush=True)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="race_worker.py")
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("register")
    one.add_argument("occurrence", type=int)
    one.add_argument("attempts", type=int)
    one.add_argument("label")
    one.add_argument("--seats", default="1", help="seats per attempt: N or LOW-HIGH")
    other = commands.add_parser("cancel")
    other.add_argument("ids", type=int, nargs="+")
    camp = commands.add_parser("camp-apply")
    camp.add_argument("camp", type=int)
    camp.add_argument("session", type=int)
    camp.add_argument("families", type=int)
    camp.add_argument("label")
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse(sys.argv[1:])))
