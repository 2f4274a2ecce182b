"""The worker's dispatcher thread: the outbox every round, due jobs once per interval."""

import pytest

from picketline.jobs import schedule, worker
from picketline.mail import outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds(monkeypatch):
    """A busy outbox (every round sends something) and a count of job lookups."""
    looked_up = []
    clock = [1000.0]
    monkeypatch.setattr(outbox, "send_due", lambda limit: 200)
    monkeypatch.setattr(schedule, "run_due", lambda: looked_up.append(clock[0]) or [])
    monkeypatch.setattr(worker.time, "monotonic", lambda: clock[0])
    return looked_up, clock


def test_a_busy_outbox_looks_for_due_jobs_once_per_interval(rounds):
    looked_up, clock = rounds
    dispatcher = worker.Dispatcher(interval=1.0)
    for _ in range(5):
        assert dispatcher.run_once() == 200
        clock[0] += 0.25
    # Rounds at 1000, 1000.25, 1000.5, 1000.75, 1001: jobs at the first and the last.
    assert looked_up == [1000.0, 1001.0]


def test_draining_looks_for_due_jobs_every_round(rounds):
    looked_up, clock = rounds
    dispatcher = worker.Dispatcher(interval=0)
    for _ in range(3):
        dispatcher.run_once()
    assert len(looked_up) == 3
