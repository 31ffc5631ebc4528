"""Parsers for the basic sections: locales, sources, UI strings and explainers."""

from __future__ import annotations

from typing import Any

from bot.core import plurals
from bot.core.rules.checker import Checker
from bot.core.rules.models import Explainer, LocalText, Source, ZoneChoice
from bot.core.rules.source import LineMap
from bot.core.rules.telegram_html import Markup
from bot.core.timezones import is_known_zone

# Telegram's limits (https://core.telegram.org/bots/api): message text and alert text.
MESSAGE_MAX = 4096
ALERT_MAX = 200
BUTTON_MAX = 64
EXPLAINER_MAX_WORDS = 130
# The bot's profile texts (setMyDescription, setMyShortDescription) and their limits.
PROFILE_LIMITS = {"bot.description": 512, "bot.short_description": 120}
# Shown by Telegram as written: alerts and toasts (answerCallbackQuery), button labels, the
# command menu's descriptions and the bot's profile. Every other UI string is sent with
# parse_mode HTML.
PLAIN_PREFIXES = ("alert.", "button.", "command.", "bot.")
# Toasts whose keys do not start with alert. (renaming them would touch their handlers); the
# video.* ones live in rules/video.yaml.
TOAST_KEYS = frozenset(
    {
        "checkin.scheduled",
        "checkin.already",
        "reminders.saved",
        "video.kept",
        "video.keep_expired",
    }
)
KEY_PATTERN_HELP = "lower-case words joined by dots or underscores, e.g. 'menu.explain'"


def parse_locales(data: Any, check: Checker) -> tuple[str, dict[str, str]] | None:
    root = check.mapping(data, 1, "locales.yaml")
    if root is None or not check.keys(root, "the file", ["default", "locales"]):
        return None
    names = check.mapping(root["locales"], root.line_of("locales"), "locales")
    if names is None or not names:
        check.error(root.line_of("locales"), "locales must name at least one locale")
        return None
    locales: dict[str, str] = {}
    for code, name in names.items():
        if not isinstance(code, str) or not code.isalpha() or not code.islower() or len(code) > 3:
            check.error(names.line_of(code), f"locale code '{code}' must be like 'en' or 'de'")
        elif not plurals.is_known_locale(code):
            check.error(names.line_of(code), f"locale '{code}' is unknown to Babel (CLDR)")
        elif not isinstance(name, str) or not name.strip():
            check.error(names.line_of(code), f"locale '{code}' needs a display name")
        else:
            locales[code] = name
    default = root["default"]
    if default not in locales:
        check.error(root.line_of("default"), f"default locale '{default}' is not in locales")
        return None
    return default, locales


def parse_sources(data: Any, check: Checker) -> dict[str, Source]:
    root = check.mapping(data, 1, "the file")
    if root is None or not check.keys(root, "the file", ["sources"]):
        return {}
    entries = check.mapping(root["sources"], root.line_of("sources"), "sources")
    out: dict[str, Source] = {}
    for ident, body in (entries or {}).items():
        line = entries.line_of(ident)
        if not isinstance(ident, str) or not ident.isalnum():
            check.error(line, f"source id '{ident}' must be letters and digits, e.g. 'S13'")
            continue
        entry = check.mapping(body, line, f"source {ident}")
        if entry is None or not check.keys(entry, f"source {ident}", ["title"], ["url"]):
            continue
        title = check.string(entry, "title", f"source {ident}", max_len=600)
        url = entry.get("url")
        if url is not None and not (
            isinstance(url, str) and url.startswith(("http://", "https://"))
        ):
            check.error(entry.line_of("url"), f"source {ident}.url must start with http(s)://")
            url = None
        if title:
            out[ident] = Source(ident, title, url)
    return out


def _ui_limit(key: str) -> int:
    if key in PROFILE_LIMITS:
        return PROFILE_LIMITS[key]
    if key.startswith("alert.") or key in TOAST_KEYS:
        return ALERT_MAX
    if key.startswith("button.") or key.startswith("command."):
        return BUTTON_MAX
    return MESSAGE_MAX


def _ui_markup(key: str, plain_keys: frozenset[str] = frozenset()) -> Markup:
    """Alerts, toasts, button labels and command descriptions show as written; the rest is HTML."""
    if key.startswith(PLAIN_PREFIXES) or key in TOAST_KEYS or key in plain_keys:
        return Markup.PLAIN
    return Markup.HTML


def parse_ui(
    data: Any, check: Checker, plain_keys: frozenset[str] = frozenset()
) -> dict[str, LocalText]:
    """UI strings: `alert.*` must fit an alert; `button.*` and `command.*` a label; `bot.*`
    Telegram's limits for the bot's description (512) and short description (120).

    Plain ones (see `_ui_markup`, and `plain_keys`: e.g. labels drawn into a picture) may hold
    no markup; every other must parse as Telegram HTML.
    """
    root = check.mapping(data, 1, "the file")
    if root is None or not check.keys(root, "the file", ["strings"]):
        return {}
    strings = check.mapping(root["strings"], root.line_of("strings"), "strings")
    out: dict[str, LocalText] = {}
    for key in strings or {}:
        if not isinstance(key, str) or not all(
            part.replace("_", "").isalnum() and part.islower() for part in key.split(".")
        ):
            check.error(strings.line_of(key), f"UI key '{key}' must be {KEY_PATTERN_HELP}")
            continue
        markup = _ui_markup(key, plain_keys)
        text = check.text(strings, key, "strings", max_len=_ui_limit(key), markup=markup)
        if text is not None:
            out[key] = text
    return out


