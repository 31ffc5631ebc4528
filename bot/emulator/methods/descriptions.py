"""The bot's profile texts: setMyDescription, getMyDescription, setMyShortDescription,
getMyShortDescription.

Telegram keeps one text per language_code ("" for users whose language has none of its own);
an empty string removes the language's text. The spec check has already enforced the lengths
(0-512 and 0-120 characters). A get returns the text stored for exactly that language, or an
empty one, like getMyCommands.
"""

from __future__ import annotations

from typing import Any

from bot.emulator.methods.base import MethodContext
from bot.emulator.methods.commands import language_code


def _store(texts: dict[str, str], language: str, text: Any) -> bool:
    if isinstance(text, str) and text:
        texts[language] = text
    else:
        texts.pop(language, None)
    return True


async def set_my_description(ctx: MethodContext) -> bool:
    return _store(ctx.bot.descriptions, language_code(ctx), ctx.params.get("description"))


async def get_my_description(ctx: MethodContext) -> dict[str, Any]:
    return {"description": ctx.bot.descriptions.get(language_code(ctx), "")}


async def set_my_short_description(ctx: MethodContext) -> bool:
    return _store(
        ctx.bot.short_descriptions, language_code(ctx), ctx.params.get("short_description")
    )


async def get_my_short_description(ctx: MethodContext) -> dict[str, Any]:
    return {"short_description": ctx.bot.short_descriptions.get(language_code(ctx), "")}
