"""A Telegram Bot API emulator for end-to-end tests and the console try-it mode.

It serves the Bot API on 127.0.0.1 so the real python-telegram-bot `Application` can talk to
it through `base_url`, plays the users, and checks every request against the Bot API
specification (bundled in `data/`) and Telegram's limits. It knows the Bot API, not our bot:
nothing here imports from the rest of `bot`.

    async with Emulator() as emu:
        emu.add_bot(TOKEN)
        ann = emu.add_user("Ann")
        app = Application.builder().token(TOKEN).base_url(emu.base_url).build()
        ...  # start polling
        emu.send_text(ann, "/start")
        reply = await emu.next_message(ann)
        emu.press_button(ann, reply, "Yes")
        edited = await emu.next_edit(ann, reply["message_id"])
        emu.assert_no_violations()

Modules: `server` (HTTP), `pipeline` (one request end to end), `methods/` (the Bot API
methods), `spec` (specification and validation), `formatted_text`/`html_text` (entity parsing
and text length), `state` (users, chats, messages, update queues), `actions` (acting as users),
`observe` (call log and waiting), `forum`/`forum_actions` (forum topics), `faults`, `limits`,
`webhook`.

Limitation: only HTML is parsed. The bot sends nothing else, so a request with parse_mode
MarkdownV2 or Markdown gets a 400 "unsupported by this emulator" and a recorded violation.
"""

from bot.emulator.emulator import Emulator
from bot.emulator.faults import Fault
from bot.emulator.limits import RateBreach, RateLimits
from bot.emulator.models import Call, Chat, StoredFile, UploadedFile, User
from bot.emulator.spec import load_spec

__all__ = [
    "Call",
    "Chat",
    "Emulator",
    "Fault",
    "RateBreach",
    "RateLimits",
    "StoredFile",
    "UploadedFile",
    "User",
    "load_spec",
]
