"""getFile: where a file (the bot's upload or a user's) can be downloaded, from
`Emulator.base_file_url`; Telegram refuses files over 20 MB."""

from __future__ import annotations

from typing import Any

from bot.emulator.errors import bad_request
from bot.emulator.methods.base import MethodContext

DOWNLOAD_LIMIT = 20 * 1024 * 1024  # bots may download files up to 20 MB


async def get_file(ctx: MethodContext) -> dict[str, Any]:
    stored = ctx.world.files.get(str(ctx.require("file_id")))
    if stored is None:
        raise bad_request("invalid file_id")
    if stored.file_size > DOWNLOAD_LIMIT:
        raise bad_request("file is too big")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.file_size,
        "file_path": stored.file_path,
    }
