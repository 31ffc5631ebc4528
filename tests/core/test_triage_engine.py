"""The runtime API the chat handlers call: step, InvalidAnswers, option_for_age, fingerprint."""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

import pytest

from bot.core.rules import load_rules
from bot.core.triage import (
    Flow,
    InvalidAnswers,
    Level,
    max_questions,
    option_for_age,
    step,
)

ROOT = Path(__file__).resolve().parents[2]

RULES = ROOT / "rules"


@cache
def flows() -> dict[str, Flow]:
    return dict(load_rules(RULES).triage)


def twitch() -> Flow:
    return flows()["twitch"]


def test_the_first_step_is_the_first_question() -> None:
    first = step(twitch(), [])
    assert first.question is not None and first.question.id == "breathing"
    assert first.outcome is None and not first.done
    assert (first.number, first.at_most) == (1, max_questions(twitch()))
    assert first.answered == () and first.answers == ()


def test_progress_counts_up_and_at_most_shrinks_on_a_short_branch() -> None:
    flow = twitch()
    no = 1  # options are listed Yes, No, Not sure
    after_e_block = step(flow, [no, no, no])
    assert after_e_block.question.id == "fever"
    assert (after_e_block.number, after_e_block.at_most) == (4, 12)
    fever_yes = step(flow, [no, no, no, 0])
    assert fever_yes.question.id == "fever_age"
    assert (fever_yes.number, fever_yes.at_most) == (5, 5)  # only the age is left
    unsure = step(flow, [2])
    assert unsure.question.id == "unresponsive_unsure"
    assert (unsure.number, unsure.at_most) == (2, 3)


def test_an_outcome_step_carries_the_answers_for_the_summary() -> None:
    flow = twitch()
    done = step(flow, [1, 1, 1, 0, 0])  # no danger sign, fever, under 12 weeks
    assert done.done and done.question is None
    assert done.outcome.id == "fever_under_12_weeks" and done.outcome.level is Level.URGENT
    assert done.number == done.at_most == 5
    assert [q.fact for q, _ in done.answered] == [
        "breathing_trouble_or_blue", "unresponsive", "lasting_over_5_min", "fever", "age_weeks",
    ]  # fmt: skip
    assert [o.label.get("en") for _, o in done.answered][-2:] == ["Yes", "Under 12 weeks"]
    assert done.answers == (1, 1, 1, 0, 0)


def test_emergency_after_one_answer() -> None:
    done = step(twitch(), [0])
    assert done.outcome.level is Level.EMERGENCY and done.number == 1


@pytest.mark.parametrize(
    "answers",
    [[3], [-1], [1, 1, 1, 9], [0, 0], [0, 1, 2], [1, 1, 1, 0, 0, 0]],
    ids=["past-last", "negative", "past-last-later", "after-outcome", "after-outcome-2", "extra"],
)
def test_invalid_answers_raise(answers: list[int]) -> None:
    with pytest.raises(InvalidAnswers):
        step(twitch(), answers)


@pytest.mark.parametrize("bad", [True, "1", 1.0, None])
def test_answers_must_be_whole_option_numbers(bad: object) -> None:
    with pytest.raises(InvalidAnswers):
        step(twitch(), [bad])  # type: ignore[list-item]


def test_invalid_answers_is_a_value_error() -> None:
    assert issubclass(InvalidAnswers, ValueError)


def test_option_for_age_picks_the_range() -> None:
    age = twitch().questions["fever_age"]
    assert [option_for_age(age, w) for w in (0, 11, 12, 25, 26, 259)] == [0, 0, 1, 1, 2, 2]
    smile_age = flows()["smile"].questions["age"]
    assert [option_for_age(smile_age, w) for w in (0, 11, 12, 100)] == [0, 0, 1, 1]


@pytest.mark.parametrize("weeks", [-1, 260, 5000])
def test_option_for_age_out_of_range(weeks: int) -> None:
    with pytest.raises(ValueError, match="no age range"):
        option_for_age(twitch().questions["fever_age"], weeks)


def test_option_for_age_needs_the_age_question() -> None:
    with pytest.raises(ValueError, match="does not ask the age"):
        option_for_age(twitch().questions["fever"], 10)


def test_max_questions() -> None:
    assert max_questions(twitch()) == 12
    assert max_questions(flows()["smile"]) == 9


# ---- fingerprint ------------------------------------------------------------------------------


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    target.mkdir()
    for name in ("locales.yaml", "sources.yaml", "ui.yaml"):
        shutil.copy(RULES / name, target / name)
    for path in RULES.glob("triage*.yaml"):
        shutil.copy(path, target / path.name)
    return target


def _fingerprints(directory: Path) -> dict[str, str]:
    return {k: f.fingerprint for k, f in load_rules(directory).triage.items()}


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_fingerprint_is_short_and_stable() -> None:
    prints = {k: f.fingerprint for k, f in flows().items()}
    assert all(len(p) == 4 and p.isalnum() and p.islower() for p in prints.values())
    assert prints["twitch"] != prints["smile"]
    assert prints == _fingerprints(RULES)


def test_fingerprint_ignores_texts(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    before = _fingerprints(d)
    _replace(d / "triage_twitch.yaml", "Does one run of jerks", "Does a single run of jerks")
    _replace(d / "triage_outcomes.yaml", 'en: "Not sure"', 'en: "I don\'t know"')
    _replace(d / "triage_outcomes.yaml", "A danger sign: get help now", "Get help now")
    assert _fingerprints(d) == before


def test_fingerprint_changes_with_the_structure(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    before = _fingerprints(d)
    # Swap the Yes and No buttons of the first smile question: old indices now mean other answers.
    _replace(
        d / "triage_smile.yaml",
        '      - value: "yes"\n        outcome: emergency\n      - value: "no"\n'
        "        next: unresponsive\n",
        '      - value: "no"\n        next: unresponsive\n      - value: "yes"\n'
        "        outcome: emergency\n",
    )
    after = _fingerprints(d)
    assert after["smile"] != before["smile"]
    assert after["twitch"] == before["twitch"]


def test_fingerprint_changes_with_an_age_range(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    before = _fingerprints(d)
    _replace(d / "triage_twitch.yaml", "max_weeks: 26", "max_weeks: 27")
    _replace(d / "triage_twitch.yaml", "min_weeks: 26", "min_weeks: 27")
    assert _fingerprints(d)["twitch"] != before["twitch"]


def test_fingerprint_changes_with_an_outcome_level(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    before = _fingerprints(d)
    # Raising a level keeps every safety rule intact.
    _replace(d / "triage_smile.yaml", "level: soon", "level: urgent")
    assert _fingerprints(d)["smile"] != before["smile"]
