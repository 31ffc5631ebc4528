"""Inline search in Spanish finds what a worried parent types, with or without accents."""

from __future__ import annotations

import pytest

from bot.core.rules import Rules
from bot.core.search import matching_topics


@pytest.mark.parametrize(
    ("query", "relevant"),
    [
        ("no respira", {"breathing_pauses", "emergency_signs"}),
        ("labios azules", {"breathing_pauses", "emergency_signs"}),
        ("sacudidas", {"why_twitch", "twitch_or_seizure", "twitch_body_map"}),
        ("convulsión", {"twitch_or_seizure", "emergency_signs", "febrile_seizure_aid"}),
        ("convulsion", {"twitch_or_seizure", "emergency_signs", "febrile_seizure_aid"}),
        ("fiebre", {"febrile_seizure_aid", "see_doctor_signs"}),
        ("sonríe dormido", {"why_sleep_smiles"}),
        ("sonrie", {"why_sleep_smiles", "smile_types", "awake_smiles"}),
        ("temblor", {"startle_jitters"}),
        ("espasmos", {"infantile_spasms"}),
        ("cuna", {"safe_sleep"}),
        ("grabar video", {"film_episode"}),
    ],
)
def test_spanish_search_finds_the_topic(rules: Rules, query: str, relevant: set[str]) -> None:
    ids = [topic.id for topic in matching_topics(rules, "es", query)]
    assert ids and ids[0] in relevant, ids


def test_spanish_search_with_no_match_offers_signs_that_need_a_doctor(rules: Rules) -> None:
    assert [t.id for t in matching_topics(rules, "es", "dragón morado con hipo")] == [
        "see_doctor_signs"
    ]
