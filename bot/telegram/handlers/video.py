"""An episode video in → a movement chart and a few plain lines out.

The handler only translates: it picks the file from the message, refuses what can't be used,
downloads into a temporary file (deleted at once, see bot/media/pipeline.py), and turns the
core's numbers and findings into the texts of rules/video.yaml. Nothing is stored or logged.
"""

from __future__ import annotations

import logging
import secrets
from collections import OrderedDict
from datetime import timedelta
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, TelegramError

from bot.core.callback_data import VIDEO, AskForVideo, KeepChart, VideoPress
from bot.core.triage.vocabulary import Level
from bot.core.video.bursts import MotionSummary
from bot.core.video.findings import Assessment, assess, lines
from bot.core.video.rules import VideoRules
from bot.store.video_charts import KeptChart
from bot.telegram import keyboards
from bot.telegram.replies import alert
from bot.telegram.services import BotContext, Texts

log = logging.getLogger(__name__)

QUEUE_KEY = "video_queue"
# Charts waiting for "Keep with the history", in memory only (a restart forgets them, which is
# the private default); the oldest go first beyond this many.
PENDING_KEY = "video_pending"
PENDING_AT_MOST = 200
RECENT_CHECK = timedelta(hours=24)  # a movement check this recent sets the floor for the level
VIDEO_MIME_PREFIX = "video/"


def _attachment(message: Message) -> tuple[str, int | None] | None:
    """(file_id, file_size) of the video in the message, or None for anything else."""
    if message.video is not None:
        return message.video.file_id, message.video.file_size
    if message.video_note is not None:
        return message.video_note.file_id, message.video_note.file_size
    document = message.document
    if document is not None and (document.mime_type or "").startswith(VIDEO_MIME_PREFIX):
        return document.file_id, document.file_size
    return None


def summary_lines(t: Texts, summary: MotionSummary) -> str:
    """'12 bursts in 64 seconds, about one every 5 seconds, each about 1 second, mostly both
    sides.' and the moving time: what the caption and the doctor summary say."""
    numbers = lines(summary)
    parts = [t("video.line_count", count=numbers.count, seconds=numbers.seconds)]
    if numbers.count > 0:
        if numbers.count >= 3:
            parts.append(
                t("video.line_every", every=numbers.every)
                if numbers.every
                else t("video.line_uneven")
            )
        parts.append(
            t("video.line_length_one")
            if numbers.length == 1
            else t("video.line_length", length=f"{numbers.length:g}")
        )
        parts.append(t(f"video.line_side_{numbers.side}"))
    first = ", ".join(parts) + "."
    return first + "\n" + t("video.line_moving", moving=numbers.moving, seconds=numbers.seconds)


def advice_text(t: Texts, assessment: Assessment) -> str:
    """The level (only when there is one), each finding, and what the chart can't see."""
    blocks: list[str] = []
    if assessment.level is not None:
        blocks.append(t(f"triage.level.{assessment.level.id}"))
    for finding in assessment.findings:
        blocks.append(f"<b>{finding.title.get(t.locale)}</b>\n{finding.text.get(t.locale)}")
    if not assessment.findings:
        blocks.append(t("video.no_finding"))
    if assessment.triage_level is not None and not assessment.raised:
        blocks.append(
            t("video.triage_stays", level=t(f"triage.level_short.{assessment.triage_level.id}"))
        )
    blocks.append(t("video.cannot_see"))
    blocks.append(t("video.deleted"))
    return "\n\n".join(blocks)


async def _recent_triage_level(context: BotContext, chat_id: int) -> Level | None:
    records = await context.services.store.history.recent(chat_id, limit=1)
    if not records or context.services.clock() - records[0].created_at > RECENT_CHECK:
        return None
    try:
        return Level.parse(records[0].level)
    except ValueError:
        return None


async def _say(message: Message, text: str, keyboard: InlineKeyboardMarkup | None = None) -> None:
    """A reply with a video.yaml text, sent as Telegram HTML like every other message text."""
    await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard)


def _queue(context: BotContext):  # type: ignore[no-untyped-def]
    from bot.media.pipeline import VideoQueue

    return context.application.bot_data.setdefault(QUEUE_KEY, VideoQueue())


async def video_message(update: Update, context: BotContext) -> None:
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    t = context.texts(update)
    if chat.type != ChatType.PRIVATE:
        link = InlineKeyboardButton(
            t("button.video_private"), url=f"https://t.me/{context.bot.username}?start=triage"
        )
        await _say(message, t("video.in_group"), InlineKeyboardMarkup([[link]]))
        return
    video_rules: VideoRules | None = context.rules.video
    if video_rules is None:
        return
    attachment = _attachment(message)
    if attachment is None:
        await _say(message, t("video.bad_not_video"))
        return
    file_id, size = attachment
    limits = video_rules.limits
    if size is not None and size > limits.max_megabytes * 1024 * 1024:
        await _say(message, t("video.bad_too_big", megabytes=limits.max_megabytes))
        return
    queue = _queue(context)
    await _say(message, t("video.busy" if queue.busy else "video.working"))
    # In the background, so this handler returns at once and other chats are answered while
    # the clip is decoded (in polling mode PTB handles one update at a time).
    context.application.create_task(
        queue.run(lambda: _analyse_and_reply(update, context, file_id, video_rules)),
        update=update,
        name="video-analysis",
    )


