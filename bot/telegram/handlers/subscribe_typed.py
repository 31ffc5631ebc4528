"""Typed answers during a family's sign-up: a birth date, a baby's name, a time zone.

Buttons cover every step; typing is the other way in where it is natural. Each typed answer is
checked like a press: it must fit the step the stored draft is at.
"""

from __future__ import annotations

import asyncio
import unicodedata

from telegram import Update

from bot.core import date_picker
from bot.core.age import DateCode, parse_birth_date
from bot.core.city_search import find_places
from bot.core.date_words import month_words
from bot.telegram import pickers
from bot.telegram.drafts import SignUpDraft, SignUpStep
from bot.telegram.handlers.subscribe import load, next_step
from bot.telegram.handlers.subscribe_screens import ambiguous_choices, city_choices
from bot.telegram.replies import send
from bot.telegram.services import BotContext

NAME_MAX = 32
BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


async def typed_input(update: Update, context: BotContext) -> bool:
    """Text while a sign-up waits for a typed answer; False when no sign-up is waiting."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None or not message.text:
        return False
    draft = await load(context, chat.id)
    if draft is None:
        return False
    text = message.text.strip()
    typed = TYPED_STEPS.get(draft.step)
    if typed is None:
        await chat.send_message(context.texts(update)("subscribe.use_buttons"))
    elif await typed(update, context, draft, text):
        await next_step(update, context, draft)
    return True


async def typed_date(update: Update, context: BotContext, draft: SignUpDraft, text: str) -> bool:
    """A typed birth date: taken, asked about (03/04 may be either), or refused with why."""
    chat = update.effective_chat
    assert chat is not None
    t = context.texts(update)
    today = pickers.latest_date(context)
    parsed = parse_birth_date(text, today, month_words((t.locale,)))
    if parsed.code is DateCode.OK and parsed.date is not None:
        draft.birth = parsed.date
        return True
    readings = [d for d in parsed.readings if date_picker.is_allowed_birth_date(d, today)]
    if parsed.code is DateCode.AMBIGUOUS and readings:
        await send(update, t("subscribe.date_ambiguous"), ambiguous_choices(t, readings))
    else:
        await chat.send_message(t(f"subscribe.date_{parsed.code.value}"), parse_mode="HTML")
    return False


async def typed_name(update: Update, context: BotContext, draft: SignUpDraft, text: str) -> bool:
    chat = update.effective_chat
    assert chat is not None
    t = context.texts(update)
    name = clean_name(text)
    if not name:
        await chat.send_message(t("subscribe.ask_name"), parse_mode="HTML")
        return False
    if len(name) > NAME_MAX:
        await chat.send_message(t("subscribe.name_too_long", max=NAME_MAX))
        return False
    draft.name = name
    return True


async def typed_zone(update: Update, context: BotContext, draft: SignUpDraft, text: str) -> bool:
    """A typed city or zone: taken when it names one time zone; buttons when it may mean
    places in several ("Portland"); refused when unknown."""
    chat = update.effective_chat
    assert chat is not None
    t = context.texts(update)
    # The city index is built on the first search (about a second): not on the event loop.
    places = await asyncio.to_thread(find_places, text)
    if not places:
        await chat.send_message(t("subscribe.zone_unknown"), parse_mode="HTML")
        return False
    if len(places) > 1:
        await send(update, t("subscribe.zone_which"), city_choices(t, places))
        return False
    draft.zone = places[0].zone
    return True


# The steps that take a typed answer; each returns whether the draft moved on.
TYPED_STEPS = {
    SignUpStep.DATE: typed_date,
    SignUpStep.NAME: typed_name,
    SignUpStep.ZONE: typed_zone,
}


def clean_name(text: str) -> str:
    """A typed name without control characters (a NUL breaks PostgreSQL's text, a newline the
    layout), lone surrogates or text-direction overrides; line breaks and tabs become spaces
    first, runs of spaces one. Emoji joiners stay."""
    spaced = "".join(" " if ch in "\n\r\t\v\f" else ch for ch in text)
    kept = "".join(
        ch
        for ch in spaced
        if unicodedata.category(ch) not in ("Cc", "Cs") and ch not in BIDI_CONTROLS
    )
    return " ".join(kept.split())
