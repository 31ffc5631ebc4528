"""Limits and text readers shared by the triage parsers (flow, questions, options, outcomes)."""

from __future__ import annotations

from bot.core.rules.checker import Checker
from bot.core.rules.models import LocalText
from bot.core.rules.source import LineMap
from bot.core.rules.telegram_html import Markup

# Telegram caps a button label at 64 characters and a message at 4096. Questions and help lines
# are kept far shorter: they are read one-handed at night, one idea at a time.
LABEL_MAX = 64
FLOW_TITLE_MAX = 64
INTRO_MAX = 600
QUESTION_MAX = 250
HELP_MAX = 250
OUTCOME_TITLE_MAX = 120
OUTCOME_TEXT_MAX = 800
ITEM_MAX = 300
ITEM_TEXT_MAX = 120
# The outcome message also carries the shared disclaimer and buttons' context; leave room.
OUTCOME_MESSAGE_MAX = 3500
MAX_OPTIONS = 8
MAX_WEEKS = 1040  # 20 years: a generous upper bound for age ranges


def html_text(check: Checker, m: LineMap, key: str, where: str, max_len: int) -> LocalText | None:
    """A per-locale text sent as Telegram HTML (questions, help, outcomes)."""
    return check.text(m, key, where, max_len, markup=Markup.HTML)


def plain_text(check: Checker, m: LineMap, key: str, where: str, max_len: int) -> LocalText | None:
    """A per-locale text Telegram shows as written (button labels, the flow's title)."""
    return check.text(m, key, where, max_len, markup=Markup.PLAIN)


def text_list(
    check: Checker, m: LineMap, key: str, where: str, min_items: int, max_len: int = ITEM_MAX
) -> tuple[LocalText, ...]:
    """A list of HTML texts, each reported as `where.key.N` at its own line."""
    items = check.sequence(m[key], m.line_of(key), f"{where}.{key}")
    if items is None:
        return ()
    if len(items) < min_items:
        check.error(m.line_of(key), f"{where}.{key} needs at least {min_items} item(s)")
    out = []
    for index, item in enumerate(items):
        holder = LineMap({str(index + 1): item})
        holder.line = items.line_of(index)
        holder.key_lines = {str(index + 1): items.line_of(index)}
        text = html_text(check, holder, str(index + 1), f"{where}.{key}", max_len)
        if text is not None:
            out.append(text)
    return tuple(out)
