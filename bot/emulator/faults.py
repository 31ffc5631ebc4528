"""Injected faults: make the next matching calls fail or stall, the way Telegram sometimes does.

A `Fault` matches by method (case-insensitive) and optionally chat_id, fires `times` times, and
either delays the call before it is processed, answers an error instead of processing it, or
both (a delayed error).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.emulator.errors import ApiError, default_description

MIGRATED_DESCRIPTION = "Bad Request: group chat was upgraded to a supergroup chat"


@dataclass
class Fault:
    method: str
    chat_id: int | str | None
    error_code: int | None
    description: str | None
    retry_after: int | None
    migrate_to_chat_id: int | None
    delay: float
    remaining: int

    def matches(self, method: str, chat_id: Any) -> bool:
        if self.method.lower() != method.lower():
            return False
        return self.chat_id is None or self.chat_id == chat_id

    def error(self) -> ApiError | None:
        if self.error_code is None:
            return None
        parameters: dict[str, Any] = {}
        if self.retry_after is not None:
            parameters["retry_after"] = self.retry_after
        if self.migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = self.migrate_to_chat_id
        description = self.description
        if description is None:
            description = (
                MIGRATED_DESCRIPTION
                if self.migrate_to_chat_id is not None
                else default_description(self.error_code, self.retry_after)
            )
        return ApiError(self.error_code, description, parameters=parameters or None)


class Faults:
    """The pending faults, consumed in the order they were injected."""

    def __init__(self) -> None:
        self._pending: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        self._pending.append(fault)
        return fault

    def take(self, method: str, chat_id: Any) -> Fault | None:
        if not self._pending:
            return None
        for fault in self._pending:
            if fault.matches(method, chat_id):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._pending.remove(fault)
                return fault
        return None

    @property
    def pending(self) -> list[Fault]:
        return list(self._pending)
