"""A real Neo4j for the tests: the server ``NEO4J_URI`` names, or Neo4j's own engine started here.

When ``NEO4J_URI`` is set (docker compose, Aura, your own server) the tests use that server
with ``NEO4J_USER`` / ``NEO4J_PASSWORD`` and EMPTY its database. Otherwise the session fixture
:func:`neo4j` starts the launcher of ``docker/neo4j-test`` (the Neo4j Community engine from
Maven Central, Bolt on 127.0.0.1 and a free port, authentication on, a database folder in a
temporary directory), waits until Bolt answers, and stops it at the end of the session.

* The launcher is built with Maven the first time (``.ci/run`` builds it up front); later
  starts run ``java`` on the jar and the class path Maven wrote, without Maven.
* Without Java or Maven the Neo4j tests are skipped and say why; in CI (``CI=true``) they
  fail instead: CI must test against a real Neo4j.

Start one by hand (prints the URI, stops on Ctrl-C)::

    python -m tests.neo4j_server
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAUNCHER = ROOT / "docker" / "neo4j-test"
JAR = LAUNCHER / "target" / "neo4j-test.jar"
CLASSPATH = LAUNCHER / "target" / "classpath.txt"
USER = "neo4j"
PASSWORD = "kg-test-password"
READY = "KG_NEO4J_READY "
#: the JVM's options besides the heap (G1, as Neo4j's own server runs); the heap's initial and
#: largest size are both ``Neo4jServer.heap``, as Neo4j's operations manual recommends (the push
#: benchmark on a quiet machine measured the same rates with a 256 MB start)
JAVA_OPTIONS = ["-XX:+UseG1GC"]
START_TIMEOUT = 240.0


class Neo4jUnavailable(RuntimeError):
    """The launcher cannot be built or the engine cannot start; the message says why."""


def in_ci() -> bool:
    """True on CI (``CI=true``), where Neo4j tests must run rather than skip."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


def missing_tools() -> str | None:
    """Why the launcher cannot run here (no Java, or no Maven and no built launcher), or None."""
    if _java() is None:
        return "no `java` on PATH (Java 17 or 21 runs Neo4j 5.26)"
    if not _built() and shutil.which("mvn") is None:
        return "no `mvn` on PATH to build docker/neo4j-test"
    return None


def _built() -> bool:
    if not (JAR.exists() and CLASSPATH.exists()):
        return False
    sources = [LAUNCHER / "pom.xml", *LAUNCHER.glob("src/**/*.java")]
    newest = max(p.stat().st_mtime for p in sources)
    return min(JAR.stat().st_mtime, CLASSPATH.stat().st_mtime) >= newest


