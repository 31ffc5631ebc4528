"""What the triage texts must say at each level, and how easy they are to read."""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import pytest
import textstat

from bot.core.rules import Rules
from bot.core.rules_loader import load_rules
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
    for needed in ("emergency number", "on their side", "nothing in the mouth", "do not hold",
                   "note the time", "film"):  # fmt: skip
        assert needed in text, needed


@pytest.mark.parametrize(
    "ident", sorted(k for k, o in outcomes().items() if o.level is Level.EMERGENCY)
)
def test_emergency_outcomes_name_no_number_the_shell_shows_the_parents_own(ident: str) -> None:
    """Clinical notes 1.11: the bot adds the parent's number; the text says "your emergency
    number" and lists no country's number."""
    text = full_text(outcomes()[ident])
    assert "emergency number" in text.lower()
    assert not re.search(r"\b(112|911|999|000|111|119)\b", text), ident


def test_the_new_emergency_outcomes_exist() -> None:
    levels = {k: o.level for k, o in outcomes().items()}
    for ident in ("seizure_now", "first_seizure", "fever_fit_under_6_months", "emergency"):
        assert levels[ident] is Level.EMERGENCY, ident
    assert levels["fever_under_13_weeks"] is Level.URGENT
    assert levels["runs_or_lost_skills"] is Level.URGENT
    assert not {"fever_under_12_weeks", "jerks_and_lost_skills"} & set(levels)


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
            texts[f"{flow.id} {q.id}"] = "\n".join(
                [q.text.get("en"), *(i.get("en") for i in q.items)]
                + ([q.help.get("en")] if q.help else [])
            )
    for ident, outcome in outcomes().items():
        texts[f"outcome {ident}"] = full_text(outcome)
    grades = {label: textstat.flesch_kincaid_grade(plain(t)) for label, t in texts.items()}
    too_hard = {k: v for k, v in grades.items() if v > MAX_GRADE_EACH}
    mean = sum(grades.values()) / len(grades)
    table = "\n".join(f"{v:5.1f}  {k}" for k, v in sorted(grades.items(), key=lambda kv: -kv[1]))
    assert not too_hard and mean <= MAX_GRADE_MEAN, table


NEGATION = re.compile(r"\b(not|never|no longer)\b|n['’]t\b", re.I)


def test_questions_ask_one_short_thing() -> None:
    for flow in rules().triage.values():
        for q in flow.questions.values():
            text = q.text.get("en")
            assert len(text) <= 120, (flow.id, q.id)
            assert text.count("?") <= 2, (flow.id, q.id)
            assert not NEGATION.search(text), (flow.id, q.id)  # asked positively
            assert len(q.items) <= 3, (flow.id, q.id)
            for item in q.items:
                assert len(item.get("en")) <= 100 and not NEGATION.search(item.get("en"))
            for option in q.options:
                # Buttons may restate the answer ("No: floppy, very sleepy or not reacting").
                assert len(option.label.get("en")) <= 40, (flow.id, q.id)


def test_grouped_questions_offer_one_or_more_none_or_not_sure() -> None:
    grouped = [q for f in rules().triage.values() for q in f.questions.values() if q.grouped]
    assert len(grouped) >= 6
    for q in grouped:
        labels = [(o.value, o.label.get("en")) for o in q.options]
        assert labels == [
            ("any", "One or more of these"),
            ("none", "None of these"),
            ("unknown", "Not sure"),
        ], q.id
