"""rules/video.yaml is validated at start-up like every rules file: errors name file:line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.rules.errors import RulesInvalid
from bot.core.rules_loader import load_rules
from bot.telegram.ui_keys import UI_KEYS


def broken_copy(rules_dir: Path, tmp_path: Path, old: str, new: str) -> Path:
    copy = tmp_path / "rules"
    shutil.copytree(rules_dir, copy)
    path = copy / "video.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    # At a line start, so the schema in the file's header comment stays as it is.
    path.write_text(text.replace("\n" + old, "\n" + new, 1), encoding="utf-8")
    return copy


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    level: urgent\n", "    level: reassure\n", "level must be emergency, urgent or soon"),
        ("    sources: [S8, S9, S11, S12]", "    sources: [S999]", "unknown source 'S999'"),
        ("    burst_seconds: [0.5, 2]", "    burst_seconds: [2, 0.5]", "must be [low, high]"),
        ("  video.working:", "  menu.working:", "must start with one of video."),
        ("  max_megabytes: 20", "  max_megabytes: 50", "max_megabytes must be a whole number"),
        # Telegram HTML in messages and findings, plain text in labels drawn into a picture
        (
            '      en: "Movement on one side only"',
            '      en: "Movement on <b>one side only"',
            "findings.one_side.title.en: <b> is never closed",
        ),
        (
            '    en: "🎥 Got your video. I am looking at another one first. Yours is next."',
            '    en: "🎥 Got your video & one more. Yours is next."',
            "strings.video.busy.en: a bare '&'",
        ),
        (
            '    en: "left half"',
            '    en: "<i>left</i> half"',
            "strings.video.chart_left.en: must be plain",
        ),
        ('    en: "sent"', '    en: "sent &amp; read"', "strings.timeline.sent.en: must be plain"),
        (
            '    en: "✅ Kept with your history. /forget removes it."',
            '    en: "✅ Kept <b>with</b> your history."',
            "strings.video.kept.en: must be plain",
        ),
    ],
)
def test_a_mistake_in_video_yaml_points_at_its_line(
    rules_dir: Path, tmp_path: Path, old: str, new: str, message: str
) -> None:
    copy = broken_copy(rules_dir, tmp_path, old, new)
    with pytest.raises(RulesInvalid) as invalid:
        load_rules(copy, UI_KEYS)
    errors = [str(e) for e in invalid.value.errors]
    assert any(message in e and "video.yaml:" in e for e in errors), errors
    lines = (copy / "video.yaml").read_text().splitlines()
    expected = 1 + next(i for i, text in enumerate(lines) if text.strip() == new.strip())
    assert any(f"video.yaml:{expected}:" in e for e in errors if message in e), errors


def test_a_missing_video_yaml_is_reported(rules_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(rules_dir, copy)
    (copy / "video.yaml").unlink()
    with pytest.raises(RulesInvalid) as invalid:
        load_rules(copy, UI_KEYS)
    assert any("video.yaml:1: required file is missing" in str(e) for e in invalid.value.errors)
