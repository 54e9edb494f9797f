"""A corpus of hostile inputs, generated at test time from the real samples and seeds.

Nothing here is copied data: every file is made from ``../shared/samples``, ``../shared/seeds``
and our own fixtures by truncating, corrupting, re-encoding, mistyping and inflating them, or
written from scratch (bombs, special files). :func:`make_corpus` writes a few hundred files into
a folder and returns one :class:`Case` per file; ``benchmarks/hostile.py`` builds that folder,
``tests/loaders/test_hostile.py`` checks each input alone and the folder as a whole.

A case whose speed depends on another part of kg names it in ``needs`` (loading it is bounded
here; ``benchmarks/hostile.py`` builds it only with ``--all``). None does now: the long word
(citation patterns) and the 10,000 authors (author resolution) build in time since those fixes.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import socket
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = (ROOT / ".." / "shared").resolve()
SAMPLES = SHARED / "samples"
SEEDS = SHARED / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: the text samples, by loader
TEXT_SAMPLES = [
    "arxiv_atom/search_10.xml", "arxiv_snapshot/arxiv-metadata-oai-snapshot.head100.jsonl",
    "bibtex/biblatex-examples.bib", "crossref/query_ecology.json", "crossref/work_pone.0033693.json",
    "paperswithcode/squad.json", "ris/example_full.ris", "ris/example_multiline.ris",
    "semantic_scholar/Author.json", "semantic_scholar/PaperWithNullValues.json",
]
GZ_SAMPLES = ["openalex/works-300.jsonl.gz", "semantic_scholar/bulk/papers-50.jsonl.gz",
              "semantic_scholar/bulk/citations-50.jsonl.gz", "semantic_scholar/bulk/abstracts-50.jsonl.gz"]
#: one JSON record per loader: where to find it and how to write a file of it
JSON_RECORDS = {
    "openalex": ("openalex/works-300.jsonl.gz", "jsonl"),
    "s2_papers": ("semantic_scholar/bulk/papers-50.jsonl.gz", "jsonl"),
    "arxiv_snapshot": ("arxiv_snapshot/arxiv-metadata-oai-snapshot.head100.jsonl", "jsonl"),
    "crossref": ("crossref/work_pone.0033693.json", "json"),
    "s2_graph": ("semantic_scholar/Paper.json", "json"),
    "hf_daily_papers": ("fixtures:hf_daily_papers.json", "json"),
    "paperswithcode": ("fixtures:pwc_code_links.json", "json"),
}
#: wrong values tried in each field (cycled): the types users' files actually hold
WRONG_VALUES: list = ["a string", 12345, 1.5e308, float("nan"), [1, "two", None], {"k": [1]},
                      None, True, [[2020, "May"]], ["x"] * 3, "", -1, 10 ** 30]


@dataclass(frozen=True)
class Case:
    """One hostile file: its name in the corpus, its family, and the part it waits for."""

    name: str
    family: str
    needs: str | None = None


def _sample(rel: str) -> bytes:
    if rel.startswith("fixtures:"):
        return (FIXTURES / rel.split(":", 1)[1]).read_bytes()
    data = (SAMPLES / rel).read_bytes()
    return gzip.decompress(data) if rel.endswith(".gz") else data


def _first_record(rel: str, kind: str) -> dict:
    data = _sample(rel).decode("utf-8")
    if kind == "jsonl":
        return json.loads(data.splitlines()[0])
    obj = json.loads(data)
    if isinstance(obj, list):
        obj = obj[0]
    if isinstance(obj, dict) and isinstance(obj.get("message"), dict):
        obj = obj["message"]
    return obj


def _dump(obj, kind: str) -> bytes:
    text = json.dumps(obj, ensure_ascii=True, allow_nan=True)
    if kind == "jsonl":
        return (text + "\n" + text + "\n").encode()  # two lines: detected as JSON lines
    return ("[" + text + ",\n" + text + "]").encode()


def make_corpus(dest: str | os.PathLike, *, seed: int = 0, big: bool = True,
                special: bool = True) -> list[Case]:
    """Write the hostile corpus into ``dest`` (created); one :class:`Case` per file.

    ``big`` adds the large inputs (a 20 MB abstract, 100k-line RIS field, 200 MB gzip bomb of
    zeros, 10k authors); ``special`` adds a FIFO, a socket, a symlink loop and a symlink to
    ``/dev/zero``.
    """
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    cases: list[Case] = []

    def put(name: str, data: bytes | str, family: str, needs: str | None = None) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        (dest / name).write_bytes(data)
        cases.append(Case(name, family, needs))

    # -- truncated and corrupted files --------------------------------------------------------
    for rel in TEXT_SAMPLES:
        data = _sample(rel)
        stem = rel.replace("/", "_")
        for frac in (0.33, 0.71):
            put(f"trunc{int(frac * 100)}_{stem}", data[: int(len(data) * frac)], "truncated")
        for k in range(2):
            b = bytearray(data)
            for _ in range(max(3, len(b) // 2000)):
                b[rng.randrange(len(b))] = rng.choice(b'{}[]",:\n\x00\xff@<>=\\')
            put(f"flip{k}_{stem}", bytes(b), "corrupted")
    for rel in GZ_SAMPLES:
        raw = (SAMPLES / rel).read_bytes()
        stem = rel.replace("/", "_")
        put(f"gzcut_{stem}", raw[: len(raw) // 2], "gzip")
        bad = bytearray(raw)
        bad[-6] ^= 0xFF  # the CRC
        put(f"gzcrc_{stem}", bytes(bad), "gzip")
    put("not_gzip.jsonl.gz", _sample("arxiv_snapshot/arxiv-metadata-oai-snapshot.head100.jsonl"), "gzip")
    put("empty.json.gz", b"", "gzip")

    # -- encodings --------------------------------------------------------------------------------
    for rel in ("ris/example_full.ris", "bibtex/biblatex-examples.bib",
                "arxiv_snapshot/arxiv-metadata-oai-snapshot.head100.jsonl", "crossref/query_ecology.json"):
        text = _sample(rel).decode("utf-8").lstrip("\ufeff")
        stem = rel.replace("/", "_")
        put(f"utf16le_{stem}", b"\xff\xfe" + text.encode("utf-16-le"), "encoding")
        put(f"utf16be_{stem}", b"\xfe\xff" + text.encode("utf-16-be"), "encoding")
        put(f"utf32_{stem}", text.encode("utf-32"), "encoding")
        put(f"latin1_{stem}", text.encode("latin-1", "replace"), "encoding")

    # -- wrong JSON types, field by field --------------------------------------------------------
    k = 0
    for fmt, (rel, kind) in JSON_RECORDS.items():
        rec = _first_record(rel, kind)
        keys = list(rec)[:14]
        for key in keys:
            bad = dict(rec)
            bad[key] = WRONG_VALUES[k % len(WRONG_VALUES)]
            k += 1
            put(f"type_{fmt}_{key.replace('/', '_')}.{'jsonl' if kind == 'jsonl' else 'json'}",
                _dump(bad, kind), "types")
        # nested values of the wrong type: each list becomes a list of strings, each dict a string
        bad = {key: (["x", 1] if isinstance(v, list) else "x" if isinstance(v, dict) else v)
               for key, v in rec.items()}
        put(f"type_{fmt}_nested.{'jsonl' if kind == 'jsonl' else 'json'}", _dump(bad, kind), "types")
        # lone surrogates, NUL, ANSI escapes and control characters in every string
        text = json.dumps(rec)
        for name, ins in (("surrogate", "\\ud800"), ("controls", "\\u0000\\u001b[31m\\u0007")):
            put(f"{name}_{fmt}.{'jsonl' if kind == 'jsonl' else 'json'}",
                text.replace('": "', '": "' + ins) + ("\n" + text + "\n" if kind == "jsonl" else ""),
                "hygiene")

    # -- deep nesting, huge numbers ----------------------------------------------------------------
    for depth in (5_000, 100_000):
        put(f"deep{depth}.json", "[" * depth + "]" * depth, "deep")
        put(f"deep{depth}_values.jsonl",
            '{"id": "0704.0001", "submitter": "x", "authors_parsed": ' + "[" * depth + "]" * depth
            + '}\n{"id": "0704.0002", "submitter": "y", "title": "Fine", "versions": []}\n', "deep")
    snap = _first_record("arxiv_snapshot/arxiv-metadata-oai-snapshot.head100.jsonl", "jsonl")
    line = json.dumps(snap)
    put("bigint.jsonl", line.replace('"id": ', '"n": ' + "9" * 5000 + ', "id": ') + "\n" + line + "\n",
        "numbers")
    put("bigint_listing.txt", (SEEDS / "001_eea2f075fb8cce27.txt").read_text().replace(
        "• 2 authors", "• " + "9" * 40 + " authors", 1), "numbers")

    # -- bombs -------------------------------------------------------------------------------------
    strings = ['@string{s0 = "ha"}'] + [f"@string{{s{i} = s{i - 1} # s{i - 1}}}" for i in range(1, 29)]
    put("bomb_strings.bib", "\n".join(strings) + "\n@article{a, title = s28, year = 2020}\n"
        "@article{b, title = {Survives}, year = 2020}\n", "bomb")
    put("bomb_laughs.xml", '<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY a "lol">'
        + '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom"><id>http://arxiv.org/api/x</id>'
        "<entry><id>http://arxiv.org/abs/2401.00001v1</id><title>&c;</title></entry></feed>\n", "bomb")
    put("xxe.xml", '<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom"><id>http://arxiv.org/api/x</id>'
        "<entry><id>http://arxiv.org/abs/2401.00001v1</id><title>&x;</title></entry></feed>\n", "bomb")
    atom = _sample("arxiv_atom/search_10.xml").decode()
    put("doctype_default.xml", atom.replace(
        "<feed ", '<!DOCTYPE feed [<!ATTLIST link href CDATA "javascript:alert(1)">]>\n<feed ', 1).replace(
        'href="http://arxiv.org/abs/', 'hreff="http://arxiv.org/abs/'), "bomb")
    put("junk_after_feed.xml", atom + "\n<junk>&&&\n", "structure")
    put("two_feeds.xml", atom + atom, "structure")

    # -- structure: silent losses ------------------------------------------------------------------
    bib = _sample("bibtex/biblatex-examples.bib").decode()
    entries = bib.split("\n@")
    put("unbalanced_brace.bib", "\n@".join(entries[:3]) + "\n@article{broken, title = {Open {brace},"
        " year = 2020,\n" + "\n@".join([""] + entries[3:14]), "structure")
    put("unbalanced_comment.bib", "@comment{ never closed\n" + "\n@".join(entries[:10]), "structure")
    ris = _sample("ris/example_full.ris").decode().lstrip("\ufeff")
    no_er = "\n".join(ln for ln in ris.splitlines() if not ln.startswith("ER"))
    put("no_er.ris", no_er + "\n" + no_er + "\n", "structure")
    big_first = dict(snap, abstract=snap.get("abstract", "") + " word" * 20_000)
    put("big_first_line.jsonl", json.dumps(big_first) + "\n" + line + "\n" + line + "\n", "structure")
    put("concatenated.json", line + line + "\n" + line, "structure")
    put("empty.ris", b"", "structure")
    put("empty.bib", b"", "structure")
    put("empty.xml", _sample("arxiv_atom/empty.xml"), "structure")
    put("whitespace.json", b"  \n\n  ", "structure")
    put("binary.bin", bytes(rng.randrange(256) for _ in range(4096)), "binary")
    put("nul_only.txt", b"\x00" * 10_000, "binary")
    put("pdf_like.pdf", b"%PDF-1.4\n" + bytes(rng.randrange(256) for _ in range(2048)), "binary")

    # -- seeds, mangled ----------------------------------------------------------------------------
    for p in sorted(SEEDS.glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        put(f"seed_trunc_{p.name}", text[: len(text) // 2], "listing")
        put(f"seed_noblank_{p.name}", "\n".join(ln for ln in text.splitlines() if ln.strip()), "listing")
        put(f"seed_crlf_{p.name}", text.replace("\n", "\r\n"), "listing")
        put(f"seed_ansi_{p.name}", text.replace("\n", "\x1b[2K\x00\n", 40), "listing")

    # -- size ------------------------------------------------------------------------------------
    long_word = "x" * 16_000
    put("long_word.jsonl", json.dumps(dict(snap, abstract=f"See {long_word} (Smith, 2020).")) + "\n"
        + line + "\n", "size")
    if big:
        put("huge_abstract.jsonl", json.dumps(dict(snap, abstract="lorem ipsum " * 1_700_000)) + "\n"
            + line + "\n", "size")
        put("huge_continuation.ris", "TY  - JOUR\nTI  - Long field\nAB  - start\n"
            + "continued line of text\n" * 100_000 + "ER  - \n" + ris, "size")
        put("zeros.jsonl.gz", gzip.compress(b"\x00" * (200 << 20), compresslevel=1), "bomb")
        put("many_authors.jsonl", json.dumps(dict(snap, authors_parsed=[[f"Name{i}", f"A{i}", ""]
                                                                       for i in range(10_000)]))
            + "\n" + line + "\n", "size")
        put("many_records.ris", (ris.strip() + "\n") * 2_000, "size")

    # -- file names and special files ---------------------------------------------------------------
    weird = os.fsdecode(b"name_\xff\xfe.ris")
    (dest / weird).write_bytes(_sample("ris/example_basic.ris"))
    cases.append(Case(weird, "filename"))
    put("name_\u202eris.txt", _sample("ris/example_basic.ris"), "filename")
    if special:
        _special(dest, cases)
    return cases


def _special(dest: Path, cases: list[Case]) -> None:
    def add(name: str, make: Callable[[Path], None]) -> None:
        try:
            make(dest / name)
        except OSError:
            return
        cases.append(Case(name, "special"))

    add("fifo.json", lambda p: os.mkfifo(p))
    add("loop.bib", lambda p: os.symlink(p.name, p))
    add("zero.jsonl", lambda p: os.symlink("/dev/zero", p))
    add("dangling.ris", lambda p: os.symlink("does-not-exist.ris", p))

    def sock(p: Path) -> None:
        s = socket.socket(socket.AF_UNIX)
        try:
            s.bind(str(p))
        finally:
            s.close()

    add("socket.ris", sock)

    def unreadable(p: Path) -> None:
        p.write_text("TY  - JOUR\nTI  - Secret\nER  - \n")
        p.chmod(0)
        if os.access(p, os.R_OK):  # root reads anything: not a useful case there
            p.chmod(stat.S_IRUSR | stat.S_IWUSR)

    add("unreadable.ris", unreadable)
