"""Polite HTTP for ``kg fetch``: one :class:`Http` per source, with its rate limit, retries
with backoff that honour ``Retry-After``, a disk cache of validated responses, and errors that
say what to do.

* **Rate limit.** A request starts at least ``min_interval`` seconds after the previous answer
  ended (the source's documented limit; ``KG_FETCH_MIN_INTERVAL`` overrides it for mirrors and
  tests).
* **Retries.** 429 and 5xx answers, connection errors, and bodies that cannot be decoded (a
  connection cut mid-body) are tried again, up to ``retries`` times. The wait is the answer's
  ``Retry-After`` (seconds or an HTTP date) when it has one, else ``backoff * 2**attempt``
  with jitter; every wait is capped at ``max_wait`` (``KG_FETCH_MAX_WAIT``).
* **Cache.** A response is cached only after it decoded; its key is the method, the URL, the
  parameters and the body, without secrets (``api_key``, ``mailto``, the ``x-api-key``
  header), so the same request is never sent twice.
* **Errors.** 400 and 404 are the query's fault: :class:`FetchError` with the server's own
  message. 401 and 403 name the environment variable that holds the key.

>>> cache_key("GET", "http://h/works", {"search": "x", "mailto": "me@x.org"}) == cache_key(
...     "GET", "http://h/works", {"search": "x"})
True
>>> retry_after("3"), retry_after("soon")
(3.0, None)
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx

from kg.errors import KgError

__all__ = ["Cache", "FetchError", "Http", "HttpSettings", "cache_key", "retry_after"]

T = TypeVar("T")

SECRET_PARAMS = frozenset({"api_key", "mailto"})
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
USER_AGENT = "kg-toolkit (https://pypi.org/project/kg-toolkit/)"


class FetchError(KgError):
    """A fetch that cannot go on: a bad query, a refused key, a source that keeps failing."""


class BadResponse(ValueError):
    """A response body that does not decode as the source's format (truncated, garbled)."""


@dataclass
class HttpSettings:
    """Retry and pacing knobs; :meth:`from_env` reads the ``KG_FETCH_*`` variables.

    >>> HttpSettings.from_env({"KG_FETCH_MAX_WAIT": "2"}).max_wait
    2.0
    """

    retries: int = 5
    backoff: float = 1.0
    max_wait: float = 120.0
    min_interval: float | None = None  # None: the source's own limit
    timeout: float = 60.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> HttpSettings:
        env = os.environ if env is None else env
        s = cls()
        for name, attr, cast in (("KG_FETCH_RETRIES", "retries", int), ("KG_FETCH_BACKOFF", "backoff", float),
                                 ("KG_FETCH_MAX_WAIT", "max_wait", float),
                                 ("KG_FETCH_MIN_INTERVAL", "min_interval", float),
                                 ("KG_FETCH_TIMEOUT", "timeout", float)):
            if env.get(name):
                try:
                    setattr(s, attr, cast(env[name]))
                except ValueError:
                    raise FetchError(f"{name}={env[name]!r} is not a number") from None
        return s


