"""Who may act: one decision for every command and button press, made before any handler runs.

The decision comes from the update (which chat, which person, which kind of chat) and from
Telegram at the time of the action (getChatMember), never from callback data: a modified client
can send any callback data on any message, so an owner id inside a button is at most a hint.

- private chat: only the chat's own user;
- group or supergroup: what `COMMAND_ACCESS` and `BUTTON_ACCESS` below allow. Reading public
  content is open to every member; anything that changes the group's data, or edits the bot's
  group screens on the group's behalf, is for the group's admins now. An anonymous admin counts
  as an admin only on a message they sent (sender_chat is the group), never through a button on
  the bot's own post;
- channel: only presses by users who are admins of the channel now (every channel post carries
  the channel as its sender_chat, so that proves nothing);
- a birth-month setup for a channel, run from a private chat, also needs the presser to be an
  admin of that channel now (a draft lives for a day; admin lists change).

`registry.py` wraps every command and button route with `allow_command` / `allow_button`, so a
handler cannot skip this module.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.constants import ChatType

from bot.core.buttons import Decoded
from bot.core.callback_data import COHORT_SETUP
from bot.telegram import admins
from bot.telegram.drafts import CohortDraft
from bot.telegram.replies import alert, send
from bot.telegram.services import BotContext

# Every UI key a refusal may show (checked at start-up with the other keys).
REFUSAL_KEYS = frozenset(
    {
        "alert.invalid_button",
        "alert.not_yours",
        "alert.channel_admins_only",
        "alert.private_only",
        "alert.admins_only",
        "cohort.admins_only",
    }
)


class Access(enum.Enum):
    OPEN = "open"  # reading public content: any member of a group
    ADMIN = "admin"  # a chat's data or its screens: admins of a group (or channel) now
    PRIVATE = "private"  # health questions and a family's sign-up: private chats only


# Commands, by name. A command not listed here needs an admin in a group (fail closed).
COMMAND_ACCESS: dict[str, Access] = {
    "start": Access.OPEN,
    "help": Access.OPEN,
    "about": Access.OPEN,
    "explain": Access.OPEN,
    "triage": Access.OPEN,  # in a group it only offers a private chat
    "reminders": Access.OPEN,  # a new message listing the group's reminders
    "channel": Access.OPEN,  # answers "in a private chat, please" outside one
    "history": Access.ADMIN,
    "forget": Access.ADMIN,
    "export": Access.ADMIN,
    "unsubscribe": Access.ADMIN,
    "subscribe": Access.ADMIN,
    "language": Access.ADMIN,  # a group's language is its admins' choice
}

# Buttons, by "<prefix>:<first field>" or by "<prefix>" for every button of a kind. The first
# field names what the press asks for; whether the presser may ask is decided above, from
# Telegram. A button not listed needs an admin in a group (fail closed).
BUTTON_ACCESS: dict[str, Access] = {
    "m:home": Access.OPEN,
    "m:explain": Access.OPEN,
    "m:about": Access.OPEN,
    "m:triage": Access.OPEN,  # in a group it only offers a private chat
    "m:reminders": Access.ADMIN,  # edits the screen into the group's reminder settings
    "m:subscribe": Access.ADMIN,
    "x": Access.OPEN,  # explainers and their sources
    "t": Access.PRIVATE,  # a movement check: never asked in a group
    "s": Access.PRIVATE,  # a family's sign-up (a group's is "c")
    "k": Access.PRIVATE,  # the answer to "how is your baby now?" after a check-in
    "f": Access.ADMIN,  # /forget confirmation
    "r": Access.ADMIN,  # /reminders: list, pause, resume, hour, remove, unsubscribe
    "n": Access.ADMIN,  # a note's buttons can record an answer for the chat
    "c": Access.ADMIN,  # a group's or channel's birth-month setup
    "g": Access.OPEN,  # a timeline picture: read-only, like /reminders itself
    "v": Access.PRIVATE,  # "send me a video"; keep a video chart with the chat's history
    "l": Access.ADMIN,  # /language: the chat's language (a group's, for everyone in it)
}


def button_access(data: Decoded) -> Access:
    prefix = data.kind.prefix
    exact = BUTTON_ACCESS.get(f"{prefix}:{data.fields[0]}") if data.fields else None
    return exact or BUTTON_ACCESS.get(prefix, Access.ADMIN)


def command_access(name: str) -> Access:
    return COMMAND_ACCESS.get(name, Access.ADMIN)


async def acts_for_group(update: Update, context: BotContext) -> bool:
    """Whether the person behind this update is an admin of its group or channel now."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        return False
    message = update.message  # a message the person sent; never a button's (bot's) message
    if (
        chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)
        and update.callback_query is None
        and message is not None
        and message.sender_chat is not None
        and message.sender_chat.id == chat.id
    ):
        return True  # an anonymous admin: only admins can write as the group itself
    return user is not None and await admins.is_admin(context.bot, chat.id, user.id)


