"""/language (l1)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.buttons import ButtonKind, Press

# --- l1:<locale>: /language ----------------------------------------------------------------------


@dataclass(frozen=True)
class ChooseLanguage(Press):
    locale: str  # a code from rules/locales.yaml; the handler refuses any other


LANGUAGE = ButtonKind("l", 1, ChooseLanguage)
