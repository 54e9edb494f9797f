"""Every docstring example in the installed package, and every ``python`` block of the README,
runs and gives what it shows."""

import doctest
import importlib
import os
import pkgutil
import re
from pathlib import Path

import kg.loaders
import kg.queries
import pytest

import kg
from tests.conftest import ROOT, SHARED


def _modules() -> list[str]:
    names = set()
    for pkg in (kg, kg.loaders, kg.queries):
        names.add(pkg.__name__)
        for m in pkgutil.walk_packages(pkg.__path__, prefix=pkg.__name__ + "."):
            names.add(m.name)
    return sorted(n for n in names if not n.endswith("__main__"))


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{name}: {result.failed} docstring example(s) failed"


def test_public_surface_is_exported():
    for name in kg.__all__:
        assert hasattr(kg, name), name


def readme_blocks(lang: str) -> list[tuple[int, str]]:
    """The README's fenced ``lang`` blocks, with the line each starts on."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = []
    for m in re.finditer(rf"^```{lang}\n(.*?)^```", text, re.M | re.S):
        found.append((text.count("\n", 0, m.start()) + 2, m.group(1)))
    return found


def test_readme_has_python_blocks():
    assert len(readme_blocks("python")) >= 3


def test_readme_python_blocks_run(tmp_path, capsys):
    """All python blocks, in order, in a fresh folder with ``../shared`` beside it (as a
    newcomer runs them from a clone); each block on its own: no name leaks from one to the
    next, so a block that uses a name it does not define fails here."""
    repo = tmp_path / "kg"
    repo.mkdir()
    (tmp_path / "shared").symlink_to(SHARED, target_is_directory=True)
    before = Path.cwd()
    os.chdir(repo)
    try:
        for line, code in readme_blocks("python"):
            try:
                exec(compile(code, f"README.md:{line}", "exec"), {"__name__": "__readme__"})
            except Exception as exc:  # noqa: BLE001 - reported with the block's line
                pytest.fail(f"README.md block at line {line} failed: {type(exc).__name__}: {exc}")
    finally:
        os.chdir(before)
    out = capsys.readouterr().out
    assert "True True" in out  # what the first block's comment says it prints
    assert (repo / "build" / "communities.html").is_file() and (repo / "build" / "graph.gexf").is_file()
    _readme_view_commands_run(repo)


def _readme_view_commands_run(repo: Path) -> None:
    """The README's block of view, plot and export commands, on the graph the blocks built."""
    import shlex

    from click.testing import CliRunner

    from kg.cli import main

    (block,) = [code for _line, code in readme_blocks("bash") if "kg view build/graph.json" in code]
    commands = [shlex.split(line, comments=True) for line in block.splitlines() if line.strip()]
    assert len(commands) >= 5
    before = Path.cwd()
    os.chdir(repo)
    try:
        for args in commands:
            assert args[0] == "kg"
            result = CliRunner().invoke(main, args[1:])
            assert result.exit_code == 0, f"{shlex.join(args)}: {result.output}"
            assert "wrote" in result.output
    finally:
        os.chdir(before)
