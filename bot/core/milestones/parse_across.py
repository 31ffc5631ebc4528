"""Checks across milestone entries, run once every file is read.

`skip_if_answered` must point at a `record_answer` button of a note that is due earlier on the
same basis, and no two notes may be due at the same age on the same basis (corrected or
chronological), which would send two notes on one day.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.milestones.models import Action, Answer, Milestone
from bot.core.rules.checker import Checker
from bot.core.rules.source import LineList, LineMap


def parse_skips(check: Checker, entry: LineMap, where: str) -> list[tuple[int, Answer]]:
    """`skip_if_answered:` as one `{milestone, button}` mapping or a list of them."""
    if "skip_if_answered" not in entry:
        return []
    value = entry["skip_if_answered"]
    line = entry.line_of("skip_if_answered")
    if isinstance(value, LineMap):
        items = [(line, value)]
    elif isinstance(value, LineList):
        items = [(value.line_of(i), item) for i, item in enumerate(value)]
    else:
        check.error(
            line, f"{where}.skip_if_answered must be {{milestone: id, button: id}} or a list"
        )
        return []
    out = []
    for item_line, item in items:
        m = check.mapping(item, item_line, f"{where}.skip_if_answered item")
        if m is None or not check.keys(m, f"{where}.skip_if_answered", ["milestone", "button"]):
            continue
        milestone = check.identifier(m["milestone"], m.line_of("milestone"), "milestone id")
        button = check.identifier(m["button"], m.line_of("button"), "button id")
        if milestone and button:
            out.append((m.line, Answer(milestone, button)))
    return out


def check_skips(
    check: Checker,
    ident: str,
    skips: list[tuple[int, Answer]],
    found: Mapping[str, Milestone],
    declared: Mapping[str, str],
) -> None:
    """The `skip_if_answered` answers of milestone `ident`, against every parsed milestone."""
    for line, answer in skips:
        where = f"milestone {ident}.skip_if_answered"
        target = found.get(answer.milestone)
        if answer.milestone == ident:
            check.error(line, f"{where}: a note cannot skip on its own button")
        elif answer.milestone not in declared:
            check.error(line, f"{where} refers to unknown milestone '{answer.milestone}'")
        elif target is None:
            continue  # that entry has its own errors
        elif (button := target.button(answer.button)) is None:
            check.error(line, f"{where}: milestone '{target.id}' has no button '{answer.button}'")
        elif button.action is not Action.RECORD_ANSWER:
            check.error(
                line,
                f"{where}: button '{button.id}' of '{target.id}' does not record an answer "
                f"(its action is {button.action.value})",
            )
        elif (this := found.get(ident)) is not None:
            _check_order(check, line, where, target, this)


def _check_order(
    check: Checker, line: int, where: str, earlier: Milestone, later: Milestone
) -> None:
    if earlier.age.approx_days >= later.age.approx_days:
        check.error(
            line,
            f"{where}: '{earlier.id}' ({earlier.age}) is not due before this note "
            f"({later.age}), so its answer cannot skip it",
        )
    elif earlier.corrected and not later.corrected:
        check.error(
            line,
            f"{where}: '{earlier.id}' uses corrected age and this note does not, so for a baby "
            "born early it may come later; use the same basis for both",
        )


def check_same_age(found: Mapping[str, Milestone], checkers: Mapping[str, Checker]) -> None:
    """No two notes due at the same age on the same basis; `checkers` maps id -> its file's."""
    first: dict[tuple[tuple[str, int], bool], Milestone] = {}
    for milestone in sorted(found.values(), key=lambda m: (m.file, m.line)):
        key = (milestone.age.key, milestone.corrected)
        other = first.setdefault(key, milestone)
        if other is not milestone:
            basis = "corrected age" if milestone.corrected else "chronological age"
            checkers[milestone.id].error(
                milestone.line,
                f"milestones '{other.id}' ({other.file}:{other.line}) and '{milestone.id}' are "
                f"both due at {milestone.age} ({basis}); merge them or move one",
            )
