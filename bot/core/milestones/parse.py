"""Parse `rules/milestones*.yaml` into milestones; every problem becomes a `file:line` error.

The schema is in the header of rules/milestones.yaml and in docs/milestones.md. Ids are unique
over all files; the buttons under a note are read by `parse_buttons`, and the checks across
entries (`skip_if_answered`, two notes due on one day) run in `parse_across` once every file
is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.core.age import CORRECTED_UNTIL_MONTHS, UNITS, AgeSpan
from bot.core.milestones.models import DEFAULT_CURRENT_FOR_WEEKS, Answer, Milestone
from bot.core.milestones.parse_across import check_same_age, check_skips, parse_skips
from bot.core.milestones.parse_buttons import parse_buttons
from bot.core.milestones.parse_texts import identifier, note_text
from bot.core.rules.checker import Checker
from bot.core.rules.sections import BUTTON_MAX
from bot.core.rules.source import LineMap
from bot.core.rules.telegram_html import Markup

# Telegram allows 4096 characters in a message; `{name}` may become three names.
NOTE_MAX_CHARS = 3500
NOTE_MAX_WORDS = 120
# Callback data is at most 64 bytes and carries a prefix, a baby reference and both ids.
MILESTONE_ID_MAX = 24
MAX_AMOUNT = {"days": 1830, "weeks": 261, "months": 60}  # up to 5 years
CORRECTED_MAX_DAYS = 730  # about 24 months, for ages written in days or weeks
MAX_CURRENT_FOR_WEEKS = 52

REQUIRED = ("title", "text", "corrected", "sources")
OPTIONAL = (
    *UNITS,
    "cohort_text",
    "buttons",
    "skip_if_answered",
    "current_for_weeks",
    "late_until",
)


@dataclass
class _Skips:
    """A note's `skip_if_answered` answers, checked once every file is read."""

    check: Checker
    answers: list[tuple[int, Answer]]


def parse_milestones(
    files: list[tuple[Checker, Any]],
    source_ids: set[str],
    topic_ids: set[str],
    flow_ids: set[str],
) -> dict[str, Milestone]:
    """All milestone files of a rules directory -> milestones by id, youngest age first."""
    found: dict[str, Milestone] = {}
    declared: dict[str, str] = {}  # id -> "file:line", also for entries with errors
    skips: dict[str, _Skips] = {}
    for check, data in files:
        root = check.mapping(data, 1, "the file")
        if root is None or not check.keys(root, "the file", ["milestones"]):
            continue
        entries = check.mapping(root["milestones"], root.line_of("milestones"), "milestones")
        for ident in entries or {}:
            line = entries.line_of(ident)
            if identifier(check, ident, line, "milestone id", MILESTONE_ID_MAX) is None:
                continue
            if ident in declared:
                check.error(line, f"milestone '{ident}' is already defined at {declared[ident]}")
                continue
            declared[ident] = f"{check.file}:{line}"
            skips[ident] = _Skips(check, [])
            milestone = _milestone(
                check,
                ident,
                entries[ident],
                line,
                skips[ident].answers,
                source_ids,
                topic_ids,
                flow_ids,
            )
            if milestone is not None:
                found[ident] = milestone
    for ident, entry in skips.items():
        check_skips(entry.check, ident, entry.answers, found, declared)
    check_same_age(found, {ident: entry.check for ident, entry in skips.items()})
    return dict(sorted(found.items(), key=lambda kv: (kv[1].age.approx_days, kv[0])))


def _milestone(
    check: Checker,
    ident: str,
    body: Any,
    line: int,
    skips: list[tuple[int, Answer]],
    source_ids: set[str],
    topic_ids: set[str],
    flow_ids: set[str],
) -> Milestone | None:
    where = f"milestone {ident}"
    entry = check.mapping(body, line, where)
    if entry is None:
        return None
    before = len(check.errors)
    check.keys(entry, where, REQUIRED, OPTIONAL)
    age = _age(check, entry, where, line)
    corrected = _corrected(check, entry, where, age)
    title = note_text(check, entry, "title", where, BUTTON_MAX, None, set(), Markup.PLAIN)
    text = note_text(
        check, entry, "text", where, NOTE_MAX_CHARS, NOTE_MAX_WORDS, {"name"}, Markup.HTML
    )
    cohort = note_text(
        check, entry, "cohort_text", where, NOTE_MAX_CHARS, NOTE_MAX_WORDS, {"month"}, Markup.HTML
    )
    sources = check.source_refs(entry, where, source_ids) if "sources" in entry else ()
    buttons = parse_buttons(check, entry, where, topic_ids, flow_ids)
    skips.extend(parse_skips(check, entry, where))
    current_for = _current_for(check, entry, where)
    late_until = _late_until(check, entry, where, age)
    if len(check.errors) > before or age is None or title is None or text is None:
        return None
    return Milestone(
        id=ident,
        age=age,
        corrected=corrected,
        title=title,
        text=text,
        cohort_text=cohort,
        sources=sources,
        buttons=buttons,
        skip_if_answered=tuple(answer for _, answer in skips),
        current_for_weeks=current_for,
        late_until=late_until,
        file=check.file,
        line=line,
    )


def _current_for(check: Checker, entry: LineMap, where: str) -> int:
    if "current_for_weeks" not in entry:
        return DEFAULT_CURRENT_FOR_WEEKS
    weeks = check.integer(entry, "current_for_weeks", where, 1, MAX_CURRENT_FOR_WEEKS)
    return weeks or DEFAULT_CURRENT_FOR_WEEKS


def _corrected(check: Checker, entry: LineMap, where: str, age: AgeSpan | None) -> bool:
    corrected = entry.get("corrected")
    if "corrected" in entry and not isinstance(corrected, bool):
        check.error(entry.line_of("corrected"), f"{where}.corrected must be true or false")
    elif corrected and age is not None and _from_two_years(age):
        check.error(
            entry.line_of("corrected"),
            f"{where}: corrected age is used only up to {CORRECTED_UNTIL_MONTHS} months; "
            "set corrected: false",
        )
    return bool(corrected)


def _age(check: Checker, entry: LineMap, where: str, line: int) -> AgeSpan | None:
    given = [unit for unit in UNITS if unit in entry]
    if len(given) != 1:
        found = ", ".join(f"{u}:" for u in given) or "none"
        check.error(line, f"{where} needs exactly one of days:, weeks:, months: ({found})")
        return None
    unit = given[0]
    amount = check.integer(entry, unit, where, 0, MAX_AMOUNT[unit])
    return None if amount is None else AgeSpan(amount, unit)


def _late_until(check: Checker, entry: LineMap, where: str, age: AgeSpan | None) -> AgeSpan | None:
    """`late_until: {months: 12}`: an age after the note's own, up to which it is sent late."""
    if "late_until" not in entry:
        return None
    line = entry.line_of("late_until")
    m = check.mapping(entry["late_until"], line, f"{where}.late_until")
    if m is None:
        return None
    late = _age(check, m, f"{where}.late_until", line)
    if late is not None and age is not None and late.approx_days <= age.approx_days:
        check.error(line, f"{where}.late_until ({late}) must be an age after the note's ({age})")
        return None
    return late


def _from_two_years(age: AgeSpan) -> bool:
    unit, amount = age.key
    return amount >= (CORRECTED_UNTIL_MONTHS if unit == "months" else CORRECTED_MAX_DAYS)
