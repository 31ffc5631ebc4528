"""rules/milestones*.yaml validation: each broken copy fails with the right `file:line` error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.age import AgeSpan
from bot.core.milestones import Action, Answer
from bot.core.rules import RuleError, Rules, RulesInvalid
from bot.core.rules_loader import load_rules
from tests.english_only import copy_english_only

ROOT = Path(__file__).resolve().parents[2]
BASE_FILES = ("locales.yaml", "sources.yaml", "ui.yaml", "explainers.yaml")

GOOD = """\
milestones:
  first:
    weeks: 6
    corrected: true
    title: {en: "First smiles"}
    text: {en: "<b>First</b>\\nSmile at {name}."}
    sources: [S30]
    buttons:
      - id: smiling
        label: {en: "Yes, smiling!"}
        action: record_answer
        reply: {en: "Lovely!"}
      - id: why
        label: {en: "Why"}
        action: open_explainer
        topic: why_twitch
  second:
    weeks: 12
    corrected: true
    skip_if_answered: {milestone: first, button: smiling}
    current_for_weeks: 2
    title: {en: "Second"}
    text: {en: "<b>Second</b>"}
    cohort_text: {en: "Babies born in {month}"}
    sources: [S1, S30]
  third:
    months: 4
    corrected: false
    late_until: {months: 12}
    title: {en: "Third"}
    text: {en: "<b>Third</b> &amp; more"}
    sources: [S8]
"""


def make_rules(tmp_path: Path, milestones: str, *, triage: bool = False) -> Path:
    directory = tmp_path / "rules"
    directory.mkdir()
    for name in BASE_FILES:
        copy_english_only(ROOT / "rules" / name, directory / name)
    if triage:
        for path in (ROOT / "rules").glob("triage*.yaml"):
            copy_english_only(path, directory / path.name)
    (directory / "milestones.yaml").write_text(milestones, encoding="utf-8")
    return directory


def errors_for(tmp_path: Path, milestones: str, *, triage: bool = False) -> list[RuleError]:
    with pytest.raises(RulesInvalid) as caught:
        load_rules(make_rules(tmp_path, milestones, triage=triage))
    return caught.value.errors


def line_of(text: str, needle: str, after: str = "") -> int:
    """The 1-based line of the first `needle` at or after the first line containing `after`."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if after in line)
    return next(i for i, line in enumerate(lines) if i >= start and needle in line) + 1


def test_a_good_file_loads(tmp_path: Path) -> None:
    rules = load_rules(make_rules(tmp_path, GOOD))
    first, second, third = rules.milestones.values()
    assert (first.id, second.id, third.id) == ("first", "second", "third")
    assert first.age == AgeSpan(6, "weeks") and first.corrected
    assert first.buttons[0].action is Action.RECORD_ANSWER
    assert first.buttons[0].reply is not None and first.buttons[0].reply.get("en") == "Lovely!"
    assert first.buttons[1].target == "why_twitch"
    assert first.cohort_text is None and first.current_for_weeks == 4
    assert second.skip_if_answered == (Answer("first", "smiling"),)
    assert second.current_for_weeks == 2
    assert third.age == AgeSpan(4, "months") and not third.corrected
    assert third.late_until == AgeSpan(12, "months") and first.late_until is None
    assert first.file.endswith("milestones.yaml") and first.line == 2


def test_milestones_may_be_split_over_files(tmp_path: Path) -> None:
    directory = make_rules(tmp_path, GOOD)
    extra = GOOD.replace("first", "fourth").replace("second", "fifth").replace("third", "sixth")
    extra = extra.replace("weeks: 6", "weeks: 7").replace("weeks: 12", "weeks: 13")
    (directory / "milestones_more.yaml").write_text(extra.replace("months: 4", "months: 5"))
    assert len(load_rules(directory).milestones) == 6


