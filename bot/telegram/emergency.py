"""The parent's emergency number in the chat: which one (from what the bot knows), and how it
looks on the emergency outcome (bold, dialable text, and a button that copies it)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from telegram import CopyTextButton, InlineKeyboardButton, Update

from bot.core.emergency import Clue, EmergencyChoice, choose_number
from bot.telegram.services import BotContext, Texts


async def parent_zone(update: Update, context: BotContext) -> ZoneInfo | None:
    """The time zone the parent picked: that of this chat's most recent subscription."""
    chat = update.effective_chat
    if chat is None:
        return None
    subscriptions = await context.services.store.subscriptions.list_for_chat(chat.id)
    if not subscriptions:
        return None
    latest = max(subscriptions, key=lambda sub: (sub.created_at, sub.id))
    try:
        return ZoneInfo(latest.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def emergency_number_for(
    update: Update, context: BotContext, zone: ZoneInfo | None
) -> EmergencyChoice:
    """The number for this parent: their zone (from `parent_zone`), else their Telegram
    language's region."""
    numbers = context.rules.emergency_numbers
    if numbers is None:  # rules without emergency_numbers.yaml: the generic headline
        return EmergencyChoice(None, None, Clue.NONE)
    user = update.effective_user
    return choose_number(
        numbers,
        zone.key if zone is not None else None,
        user.language_code if user is not None else None,
    )


def emergency_headline(t: Texts, choice: EmergencyChoice) -> str:
    """`CALL 112 NOW` in bold (a plain number a phone can dial), or the fallback with a list."""
    if choice.number is not None:
        lines = [t("emergency.call_number", number=choice.number)]
        if choice.also:
            lines.append(t("emergency.also_works", numbers=", ".join(choice.also)))
        return "\n".join(lines)
    numbers = t.rules.emergency_numbers
    if numbers is None:
        return t("triage.level.emergency")
    lines = [
        t("emergency.call_local", fallback=numbers.fallback_text.get(t.locale)),
        t("emergency.fallback_list"),
    ]
    lines += [
        t("emergency.fallback_item", number=item.number, where=item.where.get(t.locale))
        for item in numbers.fallback_list
    ]
    return "\n".join(lines)


def copy_number_row(t: Texts, choice: EmergencyChoice) -> list[InlineKeyboardButton]:
    """A button that copies the number to the clipboard (Bot API `copy_text`); none without one."""
    if choice.number is None:
        return []
    label = t("button.copy_number", number=choice.number)
    return [InlineKeyboardButton(label, copy_text=CopyTextButton(choice.number))]
