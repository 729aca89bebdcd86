"""The documentation is complete: every command has an example in its help, and every option
of every command (and of `objection` itself) is documented in README.md where that command is.

Commands and options are read from the live click group, so a new option fails here until
README.md documents it.
"""

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from objection.cli import cli

README = (Path(__file__).parent.parent / "README.md").read_text("utf-8")


def _sections(markdown: str) -> dict[str, str]:
    """Each `## ` or `### ` heading with the text up to the next such heading."""
    parts = re.split(r"(?m)^(?=#{2,3} )", markdown)
    return {part.splitlines()[0]: part for part in parts if part.startswith("##")}


def _where_documented(command: str | None) -> str:
    """The README text for a command: its `### ` section (a heading may name several
    commands); for `objection` itself, the `## Commands` section before its first command."""
    sections = _sections(README)
    if command is None:
        return sections["## Commands"]
    found = [text for heading, text in sections.items()
             if heading.startswith("### ") and f"`objection {command}`" in heading]
    assert len(found) == 1, f"README.md has no (or more than one) section for {command!r}"
    return found[0]


def _long_options(command: click.Command) -> list[str]:
    return [name for param in command.params if isinstance(param, click.Option)
            for name in (*param.opts, *param.secondary_opts) if name.startswith("--")]


COMMANDS = sorted(cli.commands)
OPTIONS = [(None, option) for option in _long_options(cli)] + [
    (name, option) for name in COMMANDS for option in _long_options(cli.commands[name])]


def test_the_options_are_found() -> None:
    # Guards the discovery below: an empty parametrization would pass without checking.
    assert {"letter", "batch", "verify"} <= set(COMMANDS)
    assert (None, "--debug") in OPTIONS and (None, "--version") in OPTIONS
    assert ("letter", "--sign-p12") in OPTIONS and ("batch", "--delimiter") in OPTIONS


@pytest.mark.parametrize("command", [None, *COMMANDS], ids=["objection", *COMMANDS])
def test_help_has_an_example(command: str | None) -> None:
    args = [] if command is None else [command]
    result = CliRunner().invoke(cli, [*args, "--help"], prog_name="objection")
    assert result.exit_code == 0, result.output
    heading = re.search(r"(?m)^\s*Examples?:$", result.output)
    assert heading, result.output
    # Under it, a command line a user can copy (the usage line does not count).
    example = result.output[heading.end():]
    words = ["objection", *args]
    assert any(line.split()[:len(words)] == words and len(line.split()) > 1
               for line in example.splitlines()), result.output


@pytest.mark.parametrize(("command", "option"), OPTIONS,
                         ids=[f"{command or 'objection'} {option}" for command, option in OPTIONS])
def test_option_is_documented_in_readme(command: str | None, option: str) -> None:
    text = _where_documented(command)
    # The whole option name: `--profile` is not documented by `--profile-url`.
    assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text), (
        f"{option} of 'objection {command or ''}' is not in its README.md section")
