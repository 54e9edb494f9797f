"""TeX accent escapes read as letters (kg.text)."""

from __future__ import annotations

import pytest

from kg.text import latex_accents


@pytest.mark.parametrize(("tex", "text"), [
    (r'Sch\"olkopf', "Schölkopf"),
    (r'{\"O}zge', "Özge"),
    (r"Erd\H{o}s", "Erdős"),
    (r"Fran\c{c}ois", "François"),
    (r"\v{S}r\'amek", "Šrámek"),
    (r"Petojevi\' c", "Petojević"),
    (r"Mart\'{\i}nez", "Martínez"),
    (r"Mart\'\i nez", "Martínez"),
    (r"Aks{\i}n", "Aksın"),
    (r"Do\~nana", "Doñana"),
    (r"Karhunen-Lo\`eve", "Karhunen-Loève"),
    (r"{\O}bro, Stra{\ss}e, \aa{}", "Øbro, Straße, å"),
])
def test_accents_become_letters(tex, text):
    assert latex_accents(tex) == text


@pytest.mark.parametrize("tex", [
    r"$\vec{v} \cdot \hat{x}$", r"\cite{hajac}", r"$\log n$", r"$x^\mu$", r"{\it maximum}",
    r"$0<q\le \infty$", r"\u-net", r"C:\temp\o", r"$\bar\nu_e$", "plain text",
])
def test_math_and_other_commands_stay(tex):
    assert latex_accents(tex) == tex
