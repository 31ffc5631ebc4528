"""Turn a milestone into the text one chat receives: twins share a note, names are filled in.

The UI words ("your baby", "your babies", "and") come from rules/ui.yaml through the caller, so
this module holds no sentence of its own. Names are typed by parents and are HTML-escaped here,
because note texts are Telegram HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Hashable, Iterable, Sequence
from typing import Protocol, TypeVar

from bot.core.age import is_preterm, weeks_early
from bot.core.milestones.models import Milestone

# `{name}` at the start of the text, of a line, after a tag, or after a sentence end.
_SENTENCE_START_NAME = re.compile(r"(^|\n|>|[.!?:]\s+)\{name\}")


class HasSchedule(Protocol):
    """Anything that knows a baby's birth date and gestation (e.g. a store row)."""

    @property
    def birth(self) -> object: ...

    @property
    def gestational_weeks(self) -> int | None: ...


B = TypeVar("B", bound=HasSchedule)


def schedule_key(baby: HasSchedule) -> tuple[Hashable, int]:
    """Babies with equal keys get every note on the same day: same birth date, and the same
    correction (none for babies born at 37 weeks or later, or with no gestation given)."""
    early = weeks_early(baby.gestational_weeks) if is_preterm(baby.gestational_weeks) else 0
    return (baby.birth, early)


def group_twins(babies: Iterable[B]) -> list[tuple[B, ...]]:
    """Babies of one chat grouped so that each group gets one combined note.

    Twins (or triplets) share a birth date and gestation; babies whose notes would fall on the
    same days form one group even if one parent typed "on time" and the other "39 weeks".
    Groups keep the order in which their first baby was given, and babies keep theirs.
    """
    groups: dict[tuple[Hashable, int], list[B]] = {}
    for baby in babies:
        groups.setdefault(schedule_key(baby), []).append(baby)
    return [tuple(group) for group in groups.values()]


def join_names(names: Sequence[str | None], *, one: str, many: str, and_word: str) -> str:
    """What `{name}` becomes, HTML-escaped: "Ann", "Ann and Ben", "Ann, Ben and Cy".

    `one` ("your baby") stands in for a single baby without a name; `many` ("your babies") for
    a group in which any baby has no name, since "Ann and your baby" would read as two
    different families.
    """
    cleaned = [n.strip() if n else "" for n in names]
    if not cleaned:
        raise ValueError("no babies to name")
    if not all(cleaned):
        return html.escape(one if len(cleaned) == 1 else many)
    escaped = [html.escape(n) for n in cleaned]
    if len(escaped) == 1:
        return escaped[0]
    return f"{', '.join(escaped[:-1])} {and_word} {escaped[-1]}"


def _fill_name(text: str, name: str) -> str:
    capital = name[:1].upper() + name[1:]
    text = _SENTENCE_START_NAME.sub(lambda m: m.group(1) + "{name_capital}", text)
    return text.format(name=name, name_capital=capital)


def render_note(milestone: Milestone, locale: str, name: str) -> str:
    """The note for one baby or twins; `name` comes from `join_names` (already escaped).

    Where `{name}` starts a sentence its first letter is capitalised ("Your baby may ...").
    """
    return _fill_name(milestone.text.get(locale), name)


def render_cohort(milestone: Milestone, locale: str, month: str) -> str:
    """The note for a group chat; `month` names the cohort, e.g. "September 2026"."""
    if milestone.cohort_text is None:
        raise ValueError(f"milestone {milestone.id} has no cohort text")
    return milestone.cohort_text.format(locale, month=html.escape(month))
