"""Every docstring example in the installed package runs and gives what it shows."""

import doctest
import importlib
import pkgutil

import kg.loaders
import kg.queries
import pytest

import kg


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
