"""Draw the triage flows for a clinician: Mermaid (for the README) and Graphviz DOT.

Questions are boxes with their English text (and listed signs) and, in brackets, the facts they
ask; edges carry the answer labels; outcomes are shaped and coloured by level (emergency red,
urgent orange, soon yellow, reassure green; see _STYLE). Each flow is its own subgraph, so
outcomes shared by two flows appear once per flow and the two drawings stay readable side by side.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Iterable, Mapping

from bot.core.triage.models import Flow, Option, Question
from bot.core.triage.vocabulary import Level

WRAP = 38
_TAG = re.compile(r"</?[bi]>")

# level -> (Mermaid shape open/close, DOT shape, fill colour, text colour)
_STYLE: dict[Level, tuple[str, str, str, str, str]] = {
    Level.EMERGENCY: ("{{", "}}", "octagon", "#c62828", "#ffffff"),
    Level.URGENT: ("[[", "]]", "hexagon", "#ef6c00", "#ffffff"),
    Level.SOON: ("[/", "/]", "parallelogram", "#fbc02d", "#000000"),
    Level.REASSURE: ("([", "])", "ellipse", "#2e7d32", "#ffffff"),
}


def _flows(flows: Mapping[str, Flow] | Iterable[Flow]) -> list[Flow]:
    return list(flows.values()) if isinstance(flows, Mapping) else list(flows)


def _plain(text: str) -> str:
    """Telegram HTML -> plain text."""
    return html.unescape(_TAG.sub("", text)).strip()


def _lines(text: str) -> list[str]:
    return [line for part in _plain(text).splitlines() for line in textwrap.wrap(part, WRAP)]


def _question_lines(question: Question, locale: str) -> list[str]:
    """The question, its listed signs (for a grouped one), and the facts it asks."""
    lines = _lines(question.text.get(locale))
    for item in question.items:
        lines += _lines("• " + item.get(locale))
    return [*lines, f"[{', '.join(question.facts)}]"]


def _answer(option: Option, locale: str) -> str:
    return _plain(option.label.get(locale))


def _locale(flow: Flow) -> str:
    return flow.title.locales[0] if "en" not in flow.title.locales else "en"


# ---- Mermaid ---------------------------------------------------------------------------------


def _mermaid_text(text: str) -> str:
    # Mermaid decodes "#NN;" entity codes inside quoted labels; this keeps quotes and brackets safe.
    out = []
    for char in text:
        out.append(f"#{ord(char)};" if char in '"#<>&|{}[]()' else char)
    return "".join(out)


def to_mermaid(flows: Mapping[str, Flow] | Iterable[Flow]) -> str:
    """A Mermaid `flowchart` of every flow, one subgraph each."""
    out = ["flowchart TD"]
    for flow in _flows(flows):
        locale = _locale(flow)
        out.append(f'  subgraph {flow.id}["{_mermaid_text(_plain(flow.title.get(locale)))}"]')
        out.append("    direction TB")
        for question in flow.questions.values():
            lines = _question_lines(question, locale)
            label = "<br/>".join(_mermaid_text(line) for line in lines)
            out.append(f'    {flow.id}__{question.id}["{label}"]')
        for outcome in flow.outcomes.values():
            opening, closing, *_ = _STYLE[outcome.level]
            head = f"{outcome.level.id.upper()}: {_plain(outcome.title.get(locale))}"
            label = "<br/>".join(_mermaid_text(line) for line in _lines(head))
            out.append(f'    {flow.id}__o__{outcome.id}{opening}"{label}"{closing}')
            out.append(f"    class {flow.id}__o__{outcome.id} {outcome.level.id}")
        for question in flow.questions.values():
            for option in question.options:
                target = option.next or f"o__{option.outcome}"
                edge = _mermaid_text(_answer(option, locale))
                out.append(f"    {flow.id}__{question.id} -->|{edge}| {flow.id}__{target}")
        out.append("  end")
    for level, (_, _, _, fill, colour) in _STYLE.items():
        out.append(f"  classDef {level.id} fill:{fill},color:{colour},stroke:#333,stroke-width:2px")
    return "\n".join(out) + "\n"


# ---- Graphviz DOT ----------------------------------------------------------------------------


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _dot_label(lines: list[str]) -> str:
    return "\\n".join(_dot_text(line) for line in lines)


def to_dot(flows: Mapping[str, Flow] | Iterable[Flow]) -> str:
    """A Graphviz digraph of every flow, one cluster each."""
    out = [
        "digraph triage {",
        "  rankdir=TB;",
        '  node [fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    for flow in _flows(flows):
        locale = _locale(flow)
        out.append(f"  subgraph cluster_{flow.id} {{")
        out.append(f'    label="{_dot_text(_plain(flow.title.get(locale)))}";')
        for question in flow.questions.values():
            label = _dot_label(_question_lines(question, locale))
            out.append(
                f'    "{flow.id}.{question.id}" [shape=box, style=rounded, label="{label}"];'
            )
        for outcome in flow.outcomes.values():
            _, _, shape, fill, colour = _STYLE[outcome.level]
            head = f"{outcome.level.id.upper()}: {_plain(outcome.title.get(locale))}"
            out.append(
                f'    "{flow.id}.outcome.{outcome.id}" [shape={shape}, style=filled, '
                f'fillcolor="{fill}", fontcolor="{colour}", label="{_dot_label(_lines(head))}"];'
            )
        for question in flow.questions.values():
            for option in question.options:
                target = option.next or f"outcome.{option.outcome}"
                out.append(
                    f'    "{flow.id}.{question.id}" -> "{flow.id}.{target}" '
                    f'[label="{_dot_text(_answer(option, locale))}"];'
                )
        out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"
