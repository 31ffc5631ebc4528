"""The service layer: one function per user action, each one transaction.

A handler decides who may do what and renders the answer; the action it calls does the storing,
all of it in one `Store.transaction()`: it commits once, or, if anything in it fails, leaves the
database exactly as it was. Actions import the pure core and the store, never Telegram.

Linking a channel is `replace_cohort` or `follow_tips` with the channel as the target;
unlinking it (or the bot losing it) is `forget_chat`.
"""

from bot.actions.chats import forget_chat, move_chat
from bot.actions.export import ChatExport, export_chat
from bot.actions.language import choose_language
from bot.actions.subscriptions import (
    follow_tips,
    replace_cohort,
    subscribe_baby,
    unsubscribe,
    unsubscribe_all,
)
from bot.actions.triage import record_triage

__all__ = [
    "ChatExport",
    "choose_language",
    "export_chat",
    "follow_tips",
    "forget_chat",
    "move_chat",
    "record_triage",
    "replace_cohort",
    "subscribe_baby",
    "unsubscribe",
    "unsubscribe_all",
]
