"""The README and --help stay in sync: every command is documented and answers --help."""

from __future__ import annotations

import re

from click.testing import CliRunner

from ogi.cli.main import main
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme() -> None:
    for name in main.commands:
        assert re.search(rf"\bogi {name}\b", README), f"`ogi {name}` is not documented in README.md"


def test_every_command_answers_help() -> None:
    runner = CliRunner()
    for name in main.commands:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Usage:" in result.output


def test_readme_has_exactly_two_setup_commands() -> None:
    setup = README.split("## Set up and run", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", setup, flags=re.S)
    assert len(blocks) == 2 and all(len(b.strip().splitlines()) == 1 for b in blocks)
