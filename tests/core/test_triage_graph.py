"""The flow drawings for clinicians: Mermaid (README) and Graphviz DOT."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

from bot.core.rules_loader import load_rules
from bot.core.triage import Flow
from bot.core.triage.graph import to_dot, to_mermaid

ROOT = Path(__file__).resolve().parents[2]

NODE = re.compile(r"^\s{4}(\w+)(\[\"|\{\{\"|\[\[\"|\[/\"|\(\[\")")
EDGE = re.compile(r"^\s{4}(\w+) -->\|([^|]+)\| (\w+)$")


@cache
def flows() -> dict[str, Flow]:
    return dict(load_rules(ROOT / "rules").triage)


def test_mermaid_has_both_flows_and_well_formed_lines() -> None:
    text = to_mermaid(flows())
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    assert sum(1 for x in lines if x.startswith("  subgraph ")) == 2
    assert sum(1 for x in lines if x == "  end") == 2
    assert 'subgraph twitch["Twitches or jerks in sleep"]' in text
    assert 'subgraph smile["Smiles or laughing in sleep"]' in text
    nodes = {m.group(1) for x in lines if (m := NODE.match(x))}
    edges = [m.groups() for x in lines if (m := EDGE.match(x))]
    expected_edges = sum(len(q.options) for f in flows().values() for q in f.questions.values())
    assert len(edges) == expected_edges
    for source, _, target in edges:
        assert source in nodes and target in nodes, (source, target)
    for line in lines:
        if NODE.match(line):
            # Quotes and brackets inside a label are written as #NN; codes.
            label = line.split('"')[1]
            assert not set(label) & set('"[]{}()|'), line
    assert {label for _, label, _ in edges} >= {"Yes", "No", "Not sure", "Under 12 weeks"}


def test_mermaid_shapes_and_colours_outcomes_by_level() -> None:
    text = to_mermaid(flows())
    assert 'twitch__o__emergency{{"EMERGENCY: ' in text
    assert 'twitch__o__normal_sleep_jerks(["REASSURE: ' in text
    assert 'smile__o__no_social_smile_yet[/"SOON: ' in text
    assert 'twitch__o__not_typical_jerks[["URGENT: ' in text
    for level in ("emergency", "urgent", "soon", "reassure"):
        assert re.search(rf"^  classDef {level} fill:#[0-9a-f]{{6}}", text, re.M)
    assert "class twitch__o__emergency emergency" in text


def test_mermaid_escapes_special_characters() -> None:
    text = to_mermaid(flows())
    # "38 °C (100.4 °F)" in the fever question: brackets become entity codes.
    assert "38 °C #40;100.4 °F#41;" in text
    assert "[fever]" not in text and "#91;fever#93;" in text


def test_dot_has_both_flows_and_is_balanced() -> None:
    text = to_dot(flows())
    assert text.startswith("digraph triage {") and text.rstrip().endswith("}")
    assert "subgraph cluster_twitch {" in text and "subgraph cluster_smile {" in text
    unquoted = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)
    assert unquoted.count("{") == unquoted.count("}")
    assert '"' not in re.sub(r'"(?:[^"\\]|\\.)*"', "", text)  # every quote is closed
    declared = set(re.findall(r'^\s+"([\w.]+)" \[', text, re.M))
    for source, target in re.findall(r'^\s+"([\w.]+)" -> "([\w.]+)"', text, re.M):
        assert source in declared and target in declared
    assert "shape=octagon" in text and 'fillcolor="#c62828"' in text


# .ci/run installs Graphviz; under CI (CI=true) a missing `dot` fails instead of skipping.
@pytest.mark.skipif(
    shutil.which("dot") is None and os.environ.get("CI") != "true",
    reason="Graphviz is not installed",
)
def test_dot_renders_with_graphviz() -> None:
    result = subprocess.run(
        ["dot", "-Tsvg"], input=to_dot(flows()), capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "<svg" in result.stdout


def test_graph_accepts_a_list_of_flows() -> None:
    one = [flows()["smile"]]
    assert "subgraph smile" in to_mermaid(one) and "twitch" not in to_mermaid(one)
    assert "cluster_smile" in to_dot(one) and "cluster_twitch" not in to_dot(one)


def test_mermaid_draws_the_second_revision() -> None:
    """Grouped screens list their signs and facts; E0, E4 and E5 outcomes are emergencies."""
    text = to_mermaid(flows())
    edges = {m.group(2) for x in text.splitlines() if (m := EDGE.match(x))}
    assert {"One or more of these", "None of these", "Yes, back to normal",
            "Under 3 months", "Yes, right now"} <= edges  # fmt: skip
    assert "#91;breathing_trouble_or_blue, back_to_normal, lasting_over_5_min#93;" in text
    assert "• The body, arms or legs went stiff<br/>" in text
    for outcome in ("twitch__o__seizure_now", "twitch__o__first_seizure",
                    "smile__o__first_seizure", "smile__o__fever_fit_under_6_months"):  # fmt: skip
        assert f'{outcome}{{{{"EMERGENCY: ' in text, outcome
    assert "unresponsive" not in text
    assert "twitch__now -->|" in text and "twitch__wake_now -->|" in text