async def _analyse_and_reply(
    update: Update, context: BotContext, file_id: str, video_rules: VideoRules
) -> None:
    # Imported here so the bot starts without loading FFmpeg, numpy and Pillow.
    from bot.media.decode import VideoRejected
    from bot.media.drawing import ChartLabels
    from bot.media.pipeline import analyse_bytes_file, with_temporary_file

    message = update.effective_message
    assert message is not None and update.effective_chat is not None
    t = context.texts(update)
    limits = video_rules.limits
    labels = ChartLabels(
        title=t("video.chart_title"),
        seconds=t("video.chart_seconds"),
        left=t("video.chart_left"),
        right=t("video.chart_right"),
        burst=t("video.chart_burst"),
    )

    async def download(path: Path) -> None:
        telegram_file = await context.bot.get_file(file_id)
        await telegram_file.download_to_drive(path)

    try:
        analysis = await with_temporary_file(
            download, lambda path: analyse_bytes_file(path, limits, labels)
        )
    except VideoRejected as rejected:
        await _say(
            message,
            t(
                f"video.bad_{rejected.reason}",
                **{"seconds": limits.min_seconds, "minutes": limits.max_seconds // 60}
                if rejected.reason in ("too_short", "too_long")
                else {},
            ),
        )
        return
    except BadRequest as error:
        if "too big" in error.message.lower():
            await _say(message, t("video.bad_too_big", megabytes=limits.max_megabytes))
            return
        raise
    except TelegramError:
        log.warning("a video could not be downloaded")  # never the file id or its content
        await _say(message, t("video.failed"))
        return
    chat_id = update.effective_chat.id
    triage_level = await _recent_triage_level(context, chat_id)
    assessment = assess(analysis.summary, video_rules.findings, triage_level)
    plain = summary_lines(t, analysis.summary)
    await message.reply_photo(
        analysis.chart_png,
        caption=t("video.caption", lines=plain),
        parse_mode=ParseMode.HTML,
    )
    token = _remember(
        context,
        KeptChart(
            chat_id=chat_id,
            created_at=context.services.clock(),
            lines=plain,
            level=assessment.level.id if assessment.level is not None else None,
            findings=tuple(f.id for f in assessment.findings),
            numbers=_numbers(analysis.summary),
            chart_png=analysis.chart_png,
        ),
    )
    keep = keyboards.button(t("button.video_keep"), VIDEO.encode(KeepChart(token)))
    await message.reply_text(
        advice_text(t, assessment),
        parse_mode=ParseMode.HTML,
        reply_markup=InlineKeyboardMarkup([[keep]]),
    )


def _numbers(summary: MotionSummary) -> dict[str, object]:
    """The derived numbers kept with the history (what the chart was drawn from, summarised)."""
    return {
        "duration": round(summary.duration, 1),
        "bursts": [[round(b.start, 1), round(b.length, 1)] for b in summary.bursts],
        "moving_seconds": round(summary.moving_seconds, 1),
        "left_share": round(summary.left_share, 2),
        "rhythm_seconds": summary.rhythm_seconds,
        "regularity": round(summary.regularity, 2),
    }


def _pending(context: BotContext) -> OrderedDict[str, KeptChart]:
    return context.application.bot_data.setdefault(PENDING_KEY, OrderedDict())  # type: ignore[no-any-return]


def _remember(context: BotContext, chart: KeptChart) -> str:
    pending = _pending(context)
    token = secrets.token_urlsafe(6)
    pending[token] = chart
    while len(pending) > PENDING_AT_MOST:
        pending.popitem(last=False)
    return token


def send_video_button(t: Texts) -> InlineKeyboardButton:
    """ "Send me a video", under every outcome of the movement check."""
    return keyboards.button(t("button.video_send"), VIDEO.encode(AskForVideo()))


async def video_button(update: Update, context: BotContext, press: VideoPress) -> None:
    """v1:ask: how to send the clip; v1:<token>: keep that chart with the history."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    t = context.texts(update)
    if isinstance(press, AskForVideo):
        await query.answer()
        await chat.send_message(t("video.ask"), parse_mode=ParseMode.HTML)
        return
    chart = _pending(context).get(press.token)
    if chart is None or chart.chat_id != chat.id:
        await alert(update, t("video.keep_expired"))
        return
    del _pending(context)[press.token]
    await context.services.store.video_charts.keep(chart)
    await query.answer(t("video.kept"))
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)


async def doctor_lines(update: Update, context: BotContext) -> str:
    """For the doctor summary: the lines of the latest chart kept in the last day, if any."""
    chat = update.effective_chat
    if chat is None:
        return ""
    kept = await context.services.store.video_charts.recent(chat.id, limit=1)
    if not kept or context.services.clock() - kept[0].created_at > RECENT_CHECK:
        return ""
    lines = kept[0].lines.replace("\n", " ")
    return "\n\n" + context.texts(update)("video.doctor_lines", lines=lines)
