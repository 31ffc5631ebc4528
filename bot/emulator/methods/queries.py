"""Answers to users' queries: answerCallbackQuery and answerInlineQuery."""

from __future__ import annotations

import time
from typing import Any

from bot.emulator.errors import QUERY_TOO_OLD, ApiError, spec_violation
from bot.emulator.methods.base import MethodContext

# Telegram stops accepting answers some seconds after the press; bots should answer at once.
ANSWER_WINDOW_SECONDS = 15.0
MAX_INLINE_RESULTS = 50


async def answer_callback_query(ctx: MethodContext) -> bool:
    query_id = ctx.require("callback_query_id")
    record = ctx.world.callback_queries.get(str(query_id))
    if record is None or record.token != ctx.bot.token:
        raise ApiError(400, QUERY_TOO_OLD, violation=f"no callback query {query_id!r} was sent")
    if record.answered:
        raise ApiError(400, QUERY_TOO_OLD, violation=f"callback query {query_id} answered twice")
    if time.monotonic() - record.created > ANSWER_WINDOW_SECONDS:
        raise ApiError(400, QUERY_TOO_OLD)
    record.answered = True
    return True


async def answer_inline_query(ctx: MethodContext) -> bool:
    query_id = ctx.require("inline_query_id")
    record = ctx.world.inline_queries.get(str(query_id))
    if record is None or record.token != ctx.bot.token:
        raise ApiError(400, QUERY_TOO_OLD, violation=f"no inline query {query_id!r} was sent")
    if record.answered:
        raise ApiError(400, QUERY_TOO_OLD, violation=f"inline query {query_id} answered twice")
    results: list[Any] = ctx.require("results")
    if isinstance(results, list):
        if len(results) > MAX_INLINE_RESULTS:
            raise spec_violation(
                "RESULTS_TOO_MUCH", f"{len(results)} results; at most {MAX_INLINE_RESULTS}"
            )
        ids = [item.get("id") for item in results if isinstance(item, dict)]
        duplicates = sorted({str(i) for i in ids if ids.count(i) > 1})
        if duplicates:
            raise spec_violation("RESULT_ID_DUPLICATE", f"duplicate result ids {duplicates}")
    if time.monotonic() - record.created > ANSWER_WINDOW_SECONDS:
        raise ApiError(400, QUERY_TOO_OLD)
    record.answered = True
    return True
