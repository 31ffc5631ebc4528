"""Each class of rules error is reported with the file and line to fix.

Every test copies the real triage files (plus locales, sources and ui) into tmp_path, breaks one
thing by a text edit, loads the copy with load_rules and looks for the error at the broken line.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
import yaml

from bot.core.rules import RuleError, RulesInvalid, load_rules
from bot.core.triage import Level, enumerate_paths
from bot.core.triage.vocabulary import EMERGENCY_FLAGS, RED_FLAGS

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
        shutil.copy(RULES / name, target / name)
    for path in RULES.glob("triage*.yaml"):
        shutil.copy(path, target / path.name)
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


def test_the_real_rules_and_an_unbroken_copy_load(tmp_path: Path) -> None:
    assert set(load_rules(copy_rules(tmp_path)).triage) == {"twitch", "smile"}


def test_unknown_fact(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(d, TWITCH, "fact: one_side_only", "fact: one_sided")
    assert_error(errors_of(d), TWITCH, line, "unknown fact 'one_sided'")


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
    # one_side "no" leads back to stiffening: stiffening -> eyes -> one_side -> stiffening
    line = edit(d, TWITCH, "next: awake", "next: stiffening")
    # Option errors point at the option's first line ("- value: ..."), just above its next:.
    assert_error(
        errors_of(d), TWITCH, line - 1, "cycle: stiffening -> eyes -> one_side -> stiffening"
    )


def test_unreachable_question(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(d, TWITCH, "  # U2\n", "  # U2\n")
    text = (
        (d / TWITCH)
        .read_text(encoding="utf-8")
        .replace(
            "  # U2\n",
            '  orphan:\n    fact: fever\n    text:\n      en: "Lost?"\n    options:\n'
            '      - value: "yes"\n        outcome: emergency\n      - value: "no"\n'
            "        outcome: emergency\n      - value: unknown\n        outcome: emergency\n"
            "  # U2\n",
            1,
        )
    )
    (d / TWITCH).write_text(text, encoding="utf-8")
    assert_error(errors_of(d), TWITCH, line, "question orphan cannot be reached")


def test_missing_not_sure(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    text = (d / TWITCH).read_text(encoding="utf-8")
    block = "      - value: unknown\n        outcome: runs_after_waking\n"
    assert block in text
    (d / TWITCH).write_text(text.replace(block, "", 1), encoding="utf-8")
    line = text.count("\n", 0, text.index("  runs_on_waking:")) + 1
    assert_error(errors_of(d), TWITCH, line, "question runs_on_waking", "no 'Not sure'")


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
    line = edit(d, TWITCH, "    fact: stiffening\n", "    fact: stiffening\n    hint: x\n") + 1
    assert_error(errors_of(d), TWITCH, line, "unknown key 'hint' in question stiffening")


def test_boolean_answer_value(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(d, TWITCH, 'value: "yes"', "value: true", after="\nquestions:\n")
    assert_error(errors_of(d), TWITCH, line, "value must be yes, no or unknown")


def test_option_with_both_next_and_outcome(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(
        d,
        TWITCH,
        "        next: unresponsive\n",
        "        next: unresponsive\n        outcome: emergency\n",
    )
    assert_error(errors_of(d), TWITCH, line - 1, "exactly one of next: (a question) or outcome:")


def test_label_longer_than_a_button(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(d, TWITCH, 'en: "Under 12 weeks"', f'en: "{"x" * 65}"')
    assert_error(errors_of(d), TWITCH, line, "label.en is too long: 65 characters (max 64)")


def test_question_text_too_long(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(
        d, TWITCH, 'en: "Does one run of jerks', f'en: "{"word " * 60}Does one run of jerks'
    )
    assert_error(errors_of(d), TWITCH, line, "question long_run.text.en is too long")


def test_html_other_than_bold_and_italic(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(d, SMILE, 'en: "A lost skill"', 'en: "A <u>lost</u> skill"')
    assert_error(errors_of(d), SMILE, line, "only <b> and <i> are allowed")


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
    line = edit(d, TWITCH, "      - min_weeks: 12\n", "      - min_weeks: 10\n")
    assert_error(errors_of(d), TWITCH, line, "question fever_age", "overlaps")


def test_age_ranges_leave_a_gap(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(d, TWITCH, "      - min_weeks: 26\n", "      - min_weeks: 30\n")
    assert_error(errors_of(d), TWITCH, line, "question fever_age", "gap from 26 to 30 weeks")


def test_age_ranges_must_start_at_zero(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(d, SMILE, "      - min_weeks: 0\n", "      - min_weeks: 1\n")
    assert_error(errors_of(d), SMILE, line, "question age", "gap from 0 to 1 weeks")


def test_emergency_flag_yes_leading_to_urgent(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(d, TWITCH, "        outcome: emergency\n", "        outcome: urgent_unsure\n") - 1
    assert_error(
        errors_of(d), TWITCH, line, "breathing_trouble_or_blue answered yes must end in emergency"
    )


def test_not_sure_on_an_emergency_flag_reaching_reassure(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    # over_5_min "Not sure" goes on with the questions instead of ending in urgent_unsure.
    line = edit(d, TWITCH, "        outcome: urgent_unsure\n", "        next: fever\n") - 1
    errors = errors_of(d)
    assert_error(errors, TWITCH, line, "'Not sure' on emergency red flag lasting_over_5_min")
    assert any("normal_sleep_jerks (reassure)" in e.message for e in errors)


def test_not_sure_on_another_flag_less_cautious_than_yes(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(
        d, TWITCH, "      - value: unknown\n        outcome: not_typical_jerks\n",
        "      - value: unknown\n        next: eyes\n", after="  stiffening:",
    )  # fmt: skip
    assert_error(errors_of(d), TWITCH, line, "question stiffening: 'Not sure' leads to 'eyes'")


def test_reassure_without_the_criteria(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    # "Does not stop when woken" now leads to reassure: against notes 1.2.
    line = (
        edit(
            d,
            TWITCH,
            "        outcome: not_typical_jerks\n",
            "        outcome: normal_sleep_jerks\n",
            after="  wakes_stop:",
        )
        - 1
    )
    assert_error(
        errors_of(d), TWITCH, line, "reassure only when every sign was ruled out",
        "stops_when_woken answered no (needs yes)",
    )  # fmt: skip


def test_red_flags_must_come_first(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    edit(d, TWITCH, "  start: breathing", "  start: fever")
    text = (d / TWITCH).read_text(encoding="utf-8")
    line = text.count("\n", 0, text.index("  fever:\n")) + 1
    errors = errors_of(d)
    assert_error(errors, TWITCH, line, "question fever is asked before every emergency red flag")
    assert any("question breathing cannot be reached" in e.message for e in errors)


def test_ending_before_every_emergency_flag_is_asked(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    line = edit(d, SMILE, "        next: unresponsive_unsure\n", "        outcome: urgent_unsure\n")
    assert_error(
        errors_of(d), SMILE, line - 1, "ends without asking lasting_over_5_min, unresponsive"
    )


def test_unused_outcome(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    for _ in ("yes", "unknown"):  # both options of lost_skills that lead to it
        edit(d, SMILE, "        outcome: lost_skill\n", "        outcome: no_social_smile_yet\n")
    text = (d / SMILE).read_text(encoding="utf-8")
    line = text.count("\n", 0, text.index("  lost_skill:\n")) + 1
    assert_error(errors_of(d), SMILE, line, "outcome lost_skill is not used by any flow")


def test_all_errors_are_reported_at_once(tmp_path: Path) -> None:
    d = copy_rules(tmp_path)
    edit(d, TWITCH, "fact: one_side_only", "fact: one_sided")
    edit(d, SMILE, "sources: [S1, S24, S25]", "sources: []")
    edit(d, SHARED, 'en: "Not sure"', f'en: "{"x" * 70}"')
    files = {Path(e.file).name for e in errors_of(d)}
    assert {TWITCH, SMILE, SHARED} <= files


@pytest.mark.parametrize("seed", range(40))
def test_whatever_random_rewiring_passes_validation_is_safe(tmp_path: Path, seed: int) -> None:
    """Point a few random options at random nodes: the copy either fails to load, or every
    path through it still keeps the safety rules (the validator lets nothing unsafe through)."""
    rng = random.Random(seed)
    d = copy_rules(tmp_path)
    name = rng.choice([TWITCH, SMILE])
    data = yaml.safe_load((d / name).read_text(encoding="utf-8"))
    outcome_ids = [*data["outcomes"], "emergency", "urgent_unsure"]
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
            answers = {q.fact: o.value for q, o in steps}
            if "yes" in {answers.get(f) for f in EMERGENCY_FLAGS}:
                assert outcome.level is Level.EMERGENCY
            if "unknown" in {answers.get(f) for f in EMERGENCY_FLAGS}:
                assert outcome.level >= Level.URGENT
            if outcome.level is Level.REASSURE:
                assert set(answers) >= EMERGENCY_FLAGS
                assert all(v in ("no", None) for f, v in answers.items() if f in RED_FLAGS)
