"""The one-screen summary `check-rules` prints for valid rules."""

from __future__ import annotations

from pathlib import Path

from bot.core.rules import Rules
from bot.core.triage.measures import taps


def summary(rules: Rules, directory: Path) -> str:
    locales = ", ".join(f"{code} ({name})" for code, name in rules.locales.items())
    words = [len(t.body.get(rules.default_locale).split()) for t in rules.explainers.values()]
    lines = [
        f"Rules in {directory}: OK",
        f"  locales:     {locales}; default {rules.default_locale}",
        f"  UI strings:  {len(rules.ui)}",
        f"  sources:     {len(rules.sources)}",
        f"  explainers:  {len(rules.explainers)} topics, {min(words, default=0)}-"
        f"{max(words, default=0)} words each: {', '.join(rules.explainers)}",
    ]
    for flow in rules.triage.values():
        levels = sorted({o.level.id for o in flow.outcomes.values()})
        count = taps(flow)
        lines.append(
            f"  triage:      flow '{flow.id}': {len(flow.questions)} questions (at most "
            f"{count.most} on a path), {len(flow.outcomes)} outcomes ({', '.join(levels)}); "
            f"at most {count.to_reassure} questions to reassure, every danger sign (E1-E3) "
            f"asked by question {count.danger_signs_by} (the live waking test of E0 not counted)"
        )
    ages = [f"{m.age.amount} {m.age.unit}" for m in rules.milestones.values()]
    lines.append(f"  milestones:  {len(rules.milestones)} notes, at {', '.join(ages)}")
    if rules.emergency_numbers is not None:
        countries = rules.emergency_numbers.countries
        lines.append(f"  emergency:   numbers for {len(countries)} countries, and a fallback")
    if rules.video is not None:
        findings = ", ".join(f"{f.id} ({f.level.id})" for f in rules.video.findings.values())
        lines.append(f"  video:       the chart can raise the level for {findings}")
    return "\n".join(lines)
