"""Inline search over the explainers: synonyms come from rules, and a miss still helps."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.rules import Rules, RulesInvalid
from bot.core.rules.models import Explainer, LocalText
from bot.core.rules_loader import load_rules
from bot.core.search import matching_topics, query_words
from bot.telegram.ui_keys import UI_KEYS

# What a worried parent types, and the explainers that answer it (issue 10).
RELEVANT = {
    "stopped breathing": {"breathing_pauses", "emergency_signs"},
    "shaking": {"startle_jitters", "twitch_or_seizure"},
    "jerking": {"why_twitch", "twitch_or_seizure", "infantile_spasms"},
    "convulsion": {"emergency_signs", "febrile_seizure_aid"},
    "trembling": {"startle_jitters"},
    "spasm": {"infantile_spasms"},
}


@pytest.mark.parametrize("query", list(RELEVANT))
def test_a_parents_words_find_a_relevant_explainer_first(rules: Rules, query: str) -> None:
    found = [topic.id for topic in matching_topics(rules, "en", query)]
    assert found, f"nothing for {query!r}"
    assert found[0] in RELEVANT[query], found


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Stopped breathing?", "breathing_pauses"),
        ("baby trembling", "startle_jitters"),
        ("spasms", "infantile_spasms"),
        ("convulsions", "emergency_signs"),
        ("safe sleep", "safe_sleep"),
        ("moro", "startle_jitters"),
        ("fever fit", "febrile_seizure_aid"),
    ],
)
def test_case_plurals_and_extra_words_do_not_get_in_the_way(
    rules: Rules, query: str, first: str
) -> None:
    assert matching_topics(rules, "en", query)[0].id == first


@pytest.mark.parametrize("query", ["zebra giraffe", "qwerty", "wobbly toast"])
def test_nothing_matching_falls_back_to_signs_that_need_a_doctor(rules: Rules, query: str) -> None:
    assert [topic.id for topic in matching_topics(rules, "en", query)] == ["see_doctor_signs"]


def test_an_empty_query_lists_every_topic_in_menu_order(rules: Rules) -> None:
    assert [t.id for t in matching_topics(rules, "en", "  ")] == list(rules.explainers)
    assert query_words("a I ok Twitch!") == ["ok", "twitch"]


def _topic(ident: str, keywords: tuple[str, ...], fallback: bool = False) -> Explainer:
    text = LocalText({"en": f"<b>{ident.title()}</b>\nPlain words."}, "en")
    return Explainer(ident, text, text, (), {"en": keywords}, ("S1",), fallback)


def _rules(*topics: Explainer) -> Rules:
    return Rules("en", {"en": "English"}, {}, {}, {t.id: t for t in topics})


def test_synonyms_are_data_not_code() -> None:
    without = _rules(_topic("jitters", ()), _topic("help", (), fallback=True))
    assert [t.id for t in matching_topics(without, "en", "trembling")] == ["help"]
    with_synonym = _rules(_topic("jitters", ("trembling",)), _topic("help", (), fallback=True))
    assert [t.id for t in matching_topics(with_synonym, "en", "trembling")] == ["jitters"]


def test_without_a_fallback_topic_a_miss_is_empty() -> None:
    assert matching_topics(_rules(_topic("jitters", ())), "en", "zebra") == []


def test_the_shipped_rules_mark_one_fallback(rules: Rules) -> None:
    assert [t.id for t in rules.explainers.values() if t.search_fallback] == ["see_doctor_signs"]


@pytest.fixture
def rules_copy(tmp_path: Path, rules_dir: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(rules_dir, target)
    return target


def _errors(directory: Path) -> list[str]:
    with pytest.raises(RulesInvalid) as caught:
        load_rules(directory, UI_KEYS)
    return [str(error) for error in caught.value.errors]


def test_two_fallback_topics_are_refused(rules_copy: Path) -> None:
    path = rules_copy / "explainers.yaml"
    text = path.read_text()
    old = "    sources: [S13, S14, S15, S19, S22, S26]\n"
    assert text.count(old) == 1
    path.write_text(text.replace(old, old + "    search_fallback: true\n"))
    errors = _errors(rules_copy)
    assert any("only one topic may set search_fallback" in e for e in errors), errors


def test_a_fallback_that_is_not_true_or_false_is_refused(rules_copy: Path) -> None:
    path = rules_copy / "explainers.yaml"
    text = path.read_text()
    marker = "\n    search_fallback: true\n"
    line = text[: text.index(marker)].count("\n") + 2
    path.write_text(text.replace(marker, "\n    search_fallback: maybe\n"))
    errors = _errors(rules_copy)
    assert any(f"explainers.yaml:{line}: " in e and "search_fallback" in e for e in errors), errors
