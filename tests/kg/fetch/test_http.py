"""Politeness and robustness against a real local server: Retry-After, 5xx retries, truncated
bodies, the cache, the rate limit, and the errors for a refused key."""

from __future__ import annotations

import email.utils
import time

import pytest

from kg.fetch import FetchError, fetch
from kg.fetch.http import Cache, Http, HttpSettings, retry_after
from kg.fetch.sources import openalex_decode
from tests.kg.fetch.conftest import jsonl_ids


def first_page(req):
    return req["path"] == "/openalex/works" and req["query"].get("cursor") == "*"


def test_429_waits_as_long_as_retry_after_says(api, tmp_path):
    api.faults.append((first_page, {"status": 429, "headers": {"Retry-After": "1"}}))
    started = time.monotonic()
    r = fetch("openalex", "graphs", tmp_path / "oa", max_records=10, progress=False)
    q = api.requests("/openalex/")
    assert r.records == 10 and r.requests["retries"] == 1
    assert [x["query"]["cursor"] for x in q] == ["*", "*"]
    assert q[1]["time"] - q[0]["time"] >= 1.0  # honoured, even though the backoff would be 0.05 s
    assert time.monotonic() - started >= 1.0


def test_retry_after_as_a_date_and_the_cap(api, tmp_path):
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 28 <= retry_after(when) <= 30
    api.faults.append((first_page, {"status": 503, "headers": {"Retry-After": "3600"}}))
    http = Http("OpenAlex", 0, settings=HttpSettings(max_wait=0.3, backoff=0.01))
    data = http.get(f"{api.root}/openalex/works", openalex_decode, {"cursor": "*"})
    assert len(data["results"]) == 25  # OpenAlex's default page size
    assert http.stats.waited == pytest.approx(0.3)  # the hour asked for, capped


def test_5xx_are_retried_with_backoff_then_give_up_clearly(api, tmp_path):
    for status in (500, 502, 503):
        api.faults.append((first_page, {"status": status}))
    r = fetch("openalex", "graphs", tmp_path / "a", max_records=5, progress=False)
    assert r.records == 5 and r.requests["retries"] == 3
    api.faults.extend([(first_page, {"status": 500})] * 10)
    api.log.clear()
    settings = HttpSettings(retries=2, backoff=0.01)
    with pytest.raises(FetchError, match="failed 3 times, last with HTTP 500"):
        fetch("openalex", "graphs", tmp_path / "b", settings=settings, progress=False)
    assert len(api.requests("/openalex/")) == 3


@pytest.mark.parametrize("how", ["connection", "body"])
def test_a_truncated_body_is_asked_again_and_never_cached(api, tmp_path, how):
    second = lambda req: req["path"] == "/openalex/works" and req["query"].get("cursor") == "off50"  # noqa: E731
    api.faults.append((second, {"truncate": how}))
    out = tmp_path / "oa"
    r = fetch("openalex", "graphs", out, progress=False)
    ids = jsonl_ids(out)
    assert r.status == "complete" and len(ids) == 300 == len(set(ids)) and r.requests["retries"] == 1
    assert [x["query"]["cursor"] for x in api.requests("/openalex/")][:3] == ["*", "off50", "off50"]


def test_truncated_arxiv_feed_is_retried(api, tmp_path):
    api.faults.append((lambda req: "/arxiv/" in req["path"], {"truncate": "body"}))
    r = fetch("arxiv", "testing", tmp_path / "ax", progress=False)
    assert r.records == 110 and r.requests["retries"] == 1


def test_the_same_request_is_not_sent_twice(api, tmp_path):
    cache = tmp_path / "cache"
    fetch("crossref", "ecology", tmp_path / "one", cache_dir=cache, progress=False)
    sent = len(api.log)
    r = fetch("crossref", "ecology", tmp_path / "two", cache_dir=cache, progress=False)
    assert len(api.log) == sent and r.records == 4 and r.requests["cached"] == 2
    # the key leaves out secrets: another mailto is the same request
    r = fetch("crossref", "ecology", tmp_path / "three", cache_dir=cache, mailto="x@example.org",
              progress=False)
    assert len(api.log) == sent
    assert not list(Cache(cache).folder.rglob("*.tmp"))


def test_requests_keep_the_rate_limit(api, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_FETCH_MIN_INTERVAL", "0.25")
    fetch("openalex", "graphs", tmp_path / "oa", max_records=150, progress=False)
    times = [x["time"] for x in api.requests("/openalex/")]
    assert len(times) == 3
    assert all(b - a >= 0.24 for a, b in zip(times, times[1:], strict=False))


def test_s2_refused_key_names_the_variable(api, tmp_path, monkeypatch):
    api.s2_key = "good-key"
    with pytest.raises(FetchError, match=r"HTTP 403.*KG_S2_API_KEY \(or S2_API_KEY\)"):
        fetch("s2", "turing", tmp_path / "a", progress=False)
    monkeypatch.setenv("S2_API_KEY", "good-key")
    r = fetch("s2", "turing", tmp_path / "b", progress=False)
    assert r.records == 60
    assert api.log[-1]["headers"]["x-api-key"] == "good-key"


def test_openalex_key_is_sent_and_a_refusal_names_it(api, tmp_path, monkeypatch):
    refusal = b'{"error": "API key required for cursor paging"}'
    api.faults.append((first_page, {"status": 401, "body": refusal}))
    with pytest.raises(FetchError, match="API key required for cursor paging; set KG_OPENALEX_API_KEY"):
        fetch("openalex", "graphs", tmp_path / "a", progress=False)
    monkeypatch.setenv("KG_OPENALEX_API_KEY", "k123")
    fetch("openalex", "graphs", tmp_path / "b", max_records=3, progress=False)
    assert api.log[-1]["query"]["api_key"] == "k123"
    assert "k123" not in (tmp_path / "b" / ".kg-fetch" / "manifest.json").read_text()


def test_a_bad_openalex_query_gives_the_sources_message(api, tmp_path):
    body = b'{"error": "Invalid query parameters error.", "message": "from_publication_date is not a date"}'
    api.faults.append((first_page, {"status": 400, "body": body}))
    with pytest.raises(FetchError, match="rejected the query: from_publication_date is not a date; check"):
        fetch("openalex", "graphs", tmp_path / "a", progress=False)
    assert len(api.requests("/openalex/")) == 1  # a 400 is not retried


def test_settings_from_the_environment_are_checked():
    assert HttpSettings.from_env({"KG_FETCH_RETRIES": "2", "KG_FETCH_MIN_INTERVAL": "0"}).retries == 2
    with pytest.raises(FetchError, match="KG_FETCH_BACKOFF='fast' is not a number"):
        HttpSettings.from_env({"KG_FETCH_BACKOFF": "fast"})
