"""getFile: where a file the bot uploaded can be downloaded (from `Emulator.base_file_url`)."""

from __future__ import annotations

from typing import Any

from bot.emulator.errors import bad_request
from bot.emulator.methods.base import MethodContext


async def get_file(ctx: MethodContext) -> dict[str, Any]:
    stored = ctx.world.files.get(str(ctx.require("file_id")))
    if stored is None:
        raise bad_request("invalid file_id")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.file_size,
        "file_path": stored.file_path,
    }
