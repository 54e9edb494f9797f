"""Resolution of the seed listings: shared papers merge, look-alikes stay apart, citations meet."""

from __future__ import annotations

from kg.loaders import load_paths

from kg.model import Citation, Mention, Paper, Source
from kg.resolve import resolve
from kg.resolve.entities import entity_key, group_mentions
from tests.conftest import SEEDS


def seed_papers():
    return [r for r in load_paths([SEEDS]) if isinstance(r, Paper)]


def test_the_paper_two_listings_share_is_one_paper_with_both_sources():
    res = resolve(seed_papers())
    hippo = [p for p in res.papers if p.title.startswith("How to Train Your HiPPO")]
    assert len(hippo) == 1
    assert [str(s) for s in hippo[0].sources] == [
        "seeds/000_761299f930b716c2.txt:77", "seeds/001_eea2f075fb8cce27.txt:217"]
    # the daily listing's metadata joins the search listing's record
    assert (hippo[0].author_count, hippo[0].published) == (5, "2022-06-23")
    (merge,) = [m for m in res.merges if m.label == "Paper"]
    assert merge.into == hippo[0].id and merge.member == "seeds/001_eea2f075fb8cce27.txt:217"
    assert merge.reason and merge.score == 100.0


def test_look_alike_titles_are_not_merged():
    papers = seed_papers()
    res = resolve(papers)
    assert len(res.papers) == len(papers) - 1
    frameworks = [p for p in res.papers if "Theoretical Framework" in p.title]
    assert len(frameworks) == 3
    assert len({p.id for p in frameworks}) == len(frameworks)
    assert [papers[i].title for i in res.merged_records] == [
        "How to Train Your HiPPO: State Space Models with Generalized Orthogonal Basis Projections"]


def test_citations_meet_at_one_stub_and_count_once_per_paper():
    c = Citation(surnames=("Fu",), year=2018, et_al=True, text="Fu et al., 2018", evidence="…")
    a = Paper(title="Paper A", source=Source("a.txt", 1), format="x", citations=(c, c))
    b = Paper(title="Paper B", source=Source("b.txt", 1), format="x", citations=(c,))
    res = resolve([a, b])
    assert [s.id for s in res.stubs] == ["paper:ref:fu-etal-2018"]
    assert res.stubs[0].stub is True
    assert [len(p.citations) for p in res.papers] == [1, 1]
    assert {p.citations[0].target for p in res.papers} == {"paper:ref:fu-etal-2018"}


def test_a_citation_with_an_identifier_finds_the_corpus_paper():
    cited = Paper(title="Attention Is All You Need", source=Source("a", 1), format="x", arxiv_id="1706.03762")
    citing = Paper(title="Citing", source=Source("b", 1), format="x",
                   citations=(Citation(arxiv_id="1706.03762v7"), Citation(doi="10.1234/NOT-HERE")))
    res = resolve([cited, citing])
    targets = [c.target for c in res.papers[1].citations]
    assert targets == ["paper:arxiv:1706.03762", "paper:doi:10.1234/not-here"]
    assert [s.id for s in res.stubs] == ["paper:doi:10.1234/not-here"]


def test_entity_variants_become_one_node_with_aliases():
    ms = [Mention("Method", "Sparse Mixture-of-Experts", aliases=("s-MoE",)),
          Mention("Method", "sparse mixture of experts"), Mention("Method", "s-MoE"),
          Mention("Dataset", "ImageNet", origin="gazetteer"), Mention("Dataset", "imagenet"),
          Mention("Method", "Transformers"), Mention("Method", "transformer")]
    groups = {g.name: g for g in group_mentions(ms)}
    assert set(groups) == {"Sparse Mixture-of-Experts", "ImageNet", "Transformers"} or set(groups) == {
        "Sparse Mixture-of-Experts", "ImageNet", "transformer"}
    moe = groups["Sparse Mixture-of-Experts"]
    assert set(moe.aliases) == {"s-MoE", "sparse mixture of experts"}
    assert moe.id == "method:sparse-mixture-of-experts"
    assert all(reason for _, _, reason in moe.merges)


def test_an_acronym_with_two_long_forms_joins_neither():
    ms = [Mention("Method", "Reasoning Pruning Perplexity Consistency", aliases=("RPC",)),
          Mention("Method", "Remote Procedure Call", aliases=("RPC",)), Mention("Method", "RPC")]
    names = sorted(g.name for g in group_mentions(ms))
    assert names == ["RPC", "Reasoning Pruning Perplexity Consistency", "Remote Procedure Call"]


def test_an_acronym_whose_long_forms_are_near_spellings_of_one_name_joins_it():
    ms = [Mention("Method", "Group Relative Policy Optimization", aliases=("GRPO",), origin="gazetteer"),
          Mention("Method", "Group Relative Policy Optimisation", aliases=("GRPO",), origin="acronym")]
    (group,) = group_mentions(ms)
    assert "GRPO" in group.aliases


def test_look_alike_entity_names_with_other_numbers_stay_apart():
    assert entity_key("CIFAR-10") != entity_key("CIFAR-100")
    ms = [Mention("Dataset", "CIFAR-10"), Mention("Dataset", "CIFAR-100"),
          Mention("Method", "GPT-3"), Mention("Method", "GPT-4")]
    assert len(group_mentions(ms)) == 4


def test_an_acronym_means_what_its_own_paper_defines():
    from kg.model import Mention
    from kg.resolve.entities import group_mentions

    chain = Mention("Method", "CG", aliases=("chain graphs",), origin="acronym")
    guard = Mention("Method", "CGuard", aliases=("CG",), origin="pattern")
    twins = [Mention("Method", "DT", aliases=("digital twins",), origin="acronym"),
             Mention("Method", "Digital twins", aliases=("DT",), origin="pattern")]
    groups = group_mentions([chain, guard, *twins])
    by_name = {g.name: g for g in groups}
    assert set(by_name) == {"CG", "CGuard", "DT"}  # CG (chain graphs) is not CGuard
    assert "chain graphs" in by_name["CG"].aliases and "CG" not in by_name["CGuard"].aliases
    assert set(by_name["DT"].aliases) == {"Digital twins", "digital twins"}  # same long form: one entity
    assert len({g.id for g in groups}) == len(groups)


def test_two_entities_shown_with_one_name_get_two_ids():
    from kg.model import Mention
    from kg.resolve.entities import group_mentions

    groups = group_mentions([Mention("Method", "CG", aliases=("chain graphs",), origin="acronym"),
                             Mention("Method", "CG", aliases=("conjugate gradient",), origin="acronym")])
    assert [g.name for g in groups] == ["CG", "CG"]
    assert len({g.id for g in groups}) == 2


def test_no_records_resolve_to_nothing():
    res = resolve([])
    assert (res.papers, res.stubs, res.entities, res.merges) == ([], [], {}, [])


def test_a_cluster_of_one_record_is_made_as_any_cluster_is():
    """The fast path for a paper of one record (most of a corpus) gives what the general merge
    gives, on every record of the seeds and the samples (all formats, with and without ids)."""
    from dataclasses import replace

    from kg.resolve import _merge_many, _replace_paper, _single_paper
    from tests.conftest import SAMPLES

    records = [r for r in load_paths([SEEDS, SAMPLES]) if isinstance(r, Paper)]
    assert len(records) > 300 and any(r.doi for r in records) and any(r.keywords for r in records)
    for r in records:
        fast, general = _single_paper(r), _merge_many([r])
        assert fast == general and fast.extra == general.extra, r.source
        assert _replace_paper(r, year=1999, notes=("n",)) == replace(r, year=1999, notes=("n",))
