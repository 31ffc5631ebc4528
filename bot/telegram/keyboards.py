"""Inline keyboards built from UI strings and callback kinds."""

from __future__ import annotations

from collections.abc import Iterable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.callback_data import (
    EXPLAIN,
    MENU,
    ExplainMenu,
    ExplainSources,
    ExplainTopic,
    OpenSection,
    Section,
)
from bot.core.rules import Rules
from bot.telegram.services import Texts


def button(label: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=data)


def rows(*buttons: InlineKeyboardButton) -> list[list[InlineKeyboardButton]]:
    """One button per row: easier to hit with a thumb than two half-width ones."""
    return [[b] for b in buttons]


def main_menu(t: Texts) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        rows(
            button(t("button.menu_explain"), MENU.encode(OpenSection(Section.EXPLAIN))),
            button(t("button.menu_triage"), MENU.encode(OpenSection(Section.TRIAGE))),
            button(t("button.menu_reminders"), MENU.encode(OpenSection(Section.REMINDERS))),
            button(t("button.menu_about"), MENU.encode(OpenSection(Section.ABOUT))),
        )
    )


def home_row(t: Texts) -> list[InlineKeyboardButton]:
    return [button(t("button.home"), MENU.encode(OpenSection(Section.HOME)))]


def topic_menu(rules: Rules, t: Texts) -> InlineKeyboardMarkup:
    topics = [
        button(topic.title.get(t.locale), EXPLAIN.encode(ExplainTopic(topic.id)))
        for topic in rules.explainers.values()
    ]
    return InlineKeyboardMarkup([*rows(*topics), home_row(t)])


def topic_keyboard(rules: Rules, t: Texts, topic_id: str) -> InlineKeyboardMarkup:
    topic = rules.explainers[topic_id]
    related = [
        button(rules.explainers[r].title.get(t.locale), EXPLAIN.encode(ExplainTopic(r)))
        for r in topic.related
    ]
    return InlineKeyboardMarkup(
        [
            *rows(*related),
            [
                button(t("button.sources"), EXPLAIN.encode(ExplainSources(topic_id))),
                button(t("button.topics"), EXPLAIN.encode(ExplainMenu())),
            ],
        ]
    )


def back_to(
    t: Texts, data: str, extra: Iterable[InlineKeyboardButton] = ()
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[*extra, button(t("button.back"), data)]])
