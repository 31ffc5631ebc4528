"""Twins share one note; names are joined, escaped and capitalised where a sentence starts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from bot.core.age import AgeSpan
from bot.core.milestones import (
    Baby,
    Milestone,
    group_twins,
    join_names,
    render_cohort,
    render_note,
    schedule_key,
)
from bot.core.rules.models import LocalText

WORDS = {"one": "your baby", "many": "your babies", "and_word": "and"}


def _note(text: str, cohort: str | None = None) -> Milestone:
    return Milestone(
        id="n",
        age=AgeSpan(6, "weeks"),
        corrected=True,
        title=LocalText({"en": "N"}, "en"),
        text=LocalText({"en": text}, "en"),
        cohort_text=LocalText({"en": cohort}, "en") if cohort else None,
        sources=("S1",),
    )


def test_twins_with_the_same_birth_and_gestation_share_a_group() -> None:
    ann = Baby(date(2026, 1, 1), 34, "Ann")
    ben = Baby(date(2026, 1, 1), 34, "Ben")
    cy = Baby(date(2026, 1, 1), 33, "Cy")  # other gestation: other days
    dot = Baby(date(2027, 3, 3), None, "Dot")
    assert group_twins([ann, dot, ben, cy]) == [(ann, ben), (dot,), (cy,)]


def test_babies_whose_notes_fall_on_the_same_days_share_a_group() -> None:
    # 39 weeks and "on time" are both uncorrected, so their notes fall on the same days.
    on_time = Baby(date(2026, 1, 1), None, "Ann")
    late = Baby(date(2026, 1, 1), 39, "Ben")
    term_37 = Baby(date(2026, 1, 1), 37, "Cy")
    assert group_twins([on_time, late, term_37]) == [(on_time, late, term_37)]
    assert (
        schedule_key(on_time) == schedule_key(term_37) != schedule_key(Baby(date(2026, 1, 1), 36))
    )


def test_group_twins_takes_any_row_with_birth_and_gestation() -> None:
    @dataclass(frozen=True)
    class Row:
        id: int
        birth: date
        gestational_weeks: int | None

    rows = [Row(1, date(2026, 1, 1), 30), Row(2, date(2026, 1, 1), 30)]
    assert group_twins(rows) == [tuple(rows)]
    assert group_twins([]) == []


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Ann"], "Ann"),
        (["Ann", "Ben"], "Ann and Ben"),
        (["Ann", "Ben", "Cy"], "Ann, Ben and Cy"),
        ([None], "your baby"),
        (["  "], "your baby"),
        (["Ann", None], "your babies"),
        (["<Ann> & co"], "&lt;Ann&gt; &amp; co"),
        ([" Ann "], "Ann"),
    ],
)
def test_join_names(names: list[str | None], expected: str) -> None:
    assert join_names(names, **WORDS) == expected


def test_join_names_needs_a_baby() -> None:
    with pytest.raises(ValueError):
        join_names([], **WORDS)


def test_render_note_fills_and_capitalises_the_name() -> None:
    note = _note("<b>Hi</b>\n{name} may smile. Smile at {name}! {name} can wait.")
    assert render_note(note, "en", "your baby") == (
        "<b>Hi</b>\nYour baby may smile. Smile at your baby! Your baby can wait."
    )
    assert render_note(note, "en", "Ann and Ben").startswith("<b>Hi</b>\nAnn and Ben may")
    assert render_note(_note("<b>{name}</b>"), "en", "ann") == "<b>Ann</b>"


def test_render_note_keeps_braces_in_a_name() -> None:
    assert render_note(_note("Hello {name}."), "de", "{x}") == "Hello {x}."  # de falls back to en


def test_render_cohort() -> None:
    note = _note("x", cohort="Babies born in {month}")
    assert render_cohort(note, "en", "September 2026") == "Babies born in September 2026"
    assert render_cohort(note, "en", "<May>") == "Babies born in &lt;May&gt;"
    with pytest.raises(ValueError):
        render_cohort(_note("x"), "en", "May")
