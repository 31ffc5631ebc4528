"""Issue 14: the milestone timeline picture, computed (term, preterm, twins) and drawn."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image

from bot.core.milestones.due import due_date
from bot.core.milestones.models import Baby
from bot.core.rules import Rules
from bot.core.timeline import NEXT_SHOWN, TimelineBaby, timeline, twins_of
from bot.media.drawing import TIMELINE_WIDTH, TimelineLabels, render_timeline, timeline_height

LABELS = TimelineLabels("Timeline: Ann", "age in months", "corrected age", "today", "sent", "next")
TODAY = date(2026, 11, 25)


def test_a_term_baby_has_every_note_on_three_years_with_today_sent_and_next(
    rules: Rules,
) -> None:
    birth = date(2026, 9, 1)
    ann = TimelineBaby("Ann", birth, None, frozenset({"social_smile_6w", "cdc_2_months"}))
    model = timeline([ann], rules.milestones.values(), TODAY, "en")
    assert len(model.marks) == len(rules.milestones)
    assert [m.number for m in model.marks] == list(range(1, len(model.marks) + 1))
    assert [m.due for m in model.marks] == sorted(m.due for m in model.marks)
    assert model.marks[0].position == 0 and model.marks[-1].position == 1  # birth to 3 years
    statuses = {m.milestone_id: m.status for m in model.marks}
    assert statuses["social_smile_6w"] == statuses["cdc_2_months"] == "sent"
    assert statuses["newborn_sleep"] == "missed"  # before the sign-up, never sent
    upcoming = [m for m in model.marks if m.status == "next"]
    assert len(upcoming) == NEXT_SHOWN and all(m.due >= TODAY for m in upcoming)
    assert upcoming[0].due == min(m.due for m in model.marks if m.due >= TODAY)
    assert model.today is not None and 0.07 < model.today < 0.08  # 12 weeks of 3 years
    assert model.ticks[0].months == 0 and model.ticks[-1].months == 36
    assert not model.preterm and model.corrected_end is None
    for mark in model.marks:  # stacked markers never sit on top of each other
        same = [o.position for o in model.marks if o.level == mark.level and o is not mark]
        assert all(abs(mark.position - other) >= 0.03 for other in same)


def test_a_preterm_baby_shows_both_ages_until_24_months(rules: Rules) -> None:
    birth = date(2026, 8, 1)
    baby = TimelineBaby("Ben", birth, 30, frozenset())  # born 10 weeks early
    model = timeline([baby], rules.milestones.values(), TODAY, "en")
    assert model.preterm
    assert model.corrected_ticks[0].months == 0 and model.corrected_ticks[0].position > 0
    assert model.corrected_end is not None and 0.66 < model.corrected_end < 0.67  # 24 of 36
    assert all(t.position < model.corrected_end for t in model.corrected_ticks)
    # Corrected notes fall 10 weeks later than for a term baby born the same day.
    smile = next(m for m in model.marks if m.milestone_id == "social_smile_6w")
    milestone = rules.milestones["social_smile_6w"]
    assert smile.due == due_date(milestone, Baby(birth, 30))
    assert (smile.due - due_date(milestone, Baby(birth))).days == 70


def test_twins_share_one_picture_and_their_sent_notes(rules: Rules) -> None:
    birth = date(2026, 9, 1)
    babies = {
        1: TimelineBaby("Ann", birth, None, frozenset({"social_smile_6w"})),
        2: TimelineBaby("Cy", date(2025, 1, 1), None, frozenset()),
        3: TimelineBaby("Ben", birth, 39, frozenset({"cdc_2_months"})),
    }
    assert twins_of(babies, 3) == [1, 3]  # 39 weeks is on time: same days as Ann
    model = timeline([babies[1], babies[3]], rules.milestones.values(), TODAY, "en")
    assert model.names == ("Ann", "Ben")
    sent = {m.milestone_id for m in model.marks if m.status == "sent"}
    assert sent == {"social_smile_6w", "cdc_2_months"}


def test_the_pictures_decode_at_the_expected_size(rules: Rules) -> None:
    for weeks in (None, 30):
        baby = TimelineBaby("Ann", date(2026, 8, 1), weeks, frozenset())
        model = timeline([baby], rules.milestones.values(), TODAY, "en")
        image = Image.open(io.BytesIO(render_timeline(model, LABELS)))
        assert image.format == "PNG"
        assert image.size == (TIMELINE_WIDTH, timeline_height(model))


def test_dates_on_the_timeline_are_written_in_the_chats_language(rules: Rules) -> None:
    baby = TimelineBaby("Ana", date(2026, 9, 1), None, frozenset())
    english = timeline([baby], rules.milestones.values(), TODAY, "en")
    spanish = timeline([baby], rules.milestones.values(), TODAY, "es")
    newborn = {m.milestone_id: m for m in english.marks}["newborn_sleep"]
    assert newborn.when == "Sep 1, 2026"
    assert {m.milestone_id: m for m in spanish.marks}["newborn_sleep"].when == "1 sept 2026"
