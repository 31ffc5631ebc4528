"""Telegram's flood limits, counted cheaply so a benchmark can push 100 000 sends through.

Telegram asks bots to stay under about 30 messages per second overall, about one message per
second in a private chat (short bursts are tolerated) and 20 messages per minute in a group.
Accounting is off by default. When on, each breach is counted; with `respond_429` the breaching
call is refused with 429 and `retry_after`, as Telegram would, and does not count as sent.

Overall and group windows are sliding windows kept in bounded deques (O(1) per send); private
chats use a token bucket (burst capacity, refilled at the per-second rate).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

_NOT_COUNTED = frozenset({"sendchataction", "sendmessagedraft"})


def counts_as_send(method: str) -> bool:
    """Methods that put a new message into a chat (the ones Telegram rate-limits)."""
    lowered = method.lower()
    if lowered in _NOT_COUNTED:
        return False
    return lowered.startswith(("send", "copymessage", "forwardmessage"))


@dataclass
class RateLimits:
    """Settings; change them on `Emulator.rate_limits` at any time."""

    enabled: bool = False
    respond_429: bool = False
    overall_per_second: int = 30
    private_per_second: float = 1.0
    private_burst: int = 3
    group_per_minute: int = 20


@dataclass(frozen=True)
class RateBreach:
    kind: str  # "overall", "private" or "group"
    chat_id: int
    method: str
    at: float
    retry_after: int


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class RateAccountant:
    settings: RateLimits
    breaches: list[RateBreach] = field(default_factory=list)
    _overall: deque[float] = field(default_factory=deque)
    _groups: dict[int, deque[float]] = field(default_factory=dict)
    _private: dict[int, _Bucket] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.breaches)

    def record_send(
        self, method: str, chat_id: int, chat_type: str, now: float
    ) -> RateBreach | None:
        """Accounts one send; returns the breach it caused, if any.

        With `respond_429` a breaching send is refused and so isn't accounted as sent.
        """
        breach = self._overall_breach(method, chat_id, now) or self._chat_breach(
            method, chat_id, chat_type, now
        )
        if breach is not None:
            self.breaches.append(breach)
            if self.settings.respond_429:
                return breach
        self._consume(chat_id, chat_type, now)
        return breach

    def _overall_breach(self, method: str, chat_id: int, now: float) -> RateBreach | None:
        window = self._overall
        while window and now - window[0] >= 1.0:
            window.popleft()
        if len(window) < self.settings.overall_per_second:
            return None
        wait = 1.0 - (now - window[0])
        return RateBreach("overall", chat_id, method, now, max(1, math.ceil(wait)))

    def _chat_breach(
        self, method: str, chat_id: int, chat_type: str, now: float
    ) -> RateBreach | None:
        if chat_type == "private":
            bucket = self._private.get(chat_id)
            if bucket is None:
                return None
            tokens = self._refill(bucket, now)
            if tokens >= 1.0:
                return None
            wait = (1.0 - tokens) / self.settings.private_per_second
            return RateBreach("private", chat_id, method, now, max(1, math.ceil(wait)))
        window = self._groups.get(chat_id)
        if window is None:
            return None
        while window and now - window[0] >= 60.0:
            window.popleft()
        if len(window) < self.settings.group_per_minute:
            return None
        wait = 60.0 - (now - window[0])
        return RateBreach("group", chat_id, method, now, max(1, math.ceil(wait)))

    def _refill(self, bucket: _Bucket, now: float) -> float:
        settings = self.settings
        bucket.tokens = min(
            float(settings.private_burst),
            bucket.tokens + (now - bucket.updated) * settings.private_per_second,
        )
        bucket.updated = now
        return bucket.tokens

    def _consume(self, chat_id: int, chat_type: str, now: float) -> None:
        self._overall.append(now)
        if len(self._overall) > self.settings.overall_per_second:
            self._overall.popleft()
        if chat_type == "private":
            bucket = self._private.get(chat_id)
            if bucket is None:
                bucket = self._private[chat_id] = _Bucket(float(self.settings.private_burst), now)
            else:
                self._refill(bucket, now)
            bucket.tokens = max(0.0, bucket.tokens - 1.0)
            return
        window = self._groups.setdefault(chat_id, deque())
        window.append(now)
        if len(window) > self.settings.group_per_minute:
            window.popleft()

    def reset(self) -> None:
        self.breaches.clear()
        self._overall.clear()
        self._groups.clear()
        self._private.clear()
