"""The bot's command menu: setMyCommands, getMyCommands, deleteMyCommands.

Telegram keeps one list per (scope, language_code); getMyCommands returns exactly the list
stored for the scope and language asked about, without falling back to broader ones.
"""

from __future__ import annotations

import re
from typing import Any

from bot.emulator.errors import spec_violation
from bot.emulator.methods.base import MethodContext

CommandKey = tuple[str, int | None, int | None, str]
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE = re.compile(r"[a-z]{2}")


def scope_key(ctx: MethodContext) -> CommandKey:
    scope = ctx.params.get("scope")
    if not isinstance(scope, dict):
        scope = {"type": "default"}
    chat_id = scope.get("chat_id")
    if chat_id is not None:
        chat_id = ctx.world.resolve_chat(chat_id).id
    return str(scope.get("type", "default")), chat_id, scope.get("user_id"), language_code(ctx)


def language_code(ctx: MethodContext) -> str:
    """The request's language_code: "" (every language without its own) or two letters."""
    language = ctx.params.get("language_code") or ""
    if language and not _LANGUAGE.fullmatch(language):
        raise spec_violation(
            "language code is invalid", f"{language!r} is not a two-letter ISO 639-1 code"
        )
    return str(language)


async def set_my_commands(ctx: MethodContext) -> bool:
    commands = ctx.require("commands")
    key = scope_key(ctx)
    stored: list[dict[str, Any]] = []
    for position, command in enumerate(commands if isinstance(commands, list) else []):
        name = command.get("command", "") if isinstance(command, dict) else ""
        if not isinstance(name, str) or not _COMMAND.fullmatch(name):
            raise spec_violation(
                "BOT_COMMAND_INVALID",
                f"commands[{position}].command {name!r}: 1-32 of a-z, 0-9 and _ only",
            )
        description = command.get("description", "")
        if not isinstance(description, str) or not description.strip():
            raise spec_violation(
                "BOT_COMMAND_DESCRIPTION_INVALID", f"commands[{position}].description is empty"
            )
        stored.append({"command": name, "description": description})
    if stored:
        ctx.bot.commands[key] = stored
    else:
        ctx.bot.commands.pop(key, None)
    return True


async def get_my_commands(ctx: MethodContext) -> list[dict[str, Any]]:
    return [dict(command) for command in ctx.bot.commands.get(scope_key(ctx), [])]


async def delete_my_commands(ctx: MethodContext) -> bool:
    ctx.bot.commands.pop(scope_key(ctx), None)
    return True
