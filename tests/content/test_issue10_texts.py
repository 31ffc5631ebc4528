"""The emergency-number and check-in texts read at about a 6th-grade level, like the rest."""

from __future__ import annotations

from bot.core.rules import Rules

from .readability import (
    MAX_GRADE_EACH,
    MAX_GRADE_MEAN,
    grade_table,
    grade_texts,
    readability_problems,
)


def test_emergency_number_and_check_in_texts_are_easy_to_read(rules: Rules) -> None:
    numbers = rules.emergency_numbers
    assert numbers is not None
    values = {
        "number": "112",
        "numbers": "112",
        "fallback": numbers.fallback_text.get("en"),
        "where": numbers.fallback_list[0].where.get("en"),
        "time": "05:12",
        "hours": 2,
    }
    texts = {
        key: rules.text(key, "en", **values)
        for key in rules.ui
        if key.startswith(("emergency.", "checkin.", "button.checkin_"))
        or key in ("button.check_in", "button.copy_number", "alert.check_in_gone")
    }
    assert len(texts) >= 15
    grades = grade_texts(texts)
    problems = readability_problems(grades, MAX_GRADE_EACH, MAX_GRADE_MEAN)
    assert not problems, "\n".join([*problems, "", grade_table(grades)])
