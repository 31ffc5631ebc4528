"""The typed, immutable models of `rules/*.yaml`, and the checks their parsers share.

Loading a whole rules directory is `bot.core.rules_loader.load_rules`.
"""

from bot.core.rules.errors import RuleError, RulesInvalid
from bot.core.rules.models import Rules

__all__ = ["RuleError", "Rules", "RulesInvalid"]
