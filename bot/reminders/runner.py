"""Run one dispatcher beside the Application: a single repeating loop for every subscriber.

Every replica starts this loop; only the elected leader's loop sends (see `leader`). The others
try for the leadership every few seconds, so one of them takes over when the leader dies.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from telegram.ext import Application

from bot.core.rules import Rules
from bot.reminders.dispatcher import Dispatcher
from bot.reminders.leader import CHECK, RETRY, Leadership, leadership_for
from bot.store import Store

log = logging.getLogger(__name__)

DEFAULT_INTERVAL = 30.0  # seconds between rounds; a round that found a full batch goes on sooner


@dataclass
class DispatcherHandle:
    stop: asyncio.Event
    task: asyncio.Task[None]

    async def close(self) -> None:
        """Stop after the current round (no send is cut in half), give up the leadership."""
        self.stop.set()
        await self.task


def start_dispatcher(
    application: Application,  # type: ignore[type-arg]
    store: Store,
    rules: Rules,
    clock: Callable[[], datetime],
    *,
    interval: float = DEFAULT_INTERVAL,
    leadership: Leadership | None = None,
) -> DispatcherHandle:
    """Start delivering through the (initialised) application's bot; `close()` it on shutdown.

    The leadership defaults to what the store's database offers: an advisory lock on
    PostgreSQL, the sole process on SQLite.
    """
    leadership = leadership or leadership_for(store.engine)
    dispatcher = Dispatcher(
        store,
        rules,
        application.bot,
        clock,
        lease=leadership.lease,
        active=lambda: leadership.held,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(
        lead_and_dispatch(dispatcher, leadership, stop, interval), name="reminders"
    )
    return DispatcherHandle(stop, task)


async def lead_and_dispatch(
    dispatcher: Dispatcher,
    leadership: Leadership,
    stop: asyncio.Event,
    interval: float,
    *,
    retry: float = RETRY,
    check: float = CHECK,
) -> None:
    """Follow until this process leads, dispatch while it leads; again, until `stop` is set."""
    while not stop.is_set():
        try:
            leading = await leadership.acquire()
        except Exception as error:  # the database is away: keep following, try again
            log.warning("cannot try for reminder leadership (%s); again in %gs", error, retry)
            leading = False
        if not leading:
            await _wait(stop, retry)
            continue
        log.info("this replica now leads reminder dispatch")
        try:
            if not await _wait(stop, leadership.pause):
                await _take_back_claims(dispatcher)
                await _lead(dispatcher, leadership, stop, interval, check)
        finally:
            await leadership.release()
        if not stop.is_set():
            log.warning("this replica no longer leads reminder dispatch")
            await _wait(stop, retry)  # a leader just cut off lets the others go first


async def _take_back_claims(dispatcher: Dispatcher) -> None:
    """A new leader sends its predecessor's claimed notes now, not when their lease runs out.
    Safe only here, holding the leadership after the pause: see `leader`'s docstring."""
    try:
        taken = await dispatcher.take_back_claims()
    except Exception:  # the round's own errors are handled the same way: log, go on
        log.exception("could not take back earlier claims; they come back with their lease")
    else:
        if taken:
            log.info("took back %d notes claimed by an earlier leader", taken)


async def _lead(
    dispatcher: Dispatcher,
    leadership: Leadership,
    stop: asyncio.Event,
    interval: float,
    check: float,
) -> None:
    over = asyncio.Event()  # shutdown, or the leadership is lost
    watch = asyncio.create_task(_watch(leadership, stop, over, check))
    try:
        await dispatcher.run_forever(over, interval)
    finally:
        over.set()
        watch.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watch


async def _watch(
    leadership: Leadership, stop: asyncio.Event, over: asyncio.Event, check: float
) -> None:
    while not await _wait(stop, check):
        if not await leadership.check():
            break
    over.set()


async def _wait(stop: asyncio.Event, seconds: float) -> bool:
    """Sleep up to `seconds`, less if `stop` is set; returns whether it is."""
    if seconds > 0:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=seconds)
    return stop.is_set()
