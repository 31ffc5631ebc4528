"""Run every benchmark, one after another, each in its own process; `--quick` passes on.

    .venv/bin/python bench/run_all.py            # full sizes
    .venv/bin/python bench/run_all.py --quick    # small sizes, each under 30 s
    .venv/bin/python bench/run_all.py memory     # only the named ones

Exits non-zero if any benchmark failed or found a problem (a limit violation, a duplicate, a
lost note, the due query not using its index).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIRST = ("due_query", "dispatch_limited", "dispatch_unlimited", "takeover", "memory")


def benchmarks() -> list[str]:
    """Every script in bench/ (not `_private` modules, not this one): these first, then the
    others by name, so a new benchmark joins without an edit here."""
    found = {p.stem for p in HERE.glob("*.py") if not p.stem.startswith("_")} - {"run_all"}
    return [name for name in FIRST if name in found] + sorted(found - set(FIRST))


RATIO = "ratio "  # a script's line that gives a figure as a ratio to its baseline


def run_echoing(command: list[str]) -> tuple[int, list[str]]:
    """Run a benchmark, passing its output through; (exit code, its output lines)."""
    lines = []
    with subprocess.Popen(
        command, cwd=HERE.parent, stdout=subprocess.PIPE, text=True, bufsize=1
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            print(line, end="", flush=True)
            lines.append(line.strip())
    return process.returncode, lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (each < 30 s)")
    parser.add_argument("only", nargs="*", help=f"run only these ({', '.join(benchmarks())})")
    args = parser.parse_args()
    unknown = set(args.only) - set(benchmarks())
    if unknown:
        parser.error(f"no such benchmark: {', '.join(sorted(unknown))}")
    summary = []
    ratios: list[tuple[str, str]] = []
    for name in args.only or benchmarks():
        print(f"\n=== {name}{' --quick' if args.quick else ''} ===", flush=True)
        command = [sys.executable, str(HERE / f"{name}.py"), *(["--quick"] if args.quick else [])]
        started = time.perf_counter()
        code, lines = run_echoing(command)
        summary.append((name, code, time.perf_counter() - started))
        ratios += [(name, line) for line in lines if line.startswith(RATIO)]
    print("\n=== summary ===")
    for name, code, seconds in summary:
        print(f"{name:<20} {'ok' if code == 0 else f'FAILED ({code})':<12} {seconds:7.1f} s")
    if ratios:
        print("\n=== each figure beside its baseline (same run) ===")
        for name, line in ratios:
            print(f"{name:<20} {line}")
    return 0 if all(code == 0 for _, code, _ in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
