"""The runtime API the chat handlers call: step, InvalidAnswers, option_for_age, fingerprint."""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

import pytest

from bot.core.rules_loader import load_rules
from bot.core.triage import (
    Flow,
    InvalidAnswers,
    Level,
    max_questions,
    option_for_age,
    step,
)
from bot.core.triage.measures import Taps, taps

ROOT = Path(__file__).resolve().parents[2]

RULES = ROOT / "rules"


@cache
def flows() -> dict[str, Flow]:
    return dict(load_rules(RULES).triage)


def twitch() -> Flow:
    return flows()["twitch"]


def test_the_first_step_is_the_first_question() -> None:
    first = step(twitch(), [])
    assert first.question is not None and first.question.id == "now"
    assert first.outcome is None and not first.done
    assert (first.number, first.at_most) == (1, max_questions(twitch()))
    assert first.answered == () and first.answers == ()


def test_progress_counts_up_and_at_most_shrinks_on_a_short_branch() -> None:
    flow = twitch()
    no, none = 1, 1  # single questions list Yes, No, Not sure; groups Any, None, Not sure
    after_danger = step(flow, [no, none])
    assert after_danger.question.id == "stops"
    assert (after_danger.number, after_danger.at_most) == (3, 8)
    fever = step(flow, [no, none, 0, none, 0])  # stops at once, no sign, one or more of these
    assert fever.question.id == "fever"
    assert (fever.number, fever.at_most) == (6, 7)  # the fever and the age are left
    unsure = step(flow, [no, 2])
    assert unsure.question.id == "unsure_normal"
    # The three danger signs one by one, then (EU is a minimum) the seizure signs, E4 and E5.
    assert (unsure.number, unsure.at_most) == (3, 10)
    live = step(flow, [0])
    assert live.question.id == "wake_now"
    assert (live.number, live.at_most) == (2, 10)


def test_an_outcome_step_carries_the_answers_for_the_summary() -> None:
    flow = twitch()
    done = step(flow, [1, 1, 0, 1, 0, 0, 0])  # a fever, under 3 months
    assert done.done and done.question is None
    assert done.outcome.id == "fever_under_13_weeks" and done.outcome.level is Level.URGENT
    assert done.number == done.at_most == 7
    assert [q.id for q, _ in done.answered] == [
        "now", "danger", "stops", "signs", "more_signs", "fever", "fever_age",
    ]  # fmt: skip
    assert [o.label.get("en") for _, o in done.answered] == [
        "No, it has stopped", "None of these", "Yes, they stop", "None of these",
        "One or more of these", "Yes", "Under 3 months",
    ]  # fmt: skip
    assert done.answered[1][0].facts == (
        "breathing_trouble_or_blue", "back_to_normal", "lasting_over_5_min",
    )  # fmt: skip
    assert done.answers == (1, 1, 0, 1, 0, 0, 0)


def test_emergency_after_two_answers_when_the_jerks_go_on_now() -> None:
    done = step(twitch(), [0, 1])  # jerking now, and still jerking when woken
    assert done.outcome.id == "seizure_now" and done.outcome.level is Level.EMERGENCY
    assert done.number == 2


def test_emergency_after_one_answer_in_the_smiling_flow() -> None:
    done = step(flows()["smile"], [0])  # one or more danger signs
    assert done.outcome.level is Level.EMERGENCY and done.number == 1


@pytest.mark.parametrize(
    "answers",
    [[3], [-1], [1, 1, 0, 9], [0, 1, 0], [1, 0, 2], [1, 1, 0, 1, 0, 0, 0, 0]],
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
    assert [option_for_age(age, w) for w in (0, 12, 13, 25, 26, 259)] == [0, 0, 1, 1, 2, 2]
    fit_age = twitch().questions["seizure_fever_age"]
    assert [option_for_age(fit_age, w) for w in (0, 25, 26, 259)] == [0, 0, 1, 1]
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
    assert max_questions(twitch()) == 10  # "not sure" on the danger signs, then E4 and E5
    assert max_questions(flows()["smile"]) == 8


@pytest.mark.parametrize(("flow_id", "most"), [("twitch", 6), ("smile", 7)])
def test_taps_to_reassure_and_to_the_danger_signs_meet_the_targets(flow_id: str, most: int) -> None:
    """Issue 10: at most 6 questions to reassure (twitch), 7 (smile); E1-E3 by question 2."""
    flow = flows()[flow_id]
    counted = taps(flow)
    assert 0 < counted.to_reassure <= most
    assert counted.danger_signs_by <= 2
    assert counted.most == max_questions(flow)
    assert (flow.reassure_within, flow.danger_signs_by) == (most, 2)


def test_taps_counts_what_a_parent_taps() -> None:
    assert taps(twitch()) == Taps(most=10, to_reassure=6, danger_signs_by=2)
    assert taps(flows()["smile"]) == Taps(most=8, to_reassure=6, danger_signs_by=1)


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
    # Swap two buttons of the first smile question: old indices now mean other answers.
    _replace(
        d / "triage_smile.yaml",
        "      - value: any\n        outcome: emergency\n"
        "      - value: none\n        next: signs\n",
        "      - value: none\n        next: signs\n"
        "      - value: any\n        outcome: emergency\n",
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
