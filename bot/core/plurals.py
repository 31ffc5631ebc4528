"""Plural forms inside rules texts, written ICU-style and chosen by Babel's (CLDR) plural rules.

A text may hold blocks like `{weeks, plural, one {# week} other {# weeks}}`: the bot passes
`weeks=1` and the parent reads "1 week"; `weeks=2` gives "2 weeks". `#` is the number, written
the locale's way. A branch may also hold ordinary `{name}` placeholders. Categories are CLDR's
(`zero`, `one`, `two`, `few`, `many`, `other`) plus exact numbers (`=0`), so Spanish can say
`{n, plural, one {# semana} other {# semanas}}` with the same rule set as English.

`problems` checks a text for one locale at start-up: every block must parse, name only
categories that locale has, give `other`, and give each category a whole number from 0 to 1000
can fall into (Spanish's `many` is for millions, so it is not required).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from babel import Locale, localedata
from babel.numbers import format_decimal

CATEGORIES = ("zero", "one", "two", "few", "many", "other")
_BLOCK_START = re.compile(r"\{\s*([a-z_][a-z0-9_]*)\s*,\s*plural\s*,")
_SELECTOR = re.compile(r"\s*(=\d+|[a-z]+)\s*\{")
REQUIRED_UP_TO = 1000


class PluralSyntaxError(ValueError):
    """A plural block that does not parse."""


@dataclass(frozen=True)
class PluralBlock:
    start: int  # index of the opening brace in the text
    end: int  # index just after the closing brace
    name: str  # the number's placeholder, e.g. "weeks"
    forms: Mapping[str, str]  # "one" / "other" / "=0" -> branch text


def _closing_brace(text: str, opening: int) -> int:
    """Index of the brace that closes the one at `opening` (branches may nest `{name}`)."""
    depth = 0
    for index in range(opening, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    raise PluralSyntaxError("a plural block is missing its closing '}'")


def _parse_block(text: str, match: re.Match[str]) -> PluralBlock:
    forms: dict[str, str] = {}
    position = match.end()
    while True:
        rest = text[position:]
        stripped = rest.lstrip()
        if stripped.startswith("}"):
            end = position + (len(rest) - len(stripped)) + 1
            break
        if not stripped:
            raise PluralSyntaxError(f"plural block '{match.group(1)}' is missing its closing '}}'")
        selector = _SELECTOR.match(text, position)
        if selector is None:
            raise PluralSyntaxError(
                f"plural block '{match.group(1)}': expected a category and '{{' near '{rest[:20]}'"
            )
        key = selector.group(1)
        if key in forms:
            raise PluralSyntaxError(f"plural block '{match.group(1)}' gives '{key}' twice")
        close = _closing_brace(text, selector.end() - 1)
        forms[key] = text[selector.end() : close]
        position = close + 1
    return PluralBlock(match.start(), end, match.group(1), forms)


def blocks(text: str) -> Iterator[PluralBlock]:
    """The plural blocks of `text`, in order; PluralSyntaxError when one does not parse."""
    position = 0
    while (match := _BLOCK_START.search(text, position)) is not None:
        block = _parse_block(text, match)
        yield block
        position = block.end


def is_known_locale(code: str) -> bool:
    """Babel (CLDR) has plural rules, month names and formats for this locale code."""
    return localedata.exists(code.replace("-", "_"))


@functools.cache
def _locale(code: str) -> Locale:
    return Locale.parse(code.replace("-", "_"))


def category(locale: str, number: int) -> str:
    """CLDR's plural category of `number` in `locale` ("one", "few", "other", ...)."""
    return _locale(locale).plural_form(number)


@functools.cache
def needed_categories(locale: str) -> frozenset[str]:
    """The categories some whole number from 0 to 1000 falls into: a text must give each."""
    rule = _locale(locale).plural_form
    return frozenset(rule(n) for n in range(REQUIRED_UP_TO + 1))


def known_categories(locale: str) -> frozenset[str]:
    return _locale(locale).plural_form.tags | {"other"}


def choose(block: PluralBlock, locale: str, number: int) -> str:
    """The branch for `number`: an exact `=N` form first, then its CLDR category."""
    form = block.forms.get(f"={number}")
    if form is None:
        form = block.forms.get(category(locale, number), block.forms["other"])
    return form.replace("#", format_decimal(number, locale=_locale(locale)))


def resolve(text: str, locale: str, values: Mapping[str, object]) -> str:
    """`text` with each plural block replaced by the branch its number selects."""
    if "plural" not in text:
        return text
    out: list[str] = []
    position = 0
    for block in blocks(text):
        number = values[block.name]
        if isinstance(number, bool) or not isinstance(number, int):
            raise TypeError(f"plural '{block.name}' needs a whole number, got {number!r}")
        out.append(text[position : block.start])
        out.append(choose(block, locale, number))
        position = block.end
    out.append(text[position:])
    return "".join(out)


def longest_reading(text: str) -> str:
    """`text` with each plural block replaced by its longest form ("#" as two digits), for the
    length limits of buttons and alerts; unchanged if a block does not parse."""
    return _each_block(text, lambda block: max(block.forms.values(), key=len).replace("#", "99"))


def other_reading(text: str) -> str:
    """`text` as a parent most often reads it: each plural block's `other` form, "#" as 2
    (for readability scores)."""
    return _each_block(text, lambda block: block.forms.get("other", "").replace("#", "2"))


def _each_block(text: str, replace: Callable[[PluralBlock], str]) -> str:
    try:
        found = list(blocks(text))
    except PluralSyntaxError:
        return text
    out: list[str] = []
    position = 0
    for block in found:
        out.append(text[position : block.start])
        out.append(replace(block))
        position = block.end
    out.append(text[position:])
    return "".join(out)


def as_placeholders(text: str) -> str:
    """`text` with each plural block written as `{name}` plus its branches' placeholders, so
    the usual placeholder checks can compare locales; unchanged if a block does not parse."""
    return _each_block(
        text, lambda block: "{" + block.name + "}" + "".join(block.forms.values()).replace("#", "")
    )


def problems(text: str, locale: str) -> list[str]:
    """What is wrong with the plural blocks of one locale's text (empty when all is well)."""
    try:
        found = list(blocks(text))
    except PluralSyntaxError as error:
        return [str(error)]
    out: list[str] = []
    known, needed = known_categories(locale), needed_categories(locale)
    for block in found:
        keys = {key for key in block.forms if not key.startswith("=")}
        if "other" not in keys:
            out.append(f"plural block '{block.name}' needs an 'other' form")
        for key in sorted(keys - known):
            allowed = ", ".join(c for c in CATEGORIES if c in known)
            out.append(
                f"plural block '{block.name}' uses category '{key}', "
                f"which '{locale}' does not have (it has: {allowed}, or =N for an exact number)"
            )
        for key in sorted(needed - keys - {"other"}):
            out.append(f"plural block '{block.name}' is missing the '{key}' form for '{locale}'")
    return out
