"""Read a rules directory: every file is validated and every error is reported at once."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.core.rules.checker import Checker
from bot.core.rules.errors import RuleError, RulesInvalid
from bot.core.rules.models import Explainer, Rules
from bot.core.rules.sections import (
    parse_explainers,
    parse_locales,
    parse_sources,
    parse_time_zones,
    parse_ui,
)
from bot.core.rules.source import load_yaml
from bot.core.video.rules import VIDEO_KEY_PREFIXES, parse_video

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


def load_rules(directory: Path, required_ui_keys: Iterable[str] = ()) -> Rules:
    """Load and validate `directory`; raise RulesInvalid listing every problem found."""
    errors: list[RuleError] = []
    if not directory.is_dir():
        raise RulesInvalid([RuleError(display_path(directory), 1, "rules directory not found")])
    groups = _classify(sorted(directory.glob("*.y*ml")), errors)
    for name in REQUIRED_FILES:
        if not groups[name]:
            errors.append(RuleError(display_path(directory / name), 1, "required file is missing"))
    if not groups["locales.yaml"]:
        raise RulesInvalid(errors)

    def read(path: Path, locales: tuple[str, ...] = (), default: str = "") -> tuple[Checker, Any]:
        name = display_path(path)
        data, parse_errors = load_yaml(path, name)
        check = Checker(name, locales, default)
        check.errors.extend(parse_errors)
        return check, data

    check, data = read(groups["locales.yaml"][0])
    parsed_locales = parse_locales(data, check) if data is not None else None
    errors.extend(check.errors)
    if parsed_locales is None:
        raise RulesInvalid(errors)
    default_locale, locale_names = parsed_locales
    locales = tuple(locale_names)

    checkers: list[Checker] = []

    def section(name: str) -> list[tuple[Checker, Any]]:
        loaded = [read(path, locales, default_locale) for path in groups[name]]
        checkers.extend(c for c, _ in loaded)
        return [(c, d) for c, d in loaded if d is not None]

    sources = {}
    for check, data in section("sources.yaml"):
        sources = parse_sources(data, check)
    required = set(required_ui_keys)
    required_video = {key for key in required if key.startswith(VIDEO_KEY_PREFIXES)}
    ui = {}
    for check, data in section("ui.yaml"):
        ui = parse_ui(data, check)
        for key in sorted(required - required_video - set(ui)):
            check.error(1, f"missing UI string '{key}' (the bot uses it)")

    explainers = _explainers(section("explainers"), set(sources))
    # Imported here, not at the top: the triage and milestone models import this package's
    # models, so a top-level import would make `import bot.core.triage` circular.
    from bot.core.milestones.parse import parse_milestones
    from bot.core.rules.emergency_numbers import parse_emergency_numbers
    from bot.core.triage.parse import parse_triage

    triage = parse_triage(section("triage"), set(sources))

    milestones = parse_milestones(section("milestones"), set(sources), set(explainers), set(triage))
    time_zones = {}
    for check, data in section("time_zones.yaml"):
        time_zones = parse_time_zones(data, check)
    emergency_numbers = None
    for check, data in section("emergency_numbers.yaml"):
        emergency_numbers = parse_emergency_numbers(data, check, set(sources))

    video = None
    video_files = section("video.yaml")
    for check, data in video_files:
        video = parse_video(data, check, set(sources))
        if video is not None:
            ui = {**ui, **video.strings}
        for key in sorted(required_video - set(ui)):
            check.error(1, f"missing UI string '{key}' (the bot uses it)")
    if required_video and not groups["video.yaml"]:
        errors.append(
            RuleError(display_path(directory / "video.yaml"), 1, "required file is missing")
        )

    rules = Rules(
        default_locale=default_locale,
        locales=locale_names,
        ui=ui,
        sources=sources,
        explainers=explainers,
        triage=triage,
        milestones=milestones,
        time_zones=time_zones,
        emergency_numbers=emergency_numbers,
        video=video,
    )
    errors.extend(e for c in checkers for e in c.errors)
    if errors:
        raise RulesInvalid(errors)
    return rules


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
