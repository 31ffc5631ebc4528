"""The error answers the emulator gives, shaped exactly like the Bot API's own.

A method handler raises `ApiError`; the request pipeline turns it into
`{"ok": false, "error_code": ..., "description": ..., "parameters": ...}`. An error that exists
because the bot broke the spec or a documented limit carries `violation` text, which also lands
in `Emulator.violations` so tests fail loudly.
"""

from __future__ import annotations

from typing import Any

MESSAGE_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
GETUPDATES_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)
GETUPDATES_WHILE_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "
    "the webhook first"
)


class ApiError(Exception):
    """An error answer to one Bot API request."""

    def __init__(
        self,
        error_code: int,
        description: str,
        *,
        parameters: dict[str, Any] | None = None,
        violation: str | None = None,
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters
        self.violation = violation

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str, *, violation: str | None = None) -> ApiError:
    """A 400 whose description reads `Bad Request: <detail>`."""
    return ApiError(400, f"Bad Request: {detail}", violation=violation)


def spec_violation(detail: str, why: str | None = None) -> ApiError:
    """A 400 caused by the bot breaking the spec; `why` is the precise reason for the log."""
    return ApiError(400, f"Bad Request: {detail}", violation=why or detail)


def forbidden(detail: str) -> ApiError:
    return ApiError(403, f"Forbidden: {detail}")


def default_description(error_code: int, retry_after: int | None = None) -> str:
    """What Telegram usually says for a bare error code (used by injected faults)."""
    if error_code == 429:
        return f"Too Many Requests: retry after {retry_after if retry_after is not None else 1}"
    return {
        400: "Bad Request",
        401: "Unauthorized",
        403: "Forbidden: bot was blocked by the user",
        404: "Not Found",
        409: "Conflict",
        500: "Internal Server Error",
        502: "Bad Gateway",
        503: "Service Unavailable",
        504: "Gateway Timeout",
    }.get(error_code, f"Error {error_code}")
