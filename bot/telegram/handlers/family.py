"""/family: a baby's caregivers, invite links, removing someone, leaving; and sharing a check.

Every press here has passed the guard's family check (the subscription it names is the
presser's, and only the baby's creator removes others), made at the moment of the press.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Awaitable, Callable
from urllib.parse import quote, urlencode

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import Forbidden

from bot import actions
from bot.core.callback_data import (
    FAMILY,
    MENU,
    REMINDERS,
    AskLeave,
    AskRemoveCaregiver,
    Cancel,
    FamilyList,
    FamilyPress,
    JoinFamily,
    Leave,
    ListReminders,
    MakeInvite,
    OpenFamily,
    OpenSection,
    PickHour,
    PickZone,
    RemoveCaregiver,
    Section,
)
from bot.core.family import LINK_PREFIX, MAX_CAREGIVERS, InviteProblem
from bot.store.family import Caregiver
from bot.store.subscriptions import BABY, CREATOR, Subscription
from bot.telegram import keyboards
from bot.telegram.handlers import family_join
from bot.telegram.replies import alert, send, show
from bot.telegram.services import BotContext, Texts


def family_button_for(t: Texts, sub: Subscription) -> InlineKeyboardButton:
    """The per-baby button in /reminders."""
    return keyboards.button(t("button.family"), FAMILY.encode(OpenFamily(sub.id)))


def caregiver_name(t: Texts, caregiver: Caregiver) -> str:
    return html.escape(caregiver.first_name or t("family.someone"))


async def my_babies(update: Update, context: BotContext) -> list[Subscription]:
    chat = update.effective_chat
    assert chat is not None
    subs = await context.services.store.subscriptions.list_for_chat(chat.id)
    return [sub for sub in subs if sub.kind == BABY and sub.baby_id is not None]


async def family_command(update: Update, context: BotContext) -> None:
    """/family: one baby's family straight away, or a choice of babies."""
    await list_screen(update, context)


async def list_screen(update: Update, context: BotContext) -> None:
    t = context.texts(update)
    babies = await my_babies(update, context)
    if len(babies) == 1:
        await family_screen(update, context, babies[0])
        return
    if not babies:
        add = keyboards.button(t("button.add_baby"), MENU.encode(OpenSection(Section.SUBSCRIBE)))
        await show(update, t("family.none"), InlineKeyboardMarkup([[add], keyboards.home_row(t)]))
        return
    rows = [
        [
            keyboards.button(
                (sub.baby_name or t("milestones.name_fallback"))[:30],
                FAMILY.encode(OpenFamily(sub.id)),
            )
        ]
        for sub in babies
    ]
    await show(update, t("family.choose"), InlineKeyboardMarkup([*rows, keyboards.home_row(t)]))


async def family_screen(update: Update, context: BotContext, sub: Subscription) -> None:
    """Who follows the baby; invite; the creator's remove buttons; leave."""
    t = context.texts(update)
    assert sub.baby_id is not None
    caregivers = await context.services.store.families.caregivers(sub.baby_id)
    name = html.escape(sub.baby_name or t("milestones.name_fallback"))
    lines = [t("family.title", name=name)]
    for caregiver in caregivers:
        you = caregiver.subscription_id == sub.id
        label = t("family.you") if you else caregiver_name(t, caregiver)
        if caregiver.role == CREATOR:
            label = t("family.creator", name=label)
        lines.append(f"• {label}")
    lines.append("\n" + t("family.explain"))
    rows = []
    if len(caregivers) < MAX_CAREGIVERS:
        rows.append(
            [keyboards.button(t("button.family_invite"), FAMILY.encode(MakeInvite(sub.id)))]
        )
    else:
        lines.append("\n" + t("family.full"))
    if sub.role == CREATOR:
        for caregiver in caregivers:
            if caregiver.subscription_id != sub.id:
                who = caregiver.first_name or t("family.someone")
                label = t("button.family_remove", name=who[:20])
                data = FAMILY.encode(AskRemoveCaregiver(sub.id, caregiver.subscription_id))
                rows.append([keyboards.button(label, data)])
    rows.append([keyboards.button(t("button.family_leave"), FAMILY.encode(AskLeave(sub.id)))])
    rows.append([keyboards.button(t("button.my_reminders"), REMINDERS.encode(ListReminders()))])
    rows.append(keyboards.home_row(t))
    await show(update, "\n".join(lines), InlineKeyboardMarkup(rows))


def invite_link(username: str, token: str) -> str:
    return f"https://t.me/{username}?start={LINK_PREFIX}_{token}"


def share_url(link: str, text: str) -> str:
    """Telegram's own share sheet (t.me/share/url): the parent picks the chat to send it to."""
    return "https://t.me/share/url?" + urlencode({"url": link, "text": text}, quote_via=quote)


