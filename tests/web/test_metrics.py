"""The tiny Prometheus registry renders valid text exposition format."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot import metrics
from bot.metrics import Registry
from bot.web.timing import method_of


def test_counters_gauges_and_histograms_render() -> None:
    registry = Registry()
    plain = registry.counter("jobs_total", "Jobs done.")
    by_kind = registry.counter("events_total", "Events.", ("kind",))
    depth = registry.gauge("depth", "Queue depth.")
    seconds = registry.histogram("work_seconds", "Work time.", ("step",))
    seconds.buckets = (0.1, 1.0)
    plain.inc()
    by_kind.inc(kind='say "hi"\n')
    by_kind.inc(2, kind="a\\b")
    depth.set(3)
    for value in (0.05, 0.5, 5.0):
        seconds.observe(value, step="x")
    assert registry.render() == (
        "# HELP jobs_total Jobs done.\n# TYPE jobs_total counter\njobs_total 1\n"
        "# HELP events_total Events.\n# TYPE events_total counter\n"
        'events_total{kind="a\\\\b"} 2\n'
        'events_total{kind="say \\"hi\\"\\n"} 1\n'
        "# HELP depth Queue depth.\n# TYPE depth gauge\ndepth 3\n"
        "# HELP work_seconds Work time.\n# TYPE work_seconds histogram\n"
        'work_seconds_bucket{step="x",le="0.1"} 1\n'
        'work_seconds_bucket{step="x",le="1"} 2\n'
        'work_seconds_bucket{step="x",le="+Inf"} 3\n'
        'work_seconds_sum{step="x"} 5.55\n'
        'work_seconds_count{step="x"} 3\n'
    )


def test_misuse_is_refused() -> None:
    registry = Registry()
    counter = registry.counter("c_total", "C.", ("kind",))
    with pytest.raises(ValueError, match="labels"):
        counter.inc(other="x")
    with pytest.raises(ValueError, match="only goes up"):
        counter.inc(-1, kind="x")
    with pytest.raises(ValueError, match="twice"):
        registry.counter("c_total", "again")


def test_record_reminders_counts_a_round() -> None:
    @dataclass
    class Round:
        sent: int = 3
        failed: int = 1
        retried: int = 2
        skipped: int = 0

    before = {r: metrics.REMINDERS.value(result=r) for r in ("sent", "failed", "retried")}
    metrics.record_reminders(Round())
    assert metrics.REMINDERS.value(result="sent") == before["sent"] + 3
    assert metrics.REMINDERS.value(result="failed") == before["failed"] + 1
    assert metrics.REMINDERS.value(result="retried") == before["retried"] + 2


def test_only_method_names_become_labels() -> None:
    assert method_of("https://api.telegram.org/bot1:secret/sendMessage") == "sendMessage"
    assert method_of("https://api.telegram.org/file/bot1:secret/photos/file_0.jpg") == "other"
