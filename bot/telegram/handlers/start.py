"""/start (with deep links), /help, /about and the main menu buttons."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.core.callback_data import OpenSection, Section
from bot.core.family import LINK_PREFIX
from bot.telegram import keyboards
from bot.telegram.handlers import explain, family_join, reminders, subscribe, triage
from bot.telegram.replies import alert, show
from bot.telegram.services import BotContext


async def show_home(update: Update, context: BotContext) -> None:
    t = context.texts(update)
    await show(update, t("start.welcome"), keyboards.main_menu(t))


async def show_about(update: Update, context: BotContext) -> None:
    t = context.texts(update)
    await show(update, t("about.text"), keyboards.InlineKeyboardMarkup([keyboards.home_row(t)]))


async def start_command(update: Update, context: BotContext) -> None:
    """/start [payload]: a deep link opens its section directly; otherwise the welcome."""
    payload = context.args[0] if context.args else ""
    section, _, rest = payload.partition("_")
    if section == "explain" and rest in context.rules.explainers:
        await explain.show_topic(update, context, rest)
    elif section == "triage":
        await triage.start_from_link(update, context, rest)
    elif section == LINK_PREFIX and update.effective_chat is not None:
        if update.effective_chat.type == ChatType.PRIVATE:
            await family_join.open_invite(update, context, rest)
        else:  # an invite is for one person: never used (or shown) in a group
            await show_home(update, context)
    else:
        await SECTIONS.get(section, show_home)(update, context)


async def help_command(update: Update, context: BotContext) -> None:
    """/help: what each command does."""
    t = context.texts(update)
    await show(update, t("help.text", bot=context.bot.username), keyboards.main_menu(t))


async def about_command(update: Update, context: BotContext) -> None:
    """/about: sources, disclaimer and privacy."""
    await show_about(update, context)


async def menu_button(update: Update, context: BotContext, press: OpenSection) -> None:
    """A section of the main menu."""
    section = press.section.value
    opener = triage.show_flow_choice if press.section is Section.TRIAGE else SECTIONS.get(section)
    if opener is None:
        await alert(update, context.texts(update)("alert.stale_button"))
        return
    await opener(update, context)
    if update.callback_query:
        await update.callback_query.answer()


# Sections that a deep link (/start <section>) and a main-menu button open the same way.
SECTIONS = {
    "home": show_home,
    "explain": explain.show_menu,
    "reminders": reminders.reminders_command,
    "subscribe": subscribe.subscribe_command,
    "about": show_about,
}