def cache_key(method: str, url: str, params: dict[str, Any] | None = None, body: Any = None) -> str:
    """A stable key of a request, without its secrets."""
    clean = sorted((k, str(v)) for k, v in (params or {}).items() if k not in SECRET_PARAMS)
    text = json.dumps([method.upper(), url, clean, body], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delay-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class Cache:
    """Validated response bodies on disk, one file per request key (written atomically)."""

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None

    def put(self, key: str, body: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        tmp.write_bytes(body)
        tmp.replace(path)


@dataclass
class Stats:
    """What an :class:`Http` did: requests sent, answered from the cache, retried."""

    sent: int = 0
    cached: int = 0
    retries: int = 0
    waited: float = 0.0

    def as_dict(self) -> dict[str, float]:
        return {"sent": self.sent, "cached": self.cached, "retries": self.retries,
                "waited_seconds": round(self.waited, 3)}


@dataclass
class Http:
    """An HTTP client for one source.

    ``name`` names the source in messages; ``key_env`` names the environment variable(s) of its
    key (for the 401/403 message); ``say`` receives one-line notes (retries, waits).
    """

    name: str
    min_interval: float
    settings: HttpSettings = field(default_factory=HttpSettings)
    cache: Cache | None = None
    headers: dict[str, str] = field(default_factory=dict)
    secret_params: dict[str, str] = field(default_factory=dict)
    key_hint: str = ""
    say: Callable[[str], None] = lambda _msg: None
    stats: Stats = field(default_factory=Stats)

    def __post_init__(self) -> None:
        self._client: httpx.Client | None = None
        self._last = 0.0
        if self.settings.min_interval is not None:
            self.min_interval = self.settings.min_interval

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                timeout=self.settings.timeout, follow_redirects=True,
                headers={"User-Agent": USER_AGENT, **self.headers})
        return self._client

    def _pace(self) -> None:
        wait = self._last + self.min_interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()

    def _sleep(self, seconds: float, why: str) -> None:
        seconds = min(seconds, self.settings.max_wait)
        self.say(f"{self.name}: {why}; waiting {seconds:.1f} s")
        self.stats.waited += seconds
        time.sleep(seconds)

    def request(self, method: str, url: str, decode: Callable[[bytes], T], *,
                params: dict[str, Any] | None = None, json_body: Any = None,
                use_cache: bool = True) -> T:
        """Send a request (or answer it from the cache) and return ``decode(body)``.

        ``decode`` raises :class:`BadResponse` (or ``ValueError``) for a body that is not what
        the source sends; such a body is retried and never cached.
        """
        params = dict(params or {})
        key = cache_key(method, url, params, json_body)
        if use_cache and self.cache is not None:
            body = self.cache.get(key)
            if body is not None:
                try:
                    value = decode(body)
                except ValueError:
                    pass  # a damaged cache entry: ask again
                else:
                    self.stats.cached += 1
                    return value
        send_params = {**params, **self.secret_params}
        attempts = self.settings.retries + 1
        problem = ""
        for attempt in range(attempts):
            if attempt:
                self.stats.retries += 1
            self._pace()
            self.stats.sent += 1
            try:
                resp = self._http().request(method, url, params=send_params or None, json=json_body)
                body = resp.content
            except httpx.TransportError as exc:
                self._last = time.monotonic()
                problem = f"{type(exc).__name__}: {exc}"
                if attempt + 1 < attempts:
                    self._sleep(self._backoff(attempt), f"{problem} from {url}")
                continue
            self._last = time.monotonic()  # the interval runs from the end of the answer
            status = resp.status_code
            if status in RETRY_STATUS:
                problem = f"HTTP {status}"
                wait = retry_after(resp.headers.get("Retry-After"))
                if attempt + 1 < attempts:
                    why = f"HTTP {status} from {url}" + (
                        f" (Retry-After {resp.headers['Retry-After']})" if wait is not None else "")
                    self._sleep(wait if wait is not None else self._backoff(attempt), why)
                continue
            if status >= 400:
                raise self._refused(status, url, body)
            try:
                value = decode(body)
            except ValueError as exc:
                problem = f"a response that does not decode ({exc})"
                if attempt + 1 < attempts:
                    self._sleep(self._backoff(attempt), f"{problem} from {url}")
                continue
            if self.cache is not None:
                self.cache.put(key, body)
            return value
        raise FetchError(f"{self.name}: {url} failed {attempts} times, last with {problem}; "
                         "the source may be down or rate-limiting: try again later "
                         "(an interrupted fetch resumes where it stopped)")

    def get(self, url: str, decode: Callable[[bytes], T], params: dict[str, Any] | None = None) -> T:
        """``GET url?params``, decoded; see :meth:`request`."""
        return self.request("GET", url, decode, params=params)

    def _backoff(self, attempt: int) -> float:
        return self.settings.backoff * (2 ** attempt) * (1 + random.random() / 4)

    def _refused(self, status: int, url: str, body: bytes) -> FetchError:
        message = server_message(body)
        where = f"{self.name}: HTTP {status} for {url}"
        if status in (401, 403):
            hint = self.key_hint or "the source refused the request"
            return FetchError(f"{where}: {message or 'access refused'}; {hint}")
        if status == 404:
            return FetchError(f"{where}: not found ({message or 'no message'}); check the id or the base URL")
        return FetchError(f"{where}: the source rejected the query: {message or 'no message'}; "
                          "check the query syntax")


def server_message(body: bytes) -> str:
    """The human message of an error body (JSON ``message``/``error``, an arXiv error entry's
    summary, or the start of the text)."""
    text = body.decode("utf-8", errors="replace").strip()
    if not text:
        return ""
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        for k in ("message", "error", "detail", "msg"):
            v = data.get(k)
            if isinstance(v, str) and v:
                return v[:300]
            if isinstance(v, list) and v:
                return json.dumps(v)[:300]
    if "<summary>" in text:
        return text.split("<summary>", 1)[1].split("</summary>", 1)[0].strip()[:300]
    return " ".join(text.split())[:300]
