"""Joining a baby's family from an invite link: /start join_<token> -> Join -> zone -> hour.

Opening the link changes nothing; the joiner confirms with a button, then picks their own time
zone and hour with the sign-up's shared pickers. The draft keeps only the invite's hash (never
the token), and the invite is checked again, and used up, in the transaction that joins.
"""

from __future__ import annotations

import html
from typing import Any

from telegram import InlineKeyboardMarkup, Update

from bot import actions
from bot.core import locale_format
from bot.core.callback_data import (
    FAMILY,
    REMINDERS,
    Cancel,
    JoinFamily,
    ListReminders,
    PickHour,
    PickZone,
)
from bot.core.family import InviteProblem
from bot.reminders.rendering import note_message
from bot.telegram import keyboards, pickers
from bot.telegram.handlers import subscribe
from bot.telegram.replies import alert, send, show
from bot.telegram.services import BotContext, Texts

KIND = actions.JOIN_DRAFT
ZONE, HOUR = "zone", "hour"  # the steps after "confirm"

JoinPress = JoinFamily | PickZone | PickHour | Cancel


def problem_text(t: Texts, problem: InviteProblem) -> str:
    """A clear answer for an invite that cannot be used; nothing was changed."""
    match problem:
        case InviteProblem.USED:
            return t("family.invite_used")
        case InviteProblem.EXPIRED:
            return t("family.invite_expired")
        case InviteProblem.ALREADY_IN:
            return t("family.invite_already_in")
        case InviteProblem.FULL:
            return t("family.full")
        case InviteProblem.INVITER_GONE:
            return t("family.invite_inviter_gone")
    return t("family.invite_unknown")


def baby_label(t: Texts, name: str | None) -> str:
    return html.escape(name) if name else t("milestones.name_fallback")


async def open_invite(update: Update, context: BotContext, token: str) -> None:
    """/start join_<token>: say whose family it is and offer to join, or why it cannot be."""
    chat = update.effective_chat
    if chat is None:
        return
    t = context.texts(update)
    if await subscribe.at_limit(update, context):
        return
    key = actions.invite_key(token)
    found = await actions.open_invite(
        context.services.store, chat.id, key, context.services.clock()
    )
    if isinstance(found, InviteProblem):
        await send(update, problem_text(t, found), keyboards.main_menu(t))
        return
    assert found.baby is not None
    name = baby_label(t, found.baby.name)
    join = keyboards.button(t("button.family_join"), FAMILY.encode(JoinFamily()))
    await send(
        update,
        t("family.invite_open", name=name),
        InlineKeyboardMarkup([[join], pickers.cancel_row(t, FAMILY)]),
    )


async def load(context: BotContext, chat_id: int) -> dict[str, Any] | None:
    state = await context.services.store.conversations.get(chat_id, context.services.clock())
    if state is None or state.kind != KIND or not isinstance(state.data.get("invite"), str):
        return None
    return dict(state.data)


async def join_button(update: Update, context: BotContext, press: JoinPress) -> None:
    """Each press must fit the step the stored draft is at."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    t = context.texts(update)
    store, now = context.services.store, context.services.clock()
    if isinstance(press, Cancel):
        await store.conversations.clear(chat.id)
        await show(update, t("subscribe.cancelled"), keyboards.main_menu(t))
        await query.answer()
        return
    draft = await load(context, chat.id)
    if draft is None:
        await alert(update, t("alert.subscribe_expired"))
        return
    zones = pickers.zone_choices(context, t)
    match draft.get("step"), press:
        case "confirm", JoinFamily():
            draft["step"] = ZONE
            await store.conversations.put(chat.id, KIND, draft, now)
            await show(update, *pickers.zone_screen(context, t, FAMILY, t("family.ask_zone")))
        case "zone", PickZone(index=index) if index < len(zones):
            draft.update(step=HOUR, zone=zones[index].zone)
            await store.conversations.put(chat.id, KIND, draft, now)
            await show(update, *pickers.hour_screen(t, FAMILY))
        case "hour", PickHour(hour=hour) if isinstance(draft.get("zone"), str):
            await finish(update, context, draft, hour)
        case _:
            await alert(update, t("alert.stale_button"))
            return
    await query.answer()


async def finish(update: Update, context: BotContext, draft: dict[str, Any], hour: int) -> None:
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None
    t = context.texts(update)
    store = context.services.store
    joined = await actions.accept_invite(
        store,
        chat.id,
        user.first_name if user is not None else None,
        draft["invite"],
        draft["zone"],
        hour,
        context.services.clock(),
        context.rules.milestones.values(),
        locale=t.locale,
    )
    if isinstance(joined, InviteProblem):
        await store.conversations.clear(chat.id)
        await show(update, problem_text(t, joined), keyboards.main_menu(t))
        return
    [sub] = [s for s in await store.subscriptions.list_for_chat(chat.id) if s.id == joined.id]
    name = baby_label(t, sub.baby_name)
    done = t(
        "family.joined",
        name=name,
        hour=locale_format.hour(hour, t.locale),
        zone=html.escape(sub.timezone),
        count=joined.scheduled,
    )
    my_reminders = keyboards.button(t("button.my_reminders"), REMINDERS.encode(ListReminders()))
    await show(update, done, InlineKeyboardMarkup([[my_reminders], keyboards.home_row(t)]))
    if joined.current is not None:
        await send(update, *note_message(context.rules, t.locale, joined.current, [sub.baby_name]))