def parse_explainers(
    data: Any, check: Checker, source_ids: set[str]
) -> tuple[list[str], dict[str, Explainer], list[tuple[str, int, tuple[str, ...]]]]:
    """One explainers file: its menu order, its topics, and related-topic refs to check later."""
    root = check.mapping(data, 1, "the file")
    if root is None or not check.keys(root, "the file", ["topics"], ["menu"]):
        return [], {}, []
    menu = list(check.id_list(root, "menu", "the file", required=False))
    topics = check.mapping(root["topics"], root.line_of("topics"), "topics")
    out: dict[str, Explainer] = {}
    related_refs: list[tuple[str, int, tuple[str, ...]]] = []
    for ident in topics or {}:
        line = topics.line_of(ident)
        if check.identifier(ident, line, "topic id") is None:
            continue
        where = f"topic {ident}"
        entry = check.mapping(topics[ident], line, where)
        if entry is None or not check.keys(
            entry, where, ["title", "body", "sources"], ["related", "keywords", "search_fallback"]
        ):
            continue
        title = check.text(entry, "title", where, max_len=BUTTON_MAX, markup=Markup.PLAIN)
        body = check.text(
            entry,
            "body",
            where,
            max_len=MESSAGE_MAX,
            max_words=EXPLAINER_MAX_WORDS,
            markup=Markup.HTML,
        )
        sources = check.source_refs(entry, where, source_ids)
        related = check.id_list(entry, "related", where, required=False)
        related_refs.append((where, entry.line_of("related"), related))
        keywords = _keywords(check, entry, where)
        fallback = entry.get("search_fallback", False)
        if not isinstance(fallback, bool):
            check.error(
                entry.line_of("search_fallback"), f"{where}.search_fallback must be true or false"
            )
            fallback = False
        if title and body and sources:
            out[ident] = Explainer(ident, title, body, related, keywords, sources, fallback)
    return menu, out, related_refs


def _keywords(check: Checker, entry: LineMap, where: str) -> dict[str, tuple[str, ...]]:
    if "keywords" not in entry:
        return {}
    m = check.mapping(entry["keywords"], entry.line_of("keywords"), f"{where}.keywords")
    out: dict[str, tuple[str, ...]] = {}
    for locale in m or {}:
        if locale not in check.locales:
            check.error(m.line_of(locale), f"{where}.keywords: unknown locale '{locale}'")
            continue
        words = check.sequence(m[locale], m.line_of(locale), f"{where}.keywords.{locale}")
        out[locale] = tuple(str(w).lower() for w in words or ())
    if m is not None:
        _require_every_locale(check, m, f"{where}.keywords")
    return out


def _require_every_locale(check: Checker, m: LineMap, where: str) -> None:
    """A per-locale list (keywords) must exist for every declared locale, like a text."""
    for locale in check.locales:
        if locale not in m:
            check.error(m.line, f"{where} has no list for locale '{locale}'")


def parse_time_zones(data: Any, check: Checker) -> dict[str, tuple[ZoneChoice, ...]]:
    """Per locale, the time zones offered as buttons when a parent subscribes."""
    root = check.mapping(data, 1, "the file")
    if root is None or not check.keys(root, "the file", ["zones"]):
        return {}
    per_locale = check.mapping(root["zones"], root.line_of("zones"), "zones")
    out: dict[str, tuple[ZoneChoice, ...]] = {}
    if per_locale is None:
        return out
    for locale in per_locale:
        if locale not in check.locales:
            check.error(per_locale.line_of(locale), f"zones: unknown locale '{locale}'")
    for locale in check.locales:
        if locale not in per_locale:
            check.error(per_locale.line, f"zones has no list for locale '{locale}'")
            continue
        items = check.sequence(per_locale[locale], per_locale.line_of(locale), f"zones.{locale}")
        choices = []
        for index, item in enumerate(items or ()):
            where = f"zones.{locale} item {index + 1}"
            entry = check.mapping(item, items.line_of(index), where)
            if entry is None or not check.keys(entry, where, ["zone", "label"]):
                continue
            zone = entry["zone"]
            if not isinstance(zone, str) or not is_known_zone(zone):
                check.error(entry.line_of("zone"), f"{where}: '{zone}' is not an IANA time zone")
                continue
            label = check.string(entry, "label", where, max_len=BUTTON_MAX - 8)
            if label:
                choices.append(ZoneChoice(zone, label))
        if items is not None and not choices:
            check.error(per_locale.line_of(locale), f"zones.{locale} must offer at least one zone")
        out[locale] = tuple(choices)
    return out
