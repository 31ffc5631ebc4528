"""The rules loader: every error class is reported with its file and line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from bot.core.rules import RulesInvalid
from bot.core.rules.source import load_yaml
from bot.core.rules_loader import load_rules
from bot.telegram.ui_keys import UI_KEYS


@pytest.fixture
def rules_copy(tmp_path: Path, rules_dir: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(rules_dir, target)
    return target


def errors_of(directory: Path) -> list[str]:
    with pytest.raises(RulesInvalid) as caught:
        load_rules(directory, UI_KEYS)
    return [str(error) for error in caught.value.errors]


def replace_in(path: Path, old: str, new: str) -> int:
    """Replace text once and return the 1-based line where it was."""
    text = path.read_text()
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1))
    return line


def test_the_shipped_rules_load(rules_dir: Path) -> None:
    rules = load_rules(rules_dir, UI_KEYS)
    assert rules.explainers and rules.triage and rules.milestones


def test_bad_yaml_points_at_its_line(rules_copy: Path) -> None:
    line = replace_in(rules_copy / "ui.yaml", "  button.back:", "  button.back: [unclosed")
    [error] = [e for e in errors_of(rules_copy) if "ui.yaml" in e]
    assert re.match(rf".*ui\.yaml:{line + 1}: bad YAML", error), error


def test_unknown_key(rules_copy: Path) -> None:
    line = replace_in(
        rules_copy / "explainers.yaml",
        "    related: [smile_types",
        "    colour: red\n    related: [smile_types",
    )
    errors = errors_of(rules_copy)
    assert any(f"explainers.yaml:{line}: unknown key 'colour'" in e for e in errors), errors


def test_missing_text_for_a_locale(rules_copy: Path) -> None:
    replace_in(rules_copy / "locales.yaml", "  en: English", "  en: English\n  de: Deutsch")
    errors = errors_of(rules_copy)
    assert any(
        re.search(r"ui\.yaml:\d+: strings\.start\.welcome has no text for locale 'de'", e)
        for e in errors
    )
    assert any("explainers.yaml" in e and "'de'" in e for e in errors)


def test_dangling_references(rules_copy: Path) -> None:
    line = replace_in(
        rules_copy / "explainers.yaml", "    related: [smile_types", "    related: [no_such_topic"
    )
    source_line = replace_in(rules_copy / "explainers.yaml", "sources: [S1,", "sources: [S999,")
    errors = errors_of(rules_copy)
    assert any(
        f"explainers.yaml:{line}:" in e and "unknown topic 'no_such_topic'" in e for e in errors
    )
    assert any(
        f"explainers.yaml:{source_line}:" in e and "unknown source 'S999'" in e for e in errors
    )


def test_over_long_texts(rules_copy: Path) -> None:
    line = replace_in(
        rules_copy / "ui.yaml",
        'alert.error:\n    en: "Sorry, something went wrong. Please try again."',
        f'alert.error:\n    en: "{"x" * 201}"',
    )
    errors = errors_of(rules_copy)
    assert any(
        f"ui.yaml:{line + 1}:" in e and "too long: 201 characters (max 200)" in e for e in errors
    )


def test_explainer_word_limit(rules_copy: Path) -> None:
    path = rules_copy / "explainers.yaml"
    text = path.read_text()
    marker = "        <b>Why babies smile in their sleep</b>\n"
    path.write_text(text.replace(marker, marker + "        " + "word " * 140 + "\n", 1))
    assert any("words (max 130)" in e for e in errors_of(rules_copy))


def test_placeholders_must_match_across_locales(rules_copy: Path) -> None:
    replace_in(rules_copy / "locales.yaml", "  en: English", "  en: English\n  de: Deutsch")
    add_locale(rules_copy, "de")
    line = replace_in(rules_copy / "ui.yaml", "DE: 🩺 <b>{flow}</b>", "DE: 🩺 <b>{flow_name}</b>")
    errors = errors_of(rules_copy)
    assert any(f"ui.yaml:{line}:" in e and "placeholders" in e for e in errors), errors


def test_missing_ui_string_that_the_bot_uses(rules_copy: Path) -> None:
    path = rules_copy / "ui.yaml"
    path.write_text(re.sub(r"  button\.back:\n(    [a-z]+: [^\n]*\n)+", "", path.read_text()))
    assert any("missing UI string 'button.back'" in e for e in errors_of(rules_copy))


def test_unexpected_file_and_duplicate_key(rules_copy: Path) -> None:
    (rules_copy / "notes.yaml").write_text("a: 1\n")
    (rules_copy / "locales.yaml").write_text("default: en\nlocales:\n  en: English\n  en: Again\n")
    errors = errors_of(rules_copy)
    assert any("notes.yaml:1: unexpected rules file" in e for e in errors)
    assert any("locales.yaml:4: bad YAML: duplicate key 'en'" in e for e in errors)


def test_yes_and_no_stay_strings(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: yes\nb: no\nc: true\n")
    data, errors = load_yaml(path, "x.yaml")
    assert not errors and data == {"a": "yes", "b": "no", "c": True}


def add_locale(directory: Path, locale: str) -> None:
    """Give every per-locale text a copy in `locale`, prefixed with its code (a stand-in)."""

    def visit(node: object) -> object:
        if isinstance(node, dict):
            plain = {key: visit(value) for key, value in node.items()}
            if isinstance(plain.get("en"), str | list) and locale not in plain:
                en = plain["en"]
                plain[locale] = f"{locale.upper()}: {en}" if isinstance(en, str) else list(en)
            return plain
        if isinstance(node, list):
            return [visit(value) for value in node]
        return node

    for path in directory.glob("*.yaml"):
        if path.name in ("locales.yaml", "sources.yaml"):
            continue
        data, errors = load_yaml(path, path.name)  # the project's loader: yes/no stay strings
        assert not errors
        path.write_text(
            yaml.safe_dump(visit(data), allow_unicode=True, sort_keys=False, width=1000)
        )


def test_a_second_locale_is_picked_up(rules_copy: Path) -> None:
    replace_in(rules_copy / "locales.yaml", "  en: English", "  en: English\n  de: Deutsch")
    add_locale(rules_copy, "de")
    rules = load_rules(rules_copy, UI_KEYS)
    assert rules.pick_locale("de-AT") == "de" and rules.pick_locale("fr") == "en"
    assert rules.text("button.back", "de").startswith("DE: ")
    assert rules.explainers["why_twitch"].body.get("de").startswith("DE: ")

    # Remove one German string: check-rules names it, with its file and line.
    path = rules_copy / "ui.yaml"
    text = path.read_text()
    german = next(line for line in text.splitlines() if "DE: ⬅️ Back" in line)
    path.write_text(text.replace(german + "\n", "", 1))
    errors = errors_of(rules_copy)
    assert any(
        re.search(r"ui\.yaml:\d+: strings\.button\.back has no text for locale 'de'", e)
        for e in errors
    ), errors


@pytest.mark.parametrize(
    ("file", "old", "new", "problem"),
    [
        ("ui.yaml", "DE: 🩺 <b>{flow}</b>", "DE: 🩺 <b>{flow}", "<b> is never closed"),
        ("explainers.yaml", "DE: <b>", "DE: <b><i>", "does not close the last open tag <i>"),
        ("milestones.yaml", "DE: <b>The newborn", "DE: a < b <b>The newborn", "a bare '<'"),
        ("triage_smile.yaml", "DE: A long pause", "DE: Tom & Jerry", "a bare '&'"),
        ("emergency_numbers.yaml", "DE: ", "DE: <p>", "<p> is not a Telegram tag"),
        ("ui.yaml", "DE: ⬅️ Back", "DE: <b>⬅️ Back</b>", "must be plain text"),
    ],
)
def test_markup_is_checked_in_every_locale(
    rules_copy: Path, file: str, old: str, new: str, problem: str
) -> None:
    replace_in(rules_copy / "locales.yaml", "  en: English", "  en: English\n  de: Deutsch")
    add_locale(rules_copy, "de")
    line = replace_in(rules_copy / file, old, new)
    errors = errors_of(rules_copy)
    assert any(f"{file}:{line}:" in e and ".de: " in e and problem in e for e in errors), [
        e for e in errors if file in e
    ]
