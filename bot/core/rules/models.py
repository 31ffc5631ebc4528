"""Typed, immutable content models that the rest of the bot reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from bot.core import plurals

if TYPE_CHECKING:
    from bot.core.emergency import EmergencyNumbers
    from bot.core.milestones.models import Milestone
    from bot.core.triage.models import Flow
    from bot.core.video.rules import VideoRules


class LocalText:
    """One text in every supported locale, with fallback to the default locale."""

    __slots__ = ("_by_locale", "_default")

    def __init__(self, by_locale: Mapping[str, str], default_locale: str) -> None:
        self._by_locale = MappingProxyType(dict(by_locale))
        self._default = default_locale

    def get(self, locale: str) -> str:
        return self._by_locale.get(locale) or self._by_locale[self._default]

    def format(self, locale: str, **values: Any) -> str:
        """The text in `locale` with its plural blocks chosen (`bot.core.plurals`), formatted."""
        return plurals.resolve(self.get(locale), locale, values).format(**values)

    @property
    def locales(self) -> tuple[str, ...]:
        return tuple(self._by_locale)

    def __repr__(self) -> str:
        return f"LocalText({dict(self._by_locale)!r})"


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str | None


@dataclass(frozen=True)
class Explainer:
    id: str
    title: LocalText
    body: LocalText
    related: tuple[str, ...]
    keywords: Mapping[str, tuple[str, ...]]
    sources: tuple[str, ...]
    search_fallback: bool = False  # inline search offers this topic when nothing matches


@dataclass(frozen=True)
class ZoneChoice:
    """A time zone offered as a button when subscribing."""

    zone: str  # IANA name, e.g. "Europe/London"
    label: str  # what the button says, e.g. "London, Dublin"


@dataclass(frozen=True)
class Rules:
    """Everything in `rules/`, validated. Sections added by later features default to empty."""

    default_locale: str
    locales: Mapping[str, str]  # code -> display name
    ui: Mapping[str, LocalText]
    sources: Mapping[str, Source]
    explainers: Mapping[str, Explainer]  # in menu order
    triage: Mapping[str, Flow] = field(default_factory=dict)  # flow id -> flow
    milestones: Mapping[str, Milestone] = field(default_factory=dict)  # id -> note, by age
    time_zones: Mapping[str, tuple[ZoneChoice, ...]] = field(default_factory=dict)  # per locale
    emergency_numbers: EmergencyNumbers | None = None  # rules/emergency_numbers.yaml
    video: VideoRules | None = None  # rules/video.yaml: the episode-video chart

    def pick_locale(self, language_code: str | None) -> str:
        """Map Telegram's `language_code` (e.g. 'en-US') onto a supported locale."""
        if language_code:
            code = language_code.lower().replace("_", "-")
            if code in self.locales:
                return code
            base = code.split("-", 1)[0]
            if base in self.locales:
                return base
        return self.default_locale

    def text(self, key: str, locale: str, **values: Any) -> str:
        """A UI string by key, formatted; an unknown key is a programming error."""
        return self.ui[key].format(locale, **values)
