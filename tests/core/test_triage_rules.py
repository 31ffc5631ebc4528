"""One test per clinical rule of the clinical notes, section 1.10 (rule id in each test name).

Each test answers the real flows in rules/ the way a parent would: the facts it names get the
given answer, every other fact its benign answer (the one that points away from a problem).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from bot.core.rules import load_rules
from bot.core.triage import Flow, Level, Step, option_for_age, step
from bot.core.triage.vocabulary import AGE_WEEKS, BENIGN_ANSWER, EMERGENCY_FLAGS

ROOT = Path(__file__).resolve().parents[2]

BOTH = ("twitch", "smile")
E_FLAGS = ("breathing_trouble_or_blue", "unresponsive", "lasting_over_5_min")


@cache
def flows() -> dict[str, Flow]:
    return dict(load_rules(ROOT / "rules").triage)


def answer(flow_id: str, **given: str | int) -> Step:
    """Walk a flow: `given` answers by fact ("yes"/"no"/"unknown"; age_weeks in weeks)."""
    flow = flows()[flow_id]
    answers: list[int] = []
    current = step(flow, answers)
    while current.question is not None:
        question = current.question
        if question.fact == AGE_WEEKS:
            weeks = given.get(AGE_WEEKS, 30)
            if weeks == "unknown":
                option = question.option("unknown")
                assert option is not None
                index = question.options.index(option)
            else:
                index = option_for_age(question, int(weeks))
        else:
            option = question.option(str(given.get(question.fact, BENIGN_ANSWER[question.fact])))
            assert option is not None, f"{question.id} has no such option"
            index = question.options.index(option)
        answers.append(index)
        current = step(flow, answers)
    return current


def asked(result: Step) -> list[str]:
    return [q.fact for q, _ in result.answered]


def outcome_of(result: Step) -> tuple[str, Level]:
    assert result.outcome is not None
    return result.outcome.id, result.outcome.level


# ---- Emergency red flags: E1, E2, E3, EU -------------------------------------------------------


@pytest.mark.parametrize("flow_id", BOTH)
def test_E1_breathing_trouble_or_blue_yes_is_emergency(flow_id: str) -> None:
    result = answer(flow_id, breathing_trouble_or_blue="yes")
    assert outcome_of(result) == ("emergency", Level.EMERGENCY)
    assert asked(result) == ["breathing_trouble_or_blue"]  # asked first, nothing after


@pytest.mark.parametrize("flow_id", BOTH)
def test_E2_unresponsive_yes_is_emergency(flow_id: str) -> None:
    result = answer(flow_id, unresponsive="yes")
    assert outcome_of(result) == ("emergency", Level.EMERGENCY)
    assert asked(result) == ["breathing_trouble_or_blue", "unresponsive"]


@pytest.mark.parametrize("flow_id", BOTH)
def test_E3_lasting_over_5_min_yes_is_emergency(flow_id: str) -> None:
    result = answer(flow_id, lasting_over_5_min="yes")
    assert outcome_of(result) == ("emergency", Level.EMERGENCY)
    assert asked(result) == list(E_FLAGS)


@pytest.mark.parametrize("flow_id", BOTH)
@pytest.mark.parametrize("flag", E_FLAGS)
def test_EU_not_sure_on_an_emergency_flag_is_urgent(flow_id: str, flag: str) -> None:
    result = answer(flow_id, **{flag: "unknown"})
    assert outcome_of(result) == ("urgent_unsure", Level.URGENT)
    assert set(asked(result)) == EMERGENCY_FLAGS  # the other danger signs are still asked


@pytest.mark.parametrize("flow_id", BOTH)
@pytest.mark.parametrize(
    ("unsure", "later_yes"),
    [
        ("breathing_trouble_or_blue", "unresponsive"),
        ("breathing_trouble_or_blue", "lasting_over_5_min"),
        ("unresponsive", "lasting_over_5_min"),
    ],
)
def test_EU_not_sure_then_a_later_emergency_yes_is_emergency(
    flow_id: str, unsure: str, later_yes: str
) -> None:
    result = answer(flow_id, **{unsure: "unknown", later_yes: "yes"})
    assert outcome_of(result) == ("emergency", Level.EMERGENCY)


@pytest.mark.parametrize("flow_id", BOTH)
def test_EU_not_sure_on_every_emergency_flag_is_urgent(flow_id: str) -> None:
    result = answer(flow_id, **dict.fromkeys(E_FLAGS, "unknown"))
    assert outcome_of(result) == ("urgent_unsure", Level.URGENT)


def test_EU_wins_over_a_later_red_flag() -> None:
    """First match wins: EU comes before U1, so the flow ends without asking about fever."""
    result = answer("twitch", unresponsive="unknown", fever="yes")
    assert outcome_of(result) == ("urgent_unsure", Level.URGENT)
    assert "fever" not in asked(result)


@pytest.mark.parametrize("flow_id", BOTH)
def test_E_flags_are_asked_before_anything_else(flow_id: str) -> None:
    result = answer(flow_id)
    assert asked(result)[:3] == list(E_FLAGS)


# ---- Urgent: U1 (with the age windows) to U8, UG ----------------------------------------------


def test_U1_fever_is_urgent() -> None:
    assert answer("twitch", fever="yes").outcome.level is Level.URGENT


def test_U1_age_window_under_12_weeks_fever_means_go_now() -> None:
    result = answer("twitch", fever="yes", age_weeks=4)
    assert outcome_of(result) == ("fever_under_12_weeks", Level.URGENT)
    assert "now" in result.outcome.do_now[0].get("en")


def test_U1_age_window_12_weeks_to_6_months_fever() -> None:
    result = answer("twitch", fever="yes", age_weeks=12)
    assert outcome_of(result) == ("fever_under_6_months", Level.URGENT)
    assert outcome_of(answer("twitch", fever="yes", age_weeks=25))[0] == "fever_under_6_months"


def test_U1_age_window_6_months_to_5_years_febrile_seizure() -> None:
    for weeks in (26, 100, 259):
        result = answer("twitch", fever="yes", age_weeks=weeks)
        assert outcome_of(result) == ("fever_with_jerks", Level.URGENT)


def test_U1_not_sure_about_fever_is_urgent() -> None:
    result = answer("twitch", fever="unknown", age_weeks=40)
    assert outcome_of(result) == ("fever_with_jerks", Level.URGENT)


def test_U1_not_sure_about_age_takes_the_youngest_window() -> None:
    result = answer("twitch", fever="yes", age_weeks="unknown")
    assert outcome_of(result) == ("fever_under_12_weeks", Level.URGENT)


def test_U1_age_is_asked_only_when_it_changes_the_advice() -> None:
    assert AGE_WEEKS not in asked(answer("twitch"))
    assert AGE_WEEKS in asked(answer("twitch", fever="yes"))


@pytest.mark.parametrize("value", ["yes", "unknown"])
def test_U2_clusters_on_waking_is_urgent(value: str) -> None:
    result = answer("twitch", clusters_on_waking=value)
    assert outcome_of(result) == ("runs_after_waking", Level.URGENT)


@pytest.mark.parametrize("value", ["yes", "unknown"])
def test_U3_losing_skills_with_jerks_is_urgent(value: str) -> None:
    result = answer("twitch", losing_skills=value)
    assert outcome_of(result) == ("jerks_and_lost_skills", Level.URGENT)


@pytest.mark.parametrize("movement", ["stiffening", "eye_rolling_or_staring"])
def test_U3_smile_losing_skills_with_abnormal_movements_is_urgent(movement: str) -> None:
    result = answer("smile", losing_skills="yes", **{movement: "yes"})
    assert result.outcome.level is Level.URGENT


@pytest.mark.parametrize("value", ["yes", "unknown"])
def test_U3_smile_losing_skills_alone_is_soon(value: str) -> None:
    """Clinical notes 1.1: loss of skills without abnormal movements -> soon (CDC act early)."""
    result = answer("smile", losing_skills=value)
    assert outcome_of(result) == ("lost_skill", Level.SOON)


@pytest.mark.parametrize("flow_id", BOTH)
@pytest.mark.parametrize("value", ["yes", "unknown"])
def test_U4_stiffening_is_urgent(flow_id: str, value: str) -> None:
    assert answer(flow_id, stiffening=value).outcome.level is Level.URGENT


@pytest.mark.parametrize("flow_id", BOTH)
@pytest.mark.parametrize("value", ["yes", "unknown"])
def test_U5_eye_rolling_or_staring_is_urgent(flow_id: str, value: str) -> None:
    assert answer(flow_id, eye_rolling_or_staring=value).outcome.level is Level.URGENT


@pytest.mark.parametrize("value", ["yes", "unknown"])
def test_U6_one_side_only_is_urgent(value: str) -> None:
    result = answer("twitch", one_side_only=value)
    assert outcome_of(result) == ("not_typical_jerks", Level.URGENT)


@pytest.mark.parametrize("awake", ["no", "yes", "unknown"])
@pytest.mark.parametrize("value", ["no", "unknown"])
def test_U7_not_stopping_when_woken_is_urgent(awake: str, value: str) -> None:
    result = answer("twitch", happens_awake=awake, stops_when_woken=value)
    assert outcome_of(result) == ("not_typical_jerks", Level.URGENT)


@pytest.mark.parametrize("awake", ["yes", "unknown"])
@pytest.mark.parametrize("long", ["yes", "unknown"])
def test_U8_awake_and_over_20s_is_urgent(awake: str, long: str) -> None:
    result = answer("twitch", happens_awake=awake, episode_over_20s=long)
    assert outcome_of(result) == ("not_typical_jerks", Level.URGENT)


@pytest.mark.parametrize("value", ["yes", "unknown"])
def test_UG_laughing_fits_is_urgent(value: str) -> None:
    result = answer("smile", laughing_fits=value)
    assert outcome_of(result) == ("laughing_spells", Level.URGENT)


# ---- Soon: S1, S2, S3 (with the 12-week window) -----------------------------------------------


@pytest.mark.parametrize("awake", ["yes", "unknown"])
def test_S1_happens_awake_brief_and_stops_when_woken_is_soon(awake: str) -> None:
    result = answer("twitch", happens_awake=awake)
    assert outcome_of(result) == ("jerks_when_awake", Level.SOON)


@pytest.mark.parametrize("value", ["yes", "unknown"])
def test_S2_sleep_only_run_over_20s_is_soon(value: str) -> None:
    result = answer("twitch", episode_over_20s=value)
    assert outcome_of(result) == ("long_sleep_runs", Level.SOON)


@pytest.mark.parametrize("value", ["yes", "unknown"])
def test_S3_no_social_smile_at_12_weeks_is_soon(value: str) -> None:
    result = answer("smile", age_weeks=12, no_social_smile_by_12_weeks=value)
    assert outcome_of(result) == ("no_social_smile_yet", Level.SOON)


def test_S3_age_window_under_12_weeks_does_not_ask_about_social_smile() -> None:
    result = answer("smile", age_weeks=11, no_social_smile_by_12_weeks="yes")
    assert outcome_of(result) == ("normal_sleep_smiles", Level.REASSURE)
    assert "no_social_smile_by_12_weeks" not in asked(result)


def test_S3_not_sure_about_age_asks_about_social_smile() -> None:
    result = answer("smile", age_weeks="unknown", no_social_smile_by_12_weeks="yes")
    assert outcome_of(result) == ("no_social_smile_yet", Level.SOON)


def test_S3_social_smile_labels_read_the_natural_way_round() -> None:
    result = answer("smile", age_weeks=20, no_social_smile_by_12_weeks="yes")
    question, option = result.answered[-1]
    assert question.fact == "no_social_smile_by_12_weeks"
    assert option.label.get("en") == "No, not yet"


# ---- Reassure: R1 -----------------------------------------------------------------------------


def test_R1_twitch_sleep_only_stops_when_woken_brief_is_reassure() -> None:
    result = answer("twitch")
    assert outcome_of(result) == ("normal_sleep_jerks", Level.REASSURE)
    answers = {q.fact: o.value for q, o in result.answered}
    assert answers["happens_awake"] == "no"
    assert answers["stops_when_woken"] == "yes"
    assert answers["episode_over_20s"] == "no"
    assert len(result.outcome.watch_for) >= 5


@pytest.mark.parametrize("weeks", [2, 11, 12, 40])
def test_R1_smile_nothing_flagged_is_reassure(weeks: int) -> None:
    result = answer("smile", age_weeks=weeks)
    assert outcome_of(result) == ("normal_sleep_smiles", Level.REASSURE)


@pytest.mark.parametrize("flow_id", BOTH)
def test_R1_reassure_outcomes_tell_to_film_an_episode(flow_id: str) -> None:
    outcome = answer(flow_id).outcome
    assert any("film" in item.get("en").lower() for item in outcome.do_now)
