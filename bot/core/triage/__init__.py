"""Triage: the pure engine behind "is this twitch / smile normal?".

Rules live in `rules/triage*.yaml` (see docs/triage.md); `parse_triage` turns them into `Flow`s
and checks them, `step` walks a flow for the chat, `graph` draws the flows for review.
No Telegram, no database, no clock here.
"""

from bot.core.triage.engine import InvalidAnswers, Step, max_questions, option_for_age, step
from bot.core.triage.models import Flow, Option, Outcome, Question
from bot.core.triage.paths import Path, enumerate_paths
from bot.core.triage.vocabulary import FACTS, Level

__all__ = [
    "FACTS",
    "Flow",
    "InvalidAnswers",
    "Level",
    "Option",
    "Outcome",
    "Path",
    "Question",
    "Step",
    "enumerate_paths",
    "max_questions",
    "option_for_age",
    "step",
]
