"""Parse `rules/milestones*.yaml` into milestones; every problem becomes a `file:line` error.

The schema is in the header of rules/milestones.yaml and in docs/milestones.md. Checks across
entries run once every file is read: ids are unique over all files, `skip_if_answered` points at
a `record_answer` button of an earlier note, and no two notes are due at the same age on the
same basis (corrected or chronological), which would send two notes on one day.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.core.age import CORRECTED_UNTIL_MONTHS, UNITS, AgeSpan
from bot.core.milestones.models import (
    DEFAULT_CURRENT_FOR_WEEKS,
    Action,
    Answer,
    Button,
    Milestone,
)
from bot.core.rules.checker import Checker, placeholders
from bot.core.rules.models import LocalText
from bot.core.rules.sections import ALERT_MAX, BUTTON_MAX
from bot.core.rules.source import LineList, LineMap

# Telegram allows 4096 characters in a message; `{name}` may become three names.
NOTE_MAX_CHARS = 3500
NOTE_MAX_WORDS = 120
MAX_BUTTONS = 4
# Callback data is at most 64 bytes and carries a prefix, a baby reference and both ids.
MILESTONE_ID_MAX = 24
BUTTON_ID_MAX = 16
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
BUTTON_TARGET = {Action.OPEN_TRIAGE: "flow", Action.OPEN_EXPLAINER: "topic"}

_TAG = re.compile(r"<[^>]*>")
_OPEN_TAGS = {"<b>": "b", "<i>": "i"}
_CLOSE_TAGS = {"</b>": "b", "</i>": "i"}
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot);")


def markup_problem(text: str, html: bool) -> str | None:
    """Why `text` is not valid for Telegram (HTML with only <b> and <i>, or plain), or None."""
    tags = _TAG.findall(text)
    if tags and not html:
        return "must be plain text (no HTML tags)"
    stack: list[str] = []
    for tag in tags:
        if tag in _OPEN_TAGS:
            stack.append(_OPEN_TAGS[tag])
        elif tag in _CLOSE_TAGS:
            if not stack or stack.pop() != _CLOSE_TAGS[tag]:
                return f"{tag} does not close the last open tag"
        else:
            return f"only <b> and <i> are allowed, found {tag} (write &lt; for a literal <)"
    if stack:
        return f"<{stack[-1]}> is never closed"
    rest = _TAG.sub("", text)
    if "<" in rest or ">" in rest:
        return "write &lt; and &gt; for a literal < or >"
    if html and "&" in _ENTITY.sub("", rest):
        return "write &amp; for a literal &"
    return None


@dataclass
class _Refs:
    """Cross-entry references to check once every file is read."""

    check: Checker
    line: int
    skips: list[tuple[int, Answer]]


def parse_milestones(
    files: list[tuple[Checker, Any]],
    source_ids: set[str],
    topic_ids: set[str],
    flow_ids: set[str],
) -> dict[str, Milestone]:
    """All milestone files of a rules directory -> milestones by id, youngest age first."""
    found: dict[str, Milestone] = {}
    declared: dict[str, str] = {}  # id -> "file:line", also for entries with errors
    refs: dict[str, _Refs] = {}
    for check, data in files:
        root = check.mapping(data, 1, "the file")
        if root is None or not check.keys(root, "the file", ["milestones"]):
            continue
        entries = check.mapping(root["milestones"], root.line_of("milestones"), "milestones")
        for ident in entries or {}:
            line = entries.line_of(ident)
            if _identifier(check, ident, line, "milestone id", MILESTONE_ID_MAX) is None:
                continue
            if ident in declared:
                check.error(line, f"milestone '{ident}' is already defined at {declared[ident]}")
                continue
            declared[ident] = f"{check.file}:{line}"
            skips: list[tuple[int, Answer]] = []
            milestone = _milestone(
                check, ident, entries[ident], line, skips, source_ids, topic_ids, flow_ids
            )
            refs[ident] = _Refs(check, line, skips)
            if milestone is not None:
                found[ident] = milestone
    _check_skips(found, declared, refs)
    _check_same_age(found, refs)
    return dict(sorted(found.items(), key=lambda kv: (kv[1].age.approx_days, kv[0])))


def _identifier(check: Checker, value: Any, line: int, where: str, max_len: int) -> str | None:
    ident = check.identifier(value, line, where)
    if ident is not None and len(ident) > max_len:
        check.error(line, f"{where} '{ident}' is too long for a button (max {max_len})")
        return None
    return ident


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
    corrected = entry.get("corrected")
    if "corrected" in entry and not isinstance(corrected, bool):
        check.error(entry.line_of("corrected"), f"{where}.corrected must be true or false")
    elif corrected and age is not None and _from_two_years(age):
        check.error(
            entry.line_of("corrected"),
            f"{where}: corrected age is used only up to {CORRECTED_UNTIL_MONTHS} months; "
            "set corrected: false",
        )
    title = _text(check, entry, "title", where, BUTTON_MAX, None, set(), html=False)
    text = _text(check, entry, "text", where, NOTE_MAX_CHARS, NOTE_MAX_WORDS, {"name"})
    cohort = _text(check, entry, "cohort_text", where, NOTE_MAX_CHARS, NOTE_MAX_WORDS, {"month"})
    sources = check.source_refs(entry, where, source_ids) if "sources" in entry else ()
    buttons = _buttons(check, entry, where, topic_ids, flow_ids)
    skips.extend(_skips(check, entry, where))
    current_for = DEFAULT_CURRENT_FOR_WEEKS
    if "current_for_weeks" in entry:
        current_for = (
            check.integer(entry, "current_for_weeks", where, 1, MAX_CURRENT_FOR_WEEKS)
            or DEFAULT_CURRENT_FOR_WEEKS
        )
    late_until = _late_until(check, entry, where, age)
    if len(check.errors) > before or age is None or title is None or text is None:
        return None
    return Milestone(
        id=ident,
        age=age,
        corrected=bool(corrected),
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


def _text(
    check: Checker,
    m: LineMap,
    key: str,
    where: str,
    max_len: int,
    max_words: int | None,
    allowed: set[str],
    html: bool = True,
) -> LocalText | None:
    """A per-locale text with Telegram markup and only the `allowed` placeholders."""
    if key not in m:
        return None
    text = check.text(m, key, where, max_len=max_len, max_words=max_words)
    by_locale = m[key] if isinstance(m[key], LineMap) else LineMap()
    for locale, value in by_locale.items():
        if not isinstance(value, str):
            continue
        line = by_locale.line_of(locale)
        problem = markup_problem(value, html)
        if problem:
            check.error(line, f"{where}.{key}.{locale}: {problem}")
        unknown = placeholders(value) - allowed
        if unknown:
            may = ", ".join(f"{{{p}}}" for p in sorted(allowed)) or "no placeholder"
            check.error(
                line,
                f"{where}.{key}.{locale} uses {sorted(unknown)}; only {may} is filled in here",
            )
    return text


def _buttons(
    check: Checker, entry: LineMap, where: str, topic_ids: set[str], flow_ids: set[str]
) -> tuple[Button, ...]:
    if "buttons" not in entry:
        return ()
    items = check.sequence(entry["buttons"], entry.line_of("buttons"), f"{where}.buttons")
    if items is None:
        return ()
    if len(items) > MAX_BUTTONS:
        check.error(
            entry.line_of("buttons"), f"{where} has {len(items)} buttons (max {MAX_BUTTONS})"
        )
    out: list[Button] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        button = _button(check, item, items, index, where, topic_ids, flow_ids)
        if button is None:
            continue
        if button.id in seen:
            check.error(items.line_of(index), f"{where}: button id '{button.id}' is used twice")
            continue
        seen.add(button.id)
        out.append(button)
    return tuple(out)


def _button(
    check: Checker,
    item: Any,
    items: LineList,
    index: int,
    where: str,
    topic_ids: set[str],
    flow_ids: set[str],
) -> Button | None:
    line = items.line_of(index)
    b = check.mapping(item, line, f"{where}.buttons item {index + 1}")
    if b is None:
        return None
    bwhere = f"{where} button {b.get('id', index + 1)}"
    before = len(check.errors)
    check.keys(b, bwhere, ["id", "label", "action"], ["flow", "topic", "reply"])
    ident = _identifier(check, b.get("id"), b.line_of("id"), f"{bwhere} id", BUTTON_ID_MAX)
    label = _text(check, b, "label", bwhere, BUTTON_MAX, None, set(), html=False)
    action = _action(check, b, bwhere)
    target: str | None = None
    reply: LocalText | None = None
    if action is not None:
        wanted = BUTTON_TARGET.get(action)
        for key in ("flow", "topic", "reply"):
            needed = key == wanted or (key == "reply" and action is Action.RECORD_ANSWER)
            if needed and key not in b:
                check.error(b.line, f"{bwhere} ({action.value}) needs '{key}:'")
            elif not needed and key in b:
                check.error(b.line_of(key), f"{bwhere}: '{key}:' does not go with {action.value}")
        if wanted in b:
            known = flow_ids if wanted == "flow" else topic_ids
            kind = "triage flow" if wanted == "flow" else "explainer topic"
            target = str(b[wanted])
            check.refs([target], known, b.line_of(wanted), bwhere, kind)
        if action is Action.RECORD_ANSWER and "reply" in b:
            # Shown as a short alert after the tap: plain text, 200 characters.
            reply = _text(check, b, "reply", bwhere, ALERT_MAX, None, set(), html=False)
    if len(check.errors) > before or ident is None or label is None or action is None:
        return None
    return Button(ident, label, action, target, reply)


def _action(check: Checker, b: LineMap, where: str) -> Action | None:
    if "action" not in b:
        return None
    try:
        return Action(b["action"])
    except ValueError:
        allowed = ", ".join(a.value for a in Action)
        check.error(b.line_of("action"), f"{where}.action must be one of: {allowed}")
        return None


def _skips(check: Checker, entry: LineMap, where: str) -> list[tuple[int, Answer]]:
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


def _check_skips(
    found: Mapping[str, Milestone], declared: Mapping[str, str], refs: Mapping[str, _Refs]
) -> None:
    for ident, ref in refs.items():
        for line, answer in ref.skips:
            where = f"milestone {ident}.skip_if_answered"
            target = found.get(answer.milestone)
            if answer.milestone == ident:
                ref.check.error(line, f"{where}: a note cannot skip on its own button")
            elif answer.milestone not in declared:
                ref.check.error(line, f"{where} refers to unknown milestone '{answer.milestone}'")
            elif target is None:
                continue  # that entry has its own errors
            elif (button := target.button(answer.button)) is None:
                ref.check.error(
                    line, f"{where}: milestone '{target.id}' has no button '{answer.button}'"
                )
            elif button.action is not Action.RECORD_ANSWER:
                ref.check.error(
                    line,
                    f"{where}: button '{button.id}' of '{target.id}' does not record an answer "
                    f"(its action is {button.action.value})",
                )
            elif (this := found.get(ident)) is not None:
                _check_order(ref.check, line, where, target, this)


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


def _check_same_age(found: Mapping[str, Milestone], refs: Mapping[str, _Refs]) -> None:
    first: dict[tuple[tuple[str, int], bool], Milestone] = {}
    for milestone in sorted(found.values(), key=lambda m: (m.file, m.line)):
        key = (milestone.age.key, milestone.corrected)
        other = first.setdefault(key, milestone)
        if other is not milestone:
            basis = "corrected age" if milestone.corrected else "chronological age"
            refs[milestone.id].check.error(
                milestone.line,
                f"milestones '{other.id}' ({other.file}:{other.line}) and '{milestone.id}' are "
                f"both due at {milestone.age} ({basis}); merge them or move one",
            )
