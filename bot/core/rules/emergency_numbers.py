"""rules/emergency_numbers.yaml: the ambulance number per country, each with its source."""

from __future__ import annotations

from typing import Any

from bot.core.emergency import (
    COUNTRY_PATTERN,
    NUMBER_PATTERN,
    CountryNumber,
    EmergencyNumbers,
    FallbackNumber,
)
from bot.core.rules.checker import Checker
from bot.core.rules.source import LineMap
from bot.core.rules.telegram_html import Markup

FALLBACK_TEXT_MAX = 200
WHERE_MAX = 80


def _number(check: Checker, value: Any, line: int, where: str) -> str | None:
    # Quoted in YAML: a bare 000 or 0112 would be read as a number and lose its zeros.
    if isinstance(value, str) and NUMBER_PATTERN.match(value):
        return value
    check.error(line, f'{where} must be a quoted string of 2-6 digits, like "112", not {value!r}')
    return None


def _country(
    check: Checker, code: str, body: Any, line: int, source_ids: set[str]
) -> CountryNumber | None:
    where = f"countries.{code}"
    if not COUNTRY_PATTERN.match(code):
        check.error(line, f"country '{code}' must be an ISO 3166 alpha-2 code, like 'DE'")
        return None
    entry = check.mapping(body, line, where)
    if entry is None or not check.keys(entry, where, ["number", "source"], ["also"]):
        return None
    number = _number(check, entry["number"], entry.line_of("number"), f"{where}.number")
    source = entry["source"]
    if not isinstance(source, str) or source not in source_ids:
        check.error(entry.line_of("source"), f"{where}.source refers to unknown source '{source}'")
        return None
    also: list[str] = []
    if "also" in entry:
        items = check.sequence(entry["also"], entry.line_of("also"), f"{where}.also")
        for index, item in enumerate(items or ()):
            other = _number(check, item, items.line_of(index), f"{where}.also item")
            if other is not None:
                also.append(other)
    if number is None:
        return None
    return CountryNumber(code, number, source, tuple(also))


def _fallback(check: Checker, root: LineMap) -> tuple[Any, tuple[FallbackNumber, ...]]:
    fallback = check.mapping(root["fallback"], root.line_of("fallback"), "fallback")
    if fallback is None or not check.keys(fallback, "fallback", ["text", "list"]):
        return None, ()
    text = check.text(fallback, "text", "fallback", max_len=FALLBACK_TEXT_MAX, markup=Markup.HTML)
    items = check.sequence(fallback["list"], fallback.line_of("list"), "fallback.list")
    out = []
    for index, item in enumerate(items or ()):
        where = f"fallback.list item {index + 1}"
        entry = check.mapping(item, items.line_of(index), where)
        if entry is None or not check.keys(entry, where, ["number", "where"]):
            continue
        number = _number(check, entry["number"], entry.line_of("number"), f"{where}.number")
        label = check.text(entry, "where", where, max_len=WHERE_MAX, markup=Markup.HTML)
        if number is not None and label is not None:
            out.append(FallbackNumber(number, label))
    if items is not None and not items:
        check.error(fallback.line_of("list"), "fallback.list must name at least one number")
    return text, tuple(out)


def parse_emergency_numbers(
    data: Any, check: Checker, source_ids: set[str]
) -> EmergencyNumbers | None:
    root = check.mapping(data, 1, "the file")
    if root is None or not check.keys(root, "the file", ["countries", "fallback"]):
        return None
    entries = check.mapping(root["countries"], root.line_of("countries"), "countries")
    countries: dict[str, CountryNumber] = {}
    for code in entries or {}:
        parsed = _country(check, str(code), entries[code], entries.line_of(code), source_ids)
        if parsed is not None:
            countries[parsed.country] = parsed
    text, fallback_list = _fallback(check, root)
    if text is None:
        return None
    return EmergencyNumbers(countries, text, fallback_list)
