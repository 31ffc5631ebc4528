"""Print the package-level import graph of `bot`, read from the code itself (via grimp, the
library behind `lint-imports`).

One line per part that imports other parts: `telegram -> core, reminders, store`. A part is a
subpackage of `bot` (core, store, telegram, ...) or a top-level module (cli, runtime, ...).
docs/architecture.md describes the arrows this should show.

Usage, from the repository root:

    .venv/bin/python tools/import_graph.py
"""

from __future__ import annotations

from collections import defaultdict

import grimp


def part_of(module: str) -> str:
    """bot.telegram.handlers.start -> telegram; bot.cli -> cli."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else pieces[0]


def package_arrows() -> dict[str, set[str]]:
    graph = grimp.build_graph("bot")
    arrows: dict[str, set[str]] = defaultdict(set)
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            source, target = part_of(module), part_of(imported)
            if source != target and target != "bot":
                arrows[source].add(target)
    return arrows


def main() -> None:
    for source, targets in sorted(package_arrows().items()):
        print(f"{source} -> {', '.join(sorted(targets))}")


if __name__ == "__main__":
    main()
