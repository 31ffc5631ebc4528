"""The one place that wires every handler, in explicit groups.

Within a group the first matching handler wins, so order matters: specific commands come before
the catch-all for unknown commands, and the catch-alls come last.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.core.callback_data import (
    BUTTONS,
    CHECK_IN,
    COHORT_SETUP,
    EXPLAIN,
    FORGET,
    LANGUAGE,
    MENU,
    NOTE,
    REMINDERS,
    SUBSCRIBE,
    TIMELINE,
    TRIAGE,
    VIDEO,
)
from bot.core.callbacks import InvalidCallback, StaleCallback
from bot.telegram import guard
from bot.telegram.handlers import (
    channels,
    check_ins,
    cohort,
    errors,
    explain,
    fallback,
    inline,
    language,
    membership,
    privacy,
    reminder_notes,
    reminders,
    start,
    subscribe,
    subscribe_typed,
    timeline,
    triage,
    video,
)
from bot.telegram.replies import alert
from bot.telegram.services import BotContext

BUTTON_ROUTES = {
    MENU.prefix: start.menu_button,
    EXPLAIN.prefix: explain.explain_button,
    TRIAGE.prefix: triage.triage_button,
    FORGET.prefix: privacy.forget_button,
    SUBSCRIBE.prefix: subscribe.subscribe_button,
    REMINDERS.prefix: reminders.reminders_button,
    NOTE.prefix: reminder_notes.note_button,
    COHORT_SETUP.prefix: cohort.cohort_button,
    CHECK_IN.prefix: check_ins.check_in_answer,
    TIMELINE.prefix: timeline.show_timeline,
    VIDEO.prefix: video.video_button,
    LANGUAGE.prefix: language.language_button,
}

# Updates the bot asks Telegram for (getUpdates and setWebhook).
ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.CALLBACK_QUERY,
    Update.INLINE_QUERY,
    Update.MY_CHAT_MEMBER,
]


async def route_button(update: Update, context: BotContext) -> None:
    """Decode callback data (clients can forge it) and hand it to the feature that owns it."""
    query = update.callback_query
    if query is None:
        return
    t = context.texts(update)
    try:
        data = BUTTONS.decode(query.data)  # every field typed and checked, or refused here
    except StaleCallback:
        await alert(update, t("alert.stale_button"))
        return
    except InvalidCallback:
        await alert(update, t("alert.invalid_button"))
        return
    # Who may press is decided here, once, from Telegram; the data only says what is asked.
    if not await guard.allow_button(update, context, data):
        return
    await BUTTON_ROUTES[data.kind.prefix](update, context, data.press)


async def private_message(update: Update, context: BotContext) -> None:
    """A forwarded channel post (links the channel), a typed answer to a step that waits for
    one (state in the database), or else a friendly pointer."""
    if await channels.forwarded_post(update, context):
        return
    if not await subscribe_typed.typed_input(update, context):
        await fallback.free_text(update, context)


async def read_chat_language(update: Update, context: BotContext) -> None:
    await context.read_chat_language(update)


def register_handlers(application: Application) -> None:  # type: ignore[type-arg]
    commands = {
        "start": start.start_command,
        "help": start.help_command,
        "about": start.about_command,
        "explain": explain.explain_command,
        "triage": triage.triage_command,
        "history": privacy.history_command,
        "forget": privacy.forget_command,
        "subscribe": subscribe.subscribe_command,
        "reminders": reminders.reminders_command,
        "unsubscribe": reminders.unsubscribe_command,
        "export": reminders.export_command,
        "channel": channels.channel_command,
        "language": language.language_command,
    }
    # Group -1: the chat's /language choice, read once for every handler of the update.
    application.add_handler(TypeHandler(Update, read_chat_language), group=-1)
    # Group 0: commands first (they carry their own filters), then buttons and inline queries,
    # then the catch-alls for anything else a person may send.
    for name, callback in commands.items():
        application.add_handler(
            CommandHandler(name, guard.guarded_command(name, callback)), group=0
        )
    application.add_handler(CallbackQueryHandler(route_button), group=0)
    application.add_handler(
        ChatMemberHandler(membership.my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER), group=0
    )
    application.add_handler(
        MessageHandler(filters.StatusUpdate.MIGRATE, membership.migrated), group=0
    )
    application.add_handler(InlineQueryHandler(inline.inline_query), group=0)
    application.add_handler(
        MessageHandler(
            filters.COMMAND, guard.guarded_messages(guard.Access.OPEN, fallback.unknown_command)
        ),
        group=0,
    )
    application.add_handler(
        MessageHandler(
            filters.VIDEO
            | filters.VIDEO_NOTE
            | filters.Document.VIDEO
            | (
                filters.ChatType.PRIVATE
                & (filters.Document.ALL | filters.AUDIO | filters.VOICE | filters.PHOTO)
            ),
            guard.guarded_messages(guard.Access.OPEN, video.video_message),
        ),
        group=0,
    )
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & ~filters.COMMAND & ~filters.StatusUpdate.ALL,
            guard.guarded_messages(guard.Access.PRIVATE, private_message),
        ),
        group=0,
    )
    application.add_error_handler(errors.on_error)
