"""Make the two pictures the README shows: a movement chart of a synthetic test video and a
milestone timeline (twins born early), with the bot's own code and texts.

    .venv/bin/python tools/readme_pictures.py     # writes docs/pictures/*.png
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.timeline import TimelineBaby, timeline  # noqa: E402
from bot.media.drawing import ChartLabels, TimelineLabels, render_timeline  # noqa: E402
from bot.media.pipeline import analyse_bytes_file  # noqa: E402
from bot.runtime import load_checked_rules  # noqa: E402
from tests.video.synthetic import JerkingBlob, write_video  # noqa: E402

OUT = ROOT / "docs" / "pictures"


def main() -> None:
    rules = load_checked_rules(ROOT / "rules")
    assert rules.video is not None

    def t(key: str, **values: object) -> str:
        return rules.text(key, "en", **values)

    OUT.mkdir(parents=True, exist_ok=True)
    labels = ChartLabels(
        t("video.chart_title"),
        t("video.chart_seconds"),
        t("video.chart_left"),
        t("video.chart_right"),
        t("video.chart_burst"),
    )
    with tempfile.TemporaryDirectory() as folder:
        clip = write_video(Path(folder) / "clip.mp4", JerkingBlob(every=5.0), 64)
        analysis = analyse_bytes_file(clip, rules.video.limits, labels)
    (OUT / "video-chart.png").write_bytes(analysis.chart_png)
    from bot.core.video.findings import lines

    print("chart:", lines(analysis.summary))
    twins = [
        TimelineBaby("Mia", date(2026, 7, 1), 33, frozenset({"newborn_sleep", "social_smile_6w"})),
        TimelineBaby("Leo", date(2026, 7, 1), 33, frozenset({"newborn_sleep", "social_smile_6w"})),
    ]
    model = timeline(twins, rules.milestones.values(), date(2026, 11, 25), "en")
    timeline_labels = TimelineLabels(
        t("timeline.title", name="Mia and Leo"),
        t("timeline.months"),
        t("timeline.corrected"),
        t("timeline.today"),
        t("timeline.sent"),
        t("timeline.next"),
    )
    (OUT / "timeline.png").write_bytes(render_timeline(model, timeline_labels))
    print("written:", *sorted(p.name for p in OUT.glob("*.png")))


if __name__ == "__main__":
    main()
