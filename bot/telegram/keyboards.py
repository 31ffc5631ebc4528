"""Inline keyboards built from UI strings and callback kinds."""

from __future__ import annotations

import functools
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


_MAIN_MENU = (
    ("button.menu_explain", Section.EXPLAIN),
    ("button.menu_triage", Section.TRIAGE),
    ("button.menu_reminders", Section.REMINDERS),
    ("button.menu_about", Section.ABOUT),
)


def main_menu(t: Texts) -> InlineKeyboardMarkup:
    return _main_menu(tuple(t(key) for key, _ in _MAIN_MENU))


@functools.lru_cache(maxsize=64)
def _main_menu(labels: tuple[str, ...]) -> InlineKeyboardMarkup:
    """The home screen's keyboard, built once per set of labels (one per locale): it goes
    out with every /start, and encoding its buttons was most of our own code's time per
    update. PTB's keyboard objects are immutable, so one can be sent any number of times."""
    return InlineKeyboardMarkup(
        rows(
            *(
                button(label, MENU.encode(OpenSection(section)))
                for label, (_, section) in zip(labels, _MAIN_MENU, strict=True)
            )
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