async def send_invite(update: Update, context: BotContext, sub: Subscription) -> None:
    t = context.texts(update)
    user, chat = update.effective_user, update.effective_chat
    assert chat is not None
    first_name = user.first_name if user is not None else None
    made = await actions.create_invite(
        context.services.store, chat.id, sub.id, first_name, context.services.clock()
    )
    if isinstance(made, InviteProblem):
        await show(update, family_join.problem_text(t, made), InlineKeyboardMarkup([back(t, sub)]))
        return
    link = invite_link(context.bot.username, made)
    name = html.escape(sub.baby_name or t("milestones.name_fallback"))
    share = InlineKeyboardButton(
        t("button.family_share"), url=share_url(link, t("family.share_text", name=name))
    )
    await send(
        update,
        t("family.invite", name=name, link=link),
        InlineKeyboardMarkup([[share], back(t, sub)]),
    )


def back(t: Texts, sub: Subscription) -> list[InlineKeyboardButton]:
    return [keyboards.button(t("button.back"), FAMILY.encode(OpenFamily(sub.id)))]


async def family_button(update: Update, context: BotContext, press: FamilyPress) -> None:
    """The family screens; the joining steps are `family_join`'s."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    t = context.texts(update)
    if isinstance(press, JoinFamily | PickZone | PickHour | Cancel):
        await family_join.join_button(update, context, press)
        return
    if isinstance(press, FamilyList):
        await list_screen(update, context)
        await query.answer()
        return
    # The guard has checked that this subscription is this chat's (it may go in between).
    mine = [s for s in await my_babies(update, context) if s.id == press.subscription_id]
    if not mine:
        await alert(update, t("alert.family_gone"))
        return
    sub = mine[0]
    match press:
        case OpenFamily():
            await family_screen(update, context, sub)
        case MakeInvite():
            await send_invite(update, context, sub)
        case AskRemoveCaregiver(member=member):
            await confirm_remove(update, context, sub, member)
        case RemoveCaregiver(member=member):
            await remove(update, context, sub, member)
        case AskLeave():
            yes = keyboards.button(t("button.family_leave_yes"), FAMILY.encode(Leave(sub.id)))
            name = html.escape(sub.baby_name or t("milestones.name_fallback"))
            await show(
                update,
                t("family.confirm_leave", name=name),
                InlineKeyboardMarkup([[yes], back(t, sub)]),
            )
        case Leave():
            await actions.unsubscribe(context.services.store, chat.id, sub.id)
            await show(update, t("family.left"), InlineKeyboardMarkup([keyboards.home_row(t)]))
    await query.answer()


async def confirm_remove(
    update: Update, context: BotContext, sub: Subscription, member: int
) -> None:
    t = context.texts(update)
    assert sub.baby_id is not None
    caregivers = await context.services.store.families.caregivers(sub.baby_id)
    target = next((c for c in caregivers if c.subscription_id == member), None)
    if target is None:  # gone since the guard looked
        await alert(update, t("alert.family_gone"))
        return
    yes = keyboards.button(
        t("button.family_remove_yes"), FAMILY.encode(RemoveCaregiver(sub.id, member))
    )
    text = t("family.confirm_remove", who=caregiver_name(t, target))
    await show(update, text, InlineKeyboardMarkup([[yes], back(t, sub)]))


async def remove(update: Update, context: BotContext, sub: Subscription, member: int) -> None:
    """Remove another caregiver, and tell them (if they still let the bot write to them)."""
    assert sub.baby_id is not None
    store = context.services.store
    caregivers = {c.subscription_id: c for c in await store.families.caregivers(sub.baby_id)}
    target = caregivers.get(member)
    if target is not None and await actions.remove_caregiver(store, sub.baby_id, member):
        theirs = texts_for(context, target.locale)
        name = html.escape(sub.baby_name or theirs("milestones.name_fallback"))
        with contextlib.suppress(Forbidden):  # they blocked the bot: nothing to tell
            await context.bot.send_message(
                target.chat_id, theirs("family.removed_you", name=name), parse_mode=ParseMode.HTML
            )
    await family_screen(update, context, sub)


async def has_family(update: Update, context: BotContext) -> bool:
    chat = update.effective_chat
    return chat is not None and bool(await context.services.store.families.family_chats(chat.id))


def texts_for(context: BotContext, locale: str | None) -> Texts:
    """Another chat's language: a message to another caregiver is in theirs, not the sender's."""
    return Texts(context.rules, locale or context.rules.default_locale)


async def share_summary(
    update: Update, context: BotContext, render: Callable[[Texts], Awaitable[str]]
) -> None:
    """ "Send the summary to the family": on the parent's tap, never automatically, to every
    other caregiver of the babies this chat follows (blocked ones skipped), each in their own
    language."""
    chat, user, query = update.effective_chat, update.effective_user, update.callback_query
    assert chat is not None and query is not None
    first_name = user.first_name if user is not None else None
    sent = 0
    for other, locale in await context.services.store.families.family_chats(chat.id):
        theirs = texts_for(context, locale)
        who = html.escape(first_name or theirs("family.someone"))
        try:
            await context.bot.send_message(
                other,
                theirs("family.shared_from", name=who) + "\n\n" + await render(theirs),
                parse_mode=ParseMode.HTML,
            )
            sent += 1
        except Forbidden:
            continue
    await query.answer(context.texts(update)("family.summary_sent", count=sent))
