"""Issue 14 end to end: a parent sends an episode video and gets the chart and the lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.core.rules import Rules
from bot.core.triage import Level
from bot.sandbox import Sandbox
from tests.video.synthetic import JerkingBlob, Still, write_video


@pytest.fixture(scope="module")
def spasm_clip(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("clips") / "spasms.mp4"
    return write_video(path, JerkingBlob(), 21).read_bytes()


async def test_a_video_gets_the_chart_the_lines_and_the_spasm_advice(
    sandbox: Sandbox, rules: Rules, spasm_clip: bytes
) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    emu.send_file(ann, spasm_clip, "video")
    working = await emu.next_message(ann)
    assert working["text"] == rules.text("video.working", "en")
    chart = await emu.next_message(ann, timeout=20)
    assert chart["photo"][0]["width"] == 1000
    assert "4 bursts in 21 seconds, about one every 6 seconds" in chart["caption"]
    assert emu.file(chart["photo"][0]["file_id"]).content.startswith(b"\x89PNG")
    advice = await emu.next_message(ann)
    spasm = rules.video.findings["spasm_series"]
    assert spasm.title.get("en") in advice["text"]
    assert "SEE A DOCTOR TODAY" in advice["text"]
    assert "breathing well" in advice["text"]
    assert [c.method for c in emu.calls_to("getFile")]


async def test_a_video_note_and_a_video_document_work_too(sandbox: Sandbox, tmp_path: Path) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    clip = write_video(tmp_path / "still.mp4", Still(), 4).read_bytes()
    emu.send_file(ann, clip, "video_note")
    await emu.next_message(ann)
    note_chart = await emu.next_message(ann, timeout=20)
    assert "No bursts of movement in 4 seconds" in note_chart["caption"]
    advice = await emu.next_message(ann)
    assert "does not tell what it is" in advice["text"]
    assert "normal" not in advice["text"].lower()
    emu.send_file(ann, clip, "document", file_name="clip.mp4")
    await emu.next_message(ann)
    assert "photo" in await emu.next_message(ann, timeout=20)


@pytest.mark.parametrize(
    ("kind", "content", "options", "key"),
    [
        (
            "document",
            b"%PDF-1.4 not a video",
            {"file_name": "a.pdf", "mime_type": "application/pdf"},
            "video.bad_not_video",
        ),
        ("video", b"\x00\x01 garbage, not an mp4", {}, "video.bad_unreadable"),
        ("video", b"x", {"size": 30 * 1024 * 1024}, "video.bad_too_big"),
    ],
)
async def test_bad_files_get_a_short_friendly_message(
    sandbox: Sandbox, rules: Rules, kind: str, content: bytes, options: dict, key: str
) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    emu.send_file(ann, content, kind, **options)
    reply = await emu.next_message(ann)
    if reply["text"] == rules.text("video.working", "en"):
        reply = await emu.next_message(ann)
    assert reply["text"] == rules.text(key, "en", megabytes=20)
    assert not emu.calls_to("sendPhoto")


async def test_a_video_in_a_group_gets_the_private_link(sandbox: Sandbox, rules: Rules) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    group = emu.add_group("Parents", members={ann: "member"}, bot_status="administrator")
    emu.send_file(ann, b"not looked at", "video", group)
    reply = await emu.next_message(group)
    assert reply["text"] == rules.text("video.in_group", "en")
    assert not emu.calls_to("getFile")


async def test_keep_with_the_history_then_export_summary_and_forget(
    sandbox: Sandbox, rules: Rules, spasm_clip: bytes
) -> None:
    from tests.e2e.test_triage_chat import answer, shortest_path_to, start_check

    emu, store = sandbox.emulator, sandbox.store
    ann = emu.add_user("Ann")
    emu.send_file(ann, spasm_clip, "video")
    await emu.next_message(ann)
    await emu.next_message(ann, timeout=20)
    advice = await emu.next_message(ann)
    assert await store.video_charts.recent(ann.id) == []  # nothing kept unless asked
    emu.press_button(ann, advice, rules.text("button.video_keep", "en"))
    await emu.next_edit(ann, advice["message_id"])  # the button goes once the chart is kept
    kept = await store.video_charts.recent(ann.id)
    assert len(kept) == 1 and kept[0].findings == ("spasm_series",)
    assert kept[0].level == "urgent" and kept[0].chart_png.startswith(b"\x89PNG")

    flow = rules.triage["twitch"]
    message = await start_check(emu, ann, "twitch")
    await answer(emu, ann, message, shortest_path_to(flow, Level.SOON))
    emu.press_button(ann, message, "Summary for the doctor")
    summary = await emu.next_message(ann)
    assert "🎥 Video: 4 bursts in 21 seconds" in summary["text"]

    emu.send_text(ann, "/export")
    exported = json.loads(emu.document(await emu.next_message(ann)).content)
    assert exported["video_charts"][0]["findings"] == ["spasm_series"]

    emu.send_text(ann, "/forget")
    confirm = await emu.next_message(ann)
    emu.press_button(ann, confirm, "Yes, delete it all")
    await emu.next_edit(ann, confirm["message_id"])
    assert await store.video_charts.recent(ann.id) == []


async def test_after_an_emergency_check_the_chart_keeps_the_emergency_level(
    sandbox: Sandbox, rules: Rules, spasm_clip: bytes
) -> None:
    from tests.e2e.test_triage_chat import answer, shortest_path_to, start_check

    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    flow = rules.triage["twitch"]
    message = await start_check(emu, ann, "twitch")
    outcome = await answer(emu, ann, message, shortest_path_to(flow, Level.EMERGENCY))
    emu.press_button(ann, outcome, rules.text("button.video_send", "en"))
    asked = await emu.next_message(ann)
    assert "tap 📎" in asked["text"]
    emu.send_file(ann, spasm_clip, "video")
    await emu.next_message(ann)
    await emu.next_message(ann, timeout=20)
    advice = await emu.next_message(ann)
    assert rules.text("triage.level.emergency", "en").split("<b>")[1][:20] in advice["text"]
    assert "SEE A DOCTOR TODAY" not in advice["text"]
    assert "The chart does not change that" in advice["text"]


async def test_an_audio_file_sent_as_a_document_is_not_a_video(
    sandbox: Sandbox, rules: Rules
) -> None:
    emu = sandbox.emulator
    ann = emu.add_user("Ann")
    emu.send_file(ann, b"OggS voice", "document", file_name="note.ogg", mime_type="audio/ogg")
    reply = await emu.next_message(ann)
    assert reply["text"] == rules.text("video.bad_not_video", "en")


async def test_other_chats_are_answered_while_a_video_is_analysed(
    sandbox: Sandbox, rules: Rules, spasm_clip: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from bot.media import pipeline

    emu = sandbox.emulator
    ann, ben = emu.add_user("Ann"), emu.add_user("Ben")
    release = threading.Event()
    real = pipeline.analyse_bytes_file

    def held(*args: object) -> pipeline.Analysis:
        assert release.wait(10), "the other chat was not answered while the video waited"
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "analyse_bytes_file", held)
    emu.send_file(ann, spasm_clip, "video")
    assert (await emu.next_message(ann))["text"] == rules.text("video.working", "en")
    emu.send_file(ben, spasm_clip, "video")  # waits its turn: one analysis at a time
    assert (await emu.next_message(ben))["text"] == rules.text("video.busy", "en")
    emu.send_text(ben, "/help")
    assert "photo" not in await emu.next_message(ben)  # answered while Ann's clip is held
    release.set()
    assert "photo" in await emu.next_message(ann, timeout=20)
    assert "photo" in await emu.next_message(ben, timeout=20)
