"""How the bot talks HTTP to the Bot API: python-telegram-bot's request interface over aiohttp.

PTB's default transport (HTTPXRequest) spent about 0.9 ms of CPU per sendMessage on this
project's 2-core machine, three times what the same call costs over aiohttp's client (0.3 ms,
read from /proc; `bench/dispatch_unlimited.py` compares the send rates), and that CPU was most
of what a reply, a webhook update or a reminder cost the bot (issue 15). Parameters go as one
JSON body, which Telegram accepts for every method; uploads go as multipart form data, as with
PTB's default. aiohttp is already the webhook server's library, and certifi came with httpx.

Every round trip is logged at DEBUG (the method name and the HTTP status) and timed for
/metrics (`sleepsigns_bot_api_request_seconds`, labelled only by the method name, never by the
URL, which holds the token). PTB's own layer above this one turns Telegram's answers into
exceptions (Forbidden, RetryAfter, ChatMigrated, BadRequest); this one turns transport failures
into TimedOut and NetworkError, with messages that never include the URL.

Timeouts follow PTB's meaning: `connect` (open a connection), `read` (wait for each piece of the
answer), `pool` (wait for a free connection) and `write`. aiohttp has no timeout per write, so
for an upload the four together bound the whole request instead: a stalled upload fails after
at most their sum. Nothing else gets such a bound, so a large download (an episode video) may
take as long as it needs while data keeps coming. A TimedOut may mean Telegram got the request;
callers treat it as "maybe sent".
"""

from __future__ import annotations

import functools
import json
import logging
import re
import ssl
import time

import aiohttp
import certifi
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.metrics import BOT_API_LATENCY

log = logging.getLogger(__name__)

# Only a Bot API method name becomes a label: never a file path (unbounded), never the token.
_METHOD = re.compile(r"/bot[^/]*/([A-Za-z]{1,64})$")

# PTB's ApplicationBuilder defaults, kept so that swapping the transport changes no behaviour.
POOL_SIZE = 256
GET_UPDATES_POOL_SIZE = 1
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 5.0
WRITE_TIMEOUT = 5.0
MEDIA_WRITE_TIMEOUT = 20.0
POOL_TIMEOUT = 1.0

_JSON = {"Content-Type": "application/json"}


def method_of(url: str) -> str:
    """`.../bot<token>/sendMessage` -> "sendMessage"; anything else (file downloads) -> "other"."""
    match = _METHOD.search(url)
    return match.group(1) if match else "other"


def _given(value: object, default: float | None) -> float | None:
    """A per-call timeout PTB passes, or this transport's default when the call left it unset."""
    return default if isinstance(value, type(BaseRequest.DEFAULT_NONE)) else value  # type: ignore[return-value]


class AiohttpRequest(BaseRequest):
    """One aiohttp session with a pool of `pool_size` connections, for one PTB Bot."""

    def __init__(
        self,
        pool_size: int = POOL_SIZE,
        *,
        connect_timeout: float | None = CONNECT_TIMEOUT,
        read_timeout: float | None = READ_TIMEOUT,
        write_timeout: float | None = WRITE_TIMEOUT,
        media_write_timeout: float | None = MEDIA_WRITE_TIMEOUT,
        pool_timeout: float | None = POOL_TIMEOUT,
    ) -> None:
        if pool_size < 1:
            raise ValueError("pool_size must be at least 1")
        self._pool_size = pool_size
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._media_write_timeout = media_write_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, ssl=_tls())
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            await session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        uploads = request_data is not None and request_data.contains_files
        timeout = self._timeout(
            _given(connect_timeout, self._connect_timeout),
            _given(read_timeout, self._read_timeout),
            _given(write_timeout, self._media_write_timeout if uploads else self._write_timeout),
            _given(pool_timeout, self._pool_timeout),
            bound_whole=uploads,
        )
        body: bytes | aiohttp.FormData | None = None
        headers = None
        if request_data is not None:
            if uploads:
                body = _multipart(request_data)
            else:
                body, headers = json.dumps(request_data.parameters).encode(), _JSON
        began = time.perf_counter()
        try:
            async with session.request(
                method, url, data=body, headers=headers, timeout=timeout
            ) as response:
                answer = await response.read()
            log.debug("Bot API %s: HTTP %d", method_of(url), response.status)
            return response.status, answer
        except TimeoutError as error:
            raise TimedOut(f"aiohttp: {type(error).__name__}") from None
        except aiohttp.ClientError as error:
            # Only the class: some aiohttp messages quote the URL, and the URL holds the token.
            raise NetworkError(f"aiohttp.{type(error).__name__}") from None
        finally:
            BOT_API_LATENCY.labels(method=method_of(url)).observe(time.perf_counter() - began)

    @staticmethod
    def _timeout(
        connect: float | None,
        read: float | None,
        write: float | None,
        pool: float | None,
        *,
        bound_whole: bool,
    ) -> aiohttp.ClientTimeout:
        parts = (connect, read, write, pool)
        total = None
        if bound_whole and None not in parts:  # an upload: stands in for the write timeout
            total = sum(p for p in parts if p is not None)
        # aiohttp's `connect` covers waiting for a pooled connection and opening one.
        waiting = None if connect is None or pool is None else connect + pool
        return aiohttp.ClientTimeout(
            total=total, connect=waiting, sock_connect=connect, sock_read=read
        )


@functools.cache
def _tls() -> ssl.SSLContext:
    """certifi's roots, as PTB's default transport uses: the same servers are trusted whether or
    not the image has the system's CA bundle. Built once (reading the bundle takes ~35 ms)."""
    return ssl.create_default_context(cafile=certifi.where())


def _multipart(request_data: RequestData) -> aiohttp.FormData:
    """Fields as PTB encodes them for a form (strings, objects as JSON), files as parts."""
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mime_type) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
