"""`Emulator`: lifecycle, setting up the world, faults and limits; the rest is mixed in.

User actions come from `actions.UserActionsMixin` (topics: `forum_actions.ForumActionsMixin`;
members, blocking, migration: `membership_actions.MembershipActionsMixin`; files: `uploads`),
observation and waiting from `observe.ObserverMixin`. See the package docstring for an example.
"""

# Waiting helpers take a `timeout` argument on purpose: it is their public API.
# ruff: noqa: ASYNC109

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Any, Self

from bot.emulator.faults import Fault, Faults
from bot.emulator.forum_actions import ForumActionsMixin
from bot.emulator.limits import RateAccountant, RateBreach, RateLimits
from bot.emulator.members import CHANNEL_ADMIN_RIGHTS, DEFAULT_ADMIN_RIGHTS
from bot.emulator.membership_actions import MembershipActionsMixin
from bot.emulator.models import CHAT_STATUSES, Chat, StoredFile, User
from bot.emulator.observe import CallLog, ChatRef, ObserverMixin, chat_id_of
from bot.emulator.pipeline import RequestPipeline
from bot.emulator.server import HOST, ApiServer
from bot.emulator.state import BotAccount, WebhookConfig, World
from bot.emulator.uploads import UploadActionsMixin
from bot.emulator.webhook import deliver_pending


def _check_status(status: str) -> str:
    if status not in CHAT_STATUSES:
        raise ValueError(f"unknown chat member status {status!r}; use one of {CHAT_STATUSES}")
    return status


