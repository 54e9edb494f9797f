"""The matcher's fast paths give the answers of the general steps they stand in for.

`kg dedupe` reads a million records in bulk: plain author names skip the general clean-up,
plain author strings are tested for organisation words with a set, ASCII titles are
normalised with ``str.translate``, and author lists by other people are settled from
per-record sets. Each must say exactly what the general code says, on any input.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.resolve import authors as A
from kg.resolve import papers as P

#: names as sources write them, plain and not
NAMES = [
    "Ashish Vaswani", "Vaswani, A.", "A. Vaswani", "Vaswani A", "Vaswani, Ashish", "Devlin J", "Chang MW",
    "MW Chang", "Ming-Wei Chang", "J.-P. Dupont", "Jean-Pierre Dupont", "Aalst, W. van der",
    "Wil M. P. van der Aalst", "John Smith Jr.", "Smith, Jr., John", "Ph.D. Smith", "rt ng", "p kalnis",
    "HV Jagadish", "St. John", "de la Cruz, M.", "Le Zhang", "A. .", "Smith,J", "Smith , J.", "X",
    "John Smith Jr..", "Smith, J., Jr..", "W. van. Aalst", "A . Smith", "Smith, Ph.D..",
    "Héctor García-Molina", "Bertram Lud&#228;scher", "张伟", "O'Neil, P.", "Smith (MIT)", "J. Smith 2",
]


def general_parse(name: str, monkeypatch: pytest.MonkeyPatch):
    with monkeypatch.context() as m:
        m.setattr(A, "_PLAIN_NAME", re.compile(r"(?!)"))  # never plain: the general steps
        return A.parse_name.__wrapped__(name)


@pytest.mark.parametrize("name", NAMES)
def test_plain_names_read_as_the_general_steps_read_them(name, monkeypatch):
    assert A.parse_name.__wrapped__(name) == general_parse(name, monkeypatch)


@settings(max_examples=400, deadline=None)
@given(st.one_of(
    st.text(alphabet="abcdeAJMSVZ .,-", max_size=24),
    st.lists(st.sampled_from(["Jr", "jr.", "Jr..", "III", "van", "der", "De", "la", "Ph.D.", "A.", "B",
                              "Smith", "Ann", "Lee", ",", ".", "-", "MW"]), max_size=6).map(" ".join),
))
def test_any_plain_looking_name_reads_the_same(name):
    with pytest.MonkeyPatch.context() as m:
        fast = A.parse_name.__wrapped__(name)
        m.setattr(A, "_PLAIN_NAME", re.compile(r"(?!)"))
        assert fast == A.parse_name.__wrapped__(name)


@settings(max_examples=400, deadline=None)
@given(st.one_of(
    st.text(alphabet="abcdeilnoprtwATW .,-", max_size=30),
    st.sampled_from(["Google Team", "et al", "Et Al.", "www x", "portal.acm.org", "Proc. 2002", "Univ. Bonn",
                     "The Corp", "Pet Al", "Awwwal", "A. B. Smith", "Inc", "team-x", "Smith, J."]),
))
def test_person_like_is_the_expression(name):
    assert P._person_like(name) == (not P._NOT_A_PERSON.search(name))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_ascii_titles_normalise_as_the_expression_does(raw):
    if "$" in raw or "&" in raw:
        return  # these take the general path
    assert P._norm_title(raw) == P._NON_WORD.sub(" ", raw.lower()).replace("_", " ").strip()


AUTHOR_LISTS = [
    "Heng Wu, Qian Zhang, Guixu Zhang", "H. Wu; Zhang, Q.; G. Zhang", "Vaswani, A., Shazeer, N.",
    "Ashish Vaswani, Noam Shazeer, Niki Parmar", "Rosneblatt F", "Frank Rosenblatt", "s sunita",
    "Sunita Sarawagi", "Zhang Wei", "Wei Zhang", "Hector Garcia Molina", "H. Garcia-Molina",
    "Rafael Camps Paré", "Rafael Camps", "Marco Rossi; Pietro Lio", "J. Smith", "K. Smith", "M. Özsu",
    "M. ?zsu", "Li Li, Wei Wang, Jun Li", "W. Wang; L. Li", "Donald E. Knuth", "D. Knuth", "Kiran Smith",
    "S. Kumar",
]


@pytest.mark.parametrize("x", AUTHOR_LISTS)
def test_author_lists_by_other_people_settle_as_the_full_search_does(x):
    a = P._record("t", None, x, None, {})
    for y in AUTHOR_LISTS:
        b = P._record("t", None, y, None, {})
        assert P._overlap.__wrapped__(a, b) == P._author_overlap(a.authors, b.authors), (x, y)


def test_many_records_same_clusters_with_and_without_the_author_shortcut(monkeypatch):
    rows = []
    for k, (x, y) in enumerate(zip(AUTHOR_LISTS, reversed(AUTHOR_LISTS), strict=True)):
        rows.append(P._record(f"a study of {k % 4} things in graphs", 2020, x, None, {}))
        rows.append(P._record(f"a study of {k % 4} things in graphs", 2020, y, None, {}))
    fast = P._match(rows)
    monkeypatch.setattr(P, "_sig_may_match", lambda a, b: True)  # always the full search
    slow = P._match(rows)
    assert fast.labels == slow.labels and fast.matches == slow.matches
    assert len(set(fast.labels)) < len(rows)  # some records did merge


def _bulk_vs_judge(recs):
    """Every pair of ``recs``: what the bulk refusal says, and what the judge says."""
    n = len(recs)
    ia, ib = np.triu_indices(n, 1)
    refused = P._BulkRefusal(recs).refused(ia.astype(np.int64), ib.astype(np.int64))
    return [(int(i), int(j), bool(r), P._judge(recs[i], recs[j], 0.0))
            for i, j, r in zip(ia, ib, refused, strict=True)]


def test_bulk_refusals_are_refused_by_the_judge():
    """A pair refused in bulk (years, authors that cannot match) is one the judge refuses;
    and the bulk refuses the plain cases of both (so it does its work)."""
    titles = ["Attention is all you need", "Attention is all you need.",
              "A long title about graph neural networks for molecules and proteins",
              "A long title about graph neural networks for molecules and proteins"]
    recs = [P._record(titles[k % 4], year, authors, None, {})
            for k, (year, authors) in enumerate(
                [(2017, x) for x in AUTHOR_LISTS] + [(2020, x) for x in AUTHOR_LISTS[:6]]
                + [(None, x) for x in AUTHOR_LISTS[:6]] + [(2017, "")])]
    recs.append(P._record(titles[0], 2017, "Ashish Vaswani", None, {"doi": "10.1/x"}))
    recs.append(P._record(titles[0], 2021, "Frank Rosenblatt", None, {"doi": "10.1/y"}))
    out = _bulk_vs_judge(recs)
    assert all(verdict is None for _, _, refused, verdict in out if refused)
    assert any(refused for *_, refused, _ in out)
    years = {(i, j) for i, j, refused, _ in out if refused
             and recs[i].year and recs[j].year and abs(recs[i].year - recs[j].year) > 1}
    assert years  # refused on years alone
    # the long title with different authors is not refused (its titles outweigh them)
    assert not all(r for i, j, r, _ in out if recs[i].title == recs[j].title == P._norm_title(titles[2]))
    # a pair where both carry identifiers is left to the judge
    n = len(recs)
    assert not [r for i, j, r, _ in out if (i, j) == (n - 2, n - 1)][0]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(AUTHOR_LISTS + NAMES), st.sampled_from([None, 2019, 2020, 2023])),
                min_size=2, max_size=8))
def test_bulk_refusal_never_refuses_what_the_judge_accepts(rows):
    title = "learning to rank with noisy labels"
    recs = [P._record(title, year, authors, None, {}) for authors, year in rows]
    for i, j, refused, verdict in _bulk_vs_judge(recs):
        assert not (refused and verdict is not None), (rows[i], rows[j], verdict)
        # and it refuses what the judge refuses on authors alone
        a, b = recs[i], recs[j]
        if a.authors and b.authors and not P._year_conflict(a, b):
            assert refused == (not P._sig_may_match(P._author_sig(a), P._author_sig(b))), (rows[i], rows[j])


def test_many_records_same_clusters_with_and_without_the_bulk_refusal(monkeypatch):
    rows = []
    for k, (x, y) in enumerate(zip(AUTHOR_LISTS, reversed(AUTHOR_LISTS), strict=True)):
        rows.append(P._record(f"a study of {k % 4} things in graphs", 2020 + k % 3, x, None, {}))
        rows.append(P._record(f"a study of {k % 4} things in graphs", 2020, y, None, {}))
    fast = P._match(rows)
    monkeypatch.setattr(P._BulkRefusal, "refused", lambda self, ia, ib: np.zeros(len(ia), dtype=bool))
    slow = P._match(rows)
    assert fast.refused and not slow.refused
    assert fast.labels == slow.labels and fast.matches == slow.matches


def _overlap_by_every_test(a, b):
    """``_author_overlap``'s search as it read before its shortcuts: the same surnames first,
    then each test in turn, every free name of ``a`` against every free name of ``b``."""
    used_a, used_b, first = set(), set(), ""
    for h, x in enumerate(a):
        for k, y in enumerate(b):
            if k not in used_b and x.surname == y.surname and (
                    x is y or x.given == y.given or A.names_compatible(x, y)):
                used_a.add(h)
                used_b.add(k)
                first = first or x.display.split()[-1]
                break
    for test in (A.names_compatible, P._surname_like, P._crossed):
        for h, x in enumerate(a):
            if h in used_a:
                continue
            for k, y in enumerate(b):
                if k not in used_b and test(x, y):
                    used_a.add(h)
                    used_b.add(k)
                    first = first or x.display.split()[-1]
                    break
    return len(used_a), first


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(NAMES + [n for x in AUTHOR_LISTS for n in P._author_names(x)]), max_size=7),
       st.lists(st.sampled_from(NAMES + [n for x in AUTHOR_LISTS for n in P._author_names(x)]), max_size=7))
def test_the_overlap_search_counts_what_every_test_on_every_pair_counts(xs, ys):
    a = P._record("t", None, xs, None, {}).authors
    b = P._record("t", None, ys, None, {}).authors
    for x, y in ((a, b), (b, a)):
        fast = P._author_overlap(x, y)
        slow = _overlap_by_every_test(x, y)
        # the in-order shortcut (same people, same order) names the first author of ``x``
        if fast != slow:
            assert fast[0] == slow[0] == min(len(x), len(y)) and fast[1] == x[0].display.split()[-1]


@pytest.mark.parametrize("x", AUTHOR_LISTS + NAMES)
def test_name_keys_hold_every_compatible_surname(x):
    a = A.parse_name.__wrapped__(x)
    for y in AUTHOR_LISTS + NAMES:
        b = A.parse_name.__wrapped__(y)
        if a and b and A.names_compatible(a, b):
            assert b.surname in P._name_keys(a) or a.surname in P._name_keys(b), (x, y)


PERSON_LIKE_WORDS = ["Google", "Team", "et", "Et", "al.", "Al", "www", "Www.x", "Univ.", "Inc", "Proc.",
                     "Smith", "A.", "B.", "MW", "van", "der", "Jr.", "Lee", "Press", "J.", "Ann-Marie", "Pet",
                     "Awwwal"]


@pytest.mark.parametrize("name", NAMES + ["Google Team", "et al.", "Et Al", "Www Smith", "A. B. Smith",
                                          "J.A. Smith", "Smith, J.A.", "Univ. Bonn", "Smith et al"])
def test_person_reads_what_person_like_and_parse_name_read(name):
    expected = P._parse_name(name) if P._person_like(name) else None
    assert P._person.__wrapped__(name) == expected


@settings(max_examples=500, deadline=None)
@given(st.one_of(
    st.text(alphabet="abeilmotwAEJSTW .,-", max_size=24),
    st.lists(st.sampled_from(PERSON_LIKE_WORDS + [",", ".", "-"]), max_size=5).map(" ".join),
))
def test_any_name_reads_as_person_like_and_parse_name_read_it(name):
    expected = P._parse_name(name) if P._person_like(name) else None
    got = P._person.__wrapped__(name)
    assert got == expected
    if got is not None:  # built by its slots: a PersonName like any other
        assert type(got) is A.PersonName and hash(got) == hash(A.PersonName(*[
            getattr(got, f) for f in ("surname", "core", "given", "display")]))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="adnAN ,&;\t.", max_size=30))
def test_comma_lists_split_as_the_separator_expression_splits(text):
    # _author_names splits at commas with str.split when neither "and" nor "&" is in the text
    if "and" not in text and "&" not in text:
        assert text.split(",") == P._AUTHOR_SEP.split(text)


def _read_jsonl_with_loads(lines):
    """What _read_jsonl reads (or refuses) when each line goes through json.loads."""
    import json

    out = []
    for k, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            return out, (k, f"not a JSON object ({exc.msg})")
        if not isinstance(obj, dict):
            return out, (k, "expected a JSON object")
        if obj.get("id") in (None, "") or obj.get("title") in (None, ""):
            return out, (k, "record has no")
        out.append((str(obj["id"]), obj))
    return out, None


JSON_LINES = ['{"id": 1, "title": "A"}', ' {"id": 2, "title": "B"}', '{"id": 3, "title": "C"}  ',
              '{"id": 4, "title": "C"} x', 'null', '[1, 2]', '{"id": 5, "title": "\\u00e9\\ud800"}',
              '{"id": 6, "title": "bad \\x"}', '{"id": 7, "title": "a\x01b"}', '{"id": 8}', '"s"', '1 2',
              '{"id": 9, "title": "D", "authors": ["x", "y"]}', '{"id": "", "title": "E"}', '{', '}',
              '{"id": 10, "title": "F"}{"id": 11, "title": "G"}', '\t{"id": 12, "title": "H"}\t', 'NaN']


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(JSON_LINES), max_size=5))
def test_json_lines_read_as_json_loads_reads_them(lines):
    from kg.errors import InputError

    expected, error = _read_jsonl_with_loads(lines)
    try:
        got = P._read_jsonl("f.jsonl", lines, lambda obj, path, line: obj)
    except InputError as exc:
        assert error is not None and exc.line == error[0] and error[1] in str(exc), (lines, str(exc), error)
    else:
        assert error is None and got == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(JSON_LINES), max_size=6))
def test_json_lines_quarantined_one_by_one_never_stop_the_file(lines):
    # with a list to keep them in, bad lines are set aside and every other line is read:
    # read + quarantined = the lines that are not blank, and what is read is what json.loads reads
    bad = []
    got = P._read_jsonl("f.jsonl", lines, lambda obj, path, line: obj, bad)
    good = []
    for k, raw in enumerate(lines, start=1):
        expected, error = _read_jsonl_with_loads([raw])
        if error is None:
            good += expected
        elif raw.strip():
            assert any(q.source.line == k and q.text == raw and error[1] in q.reason for q in bad), (raw, bad)
    assert got == good
    assert len(got) + len(bad) == sum(1 for raw in lines if raw.strip())


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=12))
def test_ids_are_written_as_json_dumps_writes_them(rid):
    import json

    expected = json.dumps(rid, ensure_ascii=False)
    assert (expected if P._JSON_ESCAPED.search(rid) else f'"{rid}"') == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11), st.sampled_from([95.0, 100.0])),
                max_size=20))
def test_union_labels_are_the_roots_of_their_records(pairs):
    recs = [P._record(f"the same title about graphs {k % 2}", 2020, "Ann Lee", None, {}) for k in range(12)]
    scored = [(s, min(i, j), max(i, j), "same normalised title", P.EXACT) for i, j, s in pairs if i != j]
    labels, matches = P._union(12, recs, scored)
    # a label is the smallest record of its cluster, and the merges join exactly those clusters
    groups = {}
    for k, lab in enumerate(labels):
        groups.setdefault(lab, []).append(k)
    assert all(lab == min(ks) for lab, ks in groups.items())
    assert len(matches) == 12 - len(groups)


#: titles that are the same but for case, punctuation, spaces or a typo, and titles that
#: name other works (numbers, parts, a name before a colon, kind words, variant suffixes)
TITLES = [
    "Attention Is All You Need", "attention is all you need.", "Attention is all  you need",
    "Attention is al you need", "Attention Is All You Need 2", "Attention Is All You Need, Part II",
    "Erratum: Attention Is All You Need", "AttentionIsAll: You Need", "Zia: attention is all you need",
    "BERT: Pre-training of Deep Bidirectional Transformers",
    "BERT - pre-training of deep bidirectional transformers",
    "BERT-Large: Pre-training of Deep Bidirectional Transformers",
    "Bert pre training of deep bidirectional transformers",
    "Optimized Minimal 3D Gaussian Splatting", "Optimized Minimal 4D Gaussian Splatting",
    "Optimized minimal 3D gaussian splating", "Book reviews", "Book Reviews.", "Guest Editorial",
    "Learning to rank with noisy labels", "Learning to rank with noisy label",
    "Learning to Rank with Noisy Labels v2",
]


def _all_pairs(recs):
    """Every pair ``i < j`` of ``recs``: the indices, the title ratios, the bulk refusal built on
    ``recs`` and its author overlaps (zero where a side has no authors)."""
    from rapidfuzz import fuzz, process

    n = len(recs)
    ia, ib = (x.astype(np.int64) for x in np.triu_indices(n, 1))
    titles = np.asarray([r.title for r in recs], dtype=object)
    ratio = process.cpdist(titles[ia], titles[ib], scorer=fuzz.ratio, dtype=np.uint8)
    bulk = P._BulkRefusal(recs)
    bulk._build(np.arange(n))
    both = (bulk.count[ia] > 0) & (bulk.count[ib] > 0)
    overlap = [np.zeros(len(ia), dtype=bool), np.zeros(len(ia), dtype=np.int64),
               np.zeros(len(ia), dtype=np.int64)]
    for o, v in zip(overlap, bulk.overlaps(ia[both], ib[both]), strict=True):
        o[both] = v
    return ia, ib, ratio, bulk, tuple(overlap)


def _exact_vs_judge(recs, common=frozenset()):
    """Every pair of ``recs``: decided in bulk (with score, reason, clean) or not, and the judge's verdict."""
    n = len(recs)
    ia, ib, ratio, bulk, overlap = _all_pairs(recs)
    at, rows, clean = P._BulkExact(recs, bulk, common).verdicts(ia, ib, ratio, overlap)
    decided = {(i, j): (s, reason, how) for s, i, j, reason, how in rows}
    assert [(i, j) for _, i, j, _, _ in rows] == list(zip(ia[at].tolist(), ib[at].tolist(), strict=True))
    out = []
    for i, j, r in zip(ia.tolist(), ib.tolist(), ratio.tolist(), strict=True):
        verdict = P._judge(recs[i], recs[j], float(r), common)
        out.append((i, j, decided.get((i, j)), i * n + j in clean, verdict))
    return out


