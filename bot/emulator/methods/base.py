"""What every method handler gets, and the checks several of them share.

Message dicts are never mutated once stored: an edit stores a new dict. Answers and recorded
calls can therefore hold on to the dict they were given and it stays a faithful snapshot.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.emulator import forum
from bot.emulator.errors import bad_request, forbidden, spec_violation
from bot.emulator.formatted_text import FormattedText, length_verdict, parse
from bot.emulator.models import Chat, UploadedFile
from bot.emulator.spec import Spec
from bot.emulator.state import BotAccount, World, now_unix
from bot.emulator.text_units import EntityParseError

_CHAT_LABELS = {"group": "group chat", "supergroup": "supergroup chat", "channel": "channel chat"}


@dataclass
class MethodContext:
    world: World
    spec: Spec
    bot: BotAccount
    method: str
    params: dict[str, Any]
    files: dict[str, UploadedFile]
    is_alive: Callable[[], bool]
    note_violation: Callable[[str], None]

    def require(self, name: str) -> Any:
        """A parameter the method can't work without (also when validation is off)."""
        if name not in self.params:
            raise spec_violation(f'parameter "{name}" is required', f"{name} is missing")
        return self.params[name]

    def chat(self, name: str = "chat_id") -> Chat:
        return self.world.resolve_chat(self.require(name))


Handler = Callable[[MethodContext], Awaitable[Any]]


def formatted(
    text: Any,
    parse_mode: Any,
    entities: Any,
    *,
    low: int,
    high: int,
    empty: str,
    too_long: str,
) -> FormattedText:
    """Parses a text parameter and applies its documented length (after entity parsing)."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    try:
        result = parse(
            text,
            parse_mode if isinstance(parse_mode, str) else None,
            entities if isinstance(entities, list) else None,
        )
    except EntityParseError as error:
        raise spec_violation(error.description) from None
    verdict = length_verdict(result.text, low, high)
    if verdict == "empty":
        raise spec_violation(empty, f"text is empty after entity parsing (limit {low}-{high})")
    if verdict is not None:
        raise spec_violation(
            too_long,
            f"{len(result.text)} characters after entity parsing; the limit is {high}",
        )
    return result


def ensure_member(bot: BotAccount, chat: Chat) -> None:
    """The bot must still be in a group or channel to do anything there."""
    if chat.type == "private":
        return
    status = chat.status_of(bot.id)
    label = _CHAT_LABELS[chat.type]
    if status == "kicked":
        raise forbidden(f"bot was kicked from the {label}")
    if status == "left":
        raise forbidden(f"bot is not a member of the {label}")


def ensure_can_send(world: World, bot: BotAccount, chat: Chat) -> None:
    """Telegram's refusals for sending into a chat the bot may not write to."""
    if chat.type == "private":
        user = world.users.get(chat.id)
        if user is not None and user.is_bot:
            raise forbidden("bot can't send messages to bots")
        if chat.id in bot.blocked_by:
            raise forbidden("bot was blocked by the user")
        if chat.id not in bot.started_by:
            raise forbidden("bot can't initiate conversation with a user")
        return
    ensure_member(bot, chat)
    if chat.type == "channel":
        status = chat.status_of(bot.id)
        rights = chat.admin_rights.get(bot.id, {})
        if status != "creator" and not (
            status == "administrator" and rights.get("can_post_messages", False)
        ):
            raise bad_request("need administrator rights in the channel chat")


def is_admin(chat: Chat, user_id: int, right: str | None = None) -> bool:
    status = chat.status_of(user_id)
    if status == "creator":
        return True
    if status != "administrator":
        return False
    return right is None or chat.admin_rights.get(user_id, {}).get(right, True)


def new_bot_message(bot: BotAccount, chat: Chat) -> dict[str, Any]:
    """The common head of a message the bot sends: id, sender, chat, date."""
    message: dict[str, Any] = {"message_id": chat.take_message_id()}
    if chat.type == "channel":
        message["sender_chat"] = chat.to_dict()
    else:
        message["from"] = bot.user.to_dict()
    message["chat"] = chat.to_dict()
    message["date"] = now_unix()
    return message


def apply_send_options(ctx: MethodContext, chat: Chat, message: dict[str, Any]) -> None:
    """reply_parameters, message_thread_id, reply_markup and protect_content of a send."""
    params = ctx.params
    thread_id = params.get("message_thread_id")
    if thread_id is not None and chat.is_forum:
        forum.check_can_write(chat, ctx.bot.id, thread_id)
    elif thread_id is not None:
        if not (chat.type == "supergroup" and thread_id in chat.messages):
            raise forum.thread_not_found()
        message["message_thread_id"] = thread_id
    reply = params.get("reply_parameters")
    if isinstance(reply, dict) and "message_id" in reply:
        target_chat = chat
        if reply.get("chat_id") is not None:
            target_chat = ctx.world.resolve_chat(reply["chat_id"])
        target = target_chat.messages.get(reply["message_id"])
        if target is None:
            if not reply.get("allow_sending_without_reply"):
                raise bad_request("message to be replied not found")
        elif target_chat is chat:
            message["reply_to_message"] = {
                key: value for key, value in target.items() if key != "reply_to_message"
            }
    if thread_id is not None and chat.is_forum:
        forum.in_topic(chat, thread_id, message)
    markup = params.get("reply_markup")
    if isinstance(markup, dict) and "inline_keyboard" in markup:
        message["reply_markup"] = markup
    if params.get("protect_content"):
        message["has_protected_content"] = True
