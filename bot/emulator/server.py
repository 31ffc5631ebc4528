"""The HTTP face of the emulator: an aiohttp server on 127.0.0.1 speaking the Bot API's wire format.

Routes are Telegram's: `/bot<token>/<method>` (GET or POST; parameters in the query string, a
urlencoded or multipart form, or a JSON body, as Telegram accepts all of them) and
`/file/bot<token>/<file_path>` for downloads. Anything else answers Telegram's JSON 404.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from typing import Any

from aiohttp import web

from bot.emulator.models import UploadedFile
from bot.emulator.pipeline import NOT_FOUND, RequestPipeline
from bot.emulator.state import World

HOST = "127.0.0.1"
# Telegram accepts uploads up to 50 MB; aiohttp answers 413 beyond this.
MAX_REQUEST_BYTES = 52 * 1024 * 1024


async def read_parameters(
    request: web.Request,
) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Raw parameters (strings for form fields, JSON values for a JSON body) and file parts."""
    params: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if not request.body_exists:
        return params, files
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            params.update(body)
        return params, files
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for name, value in form.items():
            if isinstance(value, web.FileField):
                files[name] = UploadedFile(
                    field=name,
                    filename=value.filename,
                    content=value.file.read(),
                    mime_type=value.content_type,
                )
            else:
                params[name] = value
    return params, files


def _json(status: int, body: dict[str, Any]) -> web.Response:
    return web.Response(
        status=status,
        body=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        content_type="application/json",
    )


def _connection_check(request: web.Request) -> Callable[[], bool]:
    def is_alive() -> bool:
        transport = request.transport
        return transport is not None and not transport.is_closing()

    return is_alive


class ApiServer:
    def __init__(self, pipeline: RequestPipeline, world: World) -> None:
        self._pipeline = pipeline
        self._world = world
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    def _app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_REQUEST_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        return app

    async def start(self, port: int = 0) -> int:
        self._runner = web.AppRunner(self._app(), access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        # Binding the socket ourselves is how we learn which free port the OS picked.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, port))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        return self.port

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _api(self, request: web.Request) -> web.Response:
        params, files = await read_parameters(request)
        status, body = await self._pipeline.handle(
            request.match_info["token"],
            request.match_info["method"],
            params,
            files,
            _connection_check(request),
        )
        return _json(status, body)

    async def _file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] not in self._world.bots:
            return _json(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        path = request.match_info["path"]
        for stored in self._world.files.values():
            if stored.file_path == path:
                return web.Response(
                    body=stored.content, content_type=stored.mime_type or "application/octet-stream"
                )
        return _json(404, NOT_FOUND)

    async def _not_found(self, request: web.Request) -> web.Response:
        return _json(404, NOT_FOUND)
