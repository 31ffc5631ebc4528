"""Watching the bot: the call log, violations, chat contents, and "await the bot's reaction".

Waiting semantics: every user action (`send_text`, `press`, ...) and `mark()` move a cursor to
the end of the call log. `wait_for` and its friends return the first matching call at or after
the cursor that no earlier wait returned, waiting if there is none yet. So

    emu.send_text(ann, "/start")
    welcome = await emu.next_message(ann)
    menu = await emu.next_message(ann)

returns the bot's first and second replies to /start, even if both had already arrived before
the first `await`. Pass `since=` (an index into `calls`) to choose the starting point yourself.
Waits that name a unique id (`callback_answer`, `inline_answer`) search the whole log.
"""

# Waiting helpers take a `timeout` argument on purpose: it is their public API.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import copy
import time
from collections.abc import Callable
from typing import Any

from bot.emulator.limits import counts_as_send
from bot.emulator.models import Call, Chat, User
from bot.emulator.state import World

ChatRef = Chat | User | int
DEFAULT_TIMEOUT = 5.0


def chat_id_of(chat: ChatRef | dict[str, Any]) -> int:
    if isinstance(chat, Chat | User):
        return chat.id
    if isinstance(chat, dict):
        return int(chat["chat"]["id"] if "chat" in chat else chat["id"])
    return int(chat)


class CallLog:
    """Every finished request in order, plus what waiting needs."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self.cursor = 0
        self.origin = time.monotonic()
        self.in_flight = 0
        self.last_activity = self.origin
        self._consumed: set[int] = set()
        self._waiters: list[asyncio.Future[None]] = []

    def mark(self) -> int:
        self.cursor = len(self.calls)
        return self.cursor

    def record(self, call: Call) -> None:
        self.calls.append(call)
        self.last_activity = time.monotonic()
        if self._waiters:
            for waiter in self._waiters:
                if not waiter.done():
                    waiter.set_result(None)
            self._waiters.clear()

    def note_violation(self, text: str) -> None:
        self.violations.append(text)

    async def wait(
        self,
        matcher: Callable[[Call], Any],
        *,
        what: str,
        timeout: float,
        since: int | None,
    ) -> tuple[Call, Any]:
        """The first unconsumed call from `since` (default: the cursor) that `matcher` accepts.

        `matcher` returns None for calls it doesn't want, anything else is returned alongside.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        position = self.cursor if since is None else since
        while True:
            while position < len(self.calls):
                call = self.calls[position]
                position += 1
                if call.index in self._consumed:
                    continue
                found = matcher(call)
                if found is not None:
                    self._consumed.add(call.index)
                    return call, found
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(self.timeout_report(what, timeout))
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.append(waiter)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waiter, remaining)

    def timeout_report(self, what: str, timeout: float, last: int = 10) -> str:
        lines = [f"Timed out after {timeout:g}s waiting for {what}."]
        if self.calls:
            lines.append(f"Last {min(last, len(self.calls))} of {len(self.calls)} calls:")
            lines += [f"  {call.summary(self.origin)}" for call in self.calls[-last:]]
        else:
            lines.append("The bot made no calls at all.")
        if self.in_flight:
            lines.append(f"{self.in_flight} call(s) still in progress.")
        if self.violations:
            lines.append("Violations so far:")
            lines += [f"  {text}" for text in self.violations[-5:]]
        return "\n".join(lines)


def _message_in(chat_id: int, call: Call) -> dict[str, Any] | None:
    result = call.result
    if call.ok and isinstance(result, dict) and result.get("chat", {}).get("id") == chat_id:
        return result
    return None


