"""/language: the chat picks the language the bot speaks there, with one button per locale.

In a group only its admins may pick (the guard asks Telegram at the press), and the choice then
holds for everyone there. Each button is labelled with the locale's own name from
rules/locales.yaml, so a parent finds their language whatever the bot speaks now.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatType

from bot import actions
from bot.core.callback_data import LANGUAGE, ChooseLanguage
from bot.telegram import keyboards
from bot.telegram.replies import alert, show
from bot.telegram.services import BotContext, Texts


def _in_group(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


def language_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        keyboards.rows(
            *(
                keyboards.button(name, LANGUAGE.encode(ChooseLanguage(code)))
                for code, name in context.rules.locales.items()
            )
        )
    )


async def language_command(update: Update, context: BotContext) -> None:
    """/language: which language the bot speaks here now, and a button per language."""
    t = context.texts(update)
    text = t("language.choose_group") if _in_group(update) else t("language.choose")
    await show(update, text, language_keyboard(context))


async def language_button(update: Update, context: BotContext, press: ChooseLanguage) -> None:
    """A language was picked: store it, move the chat's reminders to it, say so in it."""
    chat = update.effective_chat
    if chat is None or press.locale not in context.rules.locales:
        await alert(update, context.texts(update)("alert.invalid_button"))
        return
    moved = await actions.choose_language(
        context.services.store, chat.id, press.locale, context.services.clock()
    )
    context.chat_language = press.locale  # the rest of this update speaks the new language
    t = Texts(context.rules, press.locale)
    lines = [t("language.saved_group") if _in_group(update) else t("language.saved")]
    if moved:
        lines.append(t("language.saved_reminders"))
    await show(update, "\n\n".join(lines), InlineKeyboardMarkup([keyboards.home_row(t)]))
    if update.callback_query is not None:
        await update.callback_query.answer()
