"""Pushes wait in their process, and those waiting together go to the database together.

Every push takes the feed lock (feed.py), so pushes are applied one at a time whatever happens
here. Left to themselves they queued in the database, each holding a thread and a pooled
connection while it waited: under a day's load (the fleet benchmark) 14 of a worker's 15
connections were pushes waiting on the lock, and the pulls waited for a connection. Here a push
waits as a coroutine, holding nothing; one group at a time per process goes to the thread pool,
and a group is every push waiting then (up to a number of operations), applied in one
transaction under one lock (push.push_many). The lock, the feed's counter, the notification and
the commit are paid once per group, so the busier the store the more a transaction carries.

A group that fails as a whole (a database error, a bug) is not a verdict on its pushes: each is
then applied alone, in its own transaction, and answered with its own result or error.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import anyio.to_thread

log = logging.getLogger("navigator_server.api")

Item = TypeVar("Item")
Answer = TypeVar("Answer")


class Grouped(Generic[Item, Answer]):
    """Items submitted from the event loop, applied in groups on the thread pool, one group at a
    time: `together(items)` answers them all in one go (all or nothing), `alone(item)` one."""

    def __init__(
        self,
        together: Callable[[Sequence[Item]], list[Answer]],
        alone: Callable[[Item], Answer],
        size: Callable[[Item], int],
        most: int,
    ) -> None:
        self.together, self.alone, self.size, self.most = together, alone, size, most
        self._waiting: deque[tuple[Item, asyncio.Future[Answer]]] = deque()
        self._draining: asyncio.Task[None] | None = None
        self.groups = 0  # groups applied, and the items in them: for tests and curiosity
        self.items = 0

    async def submit(self, item: Item) -> Answer:
        """The item's answer, once its group has committed (or its own error)."""
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._draining is None or self._draining.done():
            self._draining = asyncio.create_task(self._drain())
        return await asyncio.shield(future)  # a caller that goes away leaves its item's fate as it is

    def _next_group(self) -> list[tuple[Item, asyncio.Future[Answer]]]:
        """The items waiting, oldest first, up to `most` in size (always at least one)."""
        group = [self._waiting.popleft()]
        total = self.size(group[0][0])
        while self._waiting and total + self.size(self._waiting[0][0]) <= self.most:
            total += self.size(self._waiting[0][0])
            group.append(self._waiting.popleft())
        return group

    async def _drain(self) -> None:
        while self._waiting:
            group = self._next_group()
            try:
                answers = await anyio.to_thread.run_sync(self._apply, [item for item, _ in group])
            except BaseException as exc:  # cancelled with the loop: nothing will answer them now
                for _, future in group:
                    if not future.done():
                        future.set_exception(exc if isinstance(exc, Exception) else RuntimeError("stopped"))
                raise
            self.groups += 1
            self.items += len(group)
            for (_, future), answer in zip(group, answers, strict=True):
                if future.done():
                    continue
                if isinstance(answer, _Failed):
                    future.set_exception(answer.error)
                else:
                    future.set_result(answer)

    def _apply(self, items: list[Item]) -> list[Answer | _Failed]:
        """On a worker thread: the group together, or each alone if that fails."""
        if len(items) > 1:
            try:
                return list(self.together(items))
            except Exception as exc:
                failed = type(exc).__name__
                log.warning("a group of %d pushes failed (%s); each is applied alone", len(items), failed)
        answers: list[Answer | _Failed] = []
        for item in items:
            try:
                answers.append(self.alone(item))
            except Exception as exc:
                answers.append(_Failed(exc))
        return answers


class _Failed:
    def __init__(self, error: Exception) -> None:
        self.error = error
