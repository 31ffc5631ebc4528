"""Load and validate `rules/*.yaml` into typed, immutable models."""

from bot.core.rules.errors import RuleError, RulesInvalid
from bot.core.rules.loader import load_rules
from bot.core.rules.models import Rules

__all__ = ["RuleError", "Rules", "RulesInvalid", "load_rules"]
