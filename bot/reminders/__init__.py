"""Milestone reminder delivery: one dispatcher that sends due notes from the store.

`Dispatcher.tick()` does one round; `start_dispatcher(...)` runs it repeatedly next to the
Application (one loop for all subscribers, never a job per subscriber).
"""

from bot.reminders.dispatcher import Dispatcher
from bot.reminders.outcomes import TickReport
from bot.reminders.runner import DispatcherHandle, start_dispatcher

__all__ = ["Dispatcher", "DispatcherHandle", "TickReport", "start_dispatcher"]
