"""Three replica processes, one PostgreSQL database, one emulated Telegram, 1 200 notes due; the
dispatching leader is killed with SIGKILL mid-run.

Checked: the replicas, started together on an empty database, migrate it once; only one of them
sends; after the kill another takes over within seconds and sends the notes the dead leader had
claimed (not waiting for their lease) within 5 s of the kill; every note is sent (none lost); no
chat gets a note twice except the one message in flight at the kill (sent, not yet recorded:
within Telegram's limits the dispatcher keeps one in flight, `PACED_IN_FLIGHT`); and the whole
bot never sends more than 30 messages in any one second (the emulator counts every send against
Telegram's limits; none may be breached).

It runs in CI and takes about 50 s, almost all of it the 1 200 sends at 30 per second (the kill
comes after 350, in the fourth round of 100, so 850 notes go out after the takeover).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from bot.emulator import Emulator
from bot.emulator.limits import RateLimits
from bot.reminders.dispatcher import PACED_IN_FLIGHT
from bot.sandbox import SANDBOX_TOKEN
from bot.store import Store, open_store
from bot.store.schema import scheduled_notes, subscriptions
from tests.replicas.replica import READY, replica_env
from tests.store.backends import fresh_postgres_database

ROOT = Path(__file__).resolve().parents[2]
NOTES = 1_200
LIMIT = 30  # Telegram's messages per second per bot token
# Sends before the leader is killed: about 12 s into the run, in the middle of a batch of 100
# (so it dies holding claims on notes it has not sent yet).
KILL_AFTER = 350
LEADS = "now leads reminder dispatch"
# From the SIGKILL to the first of the dead leader's claimed notes going out: about 2-2.5 s
# (a follower tries every RETRY = 1 s, then waits PAUSE = 1.1 s); the bound is 5 s.
TAKEOVER_BOUND = 5.0
MILESTONE = "social_smile_6w"


@dataclass
class Replica:
    """One `python -m tests.replicas.replica` process and its log lines, as they arrive."""

    name: str
    process: asyncio.subprocess.Process
    lines: list[tuple[float, str]] = field(default_factory=list)
    reader: asyncio.Task[None] | None = None

    @classmethod
    async def start(cls, name: str, env: dict[str, str]) -> Replica:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.replicas.replica",
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        replica = cls(name, process)
        replica.reader = asyncio.create_task(replica._read())
        return replica

    async def _read(self) -> None:
        assert self.process.stderr is not None
        while line := await self.process.stderr.readline():
            self.lines.append((time.monotonic(), line.decode(errors="replace").rstrip()))

    def said(self, text: str, after: float = 0.0) -> float | None:
        """When this replica first logged `text` (after `after`), if it did."""
        return next((at for at, line in self.lines if text in line and at > after), None)

    def tail(self, count: int = 15) -> str:
        return "\n".join(f"  {self.name}: {line}" for _, line in self.lines[-count:])


async def until(condition: Callable[[], object], within: float, what: str, replicas) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            logs = "\n".join(replica.tail() for replica in replicas)
            raise AssertionError(f"timed out after {within:g}s waiting for {what}\n{logs}")
        await asyncio.sleep(0.05)


async def insert_due_notes(store: Store, chat_ids: list[int], due: datetime) -> None:
    """One subscription and one due note per chat, written in one transaction."""
    async with store.engine.begin() as conn:
        sub_ids = (
            await conn.execute(
                insert(subscriptions).returning(subscriptions.c.id, sort_by_parameter_order=True),
                [
                    {
                        "chat_id": chat_id,
                        "baby_name": f"Baby {n}",
                        "birth_date": date(2026, 1, 1),
                        "gestational_weeks": None,
                        "timezone": "UTC",
                        "delivery_hour": 9,
                        "locale": None,
                        "paused": False,
                        "created_at": due - timedelta(days=30),
                    }
                    for n, chat_id in enumerate(chat_ids)
                ],
            )
        ).scalars()
        await conn.execute(
            insert(scheduled_notes),
            [
                {
                    "subscription_id": sub_id,
                    "chat_id": chat_id,
                    "milestone_id": MILESTONE,
                    "due_at": due,
                    "status": "pending",
                    "attempts": 0,
                }
                for sub_id, chat_id in zip(sub_ids, chat_ids, strict=True)
            ],
        )


async def count_sent(store: Store) -> int:
    async with store.engine.connect() as conn:
        query = select(func.count()).where(scheduled_notes.c.status == "sent")
        return int((await conn.execute(query)).scalar_one())


async def leased_chats(store: Store) -> set[int]:
    """Chats of notes claimed but not recorded: the ones in flight."""
    async with store.engine.connect() as conn:
        rows = await conn.execute(
            select(scheduled_notes.c.chat_id).where(
                scheduled_notes.c.status == "pending",
                scheduled_notes.c.claimed_until > datetime.now(UTC),
            )
        )
        return set(rows.scalars())


def explain(emu: Emulator, replicas: list[Replica], origin: float) -> str:
    """For a rate failure: each breach, the sends in the second before it, who led when."""
    lines = []
    for breach in emu.rate_violation_details[:3]:
        lines.append(f"{breach.kind} breach at {breach.at - origin:+.3f}s (from the kill):")
        lines += [
            f"  send {c.started - origin:+.4f}..{c.finished - origin:+.4f} chat {c.chat_id}"
            for c in emu.calls_to("sendMessage")
            if breach.at - 1.0 <= c.started <= breach.at
        ]
    for replica in replicas:
        lines += [
            f"{replica.name} {at - origin:+.3f}s {line}"
            for at, line in replica.lines
            if "lead" in line or "reminders:" in line or "WARNING" in line or "ERROR" in line
        ]
    return "\n".join(lines)


def busiest_second(times: list[float]) -> int:
    """The most sends in any one-second window."""
    times, best, first = sorted(times), 0, 0
    for last, at in enumerate(times):
        while at - times[first] >= 1.0:
            first += 1
        best = max(best, last - first + 1)
    return best


async def test_three_replicas_one_killed_every_note_sent_once_within_the_rate() -> None:
    began = time.monotonic()
    async with fresh_postgres_database() as url, Emulator() as emu:
        emu.add_bot(SANDBOX_TOKEN)
        emu.rate_limits = RateLimits(enabled=True, respond_429=False)  # count, don't refuse
        chats = [emu.add_user(f"Parent {n}", started=True).id for n in range(NOTES)]
        env = replica_env(url, emu.base_url)
        # All three start together on the empty database: one migrates, the others wait.
        replicas = await asyncio.gather(*(Replica.start(f"r{n}", env) for n in range(3)))
        store: Store | None = None
        try:
            await until(lambda: all(r.said(READY) for r in replicas), 30, "start-up", replicas)
            store = await open_store(url)
            await insert_due_notes(store, chats, datetime.now(UTC) - timedelta(minutes=10))

            sends = lambda: emu.calls_to("sendMessage")  # noqa: E731
            await until(lambda: len(sends()) >= KILL_AFTER, 30, "sends", replicas)
            [leader] = [r for r in replicas if r.said(LEADS)]
            leader.process.send_signal(signal.SIGKILL)
            killed_at = time.monotonic()
            await leader.process.wait()
            in_flight = await leased_chats(store)
            sent_before_kill = len(sends())

            others = [r for r in replicas if r is not leader]
            new_leader = lambda: any(r.said(LEADS, killed_at) for r in others)  # noqa: E731
            await until(new_leader, 15, "a new leader", replicas)
            takeover = min(t for r in others if (t := r.said(LEADS, killed_at))) - killed_at

            deadline = time.monotonic() + 150
            while (sent := await count_sent(store)) < NOTES:
                assert time.monotonic() < deadline, f"only {sent} of {NOTES} notes sent"
                await asyncio.sleep(0.5)
        finally:
            for replica in replicas:
                if replica.process.returncode is None:
                    replica.process.send_signal(signal.SIGTERM)
            codes = [await asyncio.wait_for(r.process.wait(), 20) for r in replicas]
            for replica in replicas:
                with contextlib.suppress(Exception):
                    await replica.reader  # type: ignore[misc]
            if store is not None:
                await store.close()

        calls = [call for call in sends() if call.ok]
        per_chat = Counter(call.params["chat_id"] for call in calls)
        duplicated = {chat for chat, times in per_chat.items() if times > 1}
        # The new leader's first send (a send of the dead one may still land just after the kill).
        resumed = min(c.started for c in calls if c.started > killed_at + takeover) - killed_at
        # The next note: the first of those the dead leader had claimed (and not sent) to go out.
        claimed_by_dead = in_flight - {c.params["chat_id"] for c in calls if c.started < killed_at}
        reclaimed = (
            min(c.started for c in calls if c.params["chat_id"] in claimed_by_dead) - killed_at
        )
        busiest = busiest_second([call.started for call in calls])
        print(
            f"\nreplicas: {NOTES} notes, {len(calls)} messages, {len(duplicated)} duplicated "
            f"({len(in_flight)} in flight at the kill after {sent_before_kill} sends), "
            f"busiest second {busiest}, new leader {takeover:.2f}s and its first send "
            f"{resumed:.2f}s after the SIGKILL, the dead leader's claims from {reclaimed:.2f}s, "
            f"{time.monotonic() - began:.0f}s in all"
        )
        assert sorted(per_chat) == sorted(chats)  # none lost
        assert duplicated <= in_flight and len(duplicated) <= PACED_IN_FLIGHT  # the crash window
        assert busiest <= LIMIT and emu.rate_violations == 0, explain(emu, replicas, killed_at)
        assert takeover < TAKEOVER_BOUND and resumed < TAKEOVER_BOUND
        assert claimed_by_dead and reclaimed < TAKEOVER_BOUND, explain(emu, replicas, killed_at)
        assert [r.said(LEADS) is not None for r in replicas].count(True) == 2  # never more
        assert codes[replicas.index(leader)] == -signal.SIGKILL
        assert [code for r, code in zip(replicas, codes, strict=True) if r is not leader] == [0, 0]
        emu.assert_no_violations()
