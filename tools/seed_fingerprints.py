"""Fingerprint the seed articles so tests can spot copied sentences without shipping the seeds.

The seed articles in `../shared/seeds/*.txt` are someone else's text: we may use their facts but
not their sentences, and we may not keep a copy in this repository. This tool keeps only one-way
fingerprints instead: the SHA-256 (first 16 hex characters) of every distinct 7-word shingle
(7 words in a row) of the seeds, after `normalise`. `tests/content/test_no_copied_sentences.py`
hashes the shingles of every text in `rules/*.yaml` the same way and fails on any match.

Usage, from the repository root:

    .venv/bin/python tools/seed_fingerprints.py           # (re)write tests/data/seed_shingles.txt
    .venv/bin/python tools/seed_fingerprints.py --check   # exit 1 if that file is out of date

Re-run it whenever a seed file is added or changed, and commit the result.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"
DEFAULT_OUT = ROOT / "tests" / "data" / "seed_shingles.txt"
SHINGLE_WORDS = 7
HASH_CHARS = 16

_TAG = re.compile(r"<[^>]*>")
_APOSTROPHE = re.compile(r"['’‘`]")
_WORD = re.compile(r"[^\W_]+")


def normalise(text: str) -> list[str]:
    """The words of `text`: HTML tags dropped, entities decoded, lower-case, apostrophes removed.

    Apostrophes are removed rather than split on, so "baby's" and "baby’s" both become "babys".
    Everything else that is not a letter or digit separates words.
    """
    text = html.unescape(_TAG.sub(" ", text)).lower()
    return _WORD.findall(_APOSTROPHE.sub("", text))


def shingles(words: list[str], size: int = SHINGLE_WORDS) -> Iterator[str]:
    """Every run of `size` consecutive words, joined by single spaces."""
    for start in range(len(words) - size + 1):
        yield " ".join(words[start : start + size])


def fingerprint(shingle: str) -> str:
    return hashlib.sha256(shingle.encode("utf-8")).hexdigest()[:HASH_CHARS]


def fingerprints(texts: Iterable[str]) -> set[str]:
    return {fingerprint(s) for text in texts for s in shingles(normalise(text))}


def read_fingerprints(path: Path) -> set[str]:
    """The fingerprints in a file written by `render` (comment lines start with '#')."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def render(prints: set[str], seed_names: list[str]) -> str:
    header = [
        "# One-way fingerprints of the seed articles (../shared/seeds), used by",
        "# tests/content/test_no_copied_sentences.py to spot sentences copied into rules/*.yaml.",
        f"# Each line: the first {HASH_CHARS} hex characters of the SHA-256 of one distinct "
        f"{SHINGLE_WORDS}-word shingle",
        "# (7 words in a row) of the seed texts, after tools/seed_fingerprints.py::normalise",
        "# (HTML tags dropped, lower-case, apostrophes removed, letters and digits only). Sorted.",
        "# Made by: .venv/bin/python tools/seed_fingerprints.py (reads ../shared/seeds/*.txt).",
        "# Re-make it the same way when a seed changes; --check says whether this is current.",
        f"# Seeds: {', '.join(seed_names)}",
        f"# Fingerprints: {len(prints)}",
    ]
    return "\n".join([*header, *sorted(prints)]) + "\n"


def build(seeds_dir: Path) -> str:
    paths = sorted(seeds_dir.glob("*.txt"))
    if not paths:
        raise SystemExit(f"no seed files (*.txt) in {seeds_dir}")
    texts = [p.read_text(encoding="utf-8") for p in paths]
    return render(fingerprints(texts), [p.name for p in paths])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="folder of seed *.txt")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="fingerprint file to write")
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if --out is not up to date"
    )
    args = parser.parse_args(argv)
    content = build(args.seeds)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != content:
            print(f"{args.out} is out of date: re-run tools/seed_fingerprints.py", file=sys.stderr)
            return 1
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(content, encoding="utf-8")
    print(f"wrote {len(read_fingerprints(args.out))} fingerprints to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
