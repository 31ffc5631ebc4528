"""Weekly channel tips: one explainer a week at the local hour, cycling, with telling ids."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.core.tips import tip_id, tip_schedule, topic_of

LONDON = ZoneInfo("Europe/London")


def test_weekly_at_the_local_hour_across_dst() -> None:
    entries = tip_schedule(["a", "b", "c"], date(2026, 3, 20), LONDON, 9, weeks=4)
    assert [note_id for note_id, _ in entries] == ["tip01_a", "tip02_b", "tip03_c", "tip04_a"]
    hours = [due.astimezone(LONDON).hour for _, due in entries]
    assert hours == [9, 9, 9, 9]  # 29 March 2026 moves the clocks; the local hour stays
    assert (entries[1][1].hour, entries[2][1].hour) == (9, 8)  # in UTC: summer time began


def test_topic_of_reads_only_tip_ids() -> None:
    assert topic_of(tip_id(12, "why_twitch")) == "why_twitch"
    assert topic_of("smile_check_12w") is None
    assert topic_of("tipx_a") is None
    assert tip_schedule([], date(2026, 1, 1), LONDON, 9) == []
