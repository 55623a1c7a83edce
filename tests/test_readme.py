"""The README's commands are real: its set-up targets exist, CI runs the same one, and every
`majlis …` line it shows parses with the CLI's own parser."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from majlis.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
CI_RUN = ROOT / ".ci" / "run"


def code_blocks(markdown: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", markdown, flags=re.MULTILINE | re.DOTALL)


def commands(block: str) -> list[str]:
    """The block's command lines, comments and blank lines dropped."""
    lines = (shlex.split(line, comments=True) for line in block.splitlines())
    return [shlex.join(words) for words in lines if words]


def section(markdown: str, heading: str) -> str:
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", markdown, flags=re.MULTILINE | re.DOTALL)
    assert match, f"README has no '## {heading}' section"
    return match.group(1)


def makefile_targets() -> set[str]:
    return {m for line in MAKEFILE.splitlines() for m in re.findall(r"^([\w.-]+)\s*:(?!=)", line)}


def makefile_recipe(target: str) -> list[str]:
    match = re.search(rf"^{re.escape(target)}\s*:[^\n]*\n((?:\t[^\n]*\n)*)", MAKEFILE, flags=re.MULTILINE)
    assert match, f"Makefile has no {target} target"
    return [line.strip() for line in match.group(1).splitlines()]


def test_readme_opens_with_what_majlis_is():
    intro = README.split("\n## ", 1)[0]
    assert intro.startswith("# majlis\n")
    assert "Arabic" in intro and "knowledge graph" in intro


def test_setup_is_exactly_make_demo_and_make_test():
    (block,) = code_blocks(section(README, "Set-up"), "sh")
    assert commands(block) == ["make demo", "make test"]
    # and each says what it does, on its own line
    assert all("#" in line for line in block.splitlines() if line.strip())


@pytest.mark.parametrize("target", ["demo", "test"])
def test_each_setup_command_is_a_makefile_target(target):
    assert target in makefile_targets()


def test_make_test_runs_pytest_in_the_venv():
    assert makefile_recipe("test") == ["$(BIN)/python -m pytest -q"]
    assert re.search(r"^BIN := \$\(VENV\)/bin$", MAKEFILE, flags=re.MULTILINE)
    assert re.search(r"^VENV := \.venv$", MAKEFILE, flags=re.MULTILINE)


def test_make_demo_builds_the_seeds_with_a_command_the_cli_accepts():
    (command,) = makefile_recipe("demo")
    words = shlex.split(command)
    assert words[0] == "$(BIN)/majlis"
    assert words[1:] == ["build", "seeds", "-o", "out/graph.ttl", "--html", "out/network.html"]
    build_parser().parse_args(words[1:])


def test_install_is_keyed_on_pyproject_and_the_compiled_sources():
    assert "pip install -e '.[test]'" in MAKEFILE
    stamp = next(line for line in MAKEFILE.splitlines() if line.startswith("STAMP :="))
    assert "sha256sum" in stamp
    # setup.py compiles modules of extract/ with mypyc: an edit must rebuild them, or the old code would run.
    for part in ("pyproject.toml", "setup.py", "extract/*.py", "extract/*/*.py"):
        assert part in stamp


def test_ci_runs_make_test_under_strict_bash():
    assert CI_RUN.stat().st_mode & 0o111, ".ci/run must be executable"
    lines = [line.strip() for line in CI_RUN.read_text(encoding="utf-8").splitlines()]
    assert lines[0] == "#!/usr/bin/env bash"
    assert "set -euo pipefail" in lines
    code = [line for line in lines if line and not line.startswith("#")]
    assert "make test" in code
    assert code[-1] == "make test"  # its exit code is the script's
    assert any(line.startswith("APT_PACKAGES=(") for line in code)


def readme_majlis_commands() -> list[list[str]]:
    found = []
    for block in code_blocks(README, "sh"):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words and words[0] == "majlis":
                found.append(words[1:])
    return found


def test_the_readme_shows_every_subcommand():
    parser_commands = set(_subcommands())
    shown = {words[0] for words in readme_majlis_commands()}
    assert shown == parser_commands


@pytest.mark.parametrize("argv", readme_majlis_commands(), ids=shlex.join)
def test_every_majlis_command_in_the_readme_parses(argv):
    assert argv[0] in _subcommands()
    build_parser().parse_args(argv)  # exits (fails the test) on an unknown option


def _subcommands() -> dict:
    # argparse has no public way to list subcommands; the subparsers action holds them.
    (action,) = [a for a in build_parser()._actions if a.dest == "command"]
    return action.choices


def test_readme_links_to_the_docs():
    assert "(docs/vocabulary.md)" in README and "(docs/design.md)" in README
    assert (ROOT / "docs" / "design.md").is_file()