def build_launcher() -> None:
    """``mvn package`` in docker/neo4j-test unless the jar and class path are up to date."""
    if _built():
        return
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jUnavailable("no `mvn` on PATH to build docker/neo4j-test")
    done = subprocess.run(
        [mvn, "-q", "-B", "-f", str(LAUNCHER / "pom.xml"), "package"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not _built():
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise Neo4jUnavailable(f"`mvn package` in {LAUNCHER} failed (exit {done.returncode}):\n{tail}")


@dataclass
class Neo4jServer:
    """One Neo4j engine process on a database folder; it can be stopped and started again.

    The first start picks a free port; later starts reuse the port and the folder, so a
    restarted server has the same URI and the same data.
    """

    home: Path
    password: str = PASSWORD
    port: int = 0
    version: str = ""
    #: the engine's memory: JVM heap and page cache (small defaults for tests; a benchmark of a
    #: big graph gives it what a server on this machine would have)
    heap: str = "1g"
    page_cache: str = "256m"
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.home.parent / f"{self.home.name}.log"

    def start(self, timeout: float = START_TIMEOUT) -> str:
        """Start the engine and wait until it is ready and Bolt answers; return the URI."""
        build_launcher()
        java = _java()
        if java is None:
            raise Neo4jUnavailable("no `java` on PATH")
        classpath = os.pathsep.join([str(JAR), CLASSPATH.read_text().strip()])
        options = [*JAVA_OPTIONS, f"-Xms{self.heap}", f"-Xmx{self.heap}"]
        command = [java, *options, "-cp", classpath, "kg.neo4jtest.Launcher", "--home", str(self.home),
                   "--port", str(self.port), "--password", self.password, "--page-cache", self.page_cache,
                   "--stop-on-stdin-eof"]
        self.home.mkdir(parents=True, exist_ok=True)
        start_offset = self.log.stat().st_size if self.log.exists() else 0
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.log.read_bytes()[start_offset:].decode("utf-8", "replace")
            ready = [line for line in text.splitlines() if line.startswith(READY)]
            if ready:
                uri, _, version = ready[0][len(READY) :].partition(" ")
                self.port = int(uri.rsplit(":", 1)[1])
                self.version = version.strip()
                self._wait_for_bolt(deadline)
                return self.uri
            if self.process.poll() is not None:
                raise Neo4jUnavailable(
                    f"the Neo4j engine exited with code {self.process.returncode} while starting; "
                    f"its log {self.log} ends with:\n{_tail(text)}"
                )
            time.sleep(0.2)
        self.stop(kill=True)
        raise Neo4jUnavailable(f"Neo4j was not ready after {timeout:.0f} s; its log {self.log} ends with:\n"
                               f"{_tail(self.log.read_bytes()[start_offset:].decode('utf-8', 'replace'))}")

    def _wait_for_bolt(self, deadline: float) -> None:
        import neo4j

        last: Exception | None = None
        while time.monotonic() < deadline:
            try:
                with neo4j.GraphDatabase.driver(self.uri, auth=(USER, self.password)) as driver:
                    driver.verify_connectivity()
                    return
            except Exception as exc:  # noqa: BLE001 - retried until the deadline, then reported
                last = exc
                time.sleep(0.2)
        raise Neo4jUnavailable(f"Neo4j printed {self.uri} but Bolt did not answer: {last}")

    def stop(self, *, kill: bool = False, timeout: float = 60.0) -> None:
        """Stop the engine: cleanly (end of standard input, then SIGTERM) or with SIGKILL."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        if kill:
            process.send_signal(signal.SIGKILL)
        else:
            with contextlib.suppress(OSError):
                process.stdin.close()  # the launcher shuts the engine down and exits
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdin and not process.stdin.closed:
            process.stdin.close()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


@dataclass
class Neo4jTarget:
    """Where the Neo4j tests connect: a URI and credentials, and the local server if we started it."""

    uri: str
    user: str
    password: str
    server: Neo4jServer | None = None

    def store(self, **kwargs):
        """A :class:`kg.stores.Neo4jStore` on this server."""
        from kg.stores import Neo4jStore

        return Neo4jStore(self.uri, user=self.user, password=self.password, **kwargs)

    @contextlib.contextmanager
    def fresh(self, **kwargs) -> Iterator:
        """A store on an EMPTY database (every node and relationship deleted first)."""
        store = self.store(**kwargs)
        try:
            wipe(store)
            yield store
        finally:
            store.close()


def wipe(store) -> None:
    """Delete every node and relationship, in batches (constraints stay)."""
    # the pre-5.23 subquery form, for older servers too; its deprecation notice is not shown
    with store._driver.session(database=store.database, notifications_min_severity="OFF") as session:
        session.run("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def unavailable(reason: str) -> None:
    """Skip with ``reason``, or fail on CI, where the Neo4j tests must run."""
    if in_ci():
        pytest.fail(f"CI=true and no Neo4j to test against: {reason}", pytrace=False)
    pytest.skip(f"no Neo4j to test against: {reason}; set NEO4J_URI to use your own server")


@pytest.fixture(scope="session")
def neo4j(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jTarget]:
    """The Neo4j the tests run against (see the module docstring); stopped at the end."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        from kg.stores.neo4j import DEFAULT_PASSWORD

        yield Neo4jTarget(uri, os.environ.get("NEO4J_USER") or USER,
                          os.environ.get("NEO4J_PASSWORD") or DEFAULT_PASSWORD)
        return
    reason = missing_tools()
    if reason:
        unavailable(reason)
    server = Neo4jServer(tmp_path_factory.mktemp("neo4j") / "db")
    try:
        server.start()
    except Neo4jUnavailable as exc:
        pytest.fail(f"the Neo4j test engine did not start: {exc}", pytrace=False)
    try:
        yield Neo4jTarget(server.uri, USER, server.password, server)
    finally:
        server.stop()


@pytest.fixture
def local_neo4j(neo4j: Neo4jTarget) -> Neo4jTarget:
    """The Neo4j this session started (for tests that stop and restart the server)."""
    if neo4j.server is None:
        pytest.skip("NEO4J_URI names an outside server; the stop/restart tests need the local launcher "
                    "(unset NEO4J_URI to run them)")
    if not neo4j.server.running:  # a test before stopped it and failed before restarting
        neo4j.server.start()
    return neo4j


def main() -> None:
    """Start a local engine in a temporary folder, print its URI and wait for Ctrl-C."""
    folder = Path(tempfile.mkdtemp(prefix="kg-neo4j-"))
    server = Neo4jServer(folder / "db")
    server.start()
    print(f"Neo4j {server.version} at {server.uri} (user {USER}, password {server.password}); "
          f"data in {folder}; Ctrl-C stops it")
    try:
        while server.running:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
