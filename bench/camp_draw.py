"""The camp lottery's draw for 3,000 family applications (issue 5: under 2 s and under 200 MB).

Makes a fresh SQLite database in a temporary directory (or uses the empty PostgreSQL database
given with --database), runs `venskab migrate`, and seeds in its own process a published
lottery camp with 6 sessions (weeks; ages 6–9, 10–14 and 6–14, twice; 120 places each) and
3,000 applications whose window closed an hour ago: 1–4 children each (35/35/20/10 %), aged
6–14 with real dates of birth, siblings kept together in 9 of 10 families, each family or child
choosing 1–3 weeks it may go to, most wanted first (weeks the children's ages allow, so about
6,200 children compete for 720 places).

Then, in a process of its own (so its memory is the draw's): loads the applications as the draw
does and times the pure draw (booking/lottery.draw: the order and the placing, no database) as
the median of 5 runs, then times booking/lottery.run_draw as an organiser runs it: one
transaction with every session locked, registrations confirmed and queued in draw order,
applications allocated, the draw recorded, 3,000 result mails written into the outbox (to be
rendered when sent, with each child's outcome frozen in their params). It reports ru_maxrss,
the peak resident memory of that process. Then, outside the draw, it renders 200 of those
mails as the worker does just before sending (venskab/mail.render_stored): the worker's cost
per message, which the draw no longer pays.

Then the draw is undone and run again in another process under tracemalloc, which slows Python
down and so is kept out of the timing: the peak of Python's own allocations, for the pure draw
and for run_draw. The second run must give the same input hash and the same result as the
first (the same seed and applications).

It also says where run_draw's time went: the registrations (booking/camp.enrol_many: one bulk
insert, the children pointed at them in batches) and the result mails
(booking/camp_messages.results: one bulk insert), and the rest.

Targets: under 2 s for the pure draw and for the whole run_draw (database and mails included),
and the process's peak memory under 200 MB. Exits 1 when one is missed.

    .venv/bin/python bench/camp_draw.py [--applications 3000] [--capacity 120] [--seed S]
                                        [--database postgres://user@127.0.0.1:5432/empty_db]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a script (bench/camp_draw.py): make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BIN, ROOT, load_average, machine, run_json

SLUG = "bench-summer-camp"
WEEKS = [(6, 9), (10, 14), (6, 14), (6, 9), (10, 14), (6, 14)]
FAMILY_SIZES = [1] * 35 + [2] * 35 + [3] * 20 + [4] * 10  # children per application, in %
TOGETHER = 0.9  # families who keep their children together
TIME_TARGET = 2.0  # seconds, run_draw with the database
MEMORY_TARGET = 200  # MB, the process's peak resident memory
PURE_RUNS = 5
RENDERED = 200  # result mails rendered as the worker renders them when sending
GIVEN = ["Олена", "Андрій", "Марія", "Богдан", "Софія", "Максим", "Анна", "Дмитро", "Ірина"]
FAMILY = ["Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Мельник", "Бойко"]


# ---------------------------------------------------------------- seeding (own process)


async def seed(applications: int, capacity: int, rng_seed: str) -> dict:
    """The camp, its sessions and the applications, written in bulk (the draw is measured,
    not the forms)."""
    from tortoise import timezone

    from booking import camp as camp_rules
    from booking.models import AllocationRule, Camp, CampApplication, Child, Swimming
    from events.models import Category, Event, EventStatus, EventText, Occurrence, Venue
    from venskab.cli import database

    rng = random.Random(rng_seed)
    now = timezone.now()
    async with database():
        venue = await Venue.create(
            slug="bench-camp-venue", name="Kulturhuset", address="Islands Brygge 18, København"
        )
        event = await Event.create(
            slug=SLUG, category=Category.CAMP, status=EventStatus.PUBLISHED, published_at=now
        )
        for language, title in {"uk": "Літній табір", "da": "Sommerlejr", "en": "Summer camp"}:
            await EventText.create(event=event, language=language, title=title)
        first_monday = (now + timedelta(days=60)).replace(hour=7, minute=0, second=0)
        sessions = [
            await Occurrence.create(
                event=event,
                venue=venue,
                starts_at=first_monday + timedelta(days=7 * n),
                ends_at=first_monday + timedelta(days=7 * n + 4, hours=8),
                capacity=capacity,
                min_age=low,
                max_age=high,
                max_seats_per_registration=6,
            )
            for n, (low, high) in enumerate(WEEKS)
        ]
        camp_row = await Camp.create(
            event=event,
            allocation=AllocationRule.LOTTERY,
            applications_open_at=now - timedelta(days=30),
            applications_close_at=now - timedelta(hours=1),
        )
        summer = camp_rules.first_day(sessions[0])

        def born() -> date:
            while True:  # a child the camp takes (the form refuses the others)
                age = rng.randint(6, 14)
                birth = date(summer.year - age, 1, 1) + timedelta(days=rng.randrange(365))
                if any(camp_rules.eligible(birth, s) for s in sessions):
                    return birth

        def choose(children: list[date]) -> list[int]:
            may = [s.id for s in sessions if all(camp_rules.eligible(b, s) for b in children)]
            return rng.sample(may, min(len(may), rng.randint(1, 3)))

        rows, families = [], []
        for n in range(applications):
            births = [born() for _ in range(rng.choice(FAMILY_SIZES))]
            together = len(births) == 1 or rng.random() < TOGETHER
            if together and not choose(births):  # no week for all their ages: apart
                together = False
            shared = choose(births) if together else []
            families.append([(b, shared or choose([b])) for b in births])
            surname = rng.choice(FAMILY)
            rows.append(
                CampApplication(
                    camp=camp_row,
                    status="submitted",
                    guardian_name=f"{rng.choice(GIVEN)} {surname}",
                    guardian_email=f"family{n}@bench.example",
                    guardian_phone="+45 12 34 56 78",
                    guardian_address=f"Amagerbrogade {n % 200 + 1}, 2300 København S",
                    language=rng.choice(["uk", "uk", "uk", "da", "en"]),
                    emergency_name=f"{rng.choice(GIVEN)} {surname}",
                    emergency_phone="+45 87 65 43 21",
                    consent_data=True,
                    consent_photos=rng.random() < 0.7,
                    consent_emergency_treatment=True,
                    keep_siblings_together=together,
                    idempotency_key=f"bench-{n:05d}-{secrets.token_hex(8)}",
                    token_nonce=secrets.token_hex(16),
                    submitted_at=now - timedelta(days=30) + timedelta(seconds=n * 800),
                )
            )
        await CampApplication.bulk_create(rows, batch_size=500)
        ids = dict(await CampApplication.filter(camp=camp_row).values_list("idempotency_key", "id"))
        children = [
            Child(
                application_id=ids[row.idempotency_key],
                number=number,
                name=f"{rng.choice(GIVEN)} {row.guardian_name.split()[-1]}",
                date_of_birth=birth,
                preferences=weeks,
                allergies_diet=rng.choice(["", "", "", "Горіхи", "Лактоза", "Вегетаріанка"]),
                medical_notes=rng.choice(["", "", "", "", "Астма, інгалятор у рюкзаку"]),
                swimming=rng.choice(list(Swimming)),
            )
            for row, family in zip(rows, families, strict=True)
            for number, (birth, weeks) in enumerate(family, start=1)
        ]
        await Child.bulk_create(children, batch_size=1000)
        return {
            "camp": camp_row.id,
            "applications": len(rows),
            "children": len(children),
            "together": sum(
                r.keep_siblings_together and len(f) > 1 for r, f in zip(rows, families, strict=True)
            ),
            "families_of_several": sum(len(f) > 1 for f in families),
            "places": capacity * len(WEEKS),
        }


# ---------------------------------------------------------------- measuring (own process)


async def measure(seed_text: str, trace: bool) -> dict:
    """Time (or, with trace, tracemalloc) the pure draw and run_draw on the seeded camp."""
    from tortoise import timezone

    from booking import camp as camp_rules
    from booking import camp_messages, capacity, lottery
    from booking.models import CampApplication, CampDraw, Child
    from venskab.cli import database

    async with database():
        camp_row = await lottery.camp_by_slug(SLUG)
        before = None
        if trace:
            before = await CampDraw.get(camp_id=camp_row.id)
            await undo(camp_row)
        gc.collect()
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        sessions = {s.id: s for s in await camp_rules.sessions_of(camp_row)}
        applications = await CampApplication.filter(camp=camp_row, status="submitted").order_by(
            "id"
        )
        children = await Child.filter(application__camp=camp_row, withdrawn_at=None).order_by(
            "application_id", "number"
        )
        units = lottery.units_for(applications, children, sessions)
        free = {
            session_id: seats.available
            for session_id, seats in (
                await capacity.availabilities(sessions.values(), timezone.now())
            ).items()
        }
        load_seconds = time.perf_counter() - started
        pure_seconds, pure_peak = [], 0
        for _ in range(1 if trace else PURE_RUNS):
            if trace:
                tracemalloc.reset_peak()
                baseline = tracemalloc.get_traced_memory()[0]
            started = time.perf_counter()
            lottery.draw(units, free, seed_text)
            pure_seconds.append(time.perf_counter() - started)
            if trace:
                pure_peak = tracemalloc.get_traced_memory()[1] - baseline
        del applications, children, units
        gc.collect()
        if trace:
            tracemalloc.reset_peak()
        phases = {"enrol": 0.0, "mails": 0.0}
        if not trace:
            camp_rules.enrol_many = _timed(camp_rules.enrol_many, phases, "enrol")
            camp_messages.results = _timed(camp_messages.results, phases, "mails")
        started, cpu = time.perf_counter(), time.process_time()
        record = await lottery.run_draw(camp_row, seed_text, "bench", timezone.now())
        run_seconds, run_cpu = time.perf_counter() - started, time.process_time() - cpu
        run_peak = tracemalloc.get_traced_memory()[1] if trace else 0
        tracemalloc.stop()
        counts = lottery.tally(record.result)
        return {
            "load_seconds": load_seconds,
            "pure_seconds": statistics.median(pure_seconds),
            "run_seconds": run_seconds,
            "run_cpu_seconds": run_cpu,
            "enrol_seconds": phases["enrol"],
            "mail_seconds": phases["mails"],
            "pure_peak_bytes": pure_peak,
            "run_peak_bytes": run_peak,
            "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            "input_hash": record.input_hash,
            "units": len(record.result),
            "applications": record.applications,
            "same_as_before": None
            if before is None
            else (before.input_hash, before.result) == (record.input_hash, record.result),
            "sessions": {
                str(s): [
                    c.placed_children,
                    c.placed_units,
                    c.waitlisted_children,
                    c.waitlisted_units,
                ]
                for s, c in counts.items()
            },
            "mails": await _result_mails(),
            "render_seconds": [] if trace else await _render_some(RENDERED),
        }


def _timed(function, phases: dict[str, float], phase: str):
    """The coroutine function, adding the wall time of each call to phases[phase]."""

    async def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return await function(*args, **kwargs)
        finally:
            phases[phase] += time.perf_counter() - started

    return timed


async def _render_some(count: int) -> list[float]:
    """Render `count` result mails as the worker does just before sending them (and put them
    back unrendered): seconds per message."""
    from tortoise import timezone

    from venskab import mail
    from venskab.models import OutboxMessage

    messages = await OutboxMessage.filter(template="camp/result").order_by("id").limit(count)
    seconds = []
    for message in messages:
        started = time.perf_counter()
        await mail.render_stored(message, timezone.now())
        seconds.append(time.perf_counter() - started)
    await OutboxMessage.filter(id__in=[m.id for m in messages]).update(
        subject="", text_body="", html_body="", rendered_at=None
    )
    return seconds


async def _result_mails() -> int:
    from venskab.models import OutboxMessage

    return await OutboxMessage.filter(template="camp/result").count()


async def undo(camp_row) -> None:
    """The camp as before its draw: no registrations, mails or record, applications submitted."""
    from tortoise.transactions import in_transaction

    from booking.models import CampApplication, CampDraw, Child, Registration
    from events.models import Occurrence
    from venskab.models import OutboxMessage

    async with in_transaction():
        await Child.filter(application__camp=camp_row).update(registration_id=None)
        sessions = await Occurrence.filter(event_id=camp_row.event_id).values_list("id", flat=True)
        await Registration.filter(occurrence_id__in=sessions).delete()
        await OutboxMessage.filter(template="camp/result").delete()
        await CampDraw.filter(camp=camp_row).delete()
        await CampApplication.filter(camp=camp_row).update(status="submitted")
        camp_row.drawn_at = None
        await camp_row.save(update_fields=["drawn_at"])


# ---------------------------------------------------------------- the run


def check(ok: bool, text: str) -> bool:
    print(f"{'PASS' if ok else 'FAIL'}: {text}")
    return ok


def run(args: argparse.Namespace, workdir: Path) -> bool:
    lines = machine("none (no HTTP)")
    lines[2] = "server:  none (the draw runs in one process, as `venskab camp-draw` does)"
    print("\n".join(lines))
    url = args.database or f"sqlite://{workdir / 'bench.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    env.pop("VENSKAB_CAPACITY_LOCK", None)  # the lock stays on, as in production
    started = time.monotonic()
    migrate = subprocess.run(
        [str(BIN / "venskab"), "migrate"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if migrate.returncode != 0:
        raise SystemExit(f"venskab migrate failed:\n{migrate.stdout}{migrate.stderr}")
    me = [sys.executable, "-m", "bench.camp_draw"]
    seeded = run_json(
        [*me, "seed", "--applications", str(args.applications), "--capacity", str(args.capacity)],
        env,
    )
    backend = "PostgreSQL (given)" if args.database else "SQLite, fresh, temporary"
    print(
        f"database: {backend}; seeded in {time.monotonic() - started:.1f} s: a lottery camp "
        f"with {len(WEEKS)} sessions of {args.capacity} places ({seeded['places']} in all), "
        f"{seeded['applications']} applications, {seeded['children']} children "
        f"({seeded['families_of_several']} families of several, {seeded['together']} of them "
        "kept together)"
    )
    print(f"seed: {args.seed!r}")
    timed = run_json([*me, "measure", "--seed", args.seed], env)
    traced = run_json([*me, "measure", "--seed", args.seed, "--trace"], env)
    print()
    print(f"loading the applications as the draw does: {timed['load_seconds'] * 1000:8.1f} ms")
    print(
        f"pure draw (order + placing, no database):   {timed['pure_seconds'] * 1000:8.1f} ms "
        f"(median of {PURE_RUNS}), Python peak {traced['pure_peak_bytes'] / 2**20:.1f} MB"
    )
    print(
        f"run_draw (one transaction, database, mails): {timed['run_seconds'] * 1000:8.1f} ms "
        f"wall, {timed['run_cpu_seconds'] * 1000:.1f} ms CPU of this process; Python peak "
        f"{traced['run_peak_bytes'] / 2**20:.1f} MB (tracemalloc, separate run)"
    )
    rest = timed["run_seconds"] - timed["enrol_seconds"] - timed["mail_seconds"]
    print(
        f"  of which registrations (camp.enrol_many, bulk): {timed['enrol_seconds'] * 1000:8.1f} "
        f"ms, result mails (camp_messages.results, one bulk insert): "
        f"{timed['mail_seconds'] * 1000:.1f} ms, the rest (locks, loading, the draw, statuses, "
        f"record): {rest * 1000:.1f} ms"
    )
    rendered = timed["render_seconds"]
    if rendered:
        print(
            f"rendering a result mail when it is sent (the worker, outside the draw; "
            f"{len(rendered)} mails): median {statistics.median(rendered) * 1000:.1f} ms, "
            f"max {max(rendered) * 1000:.1f} ms each"
        )
    rss = timed["maxrss_kb"] / 1024
    print(f"process peak resident memory (ru_maxrss): {rss:.1f} MB (interpreter and imports too)")
    print(
        f"units drawn: {timed['units']} for {timed['applications']} applications; "
        f"result mails in the outbox: {timed['mails']}; input hash {timed['input_hash']}"
    )
    print()
    print(f"{'session':>9} {'placed':>16} {'waitlisted':>20}")
    for session, (pc, pu, wc, wu) in sorted(
        timed["sessions"].items(), key=lambda item: (item[0] == "None", item[0])
    ):
        label = "nowhere" if session == "None" else session
        print(f"{label:>9} {pc:>6} children {pu:>5} units {wc:>6} children {wu:>5} units")
    placed = sum(v[0] for v in timed["sessions"].values() if v)
    print(f"{'all':>9} {placed:>6} children placed of {seeded['children']}")
    print()
    passed = check(
        timed["pure_seconds"] < TIME_TARGET,
        f"the draw itself (pure) took {timed['pure_seconds']:.3f} s (target under "
        f"{TIME_TARGET:g} s)",
    )
    passed &= check(
        timed["run_seconds"] < TIME_TARGET,
        f"run_draw, database and {timed['mails']} result mails included, took "
        f"{timed['run_seconds']:.2f} s (target under {TIME_TARGET:g} s)",
    )
    passed &= check(
        rss < MEMORY_TARGET, f"peak memory {rss:.1f} MB (target under {MEMORY_TARGET} MB)"
    )
    passed &= check(
        bool(traced["same_as_before"]),
        "the second run (same seed, same applications) gave the same hash and result",
    )
    passed &= check(
        timed["mails"] == seeded["applications"] and placed <= seeded["places"],
        f"{timed['mails']} result mails for {seeded['applications']} applications; "
        f"{placed} children placed in {seeded['places']} places",
    )
    print(f"after: {load_average()}")
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", default="run", choices=["run", "seed", "measure"])
    parser.add_argument("--applications", type=int, default=3000)
    parser.add_argument("--capacity", type=int, default=120, help="places per session")
    parser.add_argument("--seed", default="2026-05-04 Rådhuspladsen 17", help="the draw's seed")
    parser.add_argument("--trace", action="store_true", help="measure: under tracemalloc")
    parser.add_argument("--database", help="an empty PostgreSQL database (default: new SQLite)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    if args.command == "seed":  # in its own process, with DATABASE_URL set
        print(json.dumps(asyncio.run(seed(args.applications, args.capacity, "bench"))))
        return
    if args.command == "measure":
        print(json.dumps(asyncio.run(measure(args.seed, args.trace))))
        return
    if not 1 <= args.applications <= 100_000 or args.capacity < 1:
        parser.error("need 1 ≤ --applications ≤ 100000 and --capacity ≥ 1")
    workdir = Path(tempfile.mkdtemp(prefix="venskab-bench-camp-draw-"))
    try:
        passed = run(args, workdir)
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    raise SystemExit(0 if passed else 1)


if __name__ == "__main__":
    main()
