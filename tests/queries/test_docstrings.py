"""Docstring examples of kg.queries: installed from queries/, so the walk of kg/ in test_docs.py misses it."""

import doctest
import importlib
import pkgutil

import kg.queries
import pytest

MODULES = ["kg.queries"] + [m.name for m in pkgutil.walk_packages(kg.queries.__path__, prefix="kg.queries.")]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name}: no docstring examples"
    assert result.failed == 0, f"{name}: {result.failed} docstring example(s) failed"
