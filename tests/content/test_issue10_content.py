"""The clinical points issue 10 asks the explainers to make (clinical notes 1.3-1.11, 2.3)."""

from __future__ import annotations

import re

import pytest

from bot.core.rules import Rules

from .readability import MAX_GRADE_EACH, grade_table, grade_texts, mean_grade, plain_text

NEW_TOPICS = (
    "breathing_pauses",
    "safe_sleep",
    "startle_jitters",
    "infantile_spasms",
    "febrile_seizure_aid",
)


def text_of(rules: Rules, topic: str) -> str:
    return plain_text(rules.explainers[topic].body.get("en")).lower()


def test_the_new_explainers_are_in_the_menu(rules: Rules) -> None:
    assert set(NEW_TOPICS) <= set(rules.explainers)


def test_the_new_explainers_read_at_about_6th_grade(rules: Rules) -> None:
    grades = grade_texts({t: rules.explainers[t].body.get("en") for t in NEW_TOPICS})
    table = grade_table(grades)
    assert all(g.grade <= MAX_GRADE_EACH for g in grades), table
    assert mean_grade(grades) <= 6.0, table


@pytest.mark.parametrize(
    ("topic", "musts", "sources"),
    [
        (
            "breathing_pauses",
            ["5 to 10 seconds", "colour", "more than 10 seconds", "emergency number"],
            {"S27", "S28"},
        ),
        (
            "infantile_spasms",
            ["1 or 2 seconds", "every 5 to 10 seconds", "after your baby wakes", "colic",
             "startles", "doctor today", "film"],
            {"S8", "S9", "S11"},
        ),
        (
            "startle_jitters",
            ["moro", "hold the shaking hand or leg", "jitters stop", "doctor today",
             "in sleep, holding is no test"],
            {"S20", "S68"},
        ),
        (
            "febrile_seizure_aid",
            ["on one side", "nothing in the mouth", "do not hold", "note the time",
             "emergency number", "first fit", "over 5 minutes", "under 6 months"],
            {"S13", "S14", "S15"},
        ),
        (
            "safe_sleep",
            ["on the back", "firm, flat", "in your room", "no pillows", "never", "tummy",
             "wedges", "monitors", "after a seizure", "watch the breathing"],
            {"S72", "S13"},
        ),
    ],
)  # fmt: skip
def test_each_new_explainer_says_what_the_clinical_notes_say(
    rules: Rules, topic: str, musts: list[str], sources: set[str]
) -> None:
    text = text_of(rules, topic)
    missing = [m for m in musts if m not in text]
    assert not missing, f"{topic} should say: {missing}"
    assert sources <= set(rules.explainers[topic].sources)


def test_side_lying_is_advised_only_after_a_seizure(rules: Rules) -> None:
    """Clinical notes 1.11: never suggest side or tummy sleeping."""
    for ident in rules.explainers:
        for sentence in re.split(r"(?<=[.!?:])\s+", text_of(rules, ident)):
            if re.search(r"\b(on (their|one|the) side|tummy)\b", sentence) and "sleep" in sentence:
                assert "never" in sentence or "seizure" in sentence, (ident, sentence)


def test_no_explainer_repeats_the_unsourced_hormone_claim(rules: Rules) -> None:
    """Clinical notes 2.3: norepinephrine and the vibrating pillow have no source."""
    for ident in rules.explainers:
        text = text_of(rules, ident)
        for claim in ("norepinephrine", "noradrenaline", "stress hormone", "vibrating"):
            assert claim not in text, (ident, claim)


def test_holding_is_called_no_test_only_for_sleep(rules: Rules) -> None:
    """BNSM goes on when held, in sleep; awake jitters stop when held (clinical notes 1.9)."""
    for ident in rules.explainers:
        for sentence in re.split(r"(?<=[.!?])\s+", text_of(rules, ident)):
            if "holding" in sentence and "test" in sentence:
                assert "in sleep" in sentence, (ident, sentence)
    assert "jitters differ: they stop when held" in text_of(rules, "twitch_or_seizure")


def test_inline_search_has_a_fallback_topic(rules: Rules) -> None:
    assert [t.id for t in rules.explainers.values() if t.search_fallback] == ["see_doctor_signs"]


def test_sources_shown_to_parents_are_whole(rules: Rules) -> None:
    """No truncated citation ('(mirror', ';;;', a URL cut at a bracket) reaches a parent."""
    cited = {s for t in rules.explainers.values() for s in t.sources}
    cited |= {s for m in rules.milestones.values() for s in m.sources}
    bad = {}
    for ident in sorted(cited):
        source = rules.sources[ident]
        problems = []
        for label, value in (("title", source.title), ("url", source.url or "")):
            if value.count("(") != value.count(")"):
                problems.append(f"{label} has unbalanced brackets")
        if re.search(r";\s*[;,]|,\s*;|\b(via|at)\s*$|[:,(]\s*$", source.title):
            problems.append("title has an empty list item or ends mid-phrase")
        if problems:
            bad[ident] = problems
    assert not bad, bad


def test_the_four_broken_sources_of_issue_10_are_repaired(rules: Rules) -> None:
    s8, s30, s38, s41 = (rules.sources[i] for i in ("S8", "S30", "S38", "S41"))
    assert s8.url == "http://www.pdconline.com/1063-2/" and "copy" in s8.title
    assert ";;" not in s30.title and "cdc.gov/ActEarly" in s30.title
    assert s38.url is not None and s38.url.endswith("S0960-9822(21)00736-3")
    assert "age=45" not in s41.title and s41.title.count('"') % 2 == 0
