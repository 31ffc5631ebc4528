"""The command line: `run` (default), `console`, `check-rules [DIR]`, `rules graph`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path

from telegram.error import InvalidToken, NetworkError

from bot import runtime
from bot.console import run_console
from bot.core.rules import RulesInvalid
from bot.core.triage.graph import to_dot, to_mermaid
from bot.logging_setup import configure_logging, token_secrets
from bot.rules_summary import summary
from bot.settings import SettingsError, load_settings, log_level_from, rules_dir_from

EXIT_CONFIG = 2
log = logging.getLogger("bot")


def fail(message: str) -> int:
    print(f"sleepsigns: {message}", file=sys.stderr)
    return EXIT_CONFIG


def rules_error_line(exc: RulesInvalid) -> str:
    first = exc.errors[0]
    more = (
        f" (and {len(exc.errors) - 1} more; run: python -m bot check-rules)"
        if len(exc.errors) > 1
        else ""
    )
    return f"rules are invalid: {first}{more}"


def run() -> int:
    try:
        settings = load_settings()
    except SettingsError as exc:
        return fail(str(exc))
    webhook_secret = [settings.webhook.secret] if settings.webhook else []
    configure_logging(settings.log_level, token_secrets(settings.token) + webhook_secret)
    try:
        rules = runtime.load_checked_rules(settings.rules_dir)
    except RulesInvalid as exc:
        return fail(rules_error_line(exc))
    try:
        asyncio.run(
            runtime.run(
                settings.token,
                settings.base_url,
                settings.database_url,
                rules,
                settings.webhook,
                settings.base_file_url,
            )
        )
    except InvalidToken:
        return fail("Telegram rejected TELEGRAM_BOT_TOKEN (revoked or mistyped?)")
    except NetworkError as exc:
        log.error("cannot reach Telegram at start-up: %s", exc)
        return 1
    except ValueError as exc:  # e.g. an unusable DATABASE_URL
        return fail(str(exc))
    except OSError as exc:  # e.g. webhook mode's PORT is taken
        log.error("cannot start: %s", exc)
        return 1
    return 0


def check_rules(directory: Path) -> int:
    try:
        rules = runtime.load_checked_rules(directory)
    except RulesInvalid as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        print(f"{len(exc.errors)} problem(s) found in {directory}", file=sys.stderr)
        return EXIT_CONFIG
    print(summary(rules, directory))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Sleepsigns Telegram bot")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot: long polling, or webhook mode if WEBHOOK_URL is set")
    sub.add_parser("console", help="chat with the bot in this terminal, no token needed")
    check = sub.add_parser("check-rules", help="validate rules/*.yaml and print a summary")
    check.add_argument("directory", nargs="?", type=Path, help="rules directory")
    rules_cmd = sub.add_parser("rules", help="rules tools")
    rules_sub = rules_cmd.add_subparsers(dest="rules_command", required=True)
    graph = rules_sub.add_parser("graph", help="draw the triage flows for review")
    graph.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")
    graph.add_argument("directory", nargs="?", type=Path, help="rules directory")
    args = parser.parse_args(argv)

    try:
        env_rules_dir = rules_dir_from(os.environ)
    except SettingsError as exc:
        return fail(str(exc))
    if args.command in (None, "run"):
        return run()
    if args.command == "check-rules":
        return check_rules(args.directory or env_rules_dir)
    if args.command == "console":
        try:
            level = log_level_from(os.environ)
        except SettingsError as exc:
            return fail(str(exc))
        try:
            rules = runtime.load_checked_rules(env_rules_dir)
        except RulesInvalid as exc:
            return fail(rules_error_line(exc))
        return run_console(rules, level)
    if args.command == "rules":
        try:
            rules = runtime.load_checked_rules(args.directory or env_rules_dir)
        except RulesInvalid as exc:
            return fail(rules_error_line(exc))
        render = to_mermaid if args.format == "mermaid" else to_dot
        print(render(rules.triage))
        return 0
    return fail(f"unknown command {args.command}")
