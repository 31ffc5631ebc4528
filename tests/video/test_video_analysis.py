"""Issue 14: the movement analysis on small synthetic clips (PyAV + numpy), and the findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.rules import Rules
from bot.core.triage.vocabulary import Level
from bot.core.video.bursts import MotionSummary, summarise
from bot.core.video.findings import assess, lines
from bot.media.decode import VideoRejected, analyse_file
from tests.video.synthetic import JerkingBlob, PanAndLight, ShakingLeft, Still, write_video


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, MotionSummary]:
    folder = tmp_path_factory.mktemp("clips")
    scenes = {
        "still": (Still(), 8),
        "spasms": (JerkingBlob(), 21),
        "left_shaking": (ShakingLeft(), 34),
        "pan_and_light": (PanAndLight(), 12),
    }
    return {
        name: summarise(analyse_file(write_video(folder / f"{name}.mp4", scene, seconds)))
        for name, (scene, seconds) in scenes.items()
    }


def ids(rules: Rules, summary: MotionSummary, triage: Level | None = None) -> list[str]:
    assert rules.video is not None
    return [f.id for f in assess(summary, rules.video.findings, triage).findings]


def test_a_still_scene_with_sensor_noise_has_no_bursts_and_no_level(
    rules: Rules, clips: dict[str, MotionSummary]
) -> None:
    still = clips["still"]
    assert still.bursts == ()
    assert still.moving_seconds == 0
    assert rules.video is not None
    assessment = assess(still, rules.video.findings)
    assert assessment.findings == () and assessment.level is None  # never "reassure"


def test_a_blob_jerking_1_s_every_6_s_is_a_series_and_gets_the_spasm_advice(
    rules: Rules, clips: dict[str, MotionSummary]
) -> None:
    spasms = clips["spasms"]
    assert [round(b.start) for b in spasms.bursts] == [2, 8, 14, 20]
    assert all(0.8 <= b.length <= 1.3 for b in spasms.bursts)
    assert spasms.rhythm_seconds == pytest.approx(6, abs=0.3)
    assert spasms.regularity > 0.8
    assert spasms.side == "both"
    assert ids(rules, spasms) == ["spasm_series"]
    assert rules.video is not None
    assert assess(spasms, rules.video.findings).level is Level.URGENT
    numbers = lines(spasms)
    assert (numbers.count, numbers.every, numbers.length, numbers.side) == (4, 6, 1.0, "both")


def test_steady_shaking_for_30_s_on_the_left_only_is_urgent(
    rules: Rules, clips: dict[str, MotionSummary]
) -> None:
    left = clips["left_shaking"]
    assert len(left.bursts) == 1 and left.bursts[0].length == pytest.approx(30, abs=0.5)
    assert left.left_share > 0.95
    assert ids(rules, left) == ["one_side", "long_movement"]  # most serious first
    assert rules.video is not None
    assert assess(left, rules.video.findings).level is Level.URGENT


def test_a_camera_pan_and_a_light_switched_on_are_not_movement(
    rules: Rules, clips: dict[str, MotionSummary]
) -> None:
    assert clips["pan_and_light"].bursts == ()
    assert ids(rules, clips["pan_and_light"]) == []


def test_the_chart_never_lowers_the_level_the_triage_gave(
    rules: Rules, clips: dict[str, MotionSummary]
) -> None:
    assert rules.video is not None
    for summary in clips.values():
        assessment = assess(summary, rules.video.findings, Level.EMERGENCY)
        assert assessment.level is Level.EMERGENCY
        assert not assessment.raised
    soon = assess(clips["spasms"], rules.video.findings, Level.SOON)
    assert soon.level is Level.URGENT and soon.raised
    reassured = assess(clips["still"], rules.video.findings, Level.REASSURE)
    assert reassured.level is Level.REASSURE  # the check's own level; the chart adds nothing


def test_uneven_bursts_are_not_a_series(rules: Rules) -> None:
    from bot.core.video.bursts import Burst

    uneven = MotionSummary(
        duration=40,
        bursts=(Burst(1, 1), Burst(4, 1), Burst(18, 1), Burst(21, 1)),
        moving_seconds=4,
        left_share=0.5,
        rhythm_seconds=None,
        regularity=0.0,
    )
    assert ids(rules, uneven) == []
    long_bursts = MotionSummary(40, (Burst(1, 3), Burst(7, 3), Burst(13, 3)), 9, 0.5, 6, 0.9)
    assert ids(rules, long_bursts) == []


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "unreadable"), (b"%PDF-1.4 hello", "unreadable"), (b"\x00" * 1000, "unreadable")],
)
def test_files_that_are_not_videos_are_refused(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.mp4"
    path.write_bytes(content)
    with pytest.raises(VideoRejected) as refused:
        analyse_file(path)
    assert refused.value.reason == reason


def test_audio_only_is_refused(tmp_path: Path) -> None:
    import av
    import numpy as np

    path = tmp_path / "audio.m4a"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("aac", rate=8000)
        for index in range(20):
            frame = av.AudioFrame.from_ndarray(
                np.zeros((1, 1024), dtype=np.float32), format="fltp", layout="mono"
            )
            frame.sample_rate, frame.pts = 8000, index * 1024
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    with pytest.raises(VideoRejected) as refused:
        analyse_file(path)
    assert refused.value.reason == "no_video"


def test_too_short_and_too_long_clips_are_refused(tmp_path: Path) -> None:
    from bot.media.decode import Limits

    short = write_video(tmp_path / "short.mp4", Still(), 2)
    with pytest.raises(VideoRejected) as refused:
        analyse_file(short)
    assert refused.value.reason == "too_short"
    long = write_video(tmp_path / "long.mp4", Still(), 5)
    with pytest.raises(VideoRejected) as refused:
        analyse_file(long, Limits(min_seconds=1, max_seconds=3))
    assert refused.value.reason == "too_long"
