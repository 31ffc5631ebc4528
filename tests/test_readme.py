"""The README stays true: its flow diagram is what the rules draw today."""

from __future__ import annotations

import re

from bot.core.rules import Rules
from bot.core.triage.graph import to_mermaid
from tests.conftest import ROOT


def test_readme_diagram_matches_the_rules(rules: Rules) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```mermaid\n(.*?)\n```", readme, flags=re.S)
    assert blocks, "README.md has no Mermaid block"
    assert blocks[0].strip() == to_mermaid(rules.triage).strip(), (
        "README's diagram is out of date: paste the output of `python -m bot rules graph`"
    )


def test_readme_test_command_is_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -e '.[test]'" in readme and "pip install --quiet -e '.[test]'" in ci
    assert "python -m pytest" in readme and "python -m pytest" in ci
