"""Every text exists in every declared locale, with the same HTML tags, and check-rules
refuses to start with a partial locale (reporting file:line and the missing locale)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from bot.core.rules import RulesInvalid
from bot.core.rules_loader import load_rules
from tests.english_only import copy_english_only

from .localised import localised_entries

_TAG = re.compile(r"</?[a-z]+")


def declared_locales(rules_dir: Path) -> list[str]:
    data = yaml.safe_load((rules_dir / "locales.yaml").read_text(encoding="utf-8"))
    return list(data["locales"])


def test_spanish_is_declared(rules_dir: Path) -> None:
    assert "es" in declared_locales(rules_dir)


def test_every_text_has_every_locale(rules_dir: Path) -> None:
    locales = declared_locales(rules_dir)
    entries = localised_entries(rules_dir)
    assert len(entries) > 500
    missing = [
        f"{e.label}: no '{locale}'"
        for e in entries
        for locale in locales
        if not e.texts.get(locale) or type(e.texts[locale]) is not type(e.texts["en"])
    ]
    assert not missing, "\n".join(missing)


def test_every_locale_uses_the_same_html_tags(rules_dir: Path) -> None:
    locales = declared_locales(rules_dir)
    problems = []
    for entry in localised_entries(rules_dir):
        if not isinstance(entry.texts["en"], str):
            continue
        tags = _TAG.findall(entry.texts["en"])
        for locale in locales:
            if _TAG.findall(entry.texts.get(locale) or "") != tags:
                problems.append(f"{entry.label}: '{locale}' tags differ from 'en' {tags}")
    assert not problems, "\n".join(problems)


def _drop_line(path: Path, startswith: str) -> int:
    """Remove the first line that starts (after indentation) with `startswith`; its number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.strip().startswith(startswith))
    del lines[index]
    path.write_text("\n".join(lines), encoding="utf-8")
    return index + 1


@pytest.mark.parametrize(
    ("file", "line_start", "expected"),
    [
        ("ui.yaml", 'es: "🔔 Avisos"', "has no text for locale 'es'"),
        ("triage_outcomes.yaml", 'es: "No sé"', "has no text for locale 'es'"),
        ("milestones.yaml", "es: |-", "has no text for locale 'es'"),
    ],
)
def test_check_rules_refuses_a_partial_locale(
    rules_dir: Path, tmp_path: Path, file: str, line_start: str, expected: str
) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(rules_dir, copy)
    _drop_line(copy / file, line_start)
    with pytest.raises(RulesInvalid) as caught:
        load_rules(copy)
    messages = [str(e) for e in caught.value.errors]
    assert any(file in m and expected in m for m in messages), messages


def test_check_rules_refuses_missing_keywords_for_a_locale(rules_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(rules_dir, copy)
    path = copy / "explainers.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(x for x in text.split("\n") if x.strip().startswith("keywords: {en:"))
    path.write_text(text.replace(line, line.split(", es:")[0] + "}", 1), encoding="utf-8")
    with pytest.raises(RulesInvalid) as caught:
        load_rules(copy)
    assert any(
        "keywords has no list for locale 'es'" in str(e) and e.file.endswith("explainers.yaml")
        for e in caught.value.errors
    ), caught.value.errors


def test_an_english_only_copy_keeps_every_english_text(rules_dir: Path, tmp_path: Path) -> None:
    """The helper that structure tests use to drop the other locales loses no English."""
    copy = tmp_path / "rules"
    copy.mkdir()
    for path in rules_dir.glob("*.yaml"):
        copy_english_only(path, copy / path.name)
    english = load_rules(copy)
    full = load_rules(rules_dir)
    assert list(english.locales) == ["en"]
    assert {k: v.get("en") for k, v in english.ui.items()} == {
        k: v.get("en") for k, v in full.ui.items()
    }
    assert [(m.id, m.text.get("en")) for m in english.milestones.values()] == [
        (m.id, m.text.get("en")) for m in full.milestones.values()
    ]
    assert {i: t.keywords for i, t in english.explainers.items()} == {
        i: {"en": t.keywords["en"]} for i, t in full.explainers.items()
    }
