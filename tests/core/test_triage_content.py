"""What the triage texts must say at each level, and how easy they are to read."""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import pytest
import textstat

from bot.core.rules import Rules, load_rules
from bot.core.triage import Level, Outcome

ROOT = Path(__file__).resolve().parents[2]

MAX_GRADE_EACH = 8.0
MAX_GRADE_MEAN = 6.0


@cache
def rules() -> Rules:
    return load_rules(ROOT / "rules")


def outcomes() -> dict[str, Outcome]:
    return {o.id: o for f in rules().triage.values() for o in f.outcomes.values()}


def full_text(outcome: Outcome, locale: str = "en") -> str:
    parts = [outcome.title, outcome.text, *outcome.do_now, *outcome.watch_for]
    return "\n".join(p.get(locale) for p in parts)


def plain(text: str) -> str:
    """Tags off, entities decoded; each line is a sentence; 100.4 is not a sentence break."""
    text = re.sub(r"(?<=\d)\.(?=\d)", "", html.unescape(re.sub(r"<[^>]*>", "", text)))
    lines = [x.strip() for x in text.splitlines() if x.strip()]
    return "\n".join(x if re.search(r"[.!?:;]$", x) else f"{x}." for x in lines)


def test_emergency_says_call_now_and_first_aid() -> None:
    text = full_text(outcomes()["emergency"]).lower()
    for needed in ("emergency number", "112", "911", "999", "on their side", "nothing in the mouth",
                   "do not hold", "note the time", "film"):  # fmt: skip
        assert needed in text, needed


@pytest.mark.parametrize(
    "ident", sorted(k for k, o in outcomes().items() if o.level is Level.URGENT)
)
def test_urgent_outcomes_say_today_and_emergency_department(ident: str) -> None:
    text = full_text(outcomes()[ident]).lower()
    assert "today" in text or "right away" in text or "now" in text
    assert "emergency department" in text
    assert "emergency number" in text  # what would make it an emergency


@pytest.mark.parametrize("ident", sorted(k for k, o in outcomes().items() if o.level is Level.SOON))
def test_soon_outcomes_say_within_days_and_bring_a_video(ident: str) -> None:
    outcome = outcomes()[ident]
    text = full_text(outcome).lower()
    assert "next few days" in text
    if ident != "lost_skill":
        assert "next visit" in text
    assert any(w in text for w in ("film", "video")), ident


@pytest.mark.parametrize(
    "ident", sorted(k for k, o in outcomes().items() if o.level is Level.REASSURE)
)
def test_reassure_outcomes_list_what_to_watch_for_and_say_film_it(ident: str) -> None:
    outcome = outcomes()[ident]
    assert len(outcome.watch_for) >= 4
    watch = " ".join(w.get("en") for w in outcome.watch_for).lower()
    assert "emergency number" in watch and "doctor" in watch
    assert "film" in " ".join(d.get("en") for d in outcome.do_now).lower()


def test_reassure_after_twitches_names_the_watch_for_list_of_notes_1_10() -> None:
    watch = " ".join(w.get("en") for w in outcomes()["normal_sleep_jerks"].watch_for).lower()
    for sign in ("breathing", "5 minutes", "fever", "stiffening", "staring", "one side",
                 "in a row", "lost skill", "awake", "6 months"):  # fmt: skip
        assert sign in watch, sign


def test_no_outcome_claims_a_diagnosis_or_carries_the_disclaimer() -> None:
    condition = r"(a |an )?(seizure|fit|epilepsy|myoclonus|spasm|infantile|febrile|gelastic|benign)"
    banned = re.compile(
        rf"your (baby|child) (has|is having) {condition}|this (is|was) {condition}|"
        r"\bdiagnos|not a doctor|sleepsigns",
        re.I,
    )
    for ident, outcome in outcomes().items():
        assert not banned.search(full_text(outcome)), ident


def test_every_text_is_easy_to_read() -> None:
    texts: dict[str, str] = {}
    for flow in rules().triage.values():
        texts[f"{flow.id} intro"] = flow.intro.get("en")
        for q in flow.questions.values():
            texts[f"{flow.id} {q.id}"] = q.text.get("en") + (
                f"\n{q.help.get('en')}" if q.help else ""
            )
    for ident, outcome in outcomes().items():
        texts[f"outcome {ident}"] = full_text(outcome)
    grades = {label: textstat.flesch_kincaid_grade(plain(t)) for label, t in texts.items()}
    too_hard = {k: v for k, v in grades.items() if v > MAX_GRADE_EACH}
    mean = sum(grades.values()) / len(grades)
    table = "\n".join(f"{v:5.1f}  {k}" for k, v in sorted(grades.items(), key=lambda kv: -kv[1]))
    assert not too_hard and mean <= MAX_GRADE_MEAN, table


def test_questions_ask_one_short_thing() -> None:
    for flow in rules().triage.values():
        for q in flow.questions.values():
            text = q.text.get("en")
            assert len(text) <= 120, (flow.id, q.id)
            assert text.count("?") <= 2, (flow.id, q.id)
            for option in q.options:
                assert len(option.label.get("en")) <= 24, (flow.id, q.id)
