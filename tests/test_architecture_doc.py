"""docs/architecture.md stays true: the import graph it prints is what the code imports today."""

from __future__ import annotations

import re
import runpy

from tests.conftest import ROOT


def test_architecture_page_shows_todays_import_graph() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    printed = re.search(
        r"What `python tools/import_graph.py` prints today.*?```\n(.*?)```", page, re.S
    )
    assert printed, "docs/architecture.md lost its import-graph block"
    tool = runpy.run_path(str(ROOT / "tools" / "import_graph.py"))
    arrows = tool["package_arrows"]()
    today = "".join(
        f"{source} -> {', '.join(sorted(arrows[source]))}\n" for source in sorted(arrows)
    )
    assert printed.group(1) == today, (
        "docs/architecture.md is out of date: paste the output of `python tools/import_graph.py`"
        " and check that the page's arrows still say the same"
    )
