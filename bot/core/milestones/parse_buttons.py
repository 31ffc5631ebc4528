"""Parse the `buttons:` under a milestone note: what a parent can tap below it."""

from __future__ import annotations

from typing import Any

from bot.core.milestones.models import Action, Button
from bot.core.milestones.parse_texts import identifier, note_text
from bot.core.rules.checker import Checker
from bot.core.rules.models import LocalText
from bot.core.rules.sections import ALERT_MAX, BUTTON_MAX
from bot.core.rules.source import LineList, LineMap
from bot.core.rules.telegram_html import Markup

MAX_BUTTONS = 4
# Callback data is at most 64 bytes and carries a prefix, a baby reference and both ids.
BUTTON_ID_MAX = 16
BUTTON_TARGET = {Action.OPEN_TRIAGE: "flow", Action.OPEN_EXPLAINER: "topic"}


def parse_buttons(
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
    ident = identifier(check, b.get("id"), b.line_of("id"), f"{bwhere} id", BUTTON_ID_MAX)
    label = note_text(check, b, "label", bwhere, BUTTON_MAX, None, set(), Markup.PLAIN)
    action = _action(check, b, bwhere)
    target: str | None = None
    reply: LocalText | None = None
    if action is not None:
        target = _target(check, b, bwhere, action, topic_ids, flow_ids)
        if action is Action.RECORD_ANSWER and "reply" in b:
            # Shown as a short alert after the tap: plain text, 200 characters.
            reply = note_text(check, b, "reply", bwhere, ALERT_MAX, None, set(), Markup.PLAIN)
    if len(check.errors) > before or ident is None or label is None or action is None:
        return None
    return Button(ident, label, action, target, reply)


def _target(
    check: Checker,
    b: LineMap,
    where: str,
    action: Action,
    topic_ids: set[str],
    flow_ids: set[str],
) -> str | None:
    """The flow or topic the button opens; reports keys that do not go with its action."""
    wanted = BUTTON_TARGET.get(action)
    for key in ("flow", "topic", "reply"):
        needed = key == wanted or (key == "reply" and action is Action.RECORD_ANSWER)
        if needed and key not in b:
            check.error(b.line, f"{where} ({action.value}) needs '{key}:'")
        elif not needed and key in b:
            check.error(b.line_of(key), f"{where}: '{key}:' does not go with {action.value}")
    if wanted not in b:
        return None
    known = flow_ids if wanted == "flow" else topic_ids
    kind = "triage flow" if wanted == "flow" else "explainer topic"
    target = str(b[wanted])
    check.refs([target], known, b.line_of(wanted), where, kind)
    return target


def _action(check: Checker, b: LineMap, where: str) -> Action | None:
    if "action" not in b:
        return None
    try:
        return Action(b["action"])
    except ValueError:
        allowed = ", ".join(a.value for a in Action)
        check.error(b.line_of("action"), f"{where}.action must be one of: {allowed}")
        return None
