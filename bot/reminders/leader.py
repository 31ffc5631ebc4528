"""Which replica dispatches reminders: exactly one, elected with a PostgreSQL advisory lock.

Why one leader rather than every replica claiming work (`SELECT ... FOR UPDATE SKIP LOCKED`):
Telegram limits a bot token to about 30 messages per second, however many processes send. With
claiming, each replica's sends would have to draw on a rate budget shared through the database
(one more write per message, and clock skew between hosts to reason about). With a single
dispatcher the limit is enforced where the sends happen, in one process (`pacing.SendPacer`,
above python-telegram-bot's AIORateLimiter), and the claim/lease logic in the store still keeps
each note to one send. One dispatcher is not a bottleneck: it is held to 30 messages per second
by Telegram anyway. (Replies to incoming updates are sent by whichever replica received the
update, outside this budget: they answer people one by one, not a broadcast.)

How: every replica tries `pg_try_advisory_lock(DISPATCHER_KEY)` on a dedicated connection
(`bot.store.locks.SessionLock`); the one that gets it dispatches, the others try again every
`RETRY` seconds. The server releases the lock when the leader's session ends: at once when the
process dies (the kernel closes its socket, even on SIGKILL), within about 11 s when its host
vanishes (TCP keepalives set on that session). The leader checks its lock connection every
`CHECK` seconds and stops sending between two messages as soon as a check fails, so a leader
cut off from the database does not go on beside its successor. A new leader waits `PAUSE`
(one rate window) before its first send, so its sends and those of a leader that just died
never share a one-second window. Then it takes back every claim in the database
(`LeasedRows.release_claims`, in `runner`), so its predecessor's claimed but unsent notes go out
in its first round rather than when their lease (`LEASE`) runs out; retry back-offs stay (they
live in another column). The messages sent but not yet recorded at the crash (at most the
dispatcher's N in flight, see `dispatcher`) are sent again: the duplicates a crash can cause.

Why taking back claims held by someone else is safe: only the leader claims, and the leader is
whoever holds the advisory lock, which one session at a time can hold. The server grants it to
a new session only after the old one ended: the old process died (it sends nothing more), or it
was cut off from the database for the ~11 s the keepalives allow, by which time its own check
(every `CHECK` s, each given 3 s) has failed and it stopped between two messages, its in-flight
sends finished. `PAUSE` > `CHECK` covers a predecessor whose session the server ended while it
ran on (its next check fails at once, and it stops). So by the time a new leader takes back
the claims, nobody is sending the notes they lease: no note is sent by two dispatchers at
once, and none waits out a dead leader's lease.

On SQLite there is one process per database file, so that process simply dispatches.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.reminders.dispatcher import LEASE as SOLE_LEASE
from bot.store.locks import DISPATCHER_KEY, SessionLock

# Seconds between a follower's attempts to become the leader: the most a takeover waits after
# the server released the lock (then PAUSE), one cheap query per second per follower.
RETRY = 1.0
CHECK = 1.0  # seconds between the leader's checks that it still holds the lock
# Seconds a new leader waits before its first send: one rate window, and longer than CHECK, so
# a predecessor whose session the server ended has noticed and stopped sending by then.
PAUSE = 1.1
# A leader's claims outlive its rounds (~3.5 s for a full batch at 30/s) many times over. A new
# leader takes them back at once; the lease only matters if that step fails. Only the leader
# claims, so a lease that runs out mid-round (a long 429 wait) lets no one else send them.
LEASE = timedelta(seconds=30)


class Leadership(Protocol):
    """The right to dispatch: `acquire` without waiting, `check` while leading, `release`."""

    lease: timedelta  # how long the dispatcher's claims last
    pause: float  # seconds to wait after becoming the leader, before the first send

    @property
    def held(self) -> bool: ...

    async def acquire(self) -> bool: ...

    async def check(self) -> bool: ...

    async def release(self) -> None: ...


class SoleProcess:
    """SQLite: the only process on its database file always leads."""

    lease = SOLE_LEASE  # claims then only matter after a crash and restart
    pause = 0.0
    held = True

    async def acquire(self) -> bool:
        return True

    async def check(self) -> bool:
        return True

    async def release(self) -> None:
        return None


class AdvisoryLockLeadership:
    """PostgreSQL: whoever holds the dispatcher's session-level advisory lock leads."""

    lease = LEASE
    pause = PAUSE

    def __init__(self, engine: AsyncEngine) -> None:
        self._lock = SessionLock(engine, DISPATCHER_KEY)

    @property
    def held(self) -> bool:
        return self._lock.held

    async def acquire(self) -> bool:
        return await self._lock.try_acquire()

    async def check(self) -> bool:
        return await self._lock.check()

    async def release(self) -> None:
        await self._lock.release()


def leadership_for(engine: AsyncEngine) -> Leadership:
    if engine.dialect.name == "postgresql":
        return AdvisoryLockLeadership(engine)
    return SoleProcess()
