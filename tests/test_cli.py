"""The command line: check-rules, rules graph, settings and log redaction."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.logging_setup import REDACTED, RedactingFormatter, token_secrets
from bot.settings import SettingsError, load_settings

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"


def test_check_rules_prints_a_summary(rules_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-rules", str(rules_dir)]) == 0
    out = capsys.readouterr().out
    assert "OK" in out and "explainers:" in out and "flow 'twitch'" in out
    assert "milestones:" in out
    assert len(out.splitlines()) < 40  # one screen


def test_check_rules_pinpoints_a_broken_file(
    rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "rules"
    shutil.copytree(rules_dir, broken)
    path = broken / "ui.yaml"
    path.write_text(path.read_text().replace("  button.back:", "  button.back: [", 1))
    assert main(["check-rules", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "ui.yaml:" in err and "bad YAML" in err


def broken_copy(rules_dir: Path, tmp_path: Path, name: str, old: str, new: str) -> Path:
    """Copy the rules to `tmp_path` and replace `old` (once) in the copy of `name`."""
    broken = tmp_path / "rules"
    shutil.copytree(rules_dir, broken)
    path = broken / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return broken


def line_of(path: Path, line_text: str) -> int:
    return path.read_text().splitlines().index(line_text) + 1


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("<b>Learn</b>", "<b><i>Learn</b></i>", "</b> does not close the last open tag <i>"),
        ("<b>Learn</b>", "<b>Learn", "<b> is never closed"),
        ("<b>Learn</b>", "Learn < teach", "a bare '<'"),
        ("<b>Learn</b>", "<p>Learn</p>", "<p> is not a Telegram tag"),
    ],
)
def test_check_rules_names_the_line_of_a_broken_tag_in_a_ui_string(
    rules_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    problem: str,
) -> None:
    broken = broken_copy(rules_dir, tmp_path, "ui.yaml", old, new)
    en_line = line_of(broken / "ui.yaml", "  start.welcome:") + 1  # the text's `en: |-` line
    assert main(["check-rules", str(broken)]) == 2
    err = capsys.readouterr().err
    assert f"ui.yaml:{en_line}: strings.start.welcome.en: {problem}" in err, err


def test_check_rules_refuses_markup_in_a_button_label(
    rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = broken_copy(rules_dir, tmp_path, "ui.yaml", "⬅️ Back", "<b>⬅️ Back</b>")
    en_line = line_of(broken / "ui.yaml", "  button.back:") + 1
    assert main(["check-rules", str(broken)]) == 2
    err = capsys.readouterr().err
    assert f"ui.yaml:{en_line}: strings.button.back.en: must be plain text" in err, err


@pytest.mark.parametrize("fmt, first", [("mermaid", "flowchart"), ("dot", "digraph")])
def test_rules_graph(fmt: str, first: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "graph", "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert out.lstrip().startswith(first) and "twitch" in out and "smile" in out


def test_settings_from_environment() -> None:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "LOG_LEVEL": "debug"})
    assert settings.log_level == "DEBUG" and settings.base_url == "https://api.telegram.org/bot"
    assert TOKEN not in repr(settings)
    for bad in (
        {},
        {"TELEGRAM_BOT_TOKEN": "123:short"},
        {"TELEGRAM_BOT_TOKEN": TOKEN, "LOG_LEVEL": "LOUD"},
    ):
        with pytest.raises(SettingsError) as caught:
            load_settings(bad)
        assert TOKEN not in str(caught.value)


def test_formatter_redacts_the_token_and_its_secret_half_even_in_tracebacks() -> None:
    formatter = RedactingFormatter(token_secrets(TOKEN))
    try:
        raise RuntimeError(f"https://api.telegram.org/bot{TOKEN}/getMe failed")
    except RuntimeError as exc:
        record = logging.LogRecord(
            "x",
            logging.ERROR,
            __file__,
            1,
            "secret %s",
            (TOKEN.split(":")[1],),
            (type(exc), exc, exc.__traceback__),
        )
    line = formatter.format(record)
    assert TOKEN not in line and TOKEN.split(":")[1] not in line and line.count(REDACTED) >= 2


def test_rules_dir_defaults_to_the_repository_then_the_working_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from bot import settings

    assert settings.rules_dir_from({"RULES_DIR": "/x"}) == Path("/x")
    assert settings.rules_dir_from({}) == settings.REPO_RULES_DIR
    monkeypatch.setattr(settings, "REPO_RULES_DIR", tmp_path / "missing")
    monkeypatch.chdir(tmp_path)
    assert settings.rules_dir_from({}) == tmp_path / "rules"


@pytest.mark.parametrize(
    "url", ["nonsense", "postgresql://ann:pa55word@host:port/db", "mysql://host/db", "://"]
)
def test_a_malformed_database_url_is_one_line_and_exit_2(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "DATABASE_URL is malformed" in err
    assert "pa55word" not in err and "Traceback" not in err
