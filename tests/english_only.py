"""Copy rules files with only the default locale, for tests whose fixtures are English-only.

Structure tests (triage graphs, milestone schedules) splice small English-only snippets into
copies of the real rules; with a second locale declared, each snippet would also need that
locale. Stripping the other locales from the copies keeps those tests about structure.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml


def other_locales(rules_dir: Path) -> list[str]:
    data = yaml.safe_load((rules_dir / "locales.yaml").read_text(encoding="utf-8"))
    return [code for code in data["locales"] if code != data["default"]]


def strip_locales(text: str, codes: list[str]) -> str:
    """`text` without the entries for `codes`: `es: ...` lines and blocks, `, es: ...}` inline."""
    if not codes:
        return text
    names = "|".join(map(re.escape, codes))
    key = re.compile(rf"^(\s*)(?:{names}):(.*)$")
    inline = re.compile(rf", (?:{names}): (?:\"(?:[^\"\\\\]|\\\\.)*\"|\[[^\]]*\])(?=[,}}])")
    out: list[str] = []
    block_indent: int | None = None
    for line in text.split("\n"):
        if block_indent is not None:
            if not line.strip() or len(line) - len(line.lstrip()) > block_indent:
                continue
            block_indent = None
        match = key.match(line)
        if match:
            rest = match.group(2).strip()
            if not rest or rest.startswith(("|", ">")):
                block_indent = len(match.group(1))
            continue
        out.append(inline.sub("", line))
    return "\n".join(out)


def copy_english_only(source: Path, target: Path) -> None:
    """Copy one rules file (any file in rules/, locales.yaml included) with only `en`."""
    codes = other_locales(source.parent)
    target.write_text(strip_locales(source.read_text(encoding="utf-8"), codes), encoding="utf-8")
