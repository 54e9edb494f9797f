"""TeX accent escapes read as letters (kg.text)."""

from __future__ import annotations

import pytest

from kg.text import latex_accents, strip_font_commands


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


@pytest.mark.parametrize(("tex", "text"), [
    (r"we introduce \textbf{LinguaMaster}, a framework", "we introduce LinguaMaster, a framework"),
    (r"{\em Foo Bar} and \emph{Baz}", "Foo Bar and Baz"),
    (r"\textbf{\underline{City-VLM}}", "City-VLM"),
    (r"$\textbf{S}$parse $\textbf{A}$uto", "Sparse Auto"),
    (r"\textbf{M}ulti-source", "Multi-source"),
    ("line one \\textit{Two\nWords} end", "line one Two\nWords end"),
])
def test_font_commands_are_stripped_and_offsets_point_into_the_text(tex, text):
    out, at = strip_font_commands(tex)
    assert out == text
    assert len(at) == len(out) + 1 and at[-1] == len(tex)
    assert all(tex[at[i]] == c for i, c in enumerate(out))


@pytest.mark.parametrize("tex", [
    r"$\mathbf{x} + y$", r"\textbf{\dataname}", r"\textbf{a {b} c}", r"an \textbf{open brace", "plain",
    r"\cite{hajac}", r"$\hat{x}$",
])
def test_what_is_not_a_font_command_around_text_stays(tex):
    assert strip_font_commands(tex) == (tex, None)
