"""Month words a parent may type in a date, in several languages, from Babel's month names.

"1 sept 2026", "1 de septiembre de 2026", "Sep 1, 2026" and "1. März 2026" all name a month:
each locale's wide and abbreviated names (format and stand-alone forms, with or without the
trailing dot), folded for case and accents, plus any start of 3 letters or more that names one
month only. Only the small words that join a date ("de", "of", "1st") are listed here.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from babel import Locale

from bot.core.age import DateWords
from bot.core.folding import fold

# Every typed date is read in these languages, whatever the chat's own language: a Spanish
# speaker's Telegram may well be set to English.
READ_ALWAYS = ("en", "es")

# Words that join the parts of a date and mean nothing on their own, per language.
JOINING_WORDS = {
    "en": ("st", "nd", "rd", "th", "of", "the"),
    "es": ("de", "del", "el"),
}


@dataclass(frozen=True)
class MonthWords(DateWords):
    """`DateWords` for many languages at once: a word may name a month in several of them."""

    def month(self, word: str) -> int | None:
        word = fold(word).rstrip(".")
        if word in self.abbreviations:
            return self.abbreviations[word]
        if len(word) >= 3:
            months = {month for name, month in self.abbreviations.items() if name.startswith(word)}
            if len(months) == 1:
                return months.pop()
        return None


def _month_names(locale: str) -> dict[str, int]:
    months = Locale.parse(locale).months
    names: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for month, name in months[context][width].items():
                names[fold(name).rstrip(".")] = month
    return names


@functools.cache
def month_words(locales: Iterable[str] = READ_ALWAYS) -> MonthWords:
    """The words of `locales` (and English and Spanish): a `words` argument for
    `age.parse_date` and `age.parse_birth_date`."""
    codes = tuple(dict.fromkeys((*READ_ALWAYS, *locales)))
    names: dict[str, int] = {}
    joining: set[str] = set()
    for code in codes:
        for name, month in _month_names(code).items():
            names.setdefault(name, month)
        joining.update(JOINING_WORDS.get(code, ()))
    # A name shared by two languages for different months would be read as the first one;
    # none is in English and Spanish, and `names` keeps the first reader's month.
    english = tuple(fold(n) for n in Locale.parse("en").months["format"]["wide"].values())
    return MonthWords(english, names, frozenset(joining))
