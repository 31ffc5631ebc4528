"""Reading level of parent-facing texts (Flesch-Kincaid grade, textstat 0.7.3, offline).

Reusable for every kind of text in rules/: explainers now, triage and milestone texts later.
Call `grade_texts({label: telegram_html, ...})`, then `readability_problems(...)`; put
`grade_table(...)` in the assertion message so a failure shows every grade.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

import textstat

from bot.core import plurals

MAX_GRADE_EACH = 8.0
MAX_GRADE_MEAN = 6.5

_TAG = re.compile(r"<[^>]*>")
_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")
_ENDS_SENTENCE = re.compile(r"[.!?:;]$")


def plain_text(telegram_html: str) -> str:
    """The text a parent reads, prepared so that textstat counts its sentences as a reader would.

    - HTML tags are dropped and entities decoded.
    - Each line that does not end in sentence punctuation gets a full stop: a title or a list
      item stands on its own line and is read as one unit. Without this, textstat (which splits
      sentences only at . ! ?) glues a title and a whole bullet list into one "sentence" and
      reports grades of 15 to 40 for short, simple lists.
    - Decimal points (100.4) are dropped, so a number does not count as a sentence break.
    - A plural block reads as its `other` form ("2 weeks"), not as its ICU syntax.
    """
    text = plurals.other_reading(telegram_html)
    text = _DECIMAL_POINT.sub("", html.unescape(_TAG.sub("", text)))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "\n".join(line if _ENDS_SENTENCE.search(line) else f"{line}." for line in lines)


@dataclass(frozen=True)
class Grade:
    label: str
    words: int
    grade: float


def grade_texts(texts: Mapping[str, str]) -> list[Grade]:
    out = []
    for label, text in texts.items():
        plain = plain_text(text)
        grade = textstat.flesch_kincaid_grade(plain)
        out.append(Grade(label, textstat.lexicon_count(plain), grade))
    return out


def mean_grade(grades: list[Grade]) -> float:
    return sum(g.grade for g in grades) / len(grades) if grades else 0.0


def readability_problems(
    grades: list[Grade], max_each: float = MAX_GRADE_EACH, max_mean: float = MAX_GRADE_MEAN
) -> list[str]:
    """One line per text above `max_each`, and one if the mean is above `max_mean`."""
    problems = [
        f"{g.label}: grade {g.grade:.1f} is above {max_each:.1f}"
        for g in grades
        if g.grade > max_each
    ]
    mean = mean_grade(grades)
    if grades and mean > max_mean:
        problems.append(f"mean grade {mean:.2f} is above {max_mean:.1f}")
    return problems


def grade_table(grades: list[Grade]) -> str:
    width = max((len(g.label) for g in grades), default=5)
    rows = [f"{'text':<{width}}  words  grade"]
    rows += [f"{g.label:<{width}}  {g.words:5d}  {g.grade:5.1f}" for g in grades]
    rows.append(f"{'mean':<{width}}  {'':5}  {mean_grade(grades):5.2f}")
    return "\n".join(rows)
