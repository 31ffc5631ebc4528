"""The one-screen summary `check-rules` prints for valid rules."""

from __future__ import annotations

from pathlib import Path

from bot.core.rules import Rules


def summary(rules: Rules, directory: Path) -> str:
    locales = ", ".join(f"{code} ({name})" for code, name in rules.locales.items())
    lines = [
        f"Rules in {directory}: OK",
        f"  locales:     {locales}; default {rules.default_locale}",
        f"  UI strings:  {len(rules.ui)}",
        f"  sources:     {len(rules.sources)}",
        f"  explainers:  {len(rules.explainers)} topics",
    ]
    for topic in rules.explainers.values():
        words = len(topic.body.get(rules.default_locale).split())
        lines.append(f"    - {topic.id} ({words} words)")
    triage = getattr(rules, "triage", {})
    for flow in triage.values():
        lines.append(
            f"  triage flow {flow.id}: {len(flow.questions)} questions, "
            f"{len(flow.outcomes)} outcomes"
        )
    return "\n".join(lines)
