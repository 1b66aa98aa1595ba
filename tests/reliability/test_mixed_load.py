"""Reliability under load (issue 8, points 5 and 6): 32 members reading and writing at
once for a minute, first on a healthy database, then through a PostgreSQL restart.

Every write the server acknowledged must be in the database afterwards, and the
counters kept beside the rows must agree with them (mixed_load.check). Run with
`-s` to see the figures; LOAD_SECONDS shortens the minute while developing.
"""

import math
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.reliability.conftest import load_seconds

pytestmark = [pytest.mark.load, pytest.mark.slow]

ANSWERED = {200, 302}
# The fault: the database goes down a third of the way in, for this long.
DOWN_SECONDS = 5
# After it is back, the site must serve again within this long.
RECOVERY_SECONDS = 5
# The outage, the recovery allowance, and enough load after both to see it served.
FAULT_MIN_SECONDS = 20
# "Temporarily unavailable", templates/503.html.
UNAVAILABLE_TITLE = "Temporarily unavailable · ShortScience"


def test_mixed_load_acknowledged_writes_are_stored_and_nothing_fails(site, tmp_path, capsys):
    seconds = load_seconds()

    results = site.run_load(seconds)
    site.stop_server()
    outcome = site.check(results, tmp_path)

    with capsys.disabled():
        print(f"\nmixed load, healthy database:\n{results.report()}\nstored: {outcome['stored']}")
    assert outcome["problems"] == []
    assert set(results.histogram()) <= {str(status) for status in ANSWERED}
    assert set(results.acknowledged()) == {"comment", "edit", "vote"}
    assert outcome["stored"]["comments"] == results.acknowledged()["comment"]
    assert site.workers_replaced() == 0
    # Nor a failure the site swallowed and logged.
    assert "Traceback" not in site.log.read_text()


def test_database_restart_mid_load_fails_cleanly_and_recovers(site, tmp_path, capsys):
    seconds = max(load_seconds(), FAULT_MIN_SECONDS)
    timeline = {}

    def restart_database():
        time.sleep(seconds / 3)
        timeline["stopping"] = time.monotonic()
        site.postgres.stop()
        timeline["stopped"] = time.monotonic()
        time.sleep(DOWN_SECONDS)
        site.postgres.start()
        timeline["up"] = time.monotonic()

    with ThreadPoolExecutor(max_workers=1) as restarter:
        restarted = restarter.submit(restart_database)
        results = site.run_load(seconds)
        restarted.result()
    site.stop_server()
    outcome = site.check(results, tmp_path)

    stopping, up = timeline["stopping"], timeline["up"]
    window_end = up + RECOVERY_SECONDS
    failed = [r for r in results.requests if r.status is None or r.status >= 500]
    outside_window = [r for r in failed if r.end < stopping or r.start > window_end]
    answered_after = [r for r in results.requests if r.start > window_end]
    # Requests sent once the database was back, within the allowance: the first that
    # succeeded says when the site recovered (its answer may wait behind others).
    recovered = [
        r for r in results.requests if r.status in ANSWERED and up <= r.start <= window_end
    ]
    first = min(recovered, key=lambda r: r.start, default=None)
    last_failure = max((r.start for r in failed), default=-math.inf)
    report = (
        f"\nmixed load, database restarted:\n{results.report()}\nstored: {outcome['stored']}\n"
        f"database stopping at {stopping - results.started:.1f} s, down after "
        f"{timeline['stopped'] - stopping:.1f} s, up again at {up - results.started:.1f} s; "
        f"last failed request sent {last_failure - up:+.2f} s after it was up"
    )
    if first:
        report += (
            f"; first success sent {first.start - up:+.2f} s after, "
            f"answered {first.end - up:+.2f} s after"
        )
    with capsys.disabled():
        print(report)
    assert outcome["problems"] == []
    assert failed, "the outage produced no failed request: it did not test anything"
    assert [r for r in failed if r.status != 503] == []
    assert outside_window == []
    assert {(r.title, r.retry_after) for r in failed} == {(UNAVAILABLE_TITLE, "5")}
    assert recovered
    assert answered_after
    assert {r.status for r in answered_after} <= ANSWERED
    assert site.workers_replaced() == 0
