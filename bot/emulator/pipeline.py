"""One request from decoded HTTP input to a Bot API answer, recorded in the call log.

The order mirrors what a bot would observe from Telegram: the token first (401), then the
method (404), then injected delays, spec validation (400 plus a recorded violation), injected
error answers, flood limits (429) and finally the method itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any

from bot.emulator.errors import ApiError
from bot.emulator.faults import Faults
from bot.emulator.limits import RateAccountant, counts_as_send
from bot.emulator.methods import HANDLERS, Handler, MethodContext
from bot.emulator.models import Call, UploadedFile
from bot.emulator.observe import CallLog
from bot.emulator.spec import Shape, Spec, load_spec
from bot.emulator.state import World

UNAUTHORIZED = {"ok": False, "error_code": 401, "description": "Unauthorized"}
NOT_FOUND = {"ok": False, "error_code": 404, "description": "Not Found"}


class RequestPipeline:
    """Carries each Bot API request through Telegram's checks to its method handler."""

    def __init__(self, world: World, log: CallLog, faults: Faults, rates: RateAccountant) -> None:
        self.world = world
        self.log = log
        self.faults = faults
        self.rates = rates
        self.validate = True
        self.stopping = asyncio.Event()

    async def handle(
        self,
        token: str,
        method_name: str,
        raw: dict[str, Any],
        files: dict[str, UploadedFile],
        is_alive: Callable[[], bool],
    ) -> tuple[int, dict[str, Any]]:
        started = time.monotonic()
        shape = load_spec().method(method_name)
        method = shape.name if shape is not None else method_name
        # Long polls are expected to hang; everything else counts as "the bot is busy".
        counted = method != "getUpdates"
        if counted:
            self.log.in_flight += 1
        try:
            status, body, params = await self._process(token, method_name, raw, files, is_alive)
        except Exception as error:  # an emulator bug must fail the test, not hang the bot
            self.log.note_violation(f"{method}: the emulator itself failed: {error!r}")
            status, body, params = (
                500,
                {"ok": False, "error_code": 500, "description": "Internal Server Error"},
                dict(raw),
            )
        finally:
            if counted:
                self.log.in_flight -= 1
        self.log.record(
            Call(
                index=len(self.log.calls),
                method=method,
                params=params,
                token=token,
                status=status,
                response=body,
                started=started,
                finished=time.monotonic(),
                files=files,
            )
        )
        return status, body

    async def _process(
        self,
        token: str,
        method_name: str,
        raw: dict[str, Any],
        files: dict[str, UploadedFile],
        is_alive: Callable[[], bool],
    ) -> tuple[int, dict[str, Any], dict[str, Any]]:
        bot = self.world.bots.get(token)
        if bot is None:
            return 401, UNAUTHORIZED, dict(raw)
        spec = load_spec()
        shape = spec.method(method_name)
        if shape is None:
            self.log.note_violation(f"{method_name}: no such Bot API method")
            return 404, NOT_FOUND, dict(raw)
        method = shape.name
        params, unknown = spec.decode(shape, raw, files)
        fault = self.faults.take(method, params.get("chat_id"))
        if fault is not None and fault.delay > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), fault.delay)
        try:
            if self.validate:
                self._check(spec, shape, params, unknown)
            if fault is not None and (error := fault.error()) is not None:
                raise error
            if self.rates.settings.enabled and counts_as_send(method):
                self._account_send(method, params.get("chat_id"))
            handler = _handler_for(method)
            context = MethodContext(
                world=self.world,
                spec=spec,
                bot=bot,
                method=method,
                params=params,
                files=files,
                is_alive=is_alive,
                note_violation=self.log.note_violation,
            )
            result = await handler(context)
        except ApiError as error:
            if error.violation:
                self.log.note_violation(f"{method}: {error.violation}")
            return error.error_code, error.payload(), params
        return 200, {"ok": True, "result": result}, params

    def _check(self, spec: Spec, shape: Shape, params: dict[str, Any], unknown: list[str]) -> None:
        """Log every problem of the request; answer 400 with the first one's description."""
        problems = spec.check(shape, params, unknown)
        if problems:
            for problem in problems:
                self.log.note_violation(f"{shape.name}: {problem}")
            raise ApiError(400, f"Bad Request: {problems[0].description}")

    def _account_send(self, method: str, chat_id: Any) -> None:
        chat = self.world.find_chat(chat_id)
        if chat is None:
            return
        breach = self.rates.record_send(method, chat.id, chat.type, time.monotonic())
        if breach is not None and self.rates.settings.respond_429:
            raise ApiError(
                429,
                f"Too Many Requests: retry after {breach.retry_after}",
                parameters={"retry_after": breach.retry_after},
            )


def _handler_for(method: str) -> Handler:
    handler = HANDLERS.get(method)
    if handler is None:
        raise ApiError(
            400,
            f"Bad Request: the emulator does not implement {method}",
            violation="not implemented by the emulator, so the test can't check it",
        )
    return handler
