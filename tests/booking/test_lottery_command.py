"""`venskab camp-draw CAMP --seed S`, run as a real process on a database of its own (as
tests/venskab/test_cli.py runs the other commands)."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys

from tests.venskab.test_cli import environment, ok, run, sqlite_url  # noqa: F401 (a fixture)
from venskab import settings


def seeded_camp(url: str) -> str:
    """A lottery camp whose window has closed, with 40 applications (bench/camp_draw.py's
    seeding); its slug."""
    env = environment(url)
    ok(run("migrate", env=env))
    seeding = [sys.executable, "-m", "bench.camp_draw", "seed", "--applications", "40"]
    done = subprocess.run(
        [*seeding, "--capacity", "5"],
        env=env,
        cwd=settings.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return "bench-summer-camp"


def test_the_command_draws_once_and_says_what_it_did(sqlite_url):  # noqa: F811
    slug = seeded_camp(sqlite_url)
    env = environment(sqlite_url)
    output = ok(run("camp-draw", slug, "--seed", "2026 open meeting", env=env))
    assert "seed: 2026 open meeting" in output
    assert "applications drawn: 40" in output
    shown = re.search(r"input hash \(sha256\): ([0-9a-f]{64})", output)
    assert shown, output
    sessions = re.findall(r"placed (\d+) children .* waitlisted (\d+) children", output)
    assert len(sessions) == 6
    assert all(int(placed) <= 5 for placed, _ in sessions)
    with sqlite3.connect(sqlite_url.removeprefix("sqlite://")) as connection:
        stored = connection.execute("SELECT seed, input_hash, drawn_by FROM camp_draw").fetchall()
    assert stored == [("2026 open meeting", shown.group(1), "command line")]

    again = run("camp-draw", slug, "--seed", "another", env=env)
    assert again.returncode == 1
    assert "already been run" in again.stderr


def test_an_unknown_camp_is_an_error(sqlite_url):  # noqa: F811
    env = environment(sqlite_url)
    ok(run("migrate", env=env))
    result = run("camp-draw", "no-such-camp", "--seed", "x", env=env)
    assert result.returncode == 1
    assert "could not find that camp" in result.stderr
