"""/export: everything stored about one chat, read in one transaction.

Every table that holds rows of a chat is read here: its subscriptions with their notes (their
statuses, and the notes an answer made unnecessary) and any blocked state, its movement checks,
its check-ins with their answers, the video charts it chose to keep (numbers and PNG), its
conversation draft, the language it chose, and its updates still waiting in the webhook inbox.
`webhook_state` holds no chat's data. Nothing of another chat is included: every query is by
this chat's id, and a draft's link target is left out when it names another chat.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.store import Store
from bot.store.check_ins import CheckIn
from bot.store.conversations import ChatState
from bot.store.history import TriageRecord
from bot.store.inbox import InboxUpdate
from bot.store.subscriptions import Note, Subscription
from bot.store.video_charts import KeptChart

# The draft field naming the chat a cohort set-up is for: a channel an admin links from their
# private chat is another chat, whose id is not this chat's to take away.
_DRAFT_TARGET = "target"


@dataclass(frozen=True)
class ChatExport:
    """What /export hands the chat; `as_document()` is the JSON document sent."""

    chat_id: int
    subscriptions: tuple[Subscription, ...]  # each with its notes
    triage_results: tuple[TriageRecord, ...]  # oldest first
    check_ins: tuple[CheckIn, ...]
    draft: ChatState | None
    waiting_updates: tuple[InboxUpdate, ...]  # webhook mode: accepted, not yet handled
    video_charts: tuple[KeptChart, ...]  # oldest first
    language: str | None = None  # chosen with /language; None: each person's Telegram language

    def as_document(self) -> dict[str, Any]:
        return {
            "chat_id": self.chat_id,
            "subscriptions": [_subscription(sub) for sub in self.subscriptions],
            "triage_results": [_triage(record) for record in self.triage_results],
            "check_ins": [_check_in(check_in) for check_in in self.check_ins],
            "video_charts": [_video_chart(chart) for chart in self.video_charts],
            "draft": None if self.draft is None else _draft(self.draft, self.chat_id),
            "language": self.language,
            # The raw update is left out: it can carry other people's ids (a group's members).
            "waiting_updates": [
                {
                    "update_id": item.update_id,
                    "kind": item.kind,
                    "received_at": item.received_at.isoformat(),
                    "attempts": item.attempts,
                }
                for item in self.waiting_updates
            ],
        }


async def export_chat(store: Store, chat_id: int) -> ChatExport:
    async with store.transaction() as tx:
        return ChatExport(
            chat_id=chat_id,
            subscriptions=tuple(await tx.subscriptions.list_for_chat(chat_id)),
            triage_results=tuple(await tx.history.list_for_chat(chat_id)),
            check_ins=tuple(await tx.check_ins.list_for_chat(chat_id)),
            draft=await tx.conversations.stored(chat_id),
            waiting_updates=tuple(await tx.inbox.waiting_for_chat(chat_id)),
            video_charts=tuple(await tx.video_charts.list_for_chat(chat_id)),
            language=await tx.languages.get(chat_id),
        )


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _subscription(sub: Subscription) -> dict[str, Any]:
    return {
        "id": sub.id,
        "baby_name": sub.baby_name,
        "birth_date": sub.birth.isoformat(),
        "gestational_weeks": sub.gestational_weeks,
        "timezone": sub.timezone,
        "delivery_hour": sub.delivery_hour,
        "locale": sub.locale,
        "paused": sub.paused,
        "kind": sub.kind,
        "blocked_at": _when(sub.blocked_at),
        "message_thread_id": sub.message_thread_id,
        "created_at": sub.created_at.isoformat(),
        "notes": [_note(note) for note in sub.notes],
    }


def _note(note: Note) -> dict[str, Any]:
    return {
        "milestone_id": note.milestone_id,
        "due_at": note.due_at.isoformat(),
        "status": note.status,
        "attempts": note.attempts,
        "sent_at": _when(note.sent_at),
        "last_error": note.last_error,
    }


def _triage(record: TriageRecord) -> dict[str, Any]:
    return {
        "created_at": record.created_at.isoformat(),
        "flow": record.flow,
        "answers": record.answers,
        "outcome": record.outcome,
        "level": record.level,
    }


def _check_in(check_in: CheckIn) -> dict[str, Any]:
    return {
        "created_at": check_in.created_at.isoformat(),
        "due_at": check_in.due_at.isoformat(),
        "flow": check_in.flow,
        "level": check_in.level,
        "locale": check_in.locale,
        "status": check_in.status,
        "attempts": check_in.attempts,
        "sent_at": _when(check_in.sent_at),
        "answer": check_in.answer,
    }


def _video_chart(chart: KeptChart) -> dict[str, Any]:
    return {
        "created_at": chart.created_at.isoformat(),
        "lines": chart.lines,
        "level": chart.level,
        "findings": list(chart.findings),
        "numbers": chart.numbers,
        "chart_png_base64": base64.b64encode(chart.chart_png).decode("ascii"),
    }


def _draft(draft: ChatState, chat_id: int) -> dict[str, Any]:
    data = {
        key: value
        for key, value in draft.data.items()
        if not (key == _DRAFT_TARGET and str(value) != str(chat_id))
    }
    return {"kind": draft.kind, "data": data, "updated_at": draft.updated_at.isoformat()}
