"""The kinds of inline buttons this bot sends, and the one codec that decodes their data."""

from __future__ import annotations

from bot.core.callbacks import Codec, Kind

# m1:<section>                         main menu
MENU = Kind("m", 1, 1, 1)
# x1:<m|t|s>[:<topic id>]              explainers: menu, topic, topic's sources
EXPLAIN = Kind("x", 1, 1, 2)

CODEC = Codec(MENU, EXPLAIN)
