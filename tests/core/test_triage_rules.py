"""One test per rule of the clinical rule table (clinical notes 1.10, second revision).

Each test walks the real flows in rules/ the way a parent would (`walk`): a single question gets
the answer given for its fact (the benign answer by default); a grouped question ("did you see
any of these?") gets "One or more" if any of its facts has its cautious answer, "Not sure" if
one is unknown and none is cautious, else "None of these"; an age question gets the range that
holds the age in weeks ("Not sure" for None). The rule id is in each test name.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

import pytest

from bot.core.rules_loader import load_rules
from bot.core.triage import Flow, Level, Question, Step, option_for_age, step
from bot.core.triage.vocabulary import (
    AGE_WEEKS,
    ANY,
    BENIGN_ANSWER,
    CAUTIOUS_ANSWER,
    EMERGENCY_FLAGS,
    NONE,
    UNKNOWN,
)

ROOT = Path(__file__).resolve().parents[2]

BOTH = ("twitch", "smile")
SEIZURE_SIGNS = ("stiffening", "eye_rolling_or_staring")  # asked in both flows
WAKING = {"happening_now": "no", "stops_when_woken": "no"}  # jerks kept going when woken (over)


@cache
def flows() -> dict[str, Flow]:
    return dict(load_rules(ROOT / "rules").triage)


def parent_answer(question: Question, facts: Mapping[str, str]) -> str:
    """The value a parent who knows `facts` taps (the benign answer for facts not given)."""
    if not question.grouped:
        return facts.get(question.fact, BENIGN_ANSWER[question.fact])
    said = {fact: facts.get(fact, BENIGN_ANSWER[fact]) for fact in question.facts}
    if any(value == CAUTIOUS_ANSWER[fact] for fact, value in said.items()):
        return ANY
    if UNKNOWN in said.values():
        return UNKNOWN
    return NONE


def option_index(question: Question, facts: Mapping[str, str], age_weeks: int | None) -> int:
    if question.fact == AGE_WEEKS and age_weeks is not None:
        return option_for_age(question, age_weeks)
    value = UNKNOWN if question.fact == AGE_WEEKS else parent_answer(question, facts)
    option = question.option(value)
    assert option is not None, f"question {question.id} offers no '{value}'"
    return question.options.index(option)


def walk(
    flow_id: str,
    facts: Mapping[str, str] | None = None,
    age_weeks: int | None = 30,
    by_question: Mapping[str, str] | None = None,
) -> Step:
    """Answer a flow like a parent; `by_question` forces the value tapped on a question id."""
    flow = flows()[flow_id]
    facts = facts or {}
    indices: list[int] = []
    node = flow.node(flow.start)
    while isinstance(node, Question):
        forced = (by_question or {}).get(node.id)
        if forced is not None:
            chosen = node.option(forced)
            assert chosen is not None, f"question {node.id} offers no '{forced}'"
            index = node.options.index(chosen)
        else:
            index = option_index(node, facts, age_weeks)
        indices.append(index)
        node = flow.node(node.options[index].target)
    return step(flow, indices)  # the engine replays the same taps


def asked(result: Step) -> list[str]:
    """The question ids on the path, in order."""
    return [q.id for q, _ in result.answered]


def facts_asked(result: Step) -> set[str]:
    return {fact for q, _ in result.answered for fact in q.facts}


def outcome_of(result: Step) -> tuple[str, Level]:
    assert result.outcome is not None
    return result.outcome.id, result.outcome.level


def level_of(result: Step) -> Level:
    assert result.outcome is not None
    return result.outcome.level


# ---- E0: happening right now, with the waking test done live -----------------------------------


@pytest.mark.parametrize("now", ["yes", "unknown"])
@pytest.mark.parametrize("stops", ["no", "unknown"])
def test_E0_jerks_that_do_not_stop_at_once_when_woken_now_are_an_emergency(
    now: str, stops: str
) -> None:
    result = walk("twitch", {"happening_now": now, "stops_when_woken": stops})
    assert outcome_of(result) == ("seizure_now", Level.EMERGENCY)
    assert asked(result) == ["now", "wake_now"]  # two taps to first aid


def test_E0_the_live_waking_test_shows_first_aid_on_screen() -> None:
    wake = flows()["twitch"].questions["wake_now"]
    assert wake.fact == "stops_when_woken"
    assert wake.help is not None
    first_aid = wake.help.get("en").lower()
    for needed in ("on their side", "nothing in the mouth", "time"):
        assert needed in first_aid, needed
    outcome = flows()["twitch"].outcomes["seizure_now"]
    assert any("note the time" in d.get("en").lower() for d in outcome.do_now)


def test_E0_jerks_that_stop_at_once_go_on_with_the_check() -> None:
    result = walk("twitch", {"happening_now": "yes", "stops_when_woken": "yes"})
    assert outcome_of(result) == ("normal_sleep_jerks", Level.REASSURE)
    assert asked(result)[:3] == ["now", "wake_now", "danger_awake"]
    assert "stops" not in asked(result)  # the live test answered it; no second waking question


def test_E0_is_the_first_question_of_the_twitching_flow() -> None:
    assert asked(walk("twitch"))[0] == "now"
    assert asked(walk("twitch", {"happening_now": "no"}))[1] == "danger"


# ---- E1, E2, E3 -------------------------------------------------------------------------------


@pytest.mark.parametrize("flow_id", BOTH)
@pytest.mark.parametrize(
    ("fact", "value"),
    [("breathing_trouble_or_blue", "yes"), ("back_to_normal", "no"), ("lasting_over_5_min", "yes")],
    ids=["E1", "E2", "E3"],
)
def test_E1_E2_E3_a_danger_sign_is_an_emergency_at_once(
    flow_id: str, fact: str, value: str
) -> None:
    result = walk(flow_id, {fact: value})
    assert outcome_of(result) == ("emergency", Level.EMERGENCY)
    assert asked(result) == (["now", "danger"] if flow_id == "twitch" else ["danger"])


@pytest.mark.parametrize("fact", sorted(EMERGENCY_FLAGS))
def test_E1_E2_E3_also_after_the_live_waking_test(fact: str) -> None:
    result = walk("twitch", {"happening_now": "yes", fact: CAUTIOUS_ANSWER[fact]})
    assert outcome_of(result) == ("emergency", Level.EMERGENCY)
    assert asked(result) == ["now", "wake_now", "danger_awake"]


@pytest.mark.parametrize("flow_id", BOTH)
def test_E2_is_asked_positively_with_buttons_that_restate_the_answer(flow_id: str) -> None:
    question = flows()[flow_id].questions["unsure_normal"]
    assert question.fact == "back_to_normal"
    assert "back to normal" in question.text.get("en")
    labels = {o.value: o.label.get("en") for o in question.options}
    assert labels == {
        "yes": "Yes, back to normal",
        "no": "No: floppy, very sleepy or not reacting",
        "unknown": "Not sure",
    }


@pytest.mark.parametrize("flow_id", BOTH)
def test_E2_no_on_back_to_normal_is_an_emergency(flow_id: str) -> None:
    """A parent unsure about breathing who then says the baby was not back to normal."""
    result = walk(flow_id, {"breathing_trouble_or_blue": "unknown", "back_to_normal": "no"})
    assert outcome_of(result) == ("emergency", Level.EMERGENCY)  # the group took "One or more"
    forced = walk(flow_id, {"back_to_normal": "no"}, by_question={"danger": UNKNOWN})
    assert outcome_of(forced) == ("emergency", Level.EMERGENCY)
    question, option = forced.answered[-1]
    assert (question.id, option.label.get("en")) == (
        "unsure_normal",
        "No: floppy, very sleepy or not reacting",
    )


# ---- EU: not sure on a danger sign -------------------------------------------------------------


@pytest.mark.parametrize("flow_id", BOTH)
@pytest.mark.parametrize("fact", sorted(EMERGENCY_FLAGS))
def test_EU_not_sure_on_a_danger_sign_asks_them_one_by_one_and_is_urgent(
    flow_id: str, fact: str
) -> None:
    result = walk(flow_id, {fact: UNKNOWN})
    assert outcome_of(result) == ("urgent_unsure", Level.URGENT)
    chain = ["unsure_normal", "unsure_breathing", "unsure_long"]
    assert [q for q in asked(result) if q in chain] == chain
    assert asked(result)[-1] == "unsure_signs"  # EU is a minimum: seizure signs still asked


@pytest.mark.parametrize("flow_id", BOTH)
@pytest.mark.parametrize(
    ("fact", "value"),
    [("breathing_trouble_or_blue", "yes"), ("back_to_normal", "no"), ("lasting_over_5_min", "yes")],
)
def test_EU_a_later_danger_answer_in_the_chain_is_an_emergency(
    flow_id: str, fact: str, value: str
) -> None:
    result = walk(flow_id, {fact: value}, by_question={"danger": UNKNOWN})
    assert outcome_of(result) == ("emergency", Level.EMERGENCY)
    assert "unsure_normal" in asked(result)


@pytest.mark.parametrize("flow_id", BOTH)
def test_EU_not_sure_on_every_danger_sign_is_urgent(flow_id: str) -> None:
    result = walk(flow_id, dict.fromkeys(EMERGENCY_FLAGS, UNKNOWN))
    assert outcome_of(result) == ("urgent_unsure", Level.URGENT)


@pytest.mark.parametrize("flow_id", BOTH)
def test_EU_no_to_every_single_danger_sign_after_not_sure_stays_urgent(flow_id: str) -> None:
    """A doubt once voiced stays: "Not sure" on the group, then "No" to each, is still urgent."""
    result = walk(flow_id, by_question={"danger": UNKNOWN})
    assert outcome_of(result) == ("urgent_unsure", Level.URGENT)


def test_EU_wins_over_a_later_red_flag() -> None:
    """First match wins: EU comes before U1, so the flow ends without asking about fever."""
    result = walk("twitch", {"back_to_normal": UNKNOWN, "fever": "yes"})
    assert outcome_of(result) == ("urgent_unsure", Level.URGENT)
    assert "fever" not in facts_asked(result)


@pytest.mark.parametrize("flow_id", BOTH)
def test_danger_signs_are_asked_before_anything_else(flow_id: str) -> None:
    result = walk(flow_id)
    first = next(q for q, _ in result.answered if q.fact != "happening_now")
    assert set(first.facts) == EMERGENCY_FLAGS


# ---- E4: a first seizure ----------------------------------------------------------------------


def _seizure_signs(flow_id: str) -> list[dict[str, str]]:
    signs = [{sign: "yes"} for sign in SEIZURE_SIGNS]
    return [*signs, WAKING] if flow_id == "twitch" else signs


FIRST_SEIZURE_CASES = [
    (flow_id, sign) for flow_id in BOTH for sign in _seizure_signs(flow_id)
]  # fmt: skip


@pytest.mark.parametrize(("flow_id", "sign"), FIRST_SEIZURE_CASES, ids=str)
@pytest.mark.parametrize("seen", ["no", "unknown"])
def test_E4_a_seizure_sign_never_seen_by_a_doctor_is_an_emergency(
    flow_id: str, sign: dict[str, str], seen: str
) -> None:
    result = walk(flow_id, {**sign, "seen_by_doctor_before": seen})
    assert outcome_of(result) == ("first_seizure", Level.EMERGENCY)
    assert result.answered[-1][0].fact == "seen_by_doctor_before"


@pytest.mark.parametrize(("flow_id", "sign"), FIRST_SEIZURE_CASES, ids=str)
def test_E4_a_seizure_sign_a_doctor_knows_about_is_urgent(
    flow_id: str, sign: dict[str, str]
) -> None:
    result = walk(flow_id, {**sign, "seen_by_doctor_before": "yes", "fever": "no"})
    expected = "not_typical_jerks" if flow_id == "twitch" else "smiles_with_odd_movements"
    assert outcome_of(result) == (expected, Level.URGENT)


@pytest.mark.parametrize("flow_id", BOTH)
@pytest.mark.parametrize("sign", [{}, {"fever": "yes"}, {"clusters_on_waking": "yes"}], ids=str)
def test_E4_seen_by_doctor_before_is_asked_only_after_a_seizure_sign(
    flow_id: str, sign: dict[str, str]
) -> None:
    result = walk(flow_id, {**sign, "seen_by_doctor_before": "no"})
    assert "seen_by_doctor_before" not in facts_asked(result)
    assert outcome_of(result)[0] != "first_seizure"


# ---- E5: a fit with fever under 6 months -------------------------------------------------------


@pytest.mark.parametrize(("flow_id", "sign"), FIRST_SEIZURE_CASES, ids=str)
@pytest.mark.parametrize(
    ("weeks", "fever"), [(4, "yes"), (25, "yes"), (None, "yes"), (20, "unknown")]
)
def test_E5_fever_and_a_seizure_sign_under_26_weeks_is_an_emergency(
    flow_id: str, sign: dict[str, str], weeks: int | None, fever: str
) -> None:
    result = walk(flow_id, {**sign, "seen_by_doctor_before": "yes", "fever": fever}, weeks)
    assert outcome_of(result) == ("fever_fit_under_6_months", Level.EMERGENCY)


@pytest.mark.parametrize(("flow_id", "sign"), FIRST_SEIZURE_CASES, ids=str)
@pytest.mark.parametrize("weeks", [26, 30, 200])
def test_E5_fever_and_a_seizure_sign_from_26_weeks_is_urgent(
    flow_id: str, sign: dict[str, str], weeks: int
) -> None:
    result = walk(flow_id, {**sign, "seen_by_doctor_before": "yes", "fever": "yes"}, weeks)
    assert outcome_of(result) == ("fever_with_jerks", Level.URGENT)


# ---- U1 with the 13-week band, U2, U3 ---------------------------------------------------------


@pytest.mark.parametrize("flow_id", BOTH)
@pytest.mark.parametrize(
    ("weeks", "expected"),
    [
        (0, "fever_under_13_weeks"),
        (6, "fever_under_13_weeks"),
        (12, "fever_under_13_weeks"),
        (13, "fever_under_6_months"),
        (25, "fever_under_6_months"),
        (26, "fever_with_jerks"),
        (259, "fever_with_jerks"),
        (None, "fever_under_13_weeks"),  # age not known: the youngest band
    ],
)
def test_U1_fever_is_urgent_with_the_age_band(
    flow_id: str, weeks: int | None, expected: str
) -> None:
    result = walk(flow_id, {"fever": "yes"}, weeks)
    assert outcome_of(result) == (expected, Level.URGENT)


def test_U1_under_13_weeks_means_go_now() -> None:
    outcome = flows()["twitch"].outcomes["fever_under_13_weeks"]
    assert "under 3 months" in outcome.title.get("en")
    assert "Go now" in outcome.text.get("en")
    assert "now" in outcome.do_now[0].get("en")


@pytest.mark.parametrize("flow_id", BOTH)
def test_U1_not_sure_about_fever_is_urgent_by_age(flow_id: str) -> None:
    assert outcome_of(walk(flow_id, {"fever": UNKNOWN}, 8)) == (
        "fever_under_13_weeks",
        Level.URGENT,
    )
    assert outcome_of(walk(flow_id, {"fever": UNKNOWN}, 40)) == ("fever_with_jerks", Level.URGENT)


@pytest.mark.parametrize("flow_id", BOTH)
def test_U1_the_age_is_asked_only_when_it_changes_the_advice(flow_id: str) -> None:
    without = walk(flow_id, age_weeks=20)
    if flow_id == "twitch":  # the smiling flow asks the age anyway, for S3
        assert AGE_WEEKS not in facts_asked(without)
    assert AGE_WEEKS in facts_asked(walk(flow_id, {"fever": "yes"}))
    assert "fever_age" not in asked(without)


def test_U2_jerks_in_a_row_after_waking_are_urgent() -> None:
    assert outcome_of(walk("twitch", {"clusters_on_waking": "yes"})) == (
        "runs_or_lost_skills",
        Level.URGENT,
    )
    assert outcome_of(walk("smile", {"clusters_on_waking": "yes"})) == (
        "runs_after_waking",
        Level.URGENT,
    )


@pytest.mark.parametrize("flow_id", BOTH)
def test_U2_not_sure_about_runs_after_waking_is_urgent(flow_id: str) -> None:
    assert level_of(walk(flow_id, {"clusters_on_waking": UNKNOWN})) is Level.URGENT


@pytest.mark.parametrize("value", ["yes", "unknown"])
def test_U3_lost_skills_with_jerks_are_urgent(value: str) -> None:
    result = walk("twitch", {"losing_skills": value})
    assert level_of(result) is Level.URGENT
    if value == "yes":
        assert outcome_of(result)[0] == "runs_or_lost_skills"


@pytest.mark.parametrize("value", ["yes", "unknown"])
def test_U3_smile_lost_skills_alone_are_soon(value: str) -> None:
    """Clinical notes 1.1: loss of skills without abnormal movements -> soon (CDC act early)."""
    assert outcome_of(walk("smile", {"losing_skills": value})) == ("lost_skill", Level.SOON)


@pytest.mark.parametrize(
    "movement",
    [
        {"clusters_on_waking": "yes"},
        {"laughing_fits": "yes"},
        {"stiffening": "yes", "seen_by_doctor_before": "yes"},
        {"eye_rolling_or_staring": "yes", "seen_by_doctor_before": "yes"},
    ],
    ids=str,
)
def test_U3_smile_lost_skills_with_abnormal_movements_are_urgent(movement: dict[str, str]) -> None:
    assert level_of(walk("smile", {"losing_skills": "yes", **movement})) is Level.URGENT


# ---- U4 to U8, UG -----------------------------------------------------------------------------


@pytest.mark.parametrize("flow_id", BOTH)
@pytest.mark.parametrize("sign", SEIZURE_SIGNS)
@pytest.mark.parametrize("value", ["yes", "unknown"])
def test_U4_U5_stiffening_or_staring_is_at_least_urgent(
    flow_id: str, sign: str, value: str
) -> None:
    known = walk(flow_id, {sign: value, "seen_by_doctor_before": "yes"})
    assert level_of(known) is Level.URGENT
    assert "seen_before" in asked(known)  # a seizure sign: E4 asked


@pytest.mark.parametrize("value", ["yes", "unknown"])
def test_U6_jerks_on_one_side_only_are_urgent(value: str) -> None:
    result = walk("twitch", {"one_side_only": value})
    assert level_of(result) is Level.URGENT
    if value == "yes":
        assert outcome_of(result)[0] == "not_typical_jerks"
        assert "seen_before" not in asked(result)  # one side alone is not a seizure sign here


@pytest.mark.parametrize("value", ["no", "unknown"])
def test_U7_jerks_that_keep_going_when_woken_are_urgent_when_a_doctor_knows(value: str) -> None:
    result = walk(
        "twitch", {"happening_now": "no", "stops_when_woken": value, "seen_by_doctor_before": "yes"}
    )
    assert outcome_of(result) == ("not_typical_jerks", Level.URGENT)
    assert asked(result)[:3] == ["now", "danger", "stops"]


@pytest.mark.parametrize(
    ("awake", "long"),
    [("yes", "yes"), ("yes", "unknown"), ("unknown", "yes"), ("unknown", "unknown")],
)
def test_U8_jerks_awake_and_over_20_seconds_are_urgent(awake: str, long: str) -> None:
    result = walk("twitch", {"happens_awake": awake, "episode_over_20s": long})
    assert outcome_of(result) == ("not_typical_jerks", Level.URGENT)


@pytest.mark.parametrize("value", ["yes", "unknown"])
def test_UG_laughing_fits_are_urgent(value: str) -> None:
    result = walk("smile", {"laughing_fits": value, "seen_by_doctor_before": "yes"})
    assert level_of(result) is Level.URGENT
    if value == "yes":
        assert outcome_of(result)[0] == "laughing_spells"
        assert "seen_before" not in asked(result)


# ---- S1, S2, S3 -------------------------------------------------------------------------------


def test_S1_brief_jerks_that_also_happen_awake_are_soon() -> None:
    result = walk("twitch", {"happens_awake": "yes"})
    assert outcome_of(result) == ("jerks_when_awake", Level.SOON)


def test_S2_a_sleep_only_run_over_20_seconds_is_soon() -> None:
    result = walk("twitch", {"episode_over_20s": "yes"})
    assert outcome_of(result) == ("long_sleep_runs", Level.SOON)


@pytest.mark.parametrize("value", ["yes", "unknown"])
@pytest.mark.parametrize("weeks", [12, 40, None])
def test_S3_no_social_smile_from_12_weeks_is_soon(value: str, weeks: int | None) -> None:
    result = walk("smile", {"no_social_smile_by_12_weeks": value}, weeks)
    assert outcome_of(result) == ("no_social_smile_yet", Level.SOON)


@pytest.mark.parametrize("weeks", [0, 6, 11])
def test_S3_under_12_weeks_corrected_the_social_smile_is_skipped(weeks: int) -> None:
    result = walk("smile", {"no_social_smile_by_12_weeks": "yes"}, weeks)
    assert outcome_of(result) == ("normal_sleep_smiles", Level.REASSURE)
    assert "social_smile" not in asked(result)


def test_S3_counts_the_age_from_the_due_date() -> None:
    question = flows()["smile"].questions["age"]
    assert question.help is not None and "due date" in question.help.get("en")
    assert [(o.min_weeks, o.max_weeks) for o in question.options if o.value is None] == [
        (0, 12),
        (12, 260),
    ]


def test_S3_social_smile_labels_read_the_natural_way_round() -> None:
    result = walk("smile", {"no_social_smile_by_12_weeks": "yes"}, 20)
    question, option = result.answered[-1]
    assert question.fact == "no_social_smile_by_12_weeks"
    assert option.label.get("en") == "No, not yet"


# ---- R1 ---------------------------------------------------------------------------------------


def test_R1_twitch_sleep_only_stops_when_woken_brief_is_reassure() -> None:
    result = walk("twitch")
    assert outcome_of(result) == ("normal_sleep_jerks", Level.REASSURE)
    assert asked(result) == ["now", "danger", "stops", "signs", "more_signs", "pattern"]
    assert len(result.outcome.watch_for) >= 5


@pytest.mark.parametrize("weeks", [2, 11, 12, 40])
def test_R1_smile_nothing_flagged_is_reassure(weeks: int) -> None:
    result = walk("smile", age_weeks=weeks)
    assert outcome_of(result) == ("normal_sleep_smiles", Level.REASSURE)
    assert {"fever", "clusters_on_waking", "laughing_fits", "losing_skills"} <= facts_asked(result)


@pytest.mark.parametrize("flow_id", BOTH)
def test_R1_reassure_outcomes_tell_to_film_an_episode(flow_id: str) -> None:
    outcome = walk(flow_id).outcome
    assert outcome is not None
    assert any("film" in item.get("en").lower() for item in outcome.do_now)


# ---- The smiling flow's new questions ---------------------------------------------------------


def test_smile_a_feverish_6_week_old_who_smiles_is_never_reassured() -> None:
    for fever in ("yes", "unknown"):
        result = walk("smile", {"fever": fever}, 6)
        assert outcome_of(result) == ("fever_under_13_weeks", Level.URGENT)


def test_smile_lost_smiles_with_runs_after_waking_are_urgent_not_soon() -> None:
    result = walk("smile", {"losing_skills": "yes", "clusters_on_waking": "yes"}, 20)
    assert outcome_of(result) == ("runs_after_waking", Level.URGENT)
