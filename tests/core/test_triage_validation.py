"""Each class of rules error is reported with the file and line to fix.

Every test copies the real triage files (plus locales, sources and ui) into tmp_path, breaks one
thing by a text edit, loads the copy with load_rules and looks for the error at the broken line.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import yaml

from bot.core.rules import RuleError, RulesInvalid
from bot.core.rules_loader import load_rules
from bot.core.triage import Level, enumerate_paths
from bot.core.triage.vocabulary import BENIGN_ANSWER, CAUTIOUS_ANSWER, EMERGENCY_FLAGS, RED_FLAGS
from tests.english_only import copy_english_only

ROOT = Path(__file__).resolve().parents[2]

RULES = ROOT / "rules"
COPIED = ("locales.yaml", "sources.yaml", "ui.yaml")
TWITCH = "triage_twitch.yaml"
SMILE = "triage_smile.yaml"
SHARED = "triage_outcomes.yaml"


def copy_rules(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    target.mkdir()
    for name in COPIED:
        copy_english_only(RULES / name, target / name)
    for path in RULES.glob("triage*.yaml"):
        copy_english_only(path, target / path.name)
    return target


def edit(directory: Path, name: str, old: str, new: str, after: str = "") -> int:
    """Replace the first `old` (after the first `after`) in a copied file; return its line."""
    path = directory / name
    text = path.read_text(encoding="utf-8")
    start = text.index(after) if after else 0
    at = text.index(old, start)
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    return text.count("\n", 0, at) + 1


def errors_of(directory: Path) -> list[RuleError]:
    with pytest.raises(RulesInvalid) as caught:
        load_rules(directory)
    return caught.value.errors


def assert_error(errors: list[RuleError], name: str, line: int, *fragments: str) -> None:
    found = [
        e for e in errors if Path(e.file).name == name and e.line == line
        and all(f in e.message for f in fragments)
    ]  # fmt: skip
    listing = "\n".join(str(e) for e in errors)
    assert found, f"no error at {name}:{line} with {fragments}; got:\n{listing}"
    assert str(found[0]).endswith(f"{name}:{line}: {found[0].message}")


def option_start(directory: Path, name: str, line: int) -> int:
    """The line of the option ("- value:" or "- min_weeks:") that holds `line`: where errors
    about an option's target are reported."""
    lines = (directory / name).read_text(encoding="utf-8").splitlines()
    while not re.match(r"\s*- (value|min_weeks):", lines[line - 1]):
        line -= 1
    return line


def test_the_real_rules_and_an_unbroken_copy_load(tmp_path: Path) -> None:
    assert set(load_rules(copy_rules(tmp_path)).triage) == {"twitch", "smile"}


