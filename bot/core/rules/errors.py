"""Errors that point at a file and line, so a content editor can fix them at once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class RuleError:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class RulesInvalid(Exception):
    """Raised when the rules directory holds one or more errors; carries all of them."""

    def __init__(self, errors: list[RuleError]) -> None:
        self.errors = sorted(errors)
        super().__init__("\n".join(str(e) for e in self.errors))