class ObserverMixin:
    """The test-facing view of what the bot did. Mixed into `Emulator`."""

    world: World
    _log: CallLog

    # -- the log ------------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """Every finished request, oldest first."""
        return self._log.calls

    def calls_to(self, method: str) -> list[Call]:
        lowered = method.lower()
        return [call for call in self._log.calls if call.method.lower() == lowered]

    @property
    def violations(self) -> list[str]:
        """Every spec or limit violation the bot made, as "method: path: reason" lines."""
        return self._log.violations

    def assert_no_violations(self) -> None:
        if self._log.violations:
            listed = "\n".join(f"  {text}" for text in self._log.violations)
            raise AssertionError(
                f"The bot broke the Bot API {len(self._log.violations)} time(s):\n{listed}"
            )

    def mark(self) -> int:
        """Moves the waiting cursor to now; returns it (usable as `since=`)."""
        return self._log.mark()

    # -- chats --------------------------------------------------------------------------------

    def _chat(self, chat: ChatRef) -> Chat:
        found = self.world.chats.get(chat_id_of(chat))
        if found is None:
            raise KeyError(f"no chat {chat_id_of(chat)}")
        return found

    def chat_messages(self, chat: ChatRef) -> list[dict[str, Any]]:
        """The bot's messages in the chat as they are now (edits applied, deletions gone)."""
        found = self._chat(chat)
        return [
            copy.deepcopy(message)
            for message_id, message in found.messages.items()
            if message_id in found.bot_message_ids
        ]

    def topic_messages(self, chat: ChatRef, thread_id: int | None) -> list[dict[str, Any]]:
        """The bot's messages now in one forum topic (`None`: General, outside any topic)."""
        return [
            message
            for message in self.chat_messages(chat)
            if (message.get("message_thread_id") if message.get("is_topic_message") else None)
            == thread_id
        ]

    def last_message(self, chat: ChatRef) -> dict[str, Any] | None:
        found = self._chat(chat)
        for message_id in reversed(found.messages):
            if message_id in found.bot_message_ids:
                return copy.deepcopy(found.messages[message_id])
        return None

    def history(self, chat: ChatRef) -> list[dict[str, Any]]:
        """Every message in the chat, the users' and the bot's, in order."""
        return [copy.deepcopy(message) for message in self._chat(chat).messages.values()]

    def transcript(self, chat: ChatRef) -> str:
        """The chat as readable lines (for the console mode and failure messages)."""
        found = self._chat(chat)
        return "\n".join(
            _render(message, message_id in found.bot_message_ids)
            for message_id, message in found.messages.items()
        )

    # -- waiting ------------------------------------------------------------------------------

    async def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        since: int | None = None,
    ) -> Call:
        """The next call to `method` (any outcome) for which `predicate` holds."""
        lowered = method.lower()

        def match(call: Call) -> Call | None:
            if call.method.lower() != lowered:
                return None
            return call if predicate is None or predicate(call) else None

        call, _ = await self._log.wait(match, what=f"a {method} call", timeout=timeout, since=since)
        return call

    async def next_message(
        self, chat: ChatRef, timeout: float = DEFAULT_TIMEOUT, *, since: int | None = None
    ) -> dict[str, Any]:
        """The next message the bot successfully sent (sendMessage, sendDocument, ...) there."""
        chat_id = chat_id_of(chat)

        def match(call: Call) -> dict[str, Any] | None:
            return _message_in(chat_id, call) if counts_as_send(call.method) else None

        _, message = await self._log.wait(
            match, what=f"a message to chat {chat_id}", timeout=timeout, since=since
        )
        return copy.deepcopy(message)

    async def next_edit(
        self,
        chat: ChatRef,
        message_id: int | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        *,
        since: int | None = None,
    ) -> dict[str, Any]:
        """The message as the next successful editMessage* call there left it."""
        chat_id = chat_id_of(chat)

        def match(call: Call) -> dict[str, Any] | None:
            if not call.method.startswith("editMessage"):
                return None
            message = _message_in(chat_id, call)
            if message is None or (message_id is not None and message["message_id"] != message_id):
                return None
            return message

        what = f"an edit in chat {chat_id}" + (f" of message {message_id}" if message_id else "")
        _, message = await self._log.wait(match, what=what, timeout=timeout, since=since)
        return copy.deepcopy(message)

    async def callback_answer(
        self, callback_query_id: str | dict[str, Any], timeout: float = DEFAULT_TIMEOUT
    ) -> dict[str, Any]:
        """The params of the bot's answerCallbackQuery for that query (or its update)."""
        query_id = _query_id(callback_query_id, "callback_query")
        return await self._answer("answerCallbackQuery", "callback_query_id", query_id, timeout)

    async def inline_answer(
        self, inline_query_id: str | dict[str, Any], timeout: float = DEFAULT_TIMEOUT
    ) -> dict[str, Any]:
        """The params of the bot's answerInlineQuery for that query (or its update)."""
        query_id = _query_id(inline_query_id, "inline_query")
        return await self._answer("answerInlineQuery", "inline_query_id", query_id, timeout)

    async def _answer(self, method: str, key: str, query_id: str, timeout: float) -> dict:
        def match(call: Call) -> dict[str, Any] | None:
            if call.method == method and str(call.params.get(key)) == query_id:
                return call.params
            return None

        _, params = await self._log.wait(
            match, what=f"{method} for query {query_id}", timeout=timeout, since=0
        )
        return dict(params)

    async def settle(self, quiet: float = 0.1, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Waits until the bot has made no request for `quiet` seconds (long polls excepted)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            idle_for = time.monotonic() - self._log.last_activity
            if self._log.in_flight == 0 and idle_for >= quiet:
                return
            if loop.time() >= deadline:
                raise AssertionError(self._log.timeout_report("the bot to go quiet", timeout))
            await asyncio.sleep(max(quiet - idle_for, 0.01))


def _query_id(value: str | dict[str, Any], kind: str) -> str:
    if isinstance(value, dict):
        value = value[kind]["id"] if kind in value else value["id"]
    return str(value)


def _render(message: dict[str, Any], by_bot: bool) -> str:
    sender = message.get("from") or message.get("sender_chat") or {}
    name = "bot" if by_bot else sender.get("first_name") or sender.get("title") or "?"
    body = message.get("text") or message.get("caption") or ""
    if "document" in message:
        body = f"[document {message['document'].get('file_name')}] {body}".rstrip()
    for key in ("migrate_to_chat_id", "migrate_from_chat_id"):
        if key in message:
            body = f"({key.replace('_', ' ')} {message[key]})"
    if "forum_topic_created" in message:
        body = f"(topic created: {message['forum_topic_created'].get('name')})"
    line = f"#{message['message_id']} {name}: {body}"
    if message.get("is_topic_message") and "forum_topic_created" not in message:
        line += f" (in topic {message.get('message_thread_id')})"
    if "edit_date" in message:
        line += " (edited)"
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    for row in rows:
        line += "\n    " + " ".join(f"[{button.get('text')}]" for button in row)
    return line