class Emulator(ForumActionsMixin, MembershipActionsMixin, UploadActionsMixin, ObserverMixin):
    """A Telegram Bot API server on 127.0.0.1 for the real PTB `Application` to talk to.

    `validate=False` skips spec validation (for throughput benchmarks); decoding, state and
    Telegram's own refusals stay.
    """

    def __init__(self, *, validate: bool = True, rate_limits: RateLimits | None = None) -> None:
        self.world = World()
        self._log = CallLog()
        self._faults = Faults()
        self._rates = RateAccountant(rate_limits or RateLimits())
        self._pipeline = RequestPipeline(self.world, self._log, self._faults, self._rates)
        self._pipeline.validate = validate
        self._server = ApiServer(self._pipeline, self.world)
        self._default_token: str | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self, port: int = 0) -> Self:
        """Starts serving on 127.0.0.1 (a free port unless `port` is given)."""
        self._pipeline.stopping.clear()
        await self._server.start(port)
        return self

    async def stop(self) -> None:
        """Answers pending long polls with no updates, cuts injected delays short, stops."""
        self._pipeline.stopping.set()
        for bot in self.world.bots.values():
            if bot.poll is not None:
                bot.poll.close()
        await self._server.stop()

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._server.port is None:
            raise RuntimeError("the emulator isn't started; await emu.start() first")
        return self._server.port

    @property
    def base_url(self) -> str:
        """PTB's `base_url`: the token and "/method" get appended."""
        return f"http://{HOST}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """PTB's `base_file_url`: the token and "/file_path" get appended."""
        return f"http://{HOST}:{self.port}/file/bot"

    @property
    def validate(self) -> bool:
        return self._pipeline.validate

    @validate.setter
    def validate(self, value: bool) -> None:
        self._pipeline.validate = value

    # -- the world ----------------------------------------------------------------------------

    def add_bot(
        self,
        token: str,
        username: str = "sleepsigns_bot",
        first_name: str = "Sleepsigns",
        *,
        can_join_groups: bool = True,
        can_read_all_group_messages: bool = False,
        supports_inline_queries: bool = True,
    ) -> dict[str, Any]:
        """Registers a bot token; returns the bot's User object (what getMe answers).

        The first bot added is the one user actions talk to. As on Telegram, the bot's id is
        the number before the colon in the token when there is one. Inline mode is on by
        default because Sleepsigns uses it; privacy mode is on (Telegram's default).
        """
        prefix = token.partition(":")[0]
        bot_id = int(prefix) if prefix.isdigit() else self.world.new_bot_id()
        user = User(id=bot_id, first_name=first_name, username=username, is_bot=True)
        self.world.users[bot_id] = user
        bot = BotAccount(
            token=token,
            user=user,
            can_join_groups=can_join_groups,
            can_read_all_group_messages=can_read_all_group_messages,
            supports_inline_queries=supports_inline_queries,
        )
        self.world.bots[token] = bot
        if self._default_token is None:
            self._default_token = token
        return bot.me()

    def _bot(self) -> BotAccount:
        if self._default_token is None:
            raise RuntimeError("no bot yet; call emu.add_bot(token) first")
        return self.world.bots[self._default_token]

    @property
    def bot_user(self) -> User:
        """The default bot as a `User` (pass it to chat_member_update for my_chat_member)."""
        return self._bot().user

    def add_user(
        self,
        first_name: str = "Ann",
        language_code: str | None = "en",
        username: str | None = None,
        user_id: int | None = None,
        *,
        last_name: str | None = None,
        started: bool = False,
    ) -> User:
        """A Telegram user and their private chat with the bot (chat id == user id).

        Like on Telegram, the bot may only write to the user after the user wrote first (any
        `send_text`, e.g. "/start"); `started=True` pretends that happened already.
        """
        user = User(
            id=user_id if user_id is not None else self.world.new_user_id(),
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
        )
        self.world.users[user.id] = user
        self.world.user_chat(user)
        if started:
            for bot in self.world.bots.values():
                bot.started_by.add(user.id)
        return user

    def add_group(
        self,
        title: str,
        *,
        supergroup: bool = False,
        members: dict[User, str] | None = None,
        bot_status: str = "member",
        username: str | None = None,
        forum: bool = False,
    ) -> Chat:
        """A group (negative id) or supergroup (-100...) with `members` ({user: status}) and
        the default bot in it with `bot_status`."""
        if forum and not supergroup:
            raise ValueError("only supergroups can be forums")
        chat = Chat(
            id=self.world.new_supergroup_id() if supergroup else self.world.new_group_id(),
            type="supergroup" if supergroup else "group",
            title=title,
            username=username.lstrip("@") if username else None,
            is_forum=forum,
        )
        if forum:
            chat.next_message_id = 2  # 1 is General's: a send into thread 1 is refused
        for user, status in (members or {}).items():
            self.world.users[user.id] = user
            chat.members[user.id] = _check_status(status)
        bot = self._bot()
        chat.members[bot.id] = _check_status(bot_status)
        if bot_status == "administrator":
            chat.admin_rights[bot.id] = dict(DEFAULT_ADMIN_RIGHTS)
        return self.world.add_chat(chat)

    def add_channel(
        self,
        title: str,
        username: str,
        *,
        admins: Sequence[User] = (),
        bot_status: str = "administrator",
        can_post_messages: bool = True,
    ) -> Chat:
        """A public channel @username; the first of `admins` is its creator."""
        chat = Chat(
            id=self.world.new_supergroup_id(),
            type="channel",
            title=title,
            username=username.lstrip("@"),
        )
        for position, user in enumerate(admins):
            self.world.users[user.id] = user
            chat.members[user.id] = "creator" if position == 0 else "administrator"
        bot = self._bot()
        chat.members[bot.id] = _check_status(bot_status)
        if bot_status == "administrator":
            rights = {**DEFAULT_ADMIN_RIGHTS, **CHANNEL_ADMIN_RIGHTS}
            rights["can_post_messages"] = can_post_messages
            chat.admin_rights[bot.id] = rights
        return self.world.add_chat(chat)

    def private_chat(self, user: User) -> Chat:
        return self.world.user_chat(user)

    def chat(self, chat: ChatRef) -> Chat:
        return self.world.chats[chat_id_of(chat)]

    # -- faults -------------------------------------------------------------------------------

    def inject(
        self,
        method: str,
        *,
        chat_id: ChatRef | str | None = None,
        error_code: int | None = 429,
        retry_after: int | None = None,
        description: str | None = None,
        migrate_to_chat_id: int | None = None,
        delay: float = 0.0,
        times: int = 1,
    ) -> Fault:
        """The next `times` calls to `method` (in `chat_id`, if given) get this answer.

        Defaults to 429 "Too Many Requests: retry after N" with parameters.retry_after (1 unless
        given). 403 defaults to "Forbidden: bot was blocked by the user", 5xx to the HTTP
        phrase. `migrate_to_chat_id` makes it Telegram's 400 migration answer. `delay` holds
        the call that long first; with `error_code=None` it is only delayed, then processed.
        """
        if migrate_to_chat_id is not None and error_code == 429:
            error_code = 400
        if error_code == 429 and retry_after is None:
            retry_after = 1
        target = chat_id if chat_id is None or isinstance(chat_id, str) else chat_id_of(chat_id)
        return self._faults.add(
            Fault(
                method=method,
                chat_id=target,
                error_code=error_code,
                description=description,
                retry_after=retry_after,
                migrate_to_chat_id=migrate_to_chat_id,
                delay=delay,
                remaining=times,
            )
        )

    def delay(
        self, method: str, seconds: float, *, chat_id: ChatRef | str | None = None, times: int = 1
    ) -> Fault:
        """The next `times` calls to `method` are held `seconds`, then processed normally."""
        return self.inject(method, chat_id=chat_id, error_code=None, delay=seconds, times=times)

    @property
    def pending_faults(self) -> list[Fault]:
        return self._faults.pending

    # -- flood limits -------------------------------------------------------------------------

    @property
    def rate_limits(self) -> RateLimits:
        """Flood-limit settings (off by default): set `.enabled`, `.respond_429`, the rates."""
        return self._rates.settings

    @rate_limits.setter
    def rate_limits(self, settings: RateLimits) -> None:
        self._rates.settings = settings

    @property
    def rate_violations(self) -> int:
        """How many sends broke a flood limit (while accounting was enabled)."""
        return self._rates.count

    @property
    def rate_violation_details(self) -> list[RateBreach]:
        return self._rates.breaches

    def lift_limits(self) -> None:
        """No flood accounting at all (for throughput benchmarks)."""
        self._rates.settings.enabled = False
        self._rates.reset()

    # -- bot-side state -----------------------------------------------------------------------

    def file(self, file_id: str) -> StoredFile:
        """A file the bot uploaded, with its bytes."""
        return self.world.files[file_id]

    def document(self, message: dict[str, Any]) -> StoredFile:
        """The uploaded document of a message the bot sent (filename, mime type, bytes)."""
        return self.world.files[message["document"]["file_id"]]

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        """The bot's command list stored for that scope (default: BotCommandScopeDefault)."""
        scope = scope or {"type": "default"}
        key = (scope["type"], scope.get("chat_id"), scope.get("user_id"), language_code)
        return [dict(command) for command in self._bot().commands.get(key, [])]

    def description(self, language_code: str = "") -> str | None:
        """The bot's description set for that language ("" the default), None if none."""
        return self._bot().descriptions.get(language_code)

    def short_description(self, language_code: str = "") -> str | None:
        """The bot's short description set for that language ("" the default), None if none."""
        return self._bot().short_descriptions.get(language_code)

    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates queued for the bot and not yet confirmed by getUpdates."""
        return list(self._bot().pending)

    @property
    def dropped_updates(self) -> list[dict[str, Any]]:
        """Updates Telegram wouldn't have delivered (allowed_updates, privacy mode, ...)."""
        return self.world.dropped_updates

    def unanswered_callback_queries(self) -> list[str]:
        """Callback queries the bot never answered (the user's button keeps spinning)."""
        return [record.id for record in self.world.callback_queries.values() if not record.answered]

    @property
    def webhook(self) -> WebhookConfig | None:
        return self._bot().webhook

    async def deliver_webhook(self, timeout: float = 5.0) -> int:
        """POSTs pending updates to the webhook the bot set; returns how many it accepted."""
        return await deliver_pending(self._bot(), timeout=timeout)
