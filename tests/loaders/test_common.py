"""The streaming JSON reader shared by the structured loaders."""

from __future__ import annotations

import io
import json

from kg.loaders._common import JsonError, JsonStream, json_items, parse_date


def test_items_of_a_nested_array_with_lines():
    doc = {"status": "ok", "message": {"total": 2, "items": [{"a": 1}, {"a": [2, 3]}], "next": None}}
    text = json.dumps(doc, indent=2)
    got = list(JsonStream(io.StringIO(text)).items(("message", "items")))
    assert [v for _, v in got] == [{"a": 1}, {"a": [2, 3]}]
    lines = text.splitlines()
    assert all(lines[n - 1].strip() == "{" for n, _ in got)


def test_values_larger_than_a_chunk(tmp_path):
    big = [{"t": "x" * 3_000_000}, {"t": "y"}]
    f = tmp_path / "big.json"
    f.write_text(json.dumps(big))
    assert [len(v["t"]) for _, v in json_items(f)] == [3_000_000, 1]


def test_missing_path_gives_the_object_and_errors_give_the_line(tmp_path):
    f = tmp_path / "one.json"
    f.write_text('{\n "paperId": "x",\n "title": "T"\n}\n')
    assert list(json_items(f, ("data",))) == [(1, {"paperId": "x", "title": "T"})]
    f.write_text('[\n {"a": 1},\n {"a": tru},\n {"a": 3}\n]\n')
    out = list(json_items(f))
    assert out[0] == (2, {"a": 1}) and isinstance(out[1][1], JsonError) and out[1][0] == 3


def test_parse_date_forms():
    assert parse_date("2024-13-01") == ("2024", 2024)
    assert parse_date(1999) == ("1999", 1999) and parse_date(20) is None
    assert parse_date([[2005, 2, 18]]) == ("2005-02-18", 2005)
