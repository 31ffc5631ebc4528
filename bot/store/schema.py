"""Table definitions (SQLAlchemy Core). Change them only together with a new migration."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData()

# One row per finished movement check, so a parent can look back (/history) or delete (/forget).
triage_results = Table(
    "triage_results",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("chat_id", BigInteger, nullable=False),
    Column("flow", String(32), nullable=False),
    Column("answers", String(64), nullable=False),
    Column("outcome", String(64), nullable=False),
    Column("level", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_triage_results_chat_created", "chat_id", "created_at"),
)

# One row per baby a family follows (issue 12). Each caregiver's chat follows it through its own
# subscription row (its own hour, zone, language, pause and block), which keeps a copy of the
# baby's name, birth date and gestation: they never change after sign-up, and the dispatcher
# renders a note from its subscription alone. The row goes with its last caregiver.
babies = Table(
    "babies",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("baby_name", String(64), nullable=True),
    Column("birth_date", Date, nullable=False),
    Column("gestational_weeks", Integer, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# One row per baby a chat follows; twins are two rows with the same birth date.
subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("chat_id", BigInteger, nullable=False),
    Column("baby_name", String(64), nullable=True),
    Column("birth_date", Date, nullable=False),
    Column("gestational_weeks", Integer, nullable=True),
    Column("timezone", String(64), nullable=False),  # IANA name, e.g. Europe/London
    Column("delivery_hour", Integer, nullable=False),  # local hour 0-23
    Column("locale", String(16), nullable=True),  # None: the rules' default locale
    Column("paused", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # "baby" (a family's baby) or "cohort" (a group or channel following a birth month; its
    # birth_date is the cohort's reference day, see bot.core.milestones.cohort).
    Column("kind", String(16), nullable=False, server_default="baby"),
    # Set while the parent has blocked the bot: nothing is sent, nothing is deleted (0007).
    Column("blocked_at", DateTime(timezone=True), nullable=True),
    # A family's baby (kind "baby"): which baby, this chat's role in its family ("creator" or
    # "caregiver") and the caregiver's Telegram first name, shown to the family in /family (0011).
    Column("baby_id", Integer, ForeignKey("babies.id", ondelete="CASCADE"), nullable=True),
    Column("role", String(16), nullable=True),
    Column("first_name", String(64), nullable=True),
    # A forum group's topic the notes go to (None: General, or a chat without topics); when
    # the topic is closed or deleted, notes fall back to General: fallback_thread_id keeps the
    # topic that went, fallback_told_at when the admins were told (once) (0012).
    Column("message_thread_id", BigInteger, nullable=True),
    Column("fallback_thread_id", BigInteger, nullable=True),
    Column("fallback_told_at", DateTime(timezone=True), nullable=True),
    Index("ix_subscriptions_chat", "chat_id"),
    Index("ix_subscriptions_baby", "baby_id"),
)

# A link that lets someone join a baby's family: single use, 48 hours (bot.core.family). Only a
# hash of the token is kept, so a database copy cannot be used to join.
family_invites = Table(
    "family_invites",
    metadata,
    Column("token_hash", String(64), primary_key=True, autoincrement=False),
    Column("baby_id", Integer, ForeignKey("babies.id", ondelete="CASCADE"), nullable=False),
    Column("created_by", BigInteger, nullable=False),  # the inviting caregiver's chat
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
    Index("ix_family_invites_baby", "baby_id"),
    Index("ix_family_invites_created_by", "created_by"),
)

# One row per note a subscription will get; the dispatcher's work queue and delivery log.
scheduled_notes = Table(
    "scheduled_notes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "subscription_id",
        Integer,
        ForeignKey("subscriptions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("chat_id", BigInteger, nullable=False),
    Column("milestone_id", String(32), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),  # UTC
    Column("status", String(16), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    # Not to be picked before this instant: a retry's back-off (after a 429 or a failure).
    Column("not_before", DateTime(timezone=True), nullable=True),
    # Claimed by the dispatcher until this instant (its lease; 0014): see `leased`.
    Column("claimed_until", DateTime(timezone=True), nullable=True),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Column("last_error", String(200), nullable=True),
    UniqueConstraint("subscription_id", "milestone_id", name="uq_scheduled_notes_sub_milestone"),
    # The due query's full sort order (see migration 0006).
    Index("ix_scheduled_notes_due_order", "status", "due_at", "chat_id", "milestone_id"),
    Index("ix_scheduled_notes_chat", "chat_id"),
)

# Where a chat is in a multi-step conversation (e.g. "waiting for a typed birth date"), kept in
# the database so a restart or another replica picks up exactly where the parent left off.
chat_states = Table(
    "chat_states",
    metadata,
    Column("chat_id", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String(32), nullable=False),
    Column("data", String(2000), nullable=False),  # JSON
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Webhook mode: every update Telegram POSTs is written here before we answer 200, so a crash
# between answering and handling loses nothing. update_id dedupes Telegram's retries; a worker
# drains undone rows in update_id order, one at a time per chat_key (see bot.store.inbox).
update_inbox = Table(
    "update_inbox",
    metadata,
    Column("update_id", BigInteger, primary_key=True, autoincrement=False),
    Column("chat_key", BigInteger, nullable=False),  # the chat (else the user) to keep in order
    Column("kind", String(32), nullable=False),  # message, callback_query, ...
    Column("payload", Text, nullable=False),  # the update's JSON; emptied once handled
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("claimed_by", String(64), nullable=True),  # the worker handling it now
    Column("claimed_until", DateTime(timezone=True), nullable=True),  # lease, or retry backoff
    Column("done_at", DateTime(timezone=True), nullable=True),
    Column("last_error", String(200), nullable=True),
    # Partial indexes over the undone rows, so "next undone update of this chat" is one probe,
    # in update_id order, on both backends (a plain index with done_at in the middle was not
    # used for that order by PostgreSQL); and done_at alone for purging the old done rows.
    Index(
        "ix_update_inbox_open",
        "update_id",
        postgresql_where=text("done_at IS NULL"),
        sqlite_where=text("done_at IS NULL"),
    ),
    Index(
        "ix_update_inbox_open_chat",
        "chat_key",
        "update_id",
        postgresql_where=text("done_at IS NULL"),
        sqlite_where=text("done_at IS NULL"),
    ),
    Index("ix_update_inbox_done_at", "done_at"),
)

# What was last registered with setWebhook (an HMAC of URL, secret and allowed updates), so a
# replica can tell whether a secret rotation needs a new setWebhook: getWebhookInfo never
# shows the secret.
webhook_state = Table(
    "webhook_state",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # always 1
    Column("fingerprint", String(64), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# "Check on us in 2 hours": one row per safety-netting check-in a parent asked for after an
# urgent or soon outcome (private chats only, so chat_id is the parent). The reminder dispatcher
# sends it when due, with the same lease and status handling as scheduled_notes.
check_ins = Table(
    "check_ins",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("chat_id", BigInteger, nullable=False),
    Column("flow", String(32), nullable=False),  # the check to start again on "new signs"
    Column("level", String(16), nullable=False),  # the outcome's level: urgent or soon
    Column("locale", String(16), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),  # UTC
    Column("status", String(16), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("not_before", DateTime(timezone=True), nullable=True),  # a retry's back-off
    Column("claimed_until", DateTime(timezone=True), nullable=True),  # the dispatcher's lease
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Column("last_error", String(200), nullable=True),
    Column("answer", String(16), nullable=True),  # what the parent replied, once sent
    Index("ix_check_ins_due", "status", "due_at"),
    Index("ix_check_ins_chat", "chat_id"),
    # At most one pending check-in per chat: a second tap (or a tap on another replica at the
    # same moment) cannot schedule a second one.
    Index(
        "uq_check_ins_pending_chat",
        "chat_id",
        unique=True,
        postgresql_where=text("status = 'pending'"),
        sqlite_where=text("status = 'pending'"),
    ),
)

# An episode video's chart, kept only when the parent taps "Keep with the history" (issue 14):
# the derived numbers and the PNG, never the video. /forget deletes them with the rest.
video_charts = Table(
    "video_charts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("chat_id", BigInteger, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("lines", Text, nullable=False),  # the plain lines, as the parent read them
    Column("level", String(16), nullable=True),  # what the parent was told; None: no level
    Column("findings", String(200), nullable=False),  # finding ids, comma-separated
    Column("numbers", Text, nullable=False),  # JSON: bursts, moving time, sides, rhythm
    Column("chart_png", LargeBinary, nullable=False),
    Index("ix_video_charts_chat", "chat_id", "created_at"),
)

# The language a chat chose with /language (a group's is set by its admins). Without a row the
# bot follows each person's Telegram language. Read once per update, by primary key.
chat_languages = Table(
    "chat_languages",
    metadata,
    Column("chat_id", BigInteger, primary_key=True, autoincrement=False),
    Column("locale", String(16), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