def _is_clean(a, b, verdict):
    return not verdict[1].startswith("title contained") and (a.title == b.title or a.compact != b.compact)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(TITLES), st.sampled_from(AUTHOR_LISTS + NAMES + ["", "Ann Lee"]),
                          st.sampled_from([None, 2019, 2020, 2022]),
                          st.sampled_from([None, None, "VLDB", "arXiv", "SIGMOD Record"]),
                          st.sampled_from([{}, {}, {}, {"doi": "10.1/a"}, {"doi": "10.1/b"}])),
                min_size=2, max_size=9))
def test_bulk_exact_verdicts_are_the_judges(rows):
    recs = [P._record(t, y, a, v, ids) for t, a, y, v, ids in rows]
    common = frozenset(r.title for r in recs if P._generic(r))
    for i, j, mine, clean, verdict in _exact_vs_judge(recs, common):
        if mine is not None:
            assert mine == verdict, (rows[i], rows[j], mine, verdict)
            assert clean == _is_clean(recs[i], recs[j], verdict)


def test_bulk_exact_decides_the_plain_cases_and_leaves_the_rest():
    people = ["Ashish Vaswani", "Vaswani, A.; Shazeer, N.", "A. Vaswani", "Noam Shazeer", ""]
    recs = [P._record(t, y, a, None, {}) for t in TITLES for a in people for y in (None, 2017)]
    out = _exact_vs_judge(recs)
    mine = [(i, j, m, v) for i, j, m, _, v in out if m is not None]
    assert len(mine) > 100 and all(m == v for _, _, m, v in mine)
    left = [v for _, _, m, _, v in out if m is None and v is not None]
    assert left  # looser titles and other authors go to the judge
    # every kind of reason is made: same title, a score, a year, one and several authors
    reasons = {m[1] for _, _, m, _ in mine}
    assert any(r.startswith("same normalised title + same year + first author") for r in reasons)
    assert any(r.startswith("title 9") for r in reasons)
    assert "same normalised title" in reasons


