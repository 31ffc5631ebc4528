"""A tiny, dependency-free Prometheus registry: counters, histograms and gauges as text.

Why not `prometheus_client`: the bot needs a handful of metrics in one process and one event
loop, so a few dozen lines render the text exposition format (version 0.0.4) without a new
dependency. Every process keeps its own values; Prometheus sums them across replicas.

Other parts of the bot bump the module-level metrics below, e.g.
`TRIAGE_OUTCOMES.inc(level="call_doctor")` or `record_reminders(report)`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

LabelValues = tuple[str, ...]

# Seconds: from a fast local call to a Bot API request stuck behind Telegram's flood control.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


def _escape(value: str) -> str:
    return value.replace("\\", r"\\").replace("\n", r"\n").replace('"', r"\"")


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _labels(names: Sequence[str], values: Sequence[str], extra: str = "") -> str:
    pairs = [f'{name}="{_escape(value)}"' for name, value in zip(names, values, strict=True)]
    if extra:
        pairs.append(extra)
    return "{" + ",".join(pairs) + "}" if pairs else ""


class _Metric:
    kind = "untyped"

    def __init__(self, name: str, help_text: str, labelnames: Sequence[str] = ()) -> None:
        self.name = name
        self.help = help_text
        self.labelnames = tuple(labelnames)

    def _key(self, labels: dict[str, str]) -> LabelValues:
        if set(labels) != set(self.labelnames):
            raise ValueError(f"{self.name} takes labels {self.labelnames}, got {sorted(labels)}")
        return tuple(str(labels[name]) for name in self.labelnames)

    def samples(self) -> Iterable[str]:
        raise NotImplementedError

    def render(self) -> str:
        head = f"# HELP {self.name} {self.help}\n# TYPE {self.name} {self.kind}\n"
        return head + "".join(f"{line}\n" for line in self.samples())


class Counter(_Metric):
    """A value that only goes up (per label set)."""

    kind = "counter"

    def __init__(self, name: str, help_text: str, labelnames: Sequence[str] = ()) -> None:
        super().__init__(name, help_text, labelnames)
        self._values: dict[LabelValues, float] = {} if labelnames else {(): 0.0}

    def inc(self, amount: float = 1.0, **labels: str) -> None:
        if amount < 0:
            raise ValueError("a counter only goes up")
        key = self._key(labels)
        self._values[key] = self._values.get(key, 0.0) + amount

    def value(self, **labels: str) -> float:
        return self._values.get(self._key(labels), 0.0)

    def samples(self) -> Iterable[str]:
        for key, value in sorted(self._values.items()):
            yield f"{self.name}{_labels(self.labelnames, key)} {_number(value)}"


class Gauge(_Metric):
    """A value that is set (e.g. a queue depth read at scrape time)."""

    kind = "gauge"

    def __init__(self, name: str, help_text: str, labelnames: Sequence[str] = ()) -> None:
        super().__init__(name, help_text, labelnames)
        self._values: dict[LabelValues, float] = {}

    def set(self, value: float, **labels: str) -> None:
        self._values[self._key(labels)] = value

    def clear(self) -> None:
        self._values.clear()

    def value(self, **labels: str) -> float | None:
        return self._values.get(self._key(labels))

    def samples(self) -> Iterable[str]:
        for key, value in sorted(self._values.items()):
            yield f"{self.name}{_labels(self.labelnames, key)} {_number(value)}"


class Histogram(_Metric):
    """Observations counted into cumulative buckets, with their sum and count."""

    kind = "histogram"

    def __init__(
        self,
        name: str,
        help_text: str,
        labelnames: Sequence[str] = (),
        buckets: Sequence[float] = LATENCY_BUCKETS,
    ) -> None:
        super().__init__(name, help_text, labelnames)
        self.buckets = tuple(sorted(buckets))
        self._counts: dict[LabelValues, list[int]] = {}
        self._sums: dict[LabelValues, float] = {}

    def observe(self, value: float, **labels: str) -> None:
        key = self._key(labels)
        counts = self._counts.setdefault(key, [0] * (len(self.buckets) + 1))
        for index, bound in enumerate(self.buckets):
            if value <= bound:
                counts[index] += 1
                break
        else:
            counts[-1] += 1
        self._sums[key] = self._sums.get(key, 0.0) + value

    def count(self, **labels: str) -> int:
        return sum(self._counts.get(self._key(labels), []))

    def samples(self) -> Iterable[str]:
        for key, counts in sorted(self._counts.items()):
            running = 0
            for bound, count in zip((*self.buckets, math.inf), counts, strict=True):
                running += count
                le = f'le="{_number(bound)}"'
                yield f"{self.name}_bucket{_labels(self.labelnames, key, le)} {running}"
            yield f"{self.name}_sum{_labels(self.labelnames, key)} {_number(self._sums[key])}"
            yield f"{self.name}_count{_labels(self.labelnames, key)} {running}"


_M = TypeVar("_M", bound=_Metric)


class Registry:
    """The metrics one process exposes on /metrics, in registration order."""

    def __init__(self) -> None:
        self._metrics: dict[str, _Metric] = {}

    def _add(self, metric: _M) -> _M:
        if metric.name in self._metrics:
            raise ValueError(f"metric {metric.name} registered twice")
        self._metrics[metric.name] = metric
        return metric

    def counter(self, name: str, help_text: str, labelnames: Sequence[str] = ()) -> Counter:
        return self._add(Counter(name, help_text, labelnames))

    def gauge(self, name: str, help_text: str, labelnames: Sequence[str] = ()) -> Gauge:
        return self._add(Gauge(name, help_text, labelnames))

    def histogram(self, name: str, help_text: str, labelnames: Sequence[str] = ()) -> Histogram:
        return self._add(Histogram(name, help_text, labelnames))

    def render(self) -> str:
        return "".join(metric.render() for metric in self._metrics.values())


CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

REGISTRY = Registry()

UPDATES_HANDLED = REGISTRY.counter(
    "sleepsigns_updates_handled_total",
    "Updates passed through the handlers, by update type (message, callback_query, ...).",
    ("type",),
)
UPDATES_FAILED = REGISTRY.counter(
    "sleepsigns_updates_failed_total",
    "Updates whose processing raised outside the handlers' error handler (retried later).",
    ("type",),
)
WEBHOOK_REQUESTS = REGISTRY.counter(
    "sleepsigns_webhook_requests_total",
    "Webhook POSTs by result: accepted, duplicate, forbidden, bad_request, unavailable.",
    ("result",),
)
UPDATE_LATENCY = REGISTRY.histogram(
    "sleepsigns_update_latency_seconds",
    "From accepting an update into the inbox to its handlers having finished.",
)
TRIAGE_OUTCOMES = REGISTRY.counter(
    "sleepsigns_triage_outcomes_total",
    "Finished movement checks by outcome level (emergency, doctor_today, ...).",
    ("level",),
)
REMINDERS = REGISTRY.counter(
    "sleepsigns_reminders_total",
    "Reminder notes by result: sent, failed, retried (left for a later round), skipped.",
    ("result",),
)
BOT_API_LATENCY = REGISTRY.histogram(
    "sleepsigns_bot_api_request_seconds",
    "Bot API request round trips (send latency), by method, rate-limiter waits excluded.",
    ("method",),
)
INBOX_DEPTH = REGISTRY.gauge(
    "sleepsigns_inbox_depth",
    "Updates accepted but not yet handled, across all replicas (read from the database).",
)


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
            REMINDERS.inc(amount, result=result)
