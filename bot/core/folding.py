"""Folding typed words for comparison: case and accents do not matter ("MÜNCHEN" = "munchen")."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case without accents or marks, with runs of spaces made one."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())
