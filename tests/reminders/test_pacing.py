"""The dispatcher's pacer, on a fake clock: never N + 1 sends in one second, one per chat."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field

import pytest

from bot.reminders.pacing import SendPacer


@dataclass
class FakeTime:
    now: float = 100.0
    sends: list[tuple[float, int]] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def max_in_any_second(times: list[float]) -> int:
    times = sorted(times)
    return max(sum(1 for t in times if start <= t < start + 1.0) for start in times)


async def send(pacer: SendPacer, time: FakeTime, chat_id: int, takes: float = 0.002) -> None:
    async with pacer.send(chat_id):
        time.sends.append((time.now, chat_id))  # when the server sees it
        time.now += takes


async def test_a_backlog_never_puts_more_than_the_limit_in_any_second() -> None:
    time = FakeTime()
    pacer = SendPacer(30, clock=time, sleep=time.sleep)
    for chat in range(200):
        await send(pacer, time, chat)
    seen = [when for when, _ in time.sends]
    assert max_in_any_second(seen) == 30
    assert seen[-1] - seen[0] < 200 / 30 + 0.1  # and no slower than it has to be


async def test_one_chat_gets_at_most_one_message_a_second_others_are_not_held_up() -> None:
    time = FakeTime()
    pacer = SendPacer(30, clock=time, sleep=time.sleep)
    for chat in (1, 2, 1, 3, 1):
        await send(pacer, time, chat)
    ones = [when for when, chat in time.sends if chat == 1]
    assert all(later - earlier >= 1.0 for earlier, later in itertools.pairwise(ones))
    assert time.sends[1][0] - time.sends[0][0] < 0.01  # chat 2 went right away


async def test_the_overall_limit_can_be_lifted_for_benchmarks() -> None:
    time = FakeTime()
    pacer = SendPacer(None, clock=time, sleep=time.sleep)
    for chat in range(500):
        await send(pacer, time, chat, takes=0.0005)
    assert max_in_any_second([when for when, _ in time.sends]) == 500


def test_a_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        SendPacer(0)


async def test_sends_in_flight_at_once_count_against_the_limit_too() -> None:
    time = FakeTime()

    async def sleep(seconds: float) -> None:  # time passes, and the other sends run meanwhile
        time.now += seconds
        await asyncio.sleep(0)

    pacer = SendPacer(10, clock=time, sleep=sleep)

    async def slow_send(chat_id: int) -> None:
        async with pacer.send(chat_id):
            await sleep(0.05)  # on its way to the server
            time.sends.append((time.now, chat_id))  # when the server sees it
            await sleep(0.05)  # the answer on its way back

    await asyncio.gather(*(slow_send(chat) for chat in range(60)))
    assert len(time.sends) == 60
    assert max_in_any_second([when for when, _ in time.sends]) <= 10
