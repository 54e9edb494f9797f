"""Normal forms and node ids. Every stage that needs a key for a thing gets it here.

Node ids are ``<prefix>:<key>`` with the prefix from :data:`kg.schema.ID_PREFIX`:

>>> paper_id(arxiv_id="2401.01234v2")
'paper:arxiv:2401.01234'
>>> paper_id(doi="https://doi.org/10.1145/ABC.1")
'paper:doi:10.1145/abc.1'
>>> paper_id(title="How to Train Your HiPPO: State Space Models")
'paper:t:how-to-train-your-hippo-state-space-models'
>>> stub_id(("Ng", "Russell"), 2000, et_al=False)
'paper:ref:ng-russell-2000'
>>> stub_id(("Fu",), 2018, et_al=True)
'paper:ref:fu-etal-2018'
>>> entity_id("Method", "Mixture-of-Experts")
'method:mixture-of-experts'
>>> repo_id("github", "Facebookresearch/LuckMatters")
'repo:github:facebookresearch/luckmatters'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from kg.schema import ID_PREFIX, check_label

__all__ = [
    "entity_id",
    "normalize_arxiv_id",
    "normalize_doi",
    "normalize_text",
    "normalize_title",
    "paper_id",
    "repo_id",
    "slug",
    "stub_id",
]

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_LATEX_MATH = re.compile(r"\$([^$]*)\$")
_ARXIV_NEW = re.compile(r"(\d{4}\.\d{4,5})(v\d+)?", re.I)
_ARXIV_OLD = re.compile(r"([a-z\-]+(?:\.[A-Z]{2})?/\d{7})(v\d+)?", re.I)


def normalize_text(text: str) -> str:
    """Unicode NFKC, accents removed, case folded, runs of non-word characters to one space.

    >>> normalize_text("  Schrödinger's   CAT-like ")
    'schrodinger s cat like'
    """
    if not text.isascii():  # ASCII is its own NFKD form, without combining marks
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", text.casefold()).replace("_", " ").strip()


def normalize_title(title: str) -> str:
    """A title's comparison form: LaTeX math unwrapped, then :func:`normalize_text`.

    >>> normalize_title("Foundations of Top-$k$ Decoding")
    'foundations of top k decoding'
    """
    return normalize_text(_LATEX_MATH.sub(r"\1", title))


def slug(text: str, max_len: int = 80) -> str:
    """A readable, stable key: normalized words joined by ``-``; long ones get a hash.

    >>> slug("A Theoretical Framework for Inference Learning")
    'a-theoretical-framework-for-inference-learning'
    """
    s = normalize_title(text).replace(" ", "-")
    if len(s) <= max_len:
        return s
    digest = hashlib.sha1(s.encode()).hexdigest()[:8]
    return f"{s[: max_len - 9].rstrip('-')}-{digest}"


def normalize_arxiv_id(value: str | None) -> str | None:
    """An arXiv id without version, prefix or URL; ``None`` when there is none.

    >>> normalize_arxiv_id("http://arxiv.org/abs/2106.09685v2")
    '2106.09685'
    >>> normalize_arxiv_id("arXiv:hep-th/9901001v1")
    'hep-th/9901001'
    """
    if not value:
        return None
    m = _ARXIV_NEW.search(value)
    if m:
        return m.group(1)
    m = _ARXIV_OLD.search(value)
    return m.group(1) if m else None


def normalize_doi(value: str | None) -> str | None:
    """A DOI in lower case without resolver prefix; ``None`` when there is none.

    >>> normalize_doi("https://doi.org/10.1145/3366423.3380211")
    '10.1145/3366423.3380211'
    """
    if not value:
        return None
    value = value.strip()
    m = re.search(r"10\.\d{4,9}/\S+", value)
    return m.group(0).rstrip(".,;").lower() if m else None


def paper_id(
    *,
    arxiv_id: str | None = None,
    doi: str | None = None,
    openalex: str | None = None,
    s2: str | None = None,
    title: str | None = None,
) -> str:
    """The node id of a paper, from its strongest identifier.

    The order is arXiv id, DOI, OpenAlex id, Semantic Scholar id, then the title.
    """
    if a := normalize_arxiv_id(arxiv_id):
        return f"paper:arxiv:{a}"
    if d := normalize_doi(doi):
        return f"paper:doi:{d}"
    if openalex:
        return f"paper:openalex:{openalex.rsplit('/', 1)[-1].upper()}"
    if s2:
        return f"paper:s2:{s2}"
    if title and normalize_title(title):
        return f"paper:t:{slug(title)}"
    raise ValueError("a paper needs an identifier or a title")


def stub_id(surnames: tuple[str, ...], year: int | None, *, et_al: bool) -> str:
    """The id of a cited work known only as author surnames + year."""
    parts = [slug(s, 40) for s in surnames if slug(s, 40)]
    if et_al:
        parts.append("etal")
    parts.append(str(year) if year else "nd")
    return "paper:ref:" + "-".join(parts)


def entity_id(label: str, key: str) -> str:
    """The id of an entity node (Method, Dataset, Author, Venue) from its key."""
    return f"{ID_PREFIX[check_label(label)]}:{slug(key)}"


def repo_id(host: str, name: str) -> str:
    """The id of a code repository: host plus ``owner/repo``, case-folded."""
    return f"repo:{host.lower()}:{name.lower()}"
