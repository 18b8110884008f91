"""The README's two commands are the ones CI and a newcomer run."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from align.cli import main

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_has_exactly_two_commands() -> None:
    commands = readme_commands()
    assert len(commands) == 2
    assert "align check pairs/" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci.splitlines()


def test_readme_main_command_runs(runner: CliRunner, monkeypatch: object) -> None:
    command = readme_commands()[0].split("&&")[-1].strip()
    args = shlex.split(command)
    assert args[0] == "align"
    monkeypatch.chdir(ROOT)  # type: ignore[attr-defined]
    result = runner.invoke(main, args[1:])
    assert result.exit_code == 0, result.output
    assert "signature: muqabala:" in result.output
