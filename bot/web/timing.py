"""Bot API round-trip timing for /metrics: PTB's HTTPXRequest with a stopwatch around each call.

Timing the HTTP request (rather than a handler) measures every send, from handlers and from the
reminder dispatcher alike, without touching them; AIORateLimiter waits sit above this layer and
are not counted, so the histogram shows Telegram's latency, not our own throttling.
"""

from __future__ import annotations

import re
import time
from typing import Any

from telegram.request import HTTPXRequest

from bot.metrics import BOT_API_LATENCY

# Only a Bot API method name becomes a label: never a file path (unbounded), never the token.
_METHOD = re.compile(r"/bot[^/]*/([A-Za-z]{1,64})$")


def method_of(url: str) -> str:
    """`.../bot<token>/sendMessage` -> "sendMessage"; anything else (file downloads) -> "other"."""
    match = _METHOD.search(url)
    return match.group(1) if match else "other"


class TimedRequest(HTTPXRequest):
    """HTTPXRequest (same defaults as ApplicationBuilder's) that observes each round trip."""

    async def do_request(  # type: ignore[override]
        self, url: str, method: str, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        began = time.perf_counter()
        try:
            return await super().do_request(url, method, *args, **kwargs)
        finally:
            BOT_API_LATENCY.labels(method=method_of(url)).observe(time.perf_counter() - began)