# (what to break, old text, new text, line to expect: (needle, after), message fragment)
BROKEN = [
    (
        "unknown key",
        "    corrected: false\n",
        "    corrected: false\n    colour: blue\n",
        ("colour", "third"),
        "unknown key 'colour'",
    ),
    (
        "missing locale text",
        'text: {en: "<b>Second</b>"}',
        'text: {xx: "<b>Second</b>"}',
        ("xx:", "second"),
        "unknown locale 'xx'",
    ),
    (
        "missing required key",
        "    sources: [S8]\n",
        "",
        ("months: 4", "third"),  # a mapping's line is that of its first key
        "missing required key 'sources'",
    ),
    (
        "over-long note",
        'text: {en: "<b>Third</b> &amp; more"}',
        'text: {en: "<b>Third</b> ' + "word " * 125 + '"}',
        ("text:", "third"),
        "too long: 126 words",
    ),
    (
        "dangling explainer topic",
        "topic: why_twitch",
        "topic: why_wobble",
        ("topic:", ""),
        "unknown explainer topic 'why_wobble'",
    ),
    (
        "dangling triage flow",
        "        action: open_explainer\n        topic: why_twitch\n",
        "        action: open_triage\n        flow: twitch\n",
        ("flow:", ""),
        "unknown triage flow 'twitch'",
    ),
    (
        "dangling source",
        "sources: [S8]",
        "sources: [S8, S999]",
        ("S999", ""),
        "unknown source 'S999'",
    ),
    (
        "two ages",
        "    months: 4\n",
        "    months: 4\n    weeks: 17\n",
        ("third:", ""),
        "exactly one of days:, weeks:, months: (weeks:, months:)",
    ),
    (
        "no age",
        "    months: 4\n",
        "",
        ("third:", ""),
        "exactly one of days:, weeks:, months: (none)",
    ),
    (
        "same age, same basis",
        "    weeks: 12\n",
        "    weeks: 6\n",
        ("second:", ""),
        "'first' (",
    ),
    (
        "same age in other units",
        "    weeks: 12\n",
        "    days: 42\n",
        ("second:", ""),
        "are both due at 42 days (corrected age)",
    ),
    (
        "corrected after 2 years",
        "    months: 4\n    corrected: false\n",
        "    months: 24\n    corrected: true\n",
        ("corrected:", "third"),
        "corrected age is used only up to 24 months",
    ),
    (
        "corrected not a boolean",
        "    months: 4\n    corrected: false\n",
        "    months: 4\n    corrected: yes\n",
        ("corrected:", "third"),
        "corrected must be true or false",
    ),
    (
        "skip on a button that records nothing",
        "button: smiling}",
        "button: why}",
        ("skip_if_answered", ""),
        "button 'why' of 'first' does not record an answer",
    ),
    (
        "skip on an unknown milestone",
        "{milestone: first, button: smiling}",
        "{milestone: zeroth, button: smiling}",
        ("skip_if_answered", ""),
        "unknown milestone 'zeroth'",
    ),
    (
        "skip on an unknown button",
        "button: smiling}",
        "button: grinning}",
        ("skip_if_answered", ""),
        "has no button 'grinning'",
    ),
    (
        "skip on a later note",
        "    weeks: 6\n",
        "    weeks: 14\n",
        ("skip_if_answered", ""),
        "is not due before this note",
    ),
    (
        "record_answer without reply",
        '        reply: {en: "Lovely!"}\n',
        "",
        ("- id: smiling", ""),
        "needs 'reply:'",
    ),
    (
        "target on the wrong action",
        '        reply: {en: "Lovely!"}\n',
        '        reply: {en: "Lovely!"}\n        topic: why_twitch\n',
        ("topic: why_twitch", ""),
        "'topic:' does not go with record_answer",
    ),
    (
        "unknown action",
        "action: open_explainer",
        "action: open_door",
        ("open_door", ""),
        "action must be one of",
    ),
    (
        "duplicate button id",
        "      - id: why\n",
        "      - id: smiling\n",
        ("- id: smiling", "reply:"),  # the second button's line
        "button id 'smiling' is used twice",
    ),
    (
        "long milestone id",
        "  third:\n",
        "  third_with_a_very_long_name:\n",
        ("third_with", ""),
        "too long for a button (max 24)",
    ),
    (
        "HTML tag",
        "<b>Third</b> &amp; more",
        "<p>Third</p>",
        ("<p>Third", ""),
        "<p> is not a Telegram tag",
    ),
    (
        "bare ampersand",
        "<b>Third</b> &amp; more",
        "<b>Third</b> & more",
        ("& more", ""),
        "write &amp; for a literal &",
    ),
    (
        "HTML in a title",
        'title: {en: "Third"}',
        'title: {en: "<b>Third</b>"}',
        ("<b>Third</b>", ""),
        "must be plain text",
    ),
    (
        "{month} in a note",
        "Smile at {name}.",
        "Smile in {month}.",
        ("{month}", ""),
        "only {name} is filled in here",
    ),
    (
        "{name} in a cohort text",
        "Babies born in {month}",
        "Babies like {name}",
        ("Babies like", ""),
        "only {month} is filled in here",
    ),
    (
        "duplicate key",
        "    current_for_weeks: 2\n",
        "    current_for_weeks: 2\n    current_for_weeks: 3\n",
        ("current_for_weeks: 3", ""),
        "duplicate key 'current_for_weeks'",
    ),
    (
        "current_for_weeks out of range",
        "current_for_weeks: 2",
        "current_for_weeks: 0",
        ("current_for_weeks", ""),
        "whole number from 1 to 52",
    ),
    (
        "week out of range",
        "    weeks: 12\n",
        "    weeks: -1\n",
        ("weeks: -1", ""),
        "whole number from 0 to 261",
    ),
    (
        "late_until not after the note's own age",
        "late_until: {months: 12}",
        "late_until: {weeks: 10}",
        ("late_until", ""),
        "late_until (10 weeks) must be an age after the note's (4 months)",
    ),
    (
        "late_until without an age",
        "late_until: {months: 12}",
        "late_until: {years: 1}",
        ("late_until", ""),
        "needs exactly one of days:, weeks:, months:",
    ),
    (
        "late_until not a mapping",
        "late_until: {months: 12}",
        "late_until: 12",
        ("late_until", ""),
        "late_until",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_broken_copy_reports_file_and_line(
    tmp_path: Path, old: str, new: str, where: tuple[str, str], message: str
) -> None:
    assert old in GOOD, "the test case no longer matches GOOD"
    broken = GOOD.replace(old, new, 1)
    errors = errors_for(tmp_path, broken)
    expected_line = line_of(broken, *where)
    matching = [e for e in errors if message in e.message]
    assert matching, "\n".join(str(e) for e in errors)
    assert matching[0].file.endswith("milestones.yaml")
    assert matching[0].line == expected_line, "\n".join(str(e) for e in errors)
    assert str(matching[0]).startswith(f"{matching[0].file}:{expected_line}: ")


def test_a_duplicate_id_in_another_file(tmp_path: Path) -> None:
    directory = make_rules(tmp_path, GOOD)
    (directory / "milestones_more.yaml").write_text(
        "milestones:\n  third:\n    months: 5\n    corrected: false\n"
        '    title: {en: "Again"}\n    text: {en: "Again"}\n    sources: [S8]\n'
    )
    with pytest.raises(RulesInvalid) as caught:
        load_rules(directory)
    [error] = caught.value.errors
    assert error.file.endswith("milestones_more.yaml") and error.line == 2
    assert "milestone 'third' is already defined at" in error.message
    assert "milestones.yaml:26" in error.message


def test_open_triage_accepts_a_real_flow(tmp_path: Path) -> None:
    good = GOOD.replace(
        "        action: open_explainer\n        topic: why_twitch\n",
        "        action: open_triage\n        flow: twitch\n",
    )
    rules = load_rules(make_rules(tmp_path, good, triage=True))
    assert rules.milestones["first"].buttons[1].target == "twitch"


def test_a_list_of_skips(tmp_path: Path) -> None:
    good = GOOD.replace(
        "skip_if_answered: {milestone: first, button: smiling}",
        "skip_if_answered:\n      - {milestone: first, button: smiling}\n"
        "      - {milestone: first, button: smiling2}",
    )
    errors = errors_for(tmp_path, good)
    assert [e.message.split(": ", 1)[1] for e in errors] == [
        "milestone 'first' has no button 'smiling2'"
    ]
    assert errors[0].line == line_of(good, "smiling2")


def test_the_real_file_reports_lines_too(tmp_path: Path, rules_dir: Path) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(rules_dir, copy)
    path = copy / "milestones.yaml"
    text = path.read_text(encoding="utf-8")
    broken = text.replace("topic: see_doctor_signs", "topic: see_doctor_sign", 1)
    assert broken != text
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(RulesInvalid) as caught:
        load_rules(copy)
    [error] = caught.value.errors
    assert error.line == line_of(broken, "topic: see_doctor_sign")
    assert "unknown explainer topic 'see_doctor_sign'" in error.message


def test_rules_without_milestone_files_have_none(tmp_path: Path) -> None:
    directory = make_rules(tmp_path, GOOD)
    (directory / "milestones.yaml").unlink()
    assert load_rules(directory).milestones == {}


def test_the_real_rules_have_milestones(rules: Rules) -> None:
    assert len(rules.milestones) >= 13
