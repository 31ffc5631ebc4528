"""Count the commits a store's engine makes, to check that each user action is one transaction.

`CommitCounter` listens to SQLAlchemy's `commit` event on the engine: every transaction that
ends in a commit counts once (a read with `engine.connect()`, or a rollback, counts nothing).
Commits are tallied under the counter's current `label`, so an end-to-end test can set it to the
update being handled and see how many commits each update made.
"""

from __future__ import annotations

from collections import Counter
from types import TracebackType
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


class CommitCounter:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine.sync_engine
        self.label: object = None
        self.by_label: Counter[object] = Counter()

    @property
    def count(self) -> int:
        return sum(self.by_label.values())

    def _commit(self, _connection: Any) -> None:
        self.by_label[self.label] += 1

    def __enter__(self) -> CommitCounter:
        event.listen(self._engine, "commit", self._commit)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        event.remove(self._engine, "commit", self._commit)
