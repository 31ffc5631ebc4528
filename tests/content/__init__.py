"""Checks on the texts in rules/: reading level, no copied seed sentences, explainer structure."""
