"""The bot's Prometheus metrics (prometheus-client), served on /metrics by the webhook server.

The library's default registry also carries the process (CPU, memory, open files) and Python GC
metrics. Every process keeps its own values; Prometheus sums them across replicas.

Other parts of the bot bump the module-level metrics below, e.g.
`TRIAGE_OUTCOMES.labels(level="urgent").inc()` (the levels are emergency, urgent, soon and
reassure) or `record_reminders(report)`.
"""

from __future__ import annotations

from typing import Protocol

from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

# No `*_created` series beside each counter and histogram: nobody reads them here.
disable_created_metrics()

# The text exposition format the hand-written registry served; Prometheus reads it everywhere.
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4

# Seconds: from a fast local call to a Bot API request stuck behind Telegram's flood control.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

UPDATES_HANDLED = Counter(
    "sleepsigns_updates_handled_total",
    "Updates passed through the handlers, by update type (message, callback_query, ...).",
    ("type",),
)
UPDATES_FAILED = Counter(
    "sleepsigns_updates_failed_total",
    "Updates whose processing raised outside the handlers' error handler (retried later).",
    ("type",),
)
WEBHOOK_REQUESTS = Counter(
    "sleepsigns_webhook_requests_total",
    "Webhook POSTs by result: accepted, duplicate, forbidden, bad_request, unavailable.",
    ("result",),
)
UPDATE_LATENCY = Histogram(
    "sleepsigns_update_latency_seconds",
    "From accepting an update into the inbox to its handlers having finished.",
    buckets=LATENCY_BUCKETS,
)
TRIAGE_OUTCOMES = Counter(
    "sleepsigns_triage_outcomes_total",
    "Finished movement checks by outcome level (emergency, urgent, soon, reassure).",
    ("level",),
)
REMINDERS = Counter(
    "sleepsigns_reminders_total",
    "Reminder notes by result: sent, failed, retried (left for a later round), skipped.",
    ("result",),
)
BOT_API_LATENCY = Histogram(
    "sleepsigns_bot_api_request_seconds",
    "Bot API request round trips (send latency), by method, rate-limiter waits excluded.",
    ("method",),
    buckets=LATENCY_BUCKETS,
)
INBOX_DEPTH = Gauge(
    "sleepsigns_inbox_depth",
    "Updates accepted but not yet handled, across all replicas (read from the database; "
    "NaN when the database did not answer).",
)


def exposition() -> bytes:
    """Everything /metrics serves, in CONTENT_TYPE."""
    return generate_latest(REGISTRY)


def sample(name: str, **labels: str) -> float:
    """The current value of one sample (0 if it has none yet), e.g. for tests and benchmarks."""
    return REGISTRY.get_sample_value(name, labels) or 0.0


class ReminderRound(Protocol):
    """What `record_reminders` reads: the reminder dispatcher's TickReport has these."""

    sent: int
    failed: int
    retried: int
    skipped: int


def record_reminders(report: ReminderRound) -> None:
    """Count one reminder round's outcomes (call it with the dispatcher's TickReport)."""
    for result in ("sent", "failed", "retried", "skipped"):
        amount = getattr(report, result)
        if amount:
            REMINDERS.labels(result=result).inc(amount)
