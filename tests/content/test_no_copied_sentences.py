"""No text in rules/ repeats 7 words in a row from a seed article (we use facts, not sentences)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from .copycheck import FINGERPRINT_FILE, copied_phrases, report, rule_texts, tool

SEEDS = tool.DEFAULT_SEEDS  # ../shared/seeds: present in the dev tree and CI, not in a fresh clone
# Under CI (CI=true) the test runs anyway, so a missing ../shared fails instead of skipping.
needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir() and os.environ.get("CI") != "true",
    reason=f"seed articles not found at {SEEDS}",
)


def _paste_into_copy(rules_dir: Path, tmp_path: Path, sentence: str) -> tuple[Path, str]:
    """Copy rules/ to tmp_path and append `sentence` to the first explainer body of the copy."""
    copy = tmp_path / "rules"
    shutil.copytree(rules_dir, copy)
    path = copy / "explainers.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    ident = next(iter(data["topics"]))
    data["topics"][ident]["body"]["en"] += "\n" + sentence
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return copy, f"explainers.yaml: topics.{ident}.body.en"


def test_rules_repeat_no_seed_phrase(rules_dir: Path) -> None:
    texts = rule_texts(rules_dir)
    assert any(label.startswith("explainers.yaml") for label in texts)
    found = copied_phrases(texts, tool.read_fingerprints(FINGERPRINT_FILE))
    assert not found, report(found)


def test_fingerprint_file_is_well_formed() -> None:
    lines = FINGERPRINT_FILE.read_text(encoding="utf-8").splitlines()
    header = [x for x in lines if x.startswith("#")]
    assert lines[0] in header and any("seed_fingerprints.py" in x for x in header)
    prints = [x for x in lines if not x.startswith("#")]
    assert len(prints) > 1000, "too few fingerprints: was the file made from the seeds?"
    assert all(re.fullmatch(rf"[0-9a-f]{{{tool.HASH_CHARS}}}", x) for x in prints)
    assert prints == sorted(set(prints)), "fingerprints must be sorted and distinct"


def test_normalise_ignores_case_markup_and_apostrophes() -> None:
    assert tool.normalise("Your <b>Baby’s</b> smile &amp; YOUR baby's grin!") == [
        "your", "babys", "smile", "your", "babys", "grin",
    ]  # fmt: skip


def test_a_pasted_seed_sentence_is_caught(rules_dir: Path, tmp_path: Path) -> None:
    """The whole pipeline on made-up data: seed -> tool -> fingerprint file -> check -> failure."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "fake.txt").write_text(
        "Moonlit otters quietly rearrange the harbour's pebbles every Tuesday before dawn.\n",
        encoding="utf-8",
    )
    out = tmp_path / "prints.txt"
    assert tool.main(["--seeds", str(seeds), "--out", str(out)]) == 0
    prints = tool.read_fingerprints(out)

    assert not copied_phrases(rule_texts(rules_dir), prints), "real rules match the made-up seed"

    # Case, markup and a curly apostrophe must not hide a copy.
    pasted = "Did you know? MOONLIT otters quietly rearrange the <i>harbour’s pebbles</i> daily."
    copy, label = _paste_into_copy(rules_dir, tmp_path, pasted)
    found = copied_phrases(rule_texts(copy), prints)
    assert list(found) == [label]
    assert found[label] == ["moonlit otters quietly rearrange the harbours pebbles"]
    assert label in report(found)


@needs_seeds
def test_a_real_seed_sentence_is_caught(rules_dir: Path, tmp_path: Path) -> None:
    """The committed fingerprints really are the seeds': a sentence from each one is caught."""
    prints = tool.read_fingerprints(FINGERPRINT_FILE)
    for seed in sorted(SEEDS.glob("*.txt")):
        sentences = re.split(r"(?<=[.?!])\s+", seed.read_text(encoding="utf-8"))
        sentence = max(sentences, key=lambda s: len(tool.normalise(s)))
        copy, label = _paste_into_copy(rules_dir, tmp_path / seed.stem, sentence)
        found = copied_phrases(rule_texts(copy), prints)
        assert label in found, f"a sentence from {seed.name} was not caught"


@needs_seeds
def test_fingerprint_file_is_current() -> None:
    expected = tool.build(SEEDS)
    assert FINGERPRINT_FILE.read_text(encoding="utf-8") == expected, (
        "tests/data/seed_shingles.txt does not match ../shared/seeds: "
        "run .venv/bin/python tools/seed_fingerprints.py"
    )