def _bulk_overlap(a, b):
    bulk = P._BulkRefusal([a, b])
    bulk._build(np.asarray([0, 1]))
    (known,), (shared,), (first,) = bulk.overlaps(np.asarray([0]), np.asarray([1]))
    return known, (int(shared), bulk.surname_as_written(int(first)) if shared else "")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(NAMES + [n for x in AUTHOR_LISTS for n in P._author_names(x)]), min_size=1,
                max_size=9),
       st.lists(st.sampled_from(NAMES + [n for x in AUTHOR_LISTS for n in P._author_names(x)]), min_size=1,
                max_size=9))
def test_author_overlaps_in_bulk_are_the_overlap_search(xs, ys):
    a, b = P._record("t", None, xs, None, {}), P._record("t", None, ys, None, {})
    if not (a.authors and b.authors):
        return
    for x, y in ((a, b), (b, a)):
        known, got = _bulk_overlap(x, y)
        if known:
            assert got == P._overlap.__wrapped__(x, y), (xs, ys)
    # the plain cases are told: a list against itself, its first names, or another's names
    if all(len(x.given) <= P._BulkRefusal.GIVEN for x in a.authors):
        c = P._record("t", None, xs[: max(1, len(xs) // 2)], None, {})
        assert not c.authors or _bulk_overlap(a, c) == (True, P._overlap.__wrapped__(a, c))


def test_author_overlaps_in_bulk_tell_most_author_lists():
    told = total = 0
    for x in AUTHOR_LISTS:
        for y in AUTHOR_LISTS:
            a, b = P._record("t", None, x, None, {}), P._record("t", None, y, None, {})
            known, got = _bulk_overlap(a, b)
            total += 1
            if known:
                told += 1
                assert got == P._overlap.__wrapped__(a, b), (x, y)
    assert told > 0.8 * total


def test_many_records_same_clusters_with_and_without_the_bulk_exact(monkeypatch):
    people = AUTHOR_LISTS[:8] + [""]
    rows = [P._record(t, y, a, None, {}) for k, t in enumerate(TITLES) for a in people[k % 3 :: 3]
            for y in (2017, None)]
    fast = P._match(rows)
    none = (np.zeros(0, dtype=np.int64), [], [])
    monkeypatch.setattr(P._BulkExact, "verdicts", lambda self, ia, ib, ratio, overlap: none)
    monkeypatch.setattr(P._BulkRefusal, "overlaps", lambda self, ia, ib: (np.zeros(len(ia), dtype=bool),) * 3)
    slow = P._match(rows)
    assert fast.judged == slow.judged and len(set(fast.labels)) < len(rows)
    assert fast.labels == slow.labels and fast.matches == slow.matches


def _too_few_vs_judge(recs):
    """Every pair of ``recs``: refused in bulk for too few shared authors or not, and the judge's verdict."""
    ia, ib, ratio, bulk, (known, shared, _) = _all_pairs(recs)
    refused = np.zeros(len(ia), dtype=bool)
    exact = P._BulkExact(recs, bulk, frozenset())
    refused[bulk.too_few_shared(ia, ib, ratio, (known, shared), np.ones(len(ia), dtype=bool), exact)] = True
    return [(int(i), int(j), bool(x), P._judge(recs[i], recs[j], float(r)))
            for i, j, x, r in zip(ia, ib, refused, ratio.tolist(), strict=True)]


@settings(max_examples=120, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(TITLES), st.sampled_from(AUTHOR_LISTS + NAMES + ["", "Ann Lee"]),
                          st.sampled_from([None, 2019, 2020])), min_size=2, max_size=9))
def test_too_few_shared_authors_are_refused_by_the_judge(rows):
    recs = [P._record(t, y, a, None, {}) for t, a, y in rows]
    for i, j, refused, verdict in _too_few_vs_judge(recs):
        assert not (refused and verdict is not None), (rows[i], rows[j], verdict)


def test_too_few_shared_authors_refuses_look_alikes_by_mostly_other_people():
    """Looser titles whose author lists share one common surname of four: refused in bulk
    (the judge needs half of the shorter list), whether or not the overlap was told."""
    teams = ["Wei Zhang, Li Wang, Jun Chen, Hao Liu", "Zhang W; Yu Sun; Kai Zhou; Ming Xu",
             "Rosneblatt F, Li Wang, A. Smith, B. Jones", "Frank Rosenblatt, Yi Wang, C. Brown, D. Green"]
    titles = ["Learning to rank with noisy labels for search",
              "Learning to rank with noisy labels in retrieval"]
    recs = [P._record(t, 2020, a, None, {}) for t in titles for a in teams]
    out = _too_few_vs_judge(recs)
    assert all(v is None for *_, refused, v in out if refused)
    assert sum(refused for _, _, refused, _ in out) >= 4
    # the same title by the same team is never refused
    same = [refused for i, j, refused, _ in out if recs[i].raw_authors == recs[j].raw_authors]
    assert same and not any(same)


def test_title_scores_in_runs_are_cpdist():
    from rapidfuzz import fuzz, process

    titles = np.asarray([P._norm_title(t) for t in TITLES], dtype=object)
    ia = np.repeat(np.arange(len(titles)), len(titles))
    ib = np.tile(np.arange(len(titles)), len(titles))
    for scorer in (fuzz.ratio, fuzz.token_set_ratio):
        want = process.cpdist(titles[ia], titles[ib], scorer=scorer, dtype=np.uint8)
        assert (P._pair_scores(titles, ia, ib, scorer) == want).all()
        # runs of one: the cpdist path
        short = np.arange(len(ia)) % len(titles)
        want = process.cpdist(titles[short], titles[ib], scorer=scorer, dtype=np.uint8)
        assert (P._pair_scores(titles, short, ib, scorer) == want).all()
