"""Plural blocks in rules texts: chosen by Babel's plural rules, checked at start-up."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.core import plurals
from bot.core.rules_loader import load_rules
from bot.telegram.ui_keys import UI_KEYS
from tests.core.test_rules_loader import errors_of, replace_in, rules_copy

__all__ = ["rules_copy"]  # the fixture, shared with the rules loader's tests

WEEKS_EN = "{weeks, plural, one {# week} other {# weeks}}"
WEEKS_ES = "{weeks, plural, one {# semana} other {# semanas}}"


@pytest.mark.parametrize(
    ("number", "expected"), [(0, "0 weeks"), (1, "1 week"), (2, "2 weeks"), (21, "21 weeks")]
)
def test_english_weeks(number: int, expected: str) -> None:
    assert plurals.resolve(WEEKS_EN, "en", {"weeks": number}) == expected


@pytest.mark.parametrize(
    ("number", "expected"), [(0, "0 semanas"), (1, "1 semana"), (2, "2 semanas")]
)
def test_spanish_weeks(number: int, expected: str) -> None:
    assert plurals.resolve(WEEKS_ES, "es", {"weeks": number}) == expected


def test_an_exact_number_wins_and_branches_keep_their_placeholders() -> None:
    text = "{n, plural, =0 {{name} is new} one {# note for {name}} other {# notes for {name}}}"
    assert plurals.resolve(text, "en", {"n": 0}).format(name="Ana") == "Ana is new"
    assert plurals.resolve(text, "en", {"n": 1}).format(name="Ana") == "1 note for Ana"
    assert plurals.resolve(text, "en", {"n": 1200}).format(name="Ana") == "1,200 notes for Ana"
    assert plurals.resolve(text, "es", {"n": 1200}).format(name="Ana") == "1.200 notes for Ana"


def test_a_plural_needs_a_whole_number() -> None:
    with pytest.raises(TypeError):
        plurals.resolve(WEEKS_EN, "en", {"weeks": "2"})


@pytest.mark.parametrize(
    ("text", "locale", "problem"),
    [
        ("{n, plural, other {# weeks}}", "en", "missing the 'one' form for 'en'"),
        ("{n, plural, one {# week}}", "en", "needs an 'other' form"),
        ("{n, plural, one {# sem} few {x} other {# sem}}", "es", "'few', which 'es' does not"),
        ("{n, plural, one {# week} other {# weeks}", "en", "missing its closing"),
        ("{n, plural, one # week}", "en", "expected a category"),
        ("{n, plural, one {a} one {b} other {c}}", "en", "gives 'one' twice"),
    ],
)
def test_problems(text: str, locale: str, problem: str) -> None:
    found = plurals.problems(text, locale)
    assert any(problem in p for p in found), found


def test_spanish_many_is_not_required() -> None:
    """CLDR gives Spanish 'many' for millions only; no count we show reaches it."""
    assert plurals.problems(WEEKS_ES, "es") == []


def test_the_shipped_texts_put_no_bare_count_before_a_noun(rules_dir: Path) -> None:
    """'{weeks} weeks' would read '1 weeks': every count before a noun is a plural block."""
    text = (rules_dir / "ui.yaml").read_text(encoding="utf-8")
    bare = re.findall(r"\{[a-z_]+\} (?:weeks?|days?|months?|hours?|babies|letters|notes)\b", text)
    assert bare == []


def test_the_spanish_rules_say_semana_and_semanas(rules_dir: Path) -> None:
    rules = load_rules(rules_dir, UI_KEYS)
    ana = "Ana, {} desde que nació"
    assert rules.text("triage.age_weeks", "es", name="Ana", weeks=1) == ana.format("1 semana")
    assert rules.text("triage.age_weeks", "es", name="Ana", weeks=2) == ana.format("2 semanas")
    assert rules.text("triage.age_weeks", "en", name="Ann", weeks=1) == "Ann, 1 week since birth"
    assert rules.text("button.check_in", "es", hours=1) == "⏰ Pregúntame en 1 hora"


SPANISH_AGE = f'es: "{{name}}, {WEEKS_ES} desde que nació"'


def test_check_rules_names_a_bad_plural_with_file_and_line(rules_copy: Path) -> None:
    bad = 'es: "{name}, {weeks, plural, few {#} other {#}} desde que nació"'
    line = replace_in(rules_copy / "ui.yaml", SPANISH_AGE, bad)
    errors = errors_of(rules_copy)
    assert any(
        f"ui.yaml:{line}: strings.triage.age_weeks.es: plural block 'weeks' uses category 'few'"
        in e
        for e in errors
    ), errors


def test_a_plural_counts_as_its_placeholder_across_locales(rules_copy: Path) -> None:
    renamed = 'es: "{name}, {n, plural, one {# semana} other {# semanas}} desde que nació"'
    line = replace_in(rules_copy / "ui.yaml", SPANISH_AGE, renamed)
    errors = errors_of(rules_copy)
    assert any(f"ui.yaml:{line}:" in e and "uses placeholders ['n', 'name']" in e for e in errors)


def test_a_locale_babel_does_not_know_is_refused(rules_copy: Path) -> None:
    line = replace_in(rules_copy / "locales.yaml", "  en: English", "  en: English\n  qq: Q")
    errors = errors_of(rules_copy)
    assert any("locales.yaml:" in e and "'qq' is unknown to Babel" in e for e in errors), (
        line,
        errors,
    )
