"""Inline mode: `@bot twitch` in any chat offers matching explainers to share."""

from __future__ import annotations

import html
import re

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode

from bot.core.search import matching_topics
from bot.telegram.services import BotContext

MAX_RESULTS = 20  # Telegram allows 50; a phone shows far fewer


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


async def inline_query(update: Update, context: BotContext) -> None:
    """Answer with explainer articles; each carries a button that opens the bot at that topic."""
    query = update.inline_query
    if query is None:
        return
    t = context.texts(update)
    username = context.bot.username
    results = []
    for topic in matching_topics(context.rules, t.locale, query.query)[:MAX_RESULTS]:
        body = topic.body.get(t.locale)
        first_line = _plain(body).splitlines()[1:2] or [""]
        results.append(
            InlineQueryResultArticle(
                id=topic.id,
                title=_plain(topic.title.get(t.locale)),
                description=first_line[0][:100],
                input_message_content=InputTextMessageContent(body, parse_mode=ParseMode.HTML),
                reply_markup=InlineKeyboardMarkup(
                    [
                        [
                            InlineKeyboardButton(
                                t("button.open_bot"),
                                url=f"https://t.me/{username}?start=explain_{topic.id}",
                            )
                        ]
                    ]
                ),
            )
        )
    await query.answer(results, cache_time=300, is_personal=False)
