"""The limits and rules the spec states in prose rather than as types.

Lengths ("1-64 bytes") and item counts ("At most 100 commands"), formatted text measured after
its markup is parsed, an inline button's one action and a keyboard's button count; each
finding is described in Telegram's own words where they are known.
"""

from __future__ import annotations

from typing import Any

from bot.emulator.formatted_text import length_verdict, parse
from bot.emulator.spec_model import FORMATTED_FIELDS, LENGTH, Field, Problem, Shape
from bot.emulator.text_units import EntityParseError, looks_like_url

# Telegram's own wording for some limits; the rest get a generic description.
_LIMIT_DESCRIPTIONS: dict[tuple[str, str], str] = {
    ("InlineKeyboardButton", "callback_data"): "BUTTON_DATA_INVALID",
    ("BotCommand", "command"): "BOT_COMMAND_INVALID",
    ("BotCommand", "description"): "BOT_COMMAND_DESCRIPTION_INVALID",
    ("InputTextMessageContent", "message_text"): "MESSAGE_TOO_LONG",
}
# InlineKeyboardButton: exactly one field other than these says what the button does.
_BUTTON_LOOKS = frozenset({"text", "icon_custom_emoji_id", "style"})
MAX_INLINE_BUTTONS = 100


def check_limits(shape: Shape, field: Field, value: Any, path: str) -> list[Problem]:
    """The length and item-count limits the spec states in a field's description."""
    problems: list[Problem] = []
    formatted = FORMATTED_FIELDS.get(field.name)
    # Formatted text is measured after markup parsing, by _check_formatted / the handler.
    counts_raw = formatted is None or formatted[0] not in shape.fields
    if field.length and counts_raw and isinstance(value, str):
        low, high, unit = field.length
        size = len(value.encode("utf-8")) if unit == "bytes" else len(value)
        if not low <= size <= high:
            problems.append(
                Problem(
                    path,
                    f"must be {low}-{high} {unit}, got {size}",
                    limit_description(shape.name, field.name, path, low, high, unit),
                )
            )
    if field.max_items is not None and isinstance(value, list) and len(value) > field.max_items:
        problems.append(
            Problem(
                path,
                f"at most {field.max_items} items allowed, got {len(value)}",
                f"too many items in {path}: at most {field.max_items} allowed",
            )
        )
    return problems


def limit_description(owner: str, field: str, path: str, low: int, high: int, unit: str) -> str:
    known = _LIMIT_DESCRIPTIONS.get((owner, field))
    if known:
        return known
    if owner.startswith("InlineQueryResult") and field == "id":
        return "RESULT_ID_INVALID"
    return f"{path} must be {low}-{high} {unit} long"


def check_formatted(
    shape: Shape,
    field: Field,
    value: dict[str, Any],
    mode_field: str,
    entities_field: str,
    path: str,
) -> list[Problem]:
    text = value.get(field.name)
    if not isinstance(text, str):
        return []
    where = f"{path}.{field.name}"
    entities = value.get(entities_field)
    try:
        formatted = parse(
            text,
            value.get(mode_field) if isinstance(value.get(mode_field), str) else None,
            entities if isinstance(entities, list) else None,
        )
    except EntityParseError as error:
        return [Problem(where, error.description, error.description)]
    match = LENGTH.search(field.description)
    if not match:
        return []
    low, high = int(match.group(1)), int(match.group(2))
    verdict = length_verdict(formatted.text, low, high)
    if verdict is None:
        return []
    known = _LIMIT_DESCRIPTIONS.get((shape.name, field.name))
    description = (
        ("MESSAGE_EMPTY" if verdict == "empty" else known)
        if known
        else f"{where} must be {low}-{high} characters after entities parsing"
    )
    return [Problem(where, f"{verdict}: {len(formatted.text)} characters", description)]


def check_button(value: dict[str, Any], path: str) -> list[Problem]:
    actions = [key for key in value if key not in _BUTTON_LOOKS]
    if not value.get("text"):
        return [
            Problem(f"{path}.text", "button text is empty", "BUTTON_TEXT_INVALID"),
        ]
    if not actions:
        return [
            Problem(
                path,
                "button has no action (callback_data, url, ...)",
                "can't parse inline keyboard button: Text buttons are unallowed in the inline "
                "keyboard",
            )
        ]
    if len(actions) > 1:
        return [
            Problem(
                path,
                f"exactly one action field allowed, got {', '.join(actions)}",
                "can't parse inline keyboard button: only one button action may be specified",
            )
        ]
    url = value.get("url")
    if isinstance(url, str) and not looks_like_url(url):
        return [Problem(f"{path}.url", f"not a valid URL: {url!r}", "BUTTON_URL_INVALID")]
    return []


def check_keyboard_size(value: dict[str, Any], path: str) -> list[Problem]:
    rows = value.get("inline_keyboard") or []
    count = sum(len(row) for row in rows if isinstance(row, list))
    if count > MAX_INLINE_BUTTONS:
        return [
            Problem(
                path,
                f"{count} buttons; Telegram allows at most {MAX_INLINE_BUTTONS}",
                "reply markup is too long",
            )
        ]
    return []
