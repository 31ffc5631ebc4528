"""The movement check reads at about a 6th-grade level: every question (with its listed signs
and help line) and every outcome, as a parent sees it on one screen."""

from __future__ import annotations

from bot.core.rules import Rules

from .readability import (
    MAX_GRADE_EACH,
    MAX_GRADE_MEAN,
    grade_table,
    grade_texts,
    readability_problems,
)


def triage_texts(rules: Rules) -> dict[str, str]:
    locale = rules.default_locale
    texts: dict[str, str] = {}
    for flow in rules.triage.values():
        for question in flow.questions.values():
            lines = [question.text.get(locale), *(i.get(locale) for i in question.items)]
            if question.help is not None:
                lines.append(question.help.get(locale))
            texts[f"{flow.id}.{question.id}"] = "\n".join(lines)
        for outcome in flow.outcomes.values():
            parts = [outcome.title, outcome.text, *outcome.do_now, *outcome.watch_for]
            texts[f"outcome {outcome.id}"] = "\n".join(p.get(locale) for p in parts)
    return texts


def test_triage_questions_and_outcomes_are_easy_to_read(rules: Rules) -> None:
    grades = grade_texts(triage_texts(rules))
    assert len(grades) > 30
    problems = readability_problems(grades, MAX_GRADE_EACH, MAX_GRADE_MEAN)
    assert not problems, "\n".join([*problems, "", grade_table(grades)])
