"""The real flows against the rule table as a function (bot/core/triage/rule_table.py).

Exhaustive: every combination of yes/no over the facts a flow asks, at several ages, walked by
the parent of test_triage_rules.py, ends at exactly the level `disposition` gives (no answer is
unsure, so the flow neither under- nor over-triages). Then Hypothesis draws yes/no/unknown per
fact: the flow's level is never lower than the table's.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.triage import Level
from bot.core.triage.rule_table import SEIZURE_SIGNS, disposition
from bot.core.triage.vocabulary import (
    AGE_WEEKS,
    ANSWER_VALUES,
    BENIGN_ANSWER,
    CAUTIOUS_ANSWER,
    HAPPENING_NOW,
    NO,
    SEEN_BY_DOCTOR_BEFORE,
    YES,
)
from tests.core.test_triage_rules import flows, walk

AGES = (4, 12, 20, 30)


def asked_facts(flow_id: str) -> list[str]:
    flow = flows()[flow_id]
    return sorted({f for q in flow.questions.values() for f in q.facts} - {AGE_WEEKS})


def table_level(flow_id: str, answers: dict[str, str], weeks: int | None) -> Level:
    return disposition(answers, weeks, jerks_seen=flow_id == "twitch").level


def flow_level(flow_id: str, answers: dict[str, str], weeks: int | None) -> Level:
    result = walk(flow_id, answers, weeks)
    assert result.outcome is not None
    return result.outcome.level


def yes_no_answers(flow_id: str) -> Iterator[dict[str, str]]:
    """Every yes/no combination. `happening_now` takes both values only with `stops_when_woken`
    (the live test is the only thing it changes); `seen_by_doctor_before` is varied only when a
    seizure sign is there (it is asked only then, and the table reads it only then)."""
    facts = [f for f in asked_facts(flow_id) if f not in (HAPPENING_NOW, SEEN_BY_DOCTOR_BEFORE)]
    for values in itertools.product((YES, NO), repeat=len(facts)):
        answers = dict(zip(facts, values, strict=True))
        sign = any(answers.get(f, BENIGN_ANSWER[f]) == CAUTIOUS_ANSWER[f] for f in SEIZURE_SIGNS)
        for seen in (YES, NO) if sign else (YES,):
            with_seen = {**answers, SEEN_BY_DOCTOR_BEFORE: seen}
            if flow_id == "smile":
                yield with_seen
                continue
            yield {**with_seen, HAPPENING_NOW: NO}
            yield {**with_seen, HAPPENING_NOW: YES}


@pytest.mark.parametrize("flow_id", ["twitch", "smile"])
def test_every_yes_no_answer_ends_at_exactly_the_level_of_the_rule_table(flow_id: str) -> None:
    checked = 0
    levels: set[Level] = set()
    for answers in yes_no_answers(flow_id):
        for weeks in AGES:
            want = table_level(flow_id, answers, weeks)
            got = flow_level(flow_id, answers, weeks)
            assert got is want, (answers, weeks, got.id, want.id)
            levels.add(got)
            checked += 1
    assert levels == set(Level)  # every level is reached: the combinations are not degenerate
    assert checked > 1000


@pytest.mark.parametrize("flow_id", ["twitch", "smile"])
def test_the_facts_varied_are_every_fact_the_flow_asks(flow_id: str) -> None:
    varied = set().union(*(set(a) for a in itertools.islice(yes_no_answers(flow_id), 50)))
    assert varied == set(asked_facts(flow_id))
    if flow_id == "smile":
        new_questions = {"fever", "clusters_on_waking", "stiffening", "eye_rolling_or_staring"}
        assert new_questions | {"laughing_fits", "losing_skills"} <= varied


def _answers(flow_id: str) -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries(
        {fact: st.sampled_from(ANSWER_VALUES) for fact in asked_facts(flow_id)}
    )


@st.composite
def _cases(draw: st.DrawFn) -> tuple[str, dict[str, str], int | None]:
    flow_id = draw(st.sampled_from(["twitch", "smile"]))
    answers = draw(_answers(flow_id))
    weeks = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=259)))
    return flow_id, answers, weeks


@settings(max_examples=1500, deadline=None)
@given(case=_cases())
def test_with_not_sure_the_flow_is_never_lower_than_the_rule_table(
    case: tuple[str, dict[str, str], int | None],
) -> None:
    flow_id, answers, weeks = case
    want = table_level(flow_id, answers, weeks)
    got = flow_level(flow_id, answers, weeks)
    assert got >= want, (answers, weeks, got.id, want.id)


@pytest.mark.parametrize("flow_id", ["twitch", "smile"])
def test_not_sure_on_a_danger_sign_is_never_lower_than_no_for_a_first_seizure(
    flow_id: str,
) -> None:
    first_seizure = {"stiffening": YES, SEEN_BY_DOCTOR_BEFORE: NO}
    sure = flow_level(flow_id, {**first_seizure, "lasting_over_5_min": NO}, 20)
    unsure = flow_level(flow_id, {**first_seizure, "lasting_over_5_min": "unknown"}, 20)
    assert sure is Level.EMERGENCY
    assert unsure >= sure