async def refusal(update: Update, context: BotContext, access: Access) -> str | None:
    """None when the update may go ahead; else the UI key that says why not."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return "alert.invalid_button"
    if chat.type == ChatType.PRIVATE:
        return None if user.id == chat.id else "alert.not_yours"
    if chat.type == ChatType.CHANNEL:
        if update.callback_query is not None and await acts_for_group(update, context):
            return None
        return "alert.channel_admins_only"
    if access is Access.PRIVATE:
        return "alert.private_only"
    if access is Access.OPEN or await acts_for_group(update, context):
        return None
    return "alert.admins_only" if update.callback_query is not None else "cohort.admins_only"


async def linked_channel_refusal(update: Update, context: BotContext, data: Decoded) -> str | None:
    """A channel's setup runs in a private chat; its presses need an admin of the channel now."""
    chat, user = update.effective_chat, update.effective_user
    if data.kind is not COHORT_SETUP or chat is None or user is None:
        return None
    if chat.type != ChatType.PRIVATE:
        return None
    state = await context.services.store.conversations.get(chat.id, context.services.clock())
    draft = None
    if state is not None and state.kind == CohortDraft.KIND:
        draft = CohortDraft.from_stored(state.data)
    if draft is None or draft.target == chat.id:
        return None
    if await admins.is_admin(context.bot, draft.target, user.id):
        return None
    return "alert.channel_admins_only"


async def allow_button(update: Update, context: BotContext, data: Decoded) -> bool:
    """Decide a press; a refused press gets its answer here (an alert) and changes nothing."""
    reason = await refusal(update, context, button_access(data))
    if reason is None:
        reason = await linked_channel_refusal(update, context, data)
    if reason is None:
        return True
    await alert(update, context.texts(update)(reason))
    return False


async def allow_command(update: Update, context: BotContext, name: str) -> bool:
    """Decide a command; a refused one gets one short reply in its chat and changes nothing."""
    reason = await refusal(update, context, command_access(name))
    if reason is None:
        return True
    if update.effective_chat is not None and update.effective_chat.type != ChatType.CHANNEL:
        await send(update, context.texts(update)(reason))
    return False


Handler = Callable[[Update, BotContext], Awaitable[None]]


def guarded_command(name: str, callback: Handler) -> Handler:
    """`callback`, run only when `allow_command` says so."""

    async def checked(update: Update, context: BotContext) -> None:
        if await allow_command(update, context, name):
            await callback(update, context)

    checked.__name__ = f"guarded_{name}"
    return checked


def guarded_messages(access: Access, callback: Handler) -> Handler:
    """A catch-all message handler, behind the same decision as commands."""

    async def checked(update: Update, context: BotContext) -> None:
        if await refusal(update, context, access) is None:
            await callback(update, context)

    checked.__name__ = f"guarded_{getattr(callback, '__name__', 'messages')}"
    return checked
