"""Read a rules directory: every file is validated and every error is reported at once.

This module sits above `bot.core.rules`, `bot.core.triage` and `bot.core.milestones` (outside
the rules package) because it combines their parsers, and the triage and milestone models are
built on the rules package's models and checker.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.core.milestones.parse import parse_milestones
from bot.core.rules.checker import Checker
from bot.core.rules.emergency_numbers import parse_emergency_numbers
from bot.core.rules.errors import RuleError, RulesInvalid
from bot.core.rules.models import Explainer, LocalText, Rules
from bot.core.rules.sections import (
    parse_explainers,
    parse_locales,
    parse_sources,
    parse_time_zones,
    parse_ui,
)
from bot.core.rules.source import load_yaml
from bot.core.triage.parse import parse_triage
from bot.core.video.rules import VIDEO_KEY_PREFIXES, VideoRules, parse_video

# File name -> section. Sections marked "prefix" may be split over several files.
SINGLE_FILES = (
    "locales.yaml",
    "sources.yaml",
    "ui.yaml",
    "time_zones.yaml",
    "emergency_numbers.yaml",
    "video.yaml",
)
REQUIRED_FILES = ("locales.yaml", "sources.yaml", "ui.yaml")
PREFIX_SECTIONS = ("explainers", "triage", "milestones")


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _classify(files: Iterable[Path], errors: list[RuleError]) -> dict[str, list[Path]]:
    groups: dict[str, list[Path]] = {name: [] for name in (*SINGLE_FILES, *PREFIX_SECTIONS)}
    for path in files:
        if path.name in SINGLE_FILES:
            groups[path.name].append(path)
        elif path.suffix == ".yaml" and path.name.startswith(PREFIX_SECTIONS):
            groups[next(p for p in PREFIX_SECTIONS if path.name.startswith(p))].append(path)
        else:
            expected = ", ".join((*SINGLE_FILES, *(f"{p}*.yaml" for p in PREFIX_SECTIONS)))
            errors.append(
                RuleError(display_path(path), 1, f"unexpected rules file (expected: {expected})")
            )
    return groups


class _Files:
    """The directory's files by section, read on demand; keeps every file's checker."""

    def __init__(self, groups: dict[str, list[Path]]) -> None:
        self.groups = groups
        self.locale_names: dict[str, str] = {}  # code -> name, from locales.yaml
        self.default_locale = ""
        self.checkers: list[Checker] = []

    def read(self, path: Path) -> tuple[Checker, Any]:
        name = display_path(path)
        data, parse_errors = load_yaml(path, name)
        check = Checker(name, tuple(self.locale_names), self.default_locale)
        check.errors.extend(parse_errors)
        self.checkers.append(check)
        return check, data

    def section(self, name: str) -> list[tuple[Checker, Any]]:
        """Each file of the section that parsed as YAML, with its checker."""
        loaded = [self.read(path) for path in self.groups[name]]
        return [(c, d) for c, d in loaded if d is not None]

    def errors(self) -> list[RuleError]:
        return [e for c in self.checkers for e in c.errors]


def load_rules(directory: Path, required_ui_keys: Iterable[str] = ()) -> Rules:
    """Load and validate `directory`; raise RulesInvalid listing every problem found."""
    if not directory.is_dir():
        raise RulesInvalid([RuleError(display_path(directory), 1, "rules directory not found")])
    errors: list[RuleError] = []
    groups = _classify(sorted(directory.glob("*.y*ml")), errors)
    required = frozenset(required_ui_keys)
    # video.yaml holds the strings of the two pictures: required once the bot uses any of them.
    uses_video = any(key.startswith(VIDEO_KEY_PREFIXES) for key in required)
    for name in (*REQUIRED_FILES, *(["video.yaml"] if uses_video else [])):
        if not groups[name]:
            errors.append(RuleError(display_path(directory / name), 1, "required file is missing"))
    files = _Files(groups)
    _read_locales(files, errors)
    rules = _parse_sections(files, required)
    errors.extend(files.errors())
    if errors:
        raise RulesInvalid(errors)
    return rules


def _read_locales(files: _Files, errors: list[RuleError]) -> None:
    """Set the locales every other file is checked against; without them nothing else can be."""
    parsed = None
    for check, data in files.section("locales.yaml")[:1]:
        parsed = parse_locales(data, check)
    errors.extend(files.errors())
    files.checkers.clear()
    if parsed is None:
        raise RulesInvalid(errors)
    files.default_locale, files.locale_names = parsed


def _parse_sections(files: _Files, required: frozenset[str]) -> Rules:
    sources = {}
    for check, data in files.section("sources.yaml"):
        sources = parse_sources(data, check)
    required_video = {key for key in required if key.startswith(VIDEO_KEY_PREFIXES)}
    ui = {}
    for check, data in files.section("ui.yaml"):
        ui = parse_ui(data, check)
        for key in sorted(required - required_video - set(ui)):
            check.error(1, f"missing UI string '{key}' (the bot uses it)")
    explainers = _explainers(files.section("explainers"), set(sources))
    triage = parse_triage(files.section("triage"), set(sources))
    milestones = parse_milestones(
        files.section("milestones"), set(sources), set(explainers), set(triage)
    )
    time_zones = {}
    for check, data in files.section("time_zones.yaml"):
        time_zones = parse_time_zones(data, check)
    emergency_numbers = None
    for check, data in files.section("emergency_numbers.yaml"):
        emergency_numbers = parse_emergency_numbers(data, check, set(sources))
    video, ui = _video(files.section("video.yaml"), set(sources), ui, required_video)
    return Rules(
        default_locale=files.default_locale,
        locales=files.locale_names,
        ui=ui,
        sources=sources,
        explainers=explainers,
        triage=triage,
        milestones=milestones,
        time_zones=time_zones,
        emergency_numbers=emergency_numbers,
        video=video,
    )


def _video(
    files: list[tuple[Checker, Any]],
    source_ids: set[str],
    ui: dict[str, LocalText],
    required_video: set[str],
) -> tuple[VideoRules | None, dict[str, LocalText]]:
    """video.yaml, and the UI strings with its own (the chart's and the timeline's) added."""
    video = None
    for check, data in files:
        video = parse_video(data, check, source_ids)
        if video is not None:
            ui = {**ui, **video.strings}
        for key in sorted(required_video - set(ui)):
            check.error(1, f"missing UI string '{key}' (the bot uses it)")
    return video, ui


def _explainers(files: list[tuple[Checker, Any]], source_ids: set[str]) -> dict[str, Explainer]:
    topics: dict[str, Explainer] = {}
    menu: list[str] = []
    refs: list[tuple[Checker, str, int, tuple[str, ...]]] = []
    first_seen: dict[str, str] = {}
    for check, data in files:
        file_menu, file_topics, file_refs = parse_explainers(data, check, source_ids)
        for ident in file_topics:
            if ident in first_seen:
                check.error(1, f"topic '{ident}' is already defined in {first_seen[ident]}")
            first_seen.setdefault(ident, check.file)
        topics.update(file_topics)
        menu.extend(file_menu)
        refs.extend((check, where, line, ids) for where, line, ids in file_refs)
    for check, where, line, ids in refs:
        check.refs(ids, topics, line, f"{where}.related", "topic")
    for check, _ in files[:1]:
        check.refs(menu, topics, 1, "menu", "topic")
        fallbacks = [ident for ident, topic in topics.items() if topic.search_fallback]
        if len(fallbacks) > 1:
            check.error(
                1, f"only one topic may set search_fallback: true, not {', '.join(fallbacks)}"
            )
    # Menu order first, then any topic not named in a menu (still reachable via related/inline).
    ordered = {ident: topics[ident] for ident in menu if ident in topics}
    ordered.update({k: v for k, v in topics.items() if k not in ordered})
    return ordered
