"""The group commit on its own: requests that arrive together share one commit, none is
answered before that commit, a failed commit fails them all, and the worker's claim rides along."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime

from bot.store.inbox import ClaimRequest, InboxUpdate, Incoming
from bot.web.batching import GroupCommit

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class HeldInbox:
    """accept_and_claim waits until `commit` is set, then commits (or raises `error`)."""

    def __init__(self, error: Exception | None = None) -> None:
        self.commit = asyncio.Event()
        self.error = error
        self.calls: list[tuple[list[int], ClaimRequest | None]] = []

    async def accept_and_claim(
        self, updates: Sequence[Incoming], now: datetime, claim: ClaimRequest | None
    ) -> tuple[set[int], list[InboxUpdate]]:
        self.calls.append(([item.update_id for item in updates], claim))
        await self.commit.wait()
        if self.error is not None:
            raise self.error
        leased = [InboxUpdate(i, 1, "message", "{}", now, 0) for i in (101,)] if claim else []
        return {item.update_id for item in updates}, leased


class Worker:
    def __init__(self, wants: ClaimRequest | None) -> None:
        self.wants = wants
        self.woken = 0
        self.results: list[list[InboxUpdate] | None] = []
        self.request_claim = lambda: None

    def wake(self) -> None:
        self.woken += 1

    def claim_through(self, request_claim: object) -> None:
        self.request_claim = request_claim  # type: ignore[assignment]

    def lend_claim(self) -> ClaimRequest | None:
        return self.wants

    def claimed(self, request: ClaimRequest, items: list[InboxUpdate] | None) -> None:
        self.results.append(items)


def commit_of(inbox: HeldInbox, worker: Worker) -> GroupCommit:
    return GroupCommit(inbox, lambda: T0, worker, window=0.01)  # type: ignore[arg-type]


async def test_requests_that_arrive_together_share_one_commit_and_wait_for_it() -> None:
    inbox, worker = HeldInbox(), Worker(wants=None)
    group = commit_of(inbox, worker)
    items = [Incoming(i, i, "message", "{}") for i in (1, 2, 3)]
    answers = [asyncio.create_task(group.accept(item)) for item in items]
    await asyncio.sleep(0.05)
    assert inbox.calls == [([1, 2, 3], None)]
    assert not any(answer.done() for answer in answers)  # no answer before the commit
    inbox.commit.set()
    assert await asyncio.gather(*answers) == [True, True, True]
    assert worker.woken == 1  # no claim was lent: the worker is told to look


async def test_a_failed_commit_fails_every_request_in_it() -> None:
    inbox, worker = HeldInbox(error=RuntimeError("database down")), Worker(wants=None)
    group = commit_of(inbox, worker)
    inbox.commit.set()
    answers = [group.accept(Incoming(i, i, "message", "{}")) for i in (1, 2)]
    results = await asyncio.gather(*answers, return_exceptions=True)
    assert all(isinstance(result, RuntimeError) for result in results)
    assert worker.woken == 0


async def test_the_workers_claim_rides_in_the_commit_and_alone_when_asked() -> None:
    wants = ClaimRequest("w", T0, 16, done=[7])
    inbox, worker = HeldInbox(), Worker(wants=wants)
    group = commit_of(inbox, worker)
    inbox.commit.set()
    assert await group.accept(Incoming(1, 1, "message", "{}")) is True
    assert inbox.calls == [([1], wants)] and len(worker.results[0] or []) == 1
    worker.request_claim()  # nothing arrived: a transaction for the claim alone
    for _ in range(100):
        if len(inbox.calls) == 2:
            break
        await asyncio.sleep(0.01)
    assert inbox.calls[1] == ([], wants) and worker.woken == 0


async def test_a_repeat_within_one_batch_is_a_duplicate() -> None:
    inbox, worker = HeldInbox(), Worker(wants=None)
    group = commit_of(inbox, worker)
    inbox.commit.set()
    same = Incoming(5, 5, "message", "{}")
    assert sorted(await asyncio.gather(group.accept(same), group.accept(same))) == [
        False,
        True,
    ]
