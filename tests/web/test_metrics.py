"""/metrics: the bot's own families, with prometheus-client's process and GC metrics beside them."""

from __future__ import annotations

from dataclasses import dataclass

from bot import metrics
from bot.telegram.transport import method_of


def test_exposition_carries_the_bot_process_and_gc_metrics() -> None:
    metrics.TRIAGE_OUTCOMES.labels(level="urgent").inc()
    text = metrics.exposition().decode()
    assert "# TYPE sleepsigns_triage_outcomes_total counter" in text
    assert 'sleepsigns_triage_outcomes_total{level="urgent"}' in text
    assert "# TYPE sleepsigns_bot_api_request_seconds histogram" in text
    assert "python_gc_collections_total" in text
    assert "process_resident_memory_bytes" in text
    assert "_created" not in text
    assert metrics.CONTENT_TYPE.startswith("text/plain; version=0.0.4")


def test_record_reminders_counts_a_round() -> None:
    @dataclass
    class Round:
        sent: int = 3
        failed: int = 1
        retried: int = 2
        skipped: int = 0

    def reminders(result: str) -> float:
        return metrics.sample("sleepsigns_reminders_total", result=result)

    before = {r: reminders(r) for r in ("sent", "failed", "retried", "skipped")}
    metrics.record_reminders(Round())
    assert reminders("sent") == before["sent"] + 3
    assert reminders("failed") == before["failed"] + 1
    assert reminders("retried") == before["retried"] + 2
    assert reminders("skipped") == before["skipped"]


def test_only_method_names_become_labels() -> None:
    assert method_of("https://api.telegram.org/bot1:secret/sendMessage") == "sendMessage"
    assert method_of("https://api.telegram.org/file/bot1:secret/photos/file_0.jpg") == "other"
