"""Every explainer reads at about a 6th-grade level (Flesch-Kincaid)."""

from __future__ import annotations

from bot.core.rules import Rules

from .readability import (
    MAX_GRADE_EACH,
    MAX_GRADE_MEAN,
    grade_table,
    grade_texts,
    plain_text,
    readability_problems,
)


def test_explainer_bodies_are_easy_to_read(rules: Rules) -> None:
    bodies = {
        f"explainer {ident} ({rules.default_locale})": topic.body.get(rules.default_locale)
        for ident, topic in rules.explainers.items()
    }
    assert bodies, "no explainers loaded"
    grades = grade_texts(bodies)
    problems = readability_problems(grades, MAX_GRADE_EACH, MAX_GRADE_MEAN)
    assert not problems, "\n".join([*problems, "", grade_table(grades)])


def test_a_hard_text_is_flagged() -> None:
    hard = (
        "<b>Physiological considerations</b>\n"
        "Characteristically, benign neonatal sleep myoclonus demonstrates electroencephalographic "
        "normality, notwithstanding considerable phenomenological resemblance to epileptiform "
        "paroxysmal manifestations necessitating differential diagnostic evaluation."
    )
    easy = "<b>Sleep</b>\nYour baby is fine. The jerks stop when she wakes up. That is good."
    grades = grade_texts({"hard": hard, "easy": easy})
    problems = readability_problems(grades)
    assert any(p.startswith("hard:") for p in problems)
    assert not any(p.startswith("easy:") for p in problems)
    assert any(p.startswith("mean grade") for p in problems)
    assert "hard" in grade_table(grades)


def test_plain_text_reads_lines_as_units() -> None:
    text = "<b>Title</b>\n• first item\n• second &amp; last\nFever of 38.5 °C."
    assert plain_text(text) == "Title.\n• first item.\n• second & last.\nFever of 385 °C."
