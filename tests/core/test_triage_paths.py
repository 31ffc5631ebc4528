"""Properties over every path of the real flows: the safety rules and the rule table itself.

For each path, `cases` (knowledge.py) lists what a parent on it may have seen; the rule table
(rule_table.py, clinical notes 1.10, second revision) gives the level each case needs. Every path
must end at exactly the highest of those levels (never lower, and no higher either), in an
outcome written for one of the rules that need it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.rules_loader import load_rules
from bot.core.triage import (
    Flow,
    InvalidAnswers,
    Level,
    enumerate_paths,
    max_questions,
    step,
)
from bot.core.triage.knowledge import cases
from bot.core.triage.paths import Path as FlowPath
from bot.core.triage.rule_table import Rule, disposition
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

# The longest: "not sure" on the danger signs, then the seizure signs, E4 and E5.
MAX_QUESTIONS = {"twitch": 10, "smile": 8}

# Which rules each outcome is written for.
OUTCOME_RULES = {
    "seizure_now": {"E0"},
    "emergency": {"E1", "E2", "E3"},
    "first_seizure": {"E4"},
    "fever_fit_under_6_months": {"E5"},
    "urgent_unsure": {"EU"},
    "fever_under_13_weeks": {"U1"},
    "fever_under_6_months": {"U1"},
    # U1; also EU's chain when a known fit came with a fever at 6 months or more (EU is checked
    # before U1, and this outcome gives the fit's first aid).
    "fever_with_jerks": {"U1", "EU"},
    "runs_or_lost_skills": {"U2", "U3"},
    "runs_after_waking": {"U2"},
    "not_typical_jerks": {"U4", "U5", "U6", "U7", "U8", "EU"},
    "smiles_with_odd_movements": {"U4", "U5", "EU"},
    "laughing_spells": {"UG"},
    "jerks_when_awake": {"S1"},
    "long_sleep_runs": {"S2"},
    "lost_skill": {"U3"},  # lost skills alone in the smiling flow: soon
    "no_social_smile_yet": {"S3"},
    "normal_sleep_jerks": {"R1"},
    "normal_sleep_smiles": {"R1"},
}


@cache
def flows() -> dict[str, Flow]:
    return dict(load_rules(ROOT / "rules").triage)


@cache
def paths(flow_id: str) -> list[FlowPath]:
    return list(enumerate_paths(flows()[flow_id]))


def all_paths() -> list[tuple[str, FlowPath]]:
    return [(flow_id, path) for flow_id in ("twitch", "smile") for path in paths(flow_id)]


def needed(flow_id: str, path: FlowPath, only_asked: bool = False) -> list[Rule]:
    """The rule for every case a parent on this path may be in. Facts the flow asks but the
    path did not count as cautious; with `only_asked`, as benign (what the parent said)."""
    flow = flows()[flow_id]
    questions = [q for q, _ in path.steps] if only_asked else flow.questions.values()
    facts = frozenset(f for q in questions for f in q.facts)
    return [
        disposition(answers, weeks, jerks_seen=flow_id == "twitch")
        for answers, weeks in cases(path.steps, facts)
    ]


def trail(path: FlowPath) -> list[tuple[str, object]]:
    return [(q.id, o.value or o.min_weeks) for q, o in path.steps]


def test_every_outcome_of_the_flows_is_mapped_to_its_rules() -> None:
    used = {o for flow in flows().values() for o in flow.outcomes}
    assert used == set(OUTCOME_RULES)


@pytest.mark.parametrize("flow_id", ["twitch", "smile"])
def test_every_path_ends_at_exactly_the_level_the_rule_table_needs(flow_id: str) -> None:
    for path in paths(flow_id):
        rules = needed(flow_id, path)
        top = max(rule.level for rule in rules)
        assert path.outcome.level is top, (trail(path), path.outcome.id, top.id)
        # The outcome's text fits what the parent said (facts not asked taken as benign).
        said = needed(flow_id, path, only_asked=True)
        at_top = {rule.id for rule in said if rule.level is top}
        assert at_top & OUTCOME_RULES[path.outcome.id], (trail(path), path.outcome.id, at_top)


@pytest.mark.parametrize("flow_id", ["twitch", "smile"])
def test_U1_fever_outcome_matches_the_age_band_on_every_path(flow_id: str) -> None:
    expected = {0: "fever_under_13_weeks", 13: "fever_under_6_months", 26: "fever_with_jerks"}
    seen = set()
    for path in paths(flow_id):
        age = path.answer(AGE_WEEKS)
        if age is None or path.steps[-1][0].id != "fever_age":
            continue
        want = expected[age.min_weeks] if age.min_weeks is not None else "fever_under_13_weeks"
        assert path.outcome.id == want
        seen.add(want)
    assert seen == set(expected.values())


def test_E5_a_fit_with_fever_by_age_on_every_path() -> None:
    for _, path in all_paths():
        if path.steps[-1][0].id != "seizure_fever_age":
            continue
        age = path.steps[-1][1]
        young = age.min_weeks is None or age.min_weeks < 26
        assert path.outcome.id == ("fever_fit_under_6_months" if young else "fever_with_jerks")


def _danger_steps(path: FlowPath) -> list[tuple[str, str]]:
    """(how the answer reads, value) for each question that asks a danger sign."""
    out = []
    for question, option in path.steps:
        if not set(question.facts) & EMERGENCY_FLAGS:
            continue
        if question.grouped:
            out.append(
                ("cautious" if option.value == ANY else str(option.value), str(option.value))
            )
        elif option.value == CAUTIOUS_ANSWER[question.fact]:
            out.append(("cautious", str(option.value)))
        else:
            out.append((str(option.value), str(option.value)))
    return out


def test_safety_a_danger_sign_always_ends_in_emergency() -> None:
    seen = 0
    for _, path in all_paths():
        if any(kind == "cautious" for kind, _ in _danger_steps(path)):
            seen += 1
            assert path.outcome.level is Level.EMERGENCY, trail(path)
    assert seen >= 8


def test_safety_not_sure_on_a_danger_sign_never_ends_below_urgent() -> None:
    seen = 0
    for _, path in all_paths():
        if any(value == UNKNOWN for _, value in _danger_steps(path)):
            seen += 1
            assert path.outcome.level >= Level.URGENT, trail(path)
    assert seen > 0


def test_safety_the_live_waking_test_that_fails_is_an_emergency() -> None:
    failed = 0
    for path in paths("twitch"):
        for index, (question, option) in enumerate(path.steps):
            if question.id == "wake_now" and option.value != "yes":
                failed += 1
                assert index == len(path.steps) - 1
                assert path.outcome.id == "seizure_now"
    assert failed == 4  # jerking now or not sure, then still jerking or not sure


def test_safety_reassure_only_when_every_sign_was_ruled_out() -> None:
    reassured = 0
    for flow_id, path in all_paths():
        if path.outcome.level is not Level.REASSURE:
            continue
        reassured += 1
        flow = flows()[flow_id]
        asked = {f for q, _ in path.steps for f in q.facts}
        for question, option in path.steps:
            if question.grouped:
                assert option.value == NONE, trail(path)
            elif question.fact not in (AGE_WEEKS, "happening_now"):
                assert option.value == BENIGN_ANSWER[question.fact], trail(path)
        # Every fact the flow asks was asked on this path, but for those a reassure path may
        # skip: a "which one?" follow-up, the social smile under 12 weeks, first-seizure
        # questions without a seizure sign.
        skippable = {"seen_by_doctor_before", "no_social_smile_by_12_weeks", "happening_now"}
        flow_facts = {f for q in flow.questions.values() for f in q.facts} - {AGE_WEEKS}
        assert flow_facts - skippable <= asked, (trail(path), flow_facts - asked)
        if flow_id == "twitch":
            assert {"happens_awake", "stops_when_woken", "episode_over_20s"} <= asked
    # twitch: over (now=no), or jerking now / not sure and stopping when woken; smile: under 12
    # weeks, smiling back at 12 weeks or older, or age not known and smiling back
    assert reassured == 6


def test_not_sure_elsewhere_is_never_less_cautious_than_the_cautious_answer() -> None:
    """Outside the danger signs and the grouped screens (checked against the rule table
    above), "not sure" goes where the cautious answer goes, or somewhere whose every outcome is
    at least as high as any outcome the cautious answer can reach. For the age, the cautious
    answer is the range whose branch can end highest."""
    checked = 0
    for flow in flows().values():
        for question in flow.questions.values():
            if question.grouped or question.fact in EMERGENCY_FLAGS:
                continue
            unsure = question.option("unknown")
            assert unsure is not None, question.id
            if question.fact == AGE_WEEKS:
                ranges = [o for o in question.options if o.value is None]
                top = max(max(_levels(flow, o.target)) for o in ranges)
                candidates = [o for o in ranges if max(_levels(flow, o.target)) == top]
            else:
                cautious = question.option(_cautious(question.fact))
                assert cautious is not None
                candidates = [cautious]
            assert any(
                unsure.target == c.target
                or min(_levels(flow, unsure.target)) >= max(_levels(flow, c.target))
                for c in candidates
            ), (flow.id, question.id)
            checked += 1
    assert checked >= 15


def _cautious(fact: str) -> str:
    negative = ("stops_when_woken", "back_to_normal", "seen_by_doctor_before")
    return "no" if fact in negative else "yes"


def _levels(flow: Flow, node: str) -> set[Level]:
    """Levels of every outcome reachable from `node` (an independent walk, not the library's)."""
    if node in flow.outcomes:
        return {flow.outcomes[node].level}
    return {level for o in flow.questions[node].options for level in _levels(flow, o.target)}


@pytest.mark.parametrize("flow_id", ["twitch", "smile"])
def test_longest_path_is_known_and_small(flow_id: str) -> None:
    flow = flows()[flow_id]
    assert max_questions(flow) == MAX_QUESTIONS[flow_id]
    assert max(len(p.steps) for p in paths(flow_id)) == MAX_QUESTIONS[flow_id]
    assert len(paths(flow_id)) < 1000


@pytest.mark.parametrize("flow_id", ["twitch", "smile"])
def test_every_question_and_outcome_is_on_some_path(flow_id: str) -> None:
    flow = flows()[flow_id]
    on_paths = {q.id for p in paths(flow_id) for q, _ in p.steps}
    assert on_paths == set(flow.questions)
    assert {p.outcome.id for p in paths(flow_id)} == set(flow.outcomes)


@pytest.mark.parametrize("flow_id", ["twitch", "smile"])
def test_each_path_replays_through_the_engine(flow_id: str) -> None:
    flow = flows()[flow_id]
    for path in paths(flow_id):
        indices = [q.options.index(o) for q, o in path.steps]
        result = step(flow, indices)
        assert result.outcome is path.outcome
        assert result.answers == tuple(indices)
        for done in range(len(indices)):
            partial = step(flow, indices[:done])
            assert partial.question is path.steps[done][0]
            assert partial.number == done + 1
            assert done + 1 <= partial.at_most <= max_questions(flow)
            assert partial.at_most >= len(indices)


@settings(max_examples=300, deadline=None)
@given(
    flow_id=st.sampled_from(["twitch", "smile"]),
    answers=st.lists(st.integers(min_value=-3, max_value=10), max_size=16),
)
def test_forged_answers_either_replay_or_raise_invalid_answers(
    flow_id: str, answers: list[int]
) -> None:
    flow = flows()[flow_id]
    try:
        result = step(flow, answers)
    except InvalidAnswers:
        return
    assert result.answers == tuple(answers)
    assert (result.question is None) != (result.outcome is None)
