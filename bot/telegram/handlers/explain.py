"""/explain: short, sourced explainers, navigated by editing one message in place."""

from __future__ import annotations

import html

from telegram import Update

from bot.core.callback_data import (
    EXPLAIN,
    ExplainMenu,
    ExplainPress,
    ExplainSources,
    ExplainTopic,
)
from bot.core.rules import Rules
from bot.telegram import keyboards
from bot.telegram.replies import alert, show
from bot.telegram.services import BotContext, Texts


def sources_text(rules: Rules, t: Texts, topic_id: str) -> str:
    topic = rules.explainers[topic_id]
    lines = [t("explain.sources_title", topic=html.escape(topic.title.get(t.locale)))]
    for source_id in topic.sources:
        source = rules.sources[source_id]
        title = html.escape(source.title)
        if source.url:
            title = f'<a href="{html.escape(source.url, quote=True)}">{title}</a>'
        lines.append(f"• {title}")
    return "\n".join(lines)


async def show_menu(update: Update, context: BotContext) -> None:
    t = context.texts(update)
    await show(update, t("explain.menu"), keyboards.topic_menu(context.rules, t))


async def show_topic(update: Update, context: BotContext, topic_id: str) -> None:
    t = context.texts(update)
    topic = context.rules.explainers[topic_id]
    await show(
        update, topic.body.get(t.locale), keyboards.topic_keyboard(context.rules, t, topic_id)
    )


async def explain_command(update: Update, context: BotContext) -> None:
    """/explain [topic]: the topic menu, or one topic directly."""
    if context.args and context.args[0] in context.rules.explainers:
        await show_topic(update, context, context.args[0])
    else:
        await show_menu(update, context)


async def explain_button(update: Update, context: BotContext, press: ExplainPress) -> None:
    """The topic menu, a topic, or a topic's sources (a topic since removed: stale)."""
    t = context.texts(update)
    match press:
        case ExplainMenu():
            await show_menu(update, context)
        case ExplainTopic(topic_id=topic_id) if topic_id in context.rules.explainers:
            await show_topic(update, context, topic_id)
        case ExplainSources(topic_id=topic_id) if topic_id in context.rules.explainers:
            text = sources_text(context.rules, t, topic_id)
            back = EXPLAIN.encode(ExplainTopic(topic_id))
            await show(update, text, keyboards.back_to(t, back))
        case _:
            await alert(update, t("alert.stale_button"))
            return
    if update.callback_query:
        await update.callback_query.answer()