def test_unknown_fact(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(d, TWITCH, "fact: happening_now", "fact: happening_later")
    assert_error(errors_of(d), TWITCH, line, "unknown fact 'happening_later'")


def test_unknown_fact_in_a_grouped_question(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(
        d,
        TWITCH,
        "facts: [stiffening, eye_rolling_or_staring, one_side_only]",
        "facts: [stiff, eye_rolling_or_staring, one_side_only]",
    )
    assert_error(errors_of(d), TWITCH, line, "question signs: unknown fact 'stiff'")


def test_dangling_next(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(d, TWITCH, "next: awake", "next: awake_typo")
    assert_error(errors_of(d), TWITCH, line, "unknown question 'awake_typo'")


def test_dangling_outcome(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(d, SMILE, "outcome: laughing_spells", "outcome: laughing_spell")
    assert_error(errors_of(d), SMILE, line, "unknown outcome 'laughing_spell'")


def test_cycle(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    # awake "yes" leads back to pattern: pattern -> awake -> pattern
    line = edit(d, TWITCH, "        next: long_run\n", "        next: pattern\n", after="  awake:")
    # Option errors point at the option's first line ("- value: ..."), just above its next:.
    assert_error(errors_of(d), TWITCH, line - 1, "cycle: pattern -> awake -> pattern")


def test_unreachable_question(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    marker = "  # U1, U2, U3 on one screen.\n"
    line = edit(
        d,
        TWITCH,
        marker,
        '  orphan:\n    fact: fever\n    text:\n      en: "Lost?"\n    options:\n'
        '      - value: "yes"\n        outcome: emergency\n      - value: "no"\n'
        "        outcome: emergency\n      - value: unknown\n        outcome: emergency\n" + marker,
    )
    assert_error(errors_of(d), TWITCH, line, "question orphan cannot be reached")


def test_missing_not_sure(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    text = (d / TWITCH).read_text(encoding="utf-8")
    at = text.index("  long_run:\n")
    block = "      - value: unknown\n        outcome: not_typical_jerks\n"
    assert block in text[at:]
    (d / TWITCH).write_text(text[:at] + text[at:].replace(block, "", 1), encoding="utf-8")
    line = text.count("\n", 0, at) + 1
    assert_error(errors_of(d), TWITCH, line, "question long_run", "no 'Not sure'")


def test_missing_not_sure_on_the_age_question(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    text = (d / SMILE).read_text(encoding="utf-8")
    block = (
        '      - value: unknown\n        label:\n          en: "Not sure"\n'
        "        next: social_smile\n"
    )
    assert block in text
    (d / SMILE).write_text(text.replace(block, "", 1), encoding="utf-8")
    line = text.count("\n", 0, text.index("  age:")) + 1
    assert_error(errors_of(d), SMILE, line, "question age", "no 'Not sure'")


def test_missing_text_for_a_locale(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    (d / "locales.yaml").write_text(
        (d / "locales.yaml").read_text(encoding="utf-8") + "  de: Deutsch\n", encoding="utf-8"
    )
    # A mapping's line is the line of its first key, here the `en:` line.
    line = edit(d, TWITCH, '      en: "Does one run', '      en: "Does one run')
    errors = errors_of(d)
    assert_error(errors, TWITCH, line, "question long_run.text", "no text for locale 'de'")
    line = edit(d, SHARED, '    en: "Not sure"', '    en: "Not sure"')
    assert_error(errors, SHARED, line, "answers.unknown", "no text for locale 'de'")
    assert not any("gives no default" in e.message for e in errors), "a cascade of errors"


def test_unknown_locale_in_a_text(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(
        d,
        SMILE,
        '      en: "How old is your baby?"',
        '      xx: "?"\n      en: "How old is your baby?"',
    )
    assert_error(errors_of(d), SMILE, line, "unknown locale 'xx'")


def test_outcome_without_source(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(d, SHARED, "sources: [S13, S22, S41]", "sources: []")
    assert_error(errors_of(d), SHARED, line, "outcome urgent_unsure", "at least one source")


def test_outcome_with_unknown_source(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(d, SMILE, "sources: [S1, S24, S25]", "sources: [S1, S999]")
    assert_error(errors_of(d), SMILE, line, "unknown source 'S999'")


def test_outcome_without_level(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(d, SMILE, "    level: soon\n", "    levle: soon\n")
    errors = errors_of(d)
    assert_error(errors, SMILE, line, "unknown key 'levle'")
    assert_error(errors, SMILE, line, "outcome lost_skill is missing required key 'level'")


def test_outcome_with_a_bad_level(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(d, SMILE, "level: soon", "level: later")
    assert_error(
        errors_of(d), SMILE, line, "level must be one of emergency, urgent, soon, reassure"
    )


def test_reassure_outcome_without_watch_for(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    text = (d / SMILE).read_text(encoding="utf-8")
    at = text.index("    watch_for:", text.index("  normal_sleep_smiles:"))
    end = text.index("    sources:", at)
    (d / SMILE).write_text(text[:at] + "    watch_for: []\n" + text[end:], encoding="utf-8")
    line = text.count("\n", 0, at) + 1
    assert_error(errors_of(d), SMILE, line, "normal_sleep_smiles.watch_for needs at least 1")


def test_unknown_key(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    old = "    fact: episode_over_20s\n"
    line = edit(d, TWITCH, old, old + "    hint: x\n") + 1
    assert_error(errors_of(d), TWITCH, line, "unknown key 'hint' in question long_run")


def test_boolean_answer_value(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(d, TWITCH, 'value: "yes"', "value: true", after="\nquestions:\n")
    assert_error(errors_of(d), TWITCH, line, "value must be yes, no or unknown")


def test_option_with_both_next_and_outcome(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(
        d,
        TWITCH,
        "        next: unsure_long\n",
        "        next: unsure_long\n        outcome: emergency\n",
    )
    assert_error(errors_of(d), TWITCH, line - 1, "exactly one of next: (a question) or outcome:")


def test_label_longer_than_a_button(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(d, TWITCH, 'en: "Under 3 months"', f'en: "{"x" * 65}"')
    assert_error(errors_of(d), TWITCH, line, "label.en is too long: 65 characters (max 64)")


def test_question_text_too_long(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(
        d, TWITCH, 'en: "Does one run of jerks', f'en: "{"word " * 60}Does one run of jerks'
    )
    assert_error(errors_of(d), TWITCH, line, "question long_run.text.en is too long")


def test_tag_telegram_does_not_know(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(d, SMILE, 'en: "A lost skill"', 'en: "A <p>lost</p> skill"')
    assert_error(errors_of(d), SMILE, line, "<p> is not a Telegram tag")


def test_unescaped_ampersand(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(d, SMILE, 'en: "A lost skill"', 'en: "Skills & smiles"')
    assert_error(errors_of(d), SMILE, line, "write &amp; for a literal &")


def test_duplicate_outcome_id_across_files(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(d, SMILE, "  laughing_spells:\n    level", "  emergency:\n    level")
    errors = errors_of(d)
    assert_error(errors, SMILE, line, "outcome 'emergency' is already defined in")


def test_age_ranges_overlap(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(d, TWITCH, "      - min_weeks: 13\n", "      - min_weeks: 10\n")
    assert_error(errors_of(d), TWITCH, line, "question fever_age", "overlaps")


def test_age_ranges_leave_a_gap(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(d, TWITCH, "      - min_weeks: 26\n", "      - min_weeks: 30\n")
    assert_error(errors_of(d), TWITCH, line, "question seizure_fever_age", "gap from 26 to 30")


def test_age_ranges_must_start_at_zero(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(d, SMILE, "      - min_weeks: 0\n", "      - min_weeks: 1\n", after="  age:")
    assert_error(errors_of(d), SMILE, line, "question age", "gap from 0 to 1 weeks")


def test_a_danger_sign_leading_to_urgent(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    # The danger group's "One or more of these" now ends in urgent_unsure.
    line = edit(d, TWITCH, "        outcome: emergency\n", "        outcome: urgent_unsure\n")
    assert_error(errors_of(d), TWITCH, line - 1, "of the clinical table needs emergency here")


def test_not_sure_on_a_danger_sign_reaching_reassure(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    # unsure_long "Not sure" skips to the ordinary questions instead of the seizure signs.
    old = "      - value: unknown\n        next: unsure_stops\n"
    edit(d, TWITCH, old, "      - value: unknown\n        next: stops\n")
    # Reported at the last tap of the path, pattern's "None of these".
    text = (d / TWITCH).read_text(encoding="utf-8")
    at = text.index("      - value: none\n        outcome: normal_sleep_jerks")
    line = text.count("\n", 0, at) + 1
    assert_error(
        errors_of(d), TWITCH, line, "unsure_long=unknown, stops=yes", "-> normal_sleep_jerks "
        "(reassure): rule EU of the clinical table needs urgent",
    )  # fmt: skip


def test_not_sure_on_another_flag_less_cautious_than_yes(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(
        d, TWITCH, "      - value: unknown\n        outcome: not_typical_jerks\n",
        "      - value: unknown\n        outcome: jerks_when_awake\n", after="  long_run:",
    )  # fmt: skip
    assert_error(
        errors_of(d), TWITCH, line, "question long_run: 'Not sure' leads to 'jerks_when_awake'"
    )


def test_reassure_without_the_criteria(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    # "Only in sleep" after "one or more of these" now reassures: the run was over 20 s (S2).
    old = "        outcome: long_sleep_runs\n"
    line = edit(d, TWITCH, old, "        outcome: normal_sleep_jerks\n", after="  awake:")
    assert_error(
        errors_of(d),
        TWITCH,
        option_start(d, TWITCH, line),
        "rule S2 of the clinical table needs soon",
    )


def test_not_sure_on_the_pattern_group_cannot_reassure(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    old = "      - value: unknown\n        outcome: not_typical_jerks\n"
    new = "      - value: unknown\n        outcome: normal_sleep_jerks\n"
    line = edit(d, TWITCH, old, new, after="  pattern:")
    assert_error(errors_of(d), TWITCH, line, "rule U8 of the clinical table needs urgent")


def test_red_flags_must_come_first(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    edit(d, TWITCH, "  start: now", "  start: more_signs")
    text = (d / TWITCH).read_text(encoding="utf-8")
    line = text.count("\n", 0, text.index("  more_signs:\n")) + 1
    errors = errors_of(d)
    assert_error(
        errors, TWITCH, line, "question more_signs is asked before every emergency red flag"
    )
    assert any("question now cannot be reached" in e.message for e in errors)


def test_ending_before_every_emergency_flag_is_asked(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    # "Not sure" whether it is happening now ends at urgent, before the danger signs.
    old = "      - value: unknown\n        next: wake_now\n"
    line = edit(d, TWITCH, old, "      - value: unknown\n        outcome: urgent_unsure\n")
    assert_error(
        errors_of(d), TWITCH, line,
        "ends without asking back_to_normal, breathing_trouble_or_blue, lasting_over_5_min",
    )  # fmt: skip


def test_a_first_seizure_that_ends_at_urgent_names_E4(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    old = "        outcome: first_seizure\n"
    line = edit(d, TWITCH, old, "        outcome: not_typical_jerks\n", after="  seen_before:")
    assert_error(
        errors_of(d),
        TWITCH,
        option_start(d, TWITCH, line),
        "rule E4 of the clinical table needs emergency",
    )


def test_a_fit_with_fever_under_6_months_that_ends_at_urgent_names_E5(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    old = "        outcome: fever_fit_under_6_months\n"
    new = "        outcome: fever_under_6_months\n"
    line = edit(d, SMILE, old, new, after="  seizure_fever_age:")
    assert_error(
        errors_of(d),
        SMILE,
        option_start(d, SMILE, line),
        "rule E5 of the clinical table needs emergency",
    )


def test_jerks_that_go_on_now_ending_at_urgent_names_E0(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    old = "        outcome: seizure_now\n"
    line = edit(d, TWITCH, old, "        outcome: not_typical_jerks\n", after="  wake_now:")
    assert_error(
        errors_of(d),
        TWITCH,
        option_start(d, TWITCH, line),
        "rule E0 of the clinical table needs emergency",
    )


def test_the_flows_targets_are_enforced(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    edit(d, TWITCH, "reassure_within: 6", "reassure_within: 5", after="\nflow:\n")
    edit(
        d, SMILE, "danger_signs_by: 2", "danger_signs_by: 1", after="\nflow:\n"
    )  # smile asks them at question 1
    text = (d / TWITCH).read_text(encoding="utf-8")
    line = text.count("\n", 0, text.index("\nflow:\n")) + 2
    errors = errors_of(d)
    assert_error(
        errors, TWITCH, line, "flow twitch: path now=no, danger=none, stops=yes",
        "asks 6 questions to reach reassure (targets.reassure_within is 5)",
    )  # fmt: skip
    assert not any(Path(e.file).name == SMILE for e in errors), "smile meets danger_signs_by: 1"


def test_the_danger_signs_target_is_enforced(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    edit(d, TWITCH, "danger_signs_by: 2", "danger_signs_by: 1", after="\nflow:\n")
    text = (d / TWITCH).read_text(encoding="utf-8")
    line = text.count("\n", 0, text.index("\nflow:\n")) + 2
    assert_error(
        errors_of(d), TWITCH, line,
        "has asked every danger sign only by question 2 (targets.danger_signs_by is 1)",
    )  # fmt: skip


def test_unused_outcome(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    for _ in ("yes", "unknown"):  # both options of lost_skills that lead to it
        edit(d, SMILE, "        outcome: lost_skill\n", "        outcome: no_social_smile_yet\n")
    text = (d / SMILE).read_text(encoding="utf-8")
    line = text.count("\n", 0, text.index("  lost_skill:\n")) + 1
    assert_error(errors_of(d), SMILE, line, "outcome lost_skill is not used by any flow")


def test_all_errors_are_reported_at_once(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    edit(d, TWITCH, "fact: happening_now", "fact: happening_later")
    edit(d, SMILE, "sources: [S1, S24, S25]", "sources: []")
    edit(d, SHARED, 'en: "Not sure"', f'en: "{"x" * 70}"')
    files = {Path(e.file).name for e in errors_of(d)}
    assert {TWITCH, SMILE, SHARED} <= files


# ---- A small flow of its own, for the checks of grouped questions and order rules --------------

MINI = "triage_mini.yaml"
MINI_FLOW = """\
answers:
  "yes":
    en: "Yes"
  "no":
    en: "No"
  unknown:
    en: "Not sure"
  any:
    en: "One or more of these"
  none:
    en: "None of these"

flow:
  id: mini
  title:
    en: "A small check"
  intro:
    en: "A few questions."
  start: danger
  targets:
    reassure_within: 3
    danger_signs_by: 1

questions:
  danger:
    facts: [breathing_trouble_or_blue, back_to_normal, lasting_over_5_min]
    text:
      en: "Did you see any of these?"
    items:
      - en: "Trouble breathing"
      - en: "Floppy or very sleepy after"
      - en: "Jerking for more than 5 minutes"
    options:
      - value: any
        outcome: mini_emergency
      - value: none
        next: signs
      - value: unknown
        outcome: mini_unsure
  signs:
    facts: [fever, clusters_on_waking]
    text:
      en: "Did you see either of these?"
    items:
      - en: "A fever today"
      - en: "Jerks in a row after waking"
    options:
      - value: any
        next: which
      - value: none
        next: awake
      - value: unknown
        outcome: mini_urgent
  which:
    fact: fever
    text:
      en: "Is one of them a fever?"
    options:
      - value: "yes"
        outcome: mini_urgent
      - value: "no"
        outcome: mini_urgent
      - value: unknown
        outcome: mini_urgent
  awake:
    fact: happens_awake
    text:
      en: "Do the jerks also happen when your baby is wide awake?"
    options:
      - value: "yes"
        outcome: mini_urgent
      - value: "no"
        outcome: mini_fine
      - value: unknown
        outcome: mini_urgent

outcomes:
  mini_emergency:
    level: emergency
    title:
      en: "Get help now"
    text:
      en: "Call your emergency number."
    do_now:
      - en: "Call now."
    watch_for: []
    sources: [S13]
  mini_unsure:
    level: urgent
    title:
      en: "See a doctor today"
    text:
      en: "You were not sure about a danger sign."
    do_now:
      - en: "Call your doctor."
    watch_for: []
    sources: [S13]
  mini_urgent:
    level: urgent
    title:
      en: "See a doctor today"
    text:
      en: "A sign needs a doctor."
    do_now:
      - en: "Call your doctor."
    watch_for: []
    sources: [S13]
  mini_fine:
    level: reassure
    title:
      en: "Sounds normal"
    text:
      en: "This sounds normal."
    do_now:
      - en: "Film it."
    watch_for:
      - en: "Trouble breathing: call your emergency number."
    sources: [S13]
"""


def mini_rules(tmp_path: Path, old: str = "", new: str = "", after: str = "") -> tuple[Path, int]:
    """A rules directory with only the small flow, edited once; returns it and the edit's line."""
    target = tmp_path / "rules"
    target.mkdir()
    for name in COPIED:
        copy_english_only(RULES / name, target / name)
    (target / MINI).write_text(MINI_FLOW, encoding="utf-8")
    return target, edit(target, MINI, old, new, after) if old else 0


def test_the_small_flow_loads_as_it_is(tmp_path: Path) -> None:
    """The control for every test below: each breaks one thing of a flow that loads."""
    d, _ = mini_rules(tmp_path)
    flow = load_rules(d).triage["mini"]
    assert flow.questions["danger"].grouped and not flow.questions["which"].grouped
    # "Is one of them a fever?" asks fever again after the group: allowed after "One or more".
    assert (flow.reassure_within, flow.danger_signs_by) == (3, 1)


@pytest.mark.parametrize(
    "negated",
    [
        "Did your baby not wake up?",
        "Does your baby not wake up?",
        "Doesn't your baby wake up?",
        "Didn’t your baby wake up?",
        "Did your baby never wake up?",
        "Does your baby no longer wake up?",
        "NOT awake?",
    ],
)
def test_a_negated_question_text_fails_with_file_and_line(tmp_path: Path, negated: str) -> None:
    d, line = mini_rules(
        tmp_path, '"Do the jerks also happen when your baby is wide awake?"', f'"{negated}"'
    )
    assert_error(errors_of(d), MINI, line - 1, "question awake.text.en: ask positively")


def test_a_negated_item_fails_with_file_and_line(tmp_path: Path) -> None:
    d, line = mini_rules(tmp_path, '"Floppy or very sleepy after"', '"Did not react to you"')
    errors = errors_of(d)
    items_line = line - 2  # the items: key of the danger question
    assert_error(errors, MINI, items_line, "question danger.items.en: ask positively", "'not'")


@pytest.mark.parametrize("positive", ["Did you note the time?", "Is there nothing in the mouth?"])
def test_words_that_only_contain_not_are_not_negations(tmp_path: Path, positive: str) -> None:
    d, _ = mini_rules(
        tmp_path, '"Do the jerks also happen when your baby is wide awake?"', f'"{positive}"'
    )
    assert "mini" in load_rules(d).triage


def test_a_grouped_question_with_a_yes_option_fails(tmp_path: Path) -> None:
    d, line = mini_rules(tmp_path, "      - value: none\n        next: awake\n",
                         '      - value: "no"\n        next: awake\n')  # fmt: skip
    assert_error(
        errors_of(d), MINI, line, "value must be any, none or unknown in a grouped question"
    )


def test_a_grouped_question_without_none_fails(tmp_path: Path) -> None:
    d, _ = mini_rules(tmp_path, "      - value: none\n        next: awake\n", "")
    text = MINI_FLOW
    line = text.count("\n", 0, text.index("  signs:\n")) + 1
    assert_error(
        errors_of(d), MINI, line, "question signs: a grouped question offers exactly any, none"
    )


def test_a_grouped_question_with_one_fact_fails(tmp_path: Path) -> None:
    d, line = mini_rules(
        tmp_path,
        'facts: [fever, clusters_on_waking]\n    text:\n      en: "Did you see either of these?"\n'
        '    items:\n      - en: "A fever today"\n      - en: "Jerks in a row after waking"\n',
        'facts: [fever]\n    text:\n      en: "Did you see either of these?"\n'
        '    items:\n      - en: "A fever today"\n',
    )
    assert_error(
        errors_of(d), MINI, line - 1, "question signs: a grouped question lists 2 to 3 facts"
    )


def test_a_grouped_question_with_four_facts_fails(tmp_path: Path) -> None:
    d, line = mini_rules(
        tmp_path,
        'facts: [fever, clusters_on_waking]\n    text:\n      en: "Did you see either of these?"\n'
        '    items:\n      - en: "A fever today"\n      - en: "Jerks in a row after waking"\n',
        "facts: [fever, clusters_on_waking, losing_skills, laughing_fits]\n"
        '    text:\n      en: "Did you see any of these?"\n'
        '    items:\n      - en: "A fever today"\n      - en: "Jerks in a row after waking"\n'
        '      - en: "A lost skill"\n      - en: "Laughing spells"\n',
    )
    assert_error(
        errors_of(d), MINI, line - 1, "question signs: a grouped question lists 2 to 3 facts"
    )


def test_a_grouped_question_with_more_items_than_facts_fails(tmp_path: Path) -> None:
    old = '      - en: "Jerks in a row after waking"\n'
    d, line = mini_rules(tmp_path, old, old + '      - en: "A lost skill"\n')
    assert_error(errors_of(d), MINI, line - 2, "question signs lists 2 facts but 3 items")


def test_a_flow_that_skips_a_sign_before_reassure_names_the_rule(tmp_path: Path) -> None:
    # The group no longer lists fever, which the flow still asks (after "One or more").
    d, _ = mini_rules(tmp_path, "facts: [fever, clusters_on_waking]",
                      "facts: [losing_skills, clusters_on_waking]")  # fmt: skip
    line = MINI_FLOW.count("\n", 0, MINI_FLOW.index("        outcome: mini_fine\n")) + 1
    assert_error(
        errors_of(d), MINI, line - 1,
        "path danger=none, signs=none, awake=no -> mini_fine (reassure): rule U1",
        "needs urgent",
    )  # fmt: skip


def test_a_fact_asked_twice_fails(tmp_path: Path) -> None:
    # awake now asks clusters_on_waking again, after the group answered "None of these".
    d, line = mini_rules(tmp_path, "    fact: happens_awake\n", "    fact: clusters_on_waking\n")
    assert_error(errors_of(d), MINI, line - 1, "asks clusters_on_waking twice")


def test_a_fact_may_be_asked_again_after_a_group_answered_not_sure(tmp_path: Path) -> None:
    old = "      - value: unknown\n        outcome: mini_urgent\n"
    d, _ = mini_rules(tmp_path, old, "      - value: unknown\n        next: which\n", "  signs:")
    assert load_rules(d).triage["mini"].questions["signs"].option("unknown").next == "which"


def test_a_follow_up_after_not_sure_keeps_the_doubt(tmp_path: Path) -> None:
    """ "Not sure" on the group, then "No, not a fever": still unsure about fever (U1)."""
    old = "      - value: unknown\n        outcome: mini_urgent\n"
    d, _ = mini_rules(tmp_path, old, "      - value: unknown\n        next: which\n", "  signs:")
    edit(d, MINI, '      - value: "no"\n        outcome: mini_urgent\n',
         '      - value: "no"\n        outcome: mini_fine\n', after="  which:")  # fmt: skip
    assert_error(errors_of(d), MINI, _line_of(d, '      - value: "no"\n        outcome: mini_fine'),
                 "signs=unknown, which=no -> mini_fine (reassure): rule U1")  # fmt: skip


def _line_of(directory: Path, fragment: str) -> int:
    text = (directory / MINI).read_text(encoding="utf-8")
    return text.count("\n", 0, text.index(fragment)) + 1


def test_the_small_flow_misses_its_reassure_target(tmp_path: Path) -> None:
    d, _ = mini_rules(tmp_path, "reassure_within: 3", "reassure_within: 2")
    flow_line = MINI_FLOW.count("\n", 0, MINI_FLOW.index("\nflow:\n")) + 2
    assert_error(
        errors_of(d), MINI, flow_line,
        "asks 3 questions to reach reassure (targets.reassure_within is 2)",
    )  # fmt: skip


@pytest.mark.parametrize("seed", range(40))
def test_whatever_random_rewiring_passes_validation_is_safe(tmp_path: Path, seed: int) -> None:
    """Point a few random options at random nodes: the copy either fails to load, or every
    path through it still keeps the safety rules (the validator lets nothing unsafe through).
    The check below is independent of the validator: it reads the taps, not the rule table."""
    rng = random.Random(seed)
    d = copy_rules(tmp_path)
    name = rng.choice([TWITCH, SMILE])
    data = yaml.safe_load((d / name).read_text(encoding="utf-8"))
    outcome_ids = [*data["outcomes"], "emergency", "urgent_unsure", "first_seizure"]
    questions = data["questions"]
    for _ in range(rng.randint(1, 3)):
        option = rng.choice(rng.choice(list(questions.values()))["options"])
        option.pop("next", None)
        option.pop("outcome", None)
        if rng.random() < 0.5:
            option["next"] = rng.choice(list(questions))
        else:
            option["outcome"] = rng.choice(outcome_ids)
    (d / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        flows = load_rules(d).triage
    except RulesInvalid:
        return
    for flow in flows.values():
        for steps, outcome in enumerate_paths(flow):
            danger = [(q, o) for q, o in steps if set(q.facts) & EMERGENCY_FLAGS]
            for question, option in danger:
                if option.value in ("any", CAUTIOUS_ANSWER.get(question.fact)):
                    assert outcome.level is Level.EMERGENCY
                if option.value == "unknown":
                    assert outcome.level >= Level.URGENT
            if outcome.level is Level.REASSURE:
                asked = {f for q, _ in steps for f in q.facts}
                assert asked >= EMERGENCY_FLAGS
                for question, option in steps:
                    if question.grouped:
                        assert option.value == "none"
                    elif question.fact in RED_FLAGS | EMERGENCY_FLAGS:
                        assert option.value == BENIGN_ANSWER[question.fact]
