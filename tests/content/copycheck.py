"""Find text in rules/*.yaml that repeats 7 words in a row from a seed article.

The seeds themselves are not in the repository (copyright); only their one-way fingerprints are,
in tests/data/seed_shingles.txt, made by tools/seed_fingerprints.py. This module uses that
tool's own `normalise`, `shingles` and `fingerprint`, so both sides are cut up the same way.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
TOOL_PATH = ROOT / "tools" / "seed_fingerprints.py"
FINGERPRINT_FILE = ROOT / "tests" / "data" / "seed_shingles.txt"

# Citations must quote the titles of the works they cite (one seed's title is eight words
# long), so `title` inside sources.yaml is the one place where seed words are expected.
EXEMPT = (("sources.yaml", "title"),)


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("seed_fingerprints", TOOL_PATH)
    assert spec is not None and spec.loader is not None, f"cannot load {TOOL_PATH}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def _exempt(file_name: str, key_path: str) -> bool:
    return any(file_name == f and key_path.rsplit(".", 1)[-1] == k for f, k in EXEMPT)


def rule_texts(rules_dir: Path) -> dict[str, str]:
    """Every string value in every rules/*.yaml file, labelled 'file: key.path'."""
    texts = {}
    for path in sorted(rules_dir.glob("*.y*ml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key_path, text in _strings(data, ""):
            if not _exempt(path.name, key_path):
                texts[f"{path.name}: {key_path}"] = text
    return texts


def copied_phrases(texts: Mapping[str, str], prints: set[str]) -> dict[str, list[str]]:
    """For each text that shares a shingle with the seeds: the shared phrases, overlaps merged."""
    size = tool.SHINGLE_WORDS
    found: dict[str, list[str]] = {}
    for label, text in texts.items():
        words = tool.normalise(text)
        shingles = tool.shingles(words, size)
        hits = [i for i, s in enumerate(shingles) if tool.fingerprint(s) in prints]
        phrases: list[str] = []
        start = end = None
        for i in hits:
            if start is not None and i <= end:
                end = i + size
                continue
            if start is not None:
                phrases.append(" ".join(words[start:end]))
            start, end = i, i + size
        if start is not None:
            phrases.append(" ".join(words[start:end]))
        if phrases:
            found[label] = phrases
    return found


def report(found: Mapping[str, list[str]]) -> str:
    lines = ["These texts repeat 7 or more words in a row from a seed article; reword them:"]
    for label, phrases in found.items():
        lines.append(f"- {label}")
        lines += [f'    "{phrase}"' for phrase in phrases]
    return "\n".join(lines)
