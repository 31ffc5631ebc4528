"""Issue 14: the chart's advice reads at about a 6th-grade level, never says "normal", says
what the chart can't see, and cites sources."""

from __future__ import annotations

from bot.core.rules import Rules

from .readability import grade_table, grade_texts, readability_problems

SENTENCES = (
    "video.working",
    "video.no_finding",
    "video.cannot_see",
    "video.triage_stays",
    "video.deleted",
    "video.bad_too_big",
    "video.bad_unreadable",
    "video.bad_not_video",
    "video.bad_too_short",
    "video.bad_too_long",
    "video.in_group",
    "video.ask",
)


def test_the_advice_and_the_messages_are_easy_to_read(rules: Rules) -> None:
    assert rules.video is not None
    texts = {
        f"finding {f.id}": f.text.get(rules.default_locale) for f in rules.video.findings.values()
    }
    texts |= {key: rules.ui[key].get(rules.default_locale) for key in SENTENCES}
    grades = grade_texts(texts)
    problems = readability_problems(grades)
    assert not problems, "\n".join([*problems, "", grade_table(grades)])


def test_the_chart_never_says_normal_and_says_what_it_cannot_see(rules: Rules) -> None:
    assert rules.video is not None
    everything = [t.get("en") for key, t in rules.ui.items() if key.startswith("video.")]
    everything += [f.text.get("en") for f in rules.video.findings.values()]
    assert not any("normal" in text.lower() for text in everything)
    cannot_see = rules.ui["video.cannot_see"].get("en")
    for unseen in ("asleep", "reacting", "breathing"):
        assert unseen in cannot_see
    assert all(f.sources for f in rules.video.findings.values())
    assert rules.video.findings["spasm_series"].level.id == "urgent"
