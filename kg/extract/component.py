"""The spaCy component ``kg_entities``: methods, datasets, repositories, citations, acronyms.

It reads ``doc._.kg_title_end`` (the number of characters of the title at the start of the
text; 0 when there is no title) and ``doc._.kg_text`` (optional: the text the doc was made from,
which spares joining its tokens again) and ``doc._.kg_shown`` (optional: the text as written
and the offsets of the doc's characters in it, when the doc was made from the text read
otherwise, without LaTeX's font commands and line breaks; evidence is quoted from it), and
writes ``doc._.kg_mentions`` (a list of :class:`~kg.model.Mention`) and ``doc._.kg_citations``
(a list of :class:`~kg.model.Citation`), each entity and each cited work once per document,
with the sentence it first came from.

>>> import spacy
>>> nlp = spacy.blank("en")
>>> _ = nlp.add_pipe("sentencizer")
>>> _ = nlp.add_pipe("kg_entities")
>>> doc = nlp("We train a ResNet on CIFAR-10 (Krizhevsky et al., 2009).")
>>> [(m.label, m.name) for m in doc._.kg_mentions]
[('Method', 'ResNet'), ('Dataset', 'CIFAR-10')]
>>> [(c.surnames, c.year) for c in doc._.kg_citations]
[(('Krizhevsky',), 2009)]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import chain, islice, takewhile

import ahocorasick_rs
from spacy.attrs import IDX
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from kg.extract.gazetteer import (
    Entry,
    is_generic,
    is_task,
    load_gazetteer,
    load_tasks,
    name_key,
    variants,
)
from kg.extract.names import (
    _NOT_MODIFIERS,
    _PARTICIPLE,
    _USE_SUFFIXES,
    AMBIGUOUS,
    capitalised_before,
    computing_text,
    longer_name,
    version_after,
)
from kg.extract.ner import MEASURED_AFTER, METRIC_HEADS, TASK_NOT_METHOD, model_candidates
from kg.extract.patterns import AcronymHit, find_acronyms, find_citations, find_repositories, odd_case
from kg.extract.patterns import word_set as _words
from kg.extract.tokens import SEP, LiteDoc, PhraseIndex, TokenCache, joined_tokens
from kg.model import Citation, Mention, Source

__all__ = ["KgEntities", "name_shape"]

#: name keys are asked for again and again (every candidate, every alias): computed once each
_norm = lru_cache(maxsize=1 << 16)(name_key)

for _ext, _default in (("kg_title_end", 0), ("kg_mentions", None), ("kg_citations", None), ("kg_text", None),
                         ("kg_shown", None)):
    if not Doc.has_extension(_ext):
        Doc.set_extension(_ext, default=_default)

METHOD_HEADS = _words(
    """
    algorithm algorithms method methods model models network networks optimization optimizer
    learning attention mechanism estimator estimators sampling sampler descent regression
    transformer transformers autoencoder encoder decoder distillation augmentation training
    fine-tuning tuning search smoothing correction aggregation inference balancing propagation
    backpropagation generation matching policy embedding embeddings pruning quantization
    regularization normalization decomposition factorization clustering filter filtering
    classifier prompting architecture procedure technique approach framework scheme selection
    minimization maximization control planning retrieval diffusion flow flows gan vae
    """
)
DATASET_HEADS = _words("dataset datasets benchmark benchmarks corpus corpora suite database")
_DATASET_HEAD_STEMS = frozenset(h.rstrip("s") for h in DATASET_HEADS)
_DATASET_WORDS = re.compile(
    r"\b(?:data ?sets?|benchmarks?|corpus|corpora|test ?suites?|leaderboard)\b", re.I
)
_ABBREVIATIONS = ("et al", "e.g", "i.e", "cf", "vs", "etc", "Fig", "Eq", "resp", "approx", "No", "Sec", "Ref")
_ABBREV = re.compile(r"(?:" + "|".join(r"\b" + re.escape(a) for a in _ABBREVIATIONS) + r")\.$")
#: what a text that ``_ABBREV`` finds ends with (a quick test before the pattern)
_ABBREV_ENDS = tuple(a + "." for a in _ABBREVIATIONS)
_INTRO = re.compile(
    r"\b(?:we|this\s+(?:paper|work|study)|here\s+we)\s+(?:first\s+|also\s+|further\s+|then\s+|now\s+)?"
    # the past tense too: "we designed", "we developed", "we constructed" (a study reports so)
    r"(?:propose|introduce|present|develop|design|release|build|construct|create|curate|contribute)"
    r"(?:[sd]|ed)?(?:\s+(?:in|with)\s+this\s+(?:work|paper))?\s+",
    re.I,
)
#: verbs that introduce the paper's own thing only when its name is then defined or described
#: ("we derive StyleMixDG (Style-Mixing for ...)", "we establish SAMA-Bench, a meticulously ...");
#: alone they also derive bounds and establish results ("we derive PAC-Bayes bounds")
_INTRO_WEAK = re.compile(
    r"\b(?:we|this\s+(?:paper|work|study)|here\s+we)\s+(?:first\s+|also\s+|further\s+|then\s+|now\s+)?"
    r"(?:derive|devise|establish|unveil|launch|put\s+forward)[sd]?\s+",
    re.I,
)
#: what follows a name that an ``_INTRO_WEAK`` verb introduces: a description in apposition, or
#: a definition in brackets or after a colon or a dash
_DEFINED_AFTER = re.compile(r"\s*(?:,\s*(?:a|an|the)\s|\(|:\s|--?\s|[\u2013\u2014]\s?)", re.I)
#: ", a lightweight model", ", an agent that", ", a benchmark of": what a name before it is
_APPOSITION = re.compile(
    r",\s+an?\s+((?:[\w\-]+\s+){0,4}?)(models?|methods?|frameworks?|algorithms?|architectures?|approach"
    r"|networks?|systems?|agents?|pipelines?|techniques?|toolkits?|library|tools?|solvers?|optimizers?"
    # (the words a method's part or step is described by, as any field writes them: "X, a
    # training-free sampling strategy", "X, a unified formulation", "X, a plug-in module")
    r"|strateg(?:y|ies)|mechanisms?|modules?|schemes?|loss|samplers?|estimators?|formulations?"
    r"|procedures?|regularizers?|encoders?|decoders?"
    r"|datasets?|benchmarks?|corpus|suite|collection|database)\b",
    re.I,
)
#: the head words of ``_DESCRIPTION_HEAD`` (its alternation, each spelling)
_DESCRIPTION_HEADS = (
    "model", "models", "method", "methods", "framework", "frameworks", "algorithm", "algorithms",
    "architecture", "architectures", "approach", "network", "networks", "system", "systems", "agent",
    "agents", "pipeline", "pipelines", "technique", "techniques", "toolkit", "toolkits", "library", "tool",
    "tools", "solver", "solvers", "optimizer", "optimizers", "dataset", "datasets", "benchmark",
    "benchmarks", "corpus", "suite", "collection", "database", "set", "sets",
)
#: a description's words and head word, then a comma: what a name in apposition follows
_DESCRIPTION_HEAD = (
    r"((?:[\w\-]+\s+){0,4}?)(models?|methods?|frameworks?|algorithms?|architectures?|approach"
    r"|networks?|systems?|agents?|pipelines?|techniques?|toolkits?|library|tools?|solvers?|optimizers?"
    r"|datasets?|benchmarks?|corpus|suite|collection|database|(?<=test )sets?),\s+"
)
#: "an improved benchmark, ": a description, then (after the comma) the name of what it describes.
#: ``\b(?:a|an)\s+`` written so that the regex engine skips to each letter "a" (a pattern that
#: opens with ``\b`` or a case-insensitive letter is tried at every character), checks the word
#: boundary before it, and gives up at once unless a comma follows the words (a match holds only
#: word characters, spaces and hyphens before its comma): the same matches
_DESCRIPTION_THEN_NAME = re.compile(r"(?-i:[Aa])(?<!\w.)n?\s+(?=[\w\s\-]*+,)" + _DESCRIPTION_HEAD, re.I)
#: "two novel benchmark datasets, ": ``_DESCRIPTION_THEN_NAME`` after a count (of names listed)
_COUNT_THEN_NAME = re.compile(r"\b(?:two|three)\s+" + _DESCRIPTION_HEAD, re.I)
_SPACES = re.compile(r"\s*")
#: (the counts a paper gives its contributions, after its verb; looked up with ``str.find``, so few)
_COUNT_WORDS = ("two ", "three ")
#: a description that says the data or method was made for this paper: "a newly collected test
#: set, CIR-E" (no "we introduce" needed)
_NEWLY_MADE = re.compile(r"\bnewly[\s\-]+(?:collected|constructed|curated|created|built|annotated|recorded"
                         r"|gathered|compiled|released|proposed|introduced|developed|designed)\b", re.I)
#: a name, then a version or an upper-case qualifier, closed by a comma or a stop: "CORE-Bench
#: v1.1,", "CORE-Bench OOD.", "FooNet,"
_VERSIONED_NAME = re.compile(
    r"([A-Za-z][\w\-+.]*[\w+](?:[ \t]+(?:v?\d+(?:\.\d+)*|[A-Z]{2,}))?)"
    r"(?=[,.;)]|\s+and\b|(?:''|[\"\u201d])[,.;)])")
#: quotation marks that may open a name given in apposition: "a new dataset, ``FooSet-v2,''"
#: (LaTeX), "a benchmark, \u201cFooBench\u201d,"
_OPEN_QUOTE = re.compile(r"(?:``|[\"\u201c])?")
_OPEN_QUOTES = frozenset({"`", "\"", "\u201c"})
#: the next name of a list after a name: ", FooSet", " and BarSet", ", and BazSet"
_NEXT_LISTED = re.compile(r"(?:,\s*(?:and\s+)?|\s+and\s+)([A-Za-z][\w\-+.]*[\w+])(?=[,.;)]|\s+and\b|$)")
#: a run of capitalised words ending at a given place: "RANDOM People" before ", a dataset"
_CAPITALISED_RUN_BEFORE = re.compile(r"(?<![\w\-])((?:[A-Z][\w\-+]*[ \t]+){1,3}[A-Z][\w\-+]*)$")
#: a one-word name ending just before a comma
_ONE_NAME_BEFORE = re.compile(r"(?<![\w\-])([A-Za-z][\w\-+.]*[\w+])\s*$")
#: the word before a name
_WORD_BEFORE = re.compile(r"([\w\-]+)[ \t]+$")
#: a definite article or "our" (or "proposed") just before a name: "the DAPASS framework" names
#: the framework, "a SoftMax attention mechanism" describes one
_THE_OR_OURS = re.compile(r"\b(?:the|our|proposed)\s+$", re.I)
#: "This paper proposes a novel approach ... and presents XMANet": the second verb of a sentence
#: whose subject is the paper (checked with ``_PAPER_SUBJECT`` on the sentence before it)
_INTRO_AND = re.compile(
    r"(?<=\band )(?:propose|introduce|present|develop|design|release|curate)[sd]?\s+", re.I
)
_PAPER_SUBJECT = re.compile(r"\b(?:we|this\s+(?:paper|work|study|article))\b", re.I)
#: "the proposed XMANet model", "our proposed FooNet": the paper's own thing, by its name (not
#: "the previously proposed X", which another paper proposed)
_PROPOSED = re.compile(r"(?:(?<=\bthe\s)|(?<=\bour\s))proposed\s+", re.I)
_NAMED = re.compile(
    r"\b(?:named|called|dubbed|termed|coined|referred\s+to\s+as|we\s+(?:call|name|term|dub)"
    r"(?:\s+(?:it|this|them|our\s+[\w\-]+(?:\s+[\w\-]+)?))?"
    # "our final model S4D is ...", "our method, FooNet,": the paper's own, by its name
    r"|our\s+(?:final\s+|proposed\s+|new\s+|resulting\s+|full\s+)?"
    r"(?:model|method|approach|framework|algorithm|architecture|system|agent|pipeline),?)"
    # "a benchmark, termed, GlimBench,": a comma after the naming word is punctuation, not a stop
    r"(?:,(?=\s))?\s+",
    re.I,
)
#: "compared with", "outperforms", "baselines such as": a list of methods follows
_COMPARED_WITH = re.compile(
    r"\b(?:compar(?:e|es|ed|ing)\s+(?:\w+\s+){0,3}?(?:with|to|against)|outperform(?:s|ed|ing)?|"
    r"baselines?,?\s+(?:such\s+as|including|like|namely)|over\s+(?:strong\s+)?baselines?\s+(?:such\s+as|including))"
    r"\s+(?:the\s+|strong\s+|existing\s+)*",
    re.I,
)
#: after the names a comparison lists: ", the Bar-7 dataset" (what they are compared with is data)
_COMPARED_DATA = re.compile(
    r"\s*,\s*(?:the|a|an|our)\s+(?:[\w.+\-]+\s+){0,4}?"
    r"(?:data ?sets?|benchmarks?|corpus|corpora|databases?)\b",
    re.I)
#: the plural words that say "these are methods" before a list of them in brackets or after
#: "such as": "four foundation models (Chronos, Moirai, TimesFM, Lag-Llama)", "strong baselines
#: such as RoBERTa and DeBERTa"; any field writes its methods' names this way
_METHOD_LIST_HEADS = ("models", "methods", "baselines", "algorithms", "architectures", "approaches",
                      "frameworks", "llms", "solvers", "optimizers", "estimators", "classifiers", "detectors",
                      "techniques", "variants")
#: "we propose two simple techniques, namely X and Y": the list is the paper's own when the
#: words between the verb and the head word only describe the head (no comparison, no clause)
_OWN_LIST_GAP = re.compile(r"(?:[\w\-]+\s+){0,6}", re.I)
_NOT_OWN_WORDS = _words("than over with against to for on in outperform outperforms outperforming compared "
                        "existing prior previous baseline other state-of-the-art sota and which that results")
_METHODS_LISTED = re.compile(
    r"(?:" + "|".join(_METHOD_LIST_HEADS) + r")"
    r"(?:\s*+\(\s*+(?P<paren>(?:e\.g\.|i\.e\.|including|such\s+as|namely)?,?\s*+)"
    r"|,?\s++(?:such\s+as|including|like|namely|e\.g\.,?|i\.e\.,?)\s++)",
    re.I,
)
_POSSESSIVE = re.compile(r"['’]s$")
#: a hyphenated name with a capital after the hyphen: "Clip-Cov", "Fed-Star", "Best-of-N"
_CAPITAL_COMPOUND = re.compile(r"^[A-Z][\w]*(?:-[\w]+)*-[A-Z]")
_TECHNIQUE_HEADS = (
    "approximation", "method", "algorithm", "sampling", "sampler", "filter", "estimator", "decomposition",
    "transform", "kernel", "iteration", "optimizer", "embedding", "quadrature",
)
#: a capitalised word inside a sentence, then a technique's head: "the Nyström approximation",
#: also at the start of an aside between dashes ("three algorithms -- Nyström approximation, ...")
_NAMED_TECHNIQUE = re.compile(
    r"(?:(?<=[a-z,;] )|(?<=[a-z] -- )|(?<=[a-z] [\u2013\u2014] ))"
    r"(?:the |a |an )?([A-Z][a-zà-ÿ]+(?:[-\u2013][A-Z][a-zà-ÿ]+)?) "
    rf"(?:{'|'.join(_TECHNIQUE_HEADS)}|Method|Algorithm)s?\b"
)
_WORD = re.compile(r"[^\s,;:()\[\]]+")
#: a sentence's opening "On X," (X a name): where the sentence's result was measured
#: a capitalised name, then a bracket that opens with the count of its items (after an
#: acronym): "JAIR (141 documents", "Federal Register (TIPFR, 55,630 documents"
#: (found from the bracket, which starts with a fixed character: a quick search; then the name
#: just before it)
_SIZE_BRACKET = re.compile(
    r"\((?:[A-Z][\w\-]*,[ \t]*)?(?:about[ \t]+|over[ \t]+|~)?\d[\d,.]*[ \t]*[KkM]?[ \t]+(?:[a-z\-]+[ \t]+)?"
    r"(?:documents|images|users|videos|sentences|articles|songs|pages|queries|tweets|reviews|movies"
    r"|ratings|photos|clips|dialogues|utterances)\b")
_NAME_BEFORE_BRACKET = re.compile(r"(?<![\w\-])([A-Z][\w\-.]*[\w](?:[ \t]+[A-Z0-9][\w\-.]*[\w]){0,3})[ \t]*$")
#: a name in quotation marks, then a dataset's head word: 'the "Two Patterns" dataset'
_QUOTED_DATASET = re.compile(
    r"(?:\"|``|\u201c)([^\"'`\u201c\u201d\n]{1,40})(?:\"|''|\u201d)[ \t]+"
    r"(?i:data ?sets?|benchmarks?|corpus|corpora|collections?|databases?)\b")
_ON_NAME = re.compile(r"(?:^|(?<=[.!?])\s+)On (?:the )?([A-Z][\w+\-]*(?:\.\d+)?[\w+\-]*),")
#: a plural word for parts of data, then an opening bracket (after a name and a few lower-case words)
_PARTS_HEAD = re.compile(r" (?:tasks|subsets|splits|sets|datasets|benchmarks|domains|tracks|suites) \(")
#: (the name and the lower-case words before that word)
_NAME_BEFORE_PARTS = re.compile(r"(?<![\w\-])([A-Z][\w.+\-]*)(?:[ \t]+[a-z][\w\-]*){0,2}$")
#: what a name the text calls a model is followed by
_CALLED_MODEL = re.compile(r"[ \t]+(?:models?|LLMs?|MLLMs?|VLMs?|backbones?|networks?)\b")


def _parts_heads(text: str) -> Iterator[re.Match[str]]:
    """``_PARTS_HEAD`` matches, tried only where "s (" is written (few places a text).

    >>> [m.group(0) for m in _parts_heads("BEIR tasks (A and B), models (C)")]
    [' tasks (']
    """
    at = text.find("s (")
    while at >= 0:
        start = text.rfind(" ", 0, at)
        if start >= 0 and (m := _PARTS_HEAD.match(text, start)) is not None:
            yield m
        at = text.find("s (", at + 3)


def _called_model(text: str, name: str) -> bool:
    """Whether ``text`` writes ``name`` followed by a word that calls it a model ("Bar-LLaVA models").

    >>> _called_model("on FooLM and Bar-7 models", "Bar-7"), _called_model("on Bar-7 data", "Bar-7")
    (True, False)
    """
    at = text.find(name)
    while at >= 0:
        if _CALLED_MODEL.match(text, at + len(name)):
            return True
        at = text.find(name, at + len(name))
    return False
#: a clause's opening "on X" after a sentence adverb or a colon, closed by a comma or a preposition
_CLAUSE_ON_NAME = re.compile(
    r"(?:(?:^|(?<=[.!?])\s+)[A-Z][a-z]+ly,\s+[Oo]n|(?<=[:;])\s+on) (?:the )?([A-Z][\w+\-]*(?:\.\d+)?[\w+\-]*)"
    r"(?=,|\s+(?:under|across|with|at|in|over)\b)")
#: a model's size or tuning in its name: "Qwen3-8B", "LLaVA-1.5-7B", "Qwen2.5-7B-Instruct"
_MODEL_SIZE = re.compile(r"\d(?:\.\d+)?B\b|-(?:Instruct|Chat|Base)\b")
_PLURAL_ACRONYM = re.compile(r"[A-Z]{2,}s")
#: where a model family's name ends: "Qwen" of "Qwen3-4B", "FLUX" of "FLUX.1-dev"
_FAMILY_END = re.compile(r"[\d.\-]")
_SKIP_BEFORE_NAME = _words(
    """
    a an the our new novel simple first large-scale unified general principled efficient
    scalable public open-source lightweight hybrid modular generic new, two three
    """
)
#: "the X dataset": up to four words before the head word; a word is at most 60 characters, so
#: a match attempt is bounded work even inside a long run such as "A.A.A.A..."
_DATASET_NAME = re.compile(
    r"(?<![\w-])((?:(?:[A-Z0-9][\w.+\-]{0,60}+|&)[ \t]++){0,3}[A-Z0-9](?:[\w.+\-]|&(?=[A-Z])){0,60}+"
    r"|[a-z]++[A-Z0-9][\w.+\-]{0,60}+)"
    r"[ \t]++(?i:data ?set|benchmark|corpus|corpora|(?:test )?collection|database)s?\b"
)
#: a plural head word written in capitals, as headings write it: "Datasets", "Benchmarks"
_HEADING_HEAD = re.compile(r"[ \t](?:Data ?[Ss]ets|Benchmarks|Corpora|Collections|Databases)$")
#: the words a list of dataset names follows (shared by the two patterns below)
_LIST_WORDS = r"(?:data ?sets?|benchmarks?|corpora|collections|databases)"
#: a list of names after a word that says "datasets": "on three datasets: A, B and C",
#: "benchmarks such as A and B", "datasets (A, B, C)"
_DATASET_LIST = re.compile(
    rf"\b{_LIST_WORDS}\b\s*"
    r"(?:,?\s*(?:i\.\s?e\.|e\.\s?g\.|such as|like|including|namely|viz\.)\s*,?\s*|:\s*"
    r"|\(\s*(?:(?:i\.\s?e\.|e\.\s?g\.),?\s*)?"  # "datasets (e.g., LAION2B)"
    r"|[ \t]+(?:-{1,2}|[\u2013\u2014])[ \t]+(?=[^.;:]{1,200}?[ \t](?:-{1,2}|[\u2013\u2014])[ \t]))",
    # "three datasets - A, B, and C - where": an aside between dashes lists them
    re.I,
)
#: the dash that closes an aside opened by one (:data:`_DATASET_LIST`)
_DASH_CLOSE = re.compile(r"[ \t](?:-{1,2}|[\u2013\u2014])[ \t]")
#: "the datasets Cora, Citeseer and Pubmed", "two benchmarks, VSB100 and Moseg"
_DATASET_APPOSITION = re.compile(
    rf"\b{_LIST_WORDS}(,\s*|\s+)"
    r"(?=[A-Z0-9][\w.+\-]*[\s,.]|[a-z]+[A-Z0-9])"
)
#: language names (as :data:`_NOT_DATASET_NAMES` lists them)
_LANGUAGES = _words("English French German Spanish Chinese Japanese Korean Arabic Russian Italian Portuguese "
                    "Hindi Dutch Swedish Turkish Vietnamese Indonesian Greek Polish")


def _language_pair(name: str) -> bool:
    """Whether ``name`` is two or more language names joined by "-" or "/" (a pair of languages,
    as any text names a translation direction, no data set's name alone).

    >>> _language_pair("English-German"), _language_pair("English/French"), _language_pair("WMT14 En-De")
    (True, True, False)
    """
    parts = re.split(r"[-/]", name)
    return len(parts) > 1 and all(p in _LANGUAGES for p in parts)


#: "non-MNIST datasets", "non-English corpora": the prefix names everything but that name (a
#: complement, no data set), as any text writes it
_COMPLEMENT = re.compile(r"non-", re.I)
#: a variant's letter after a dataset's head word: "Database B" (no article, no variable: "A new",
#: "B =" are not)
_LETTER_AFTER_HEAD = re.compile(
    r"[ \t]+(?:A(?![ \t]+[a-z])|[B-F])(?=[ \t]*(?:[,.;:()]|$)|[ \t]+(?![=\u2208])[^\sA-Z])")
#: an acronym in brackets: capitals, maybe digits and a hyphen ("BSDS300", "IJB-A")
_ACRONYM_SHAPE = re.compile(r"[A-Z][A-Za-z0-9\-]*[A-Z0-9][A-Za-z0-9\-]*")
#: "(IF of 1 or 'Normal')": a quantity and the value given to it, never a name
_VALUE_OF = re.compile(r"\s+of\s+\d[\d.,]*\Z")
#: "DP is a collection of general methods": a head word of data ("collection", "set") whose
#: members are methods; what the sentence says the name is, is no data (any field writes so)
_COLLECTION_OF_METHODS = re.compile(
    r"\s+(?:is|are)\s+(?:a|an|the)\s+(?:[\w\-]+\s+){0,2}?(?:collection|set|family|suite|class|library)\s+of\s+"
    r"(?:[\w\-]+\s+){0,2}?(?:methods|algorithms|techniques|approaches|tools|heuristics|procedures|rules"
    r"|programs|functions|operators|solvers)\b", re.I)
#: "results show that the proposed McWL achieves ...": a name after "the/our proposed" with no
#: data head word after it is the paper's method ("the proposed FooQA dataset", "our proposed
#: FooQA and BarQA datasets" stay data; so
#: does a name listed after others, "datasets and our proposed FooQA": the list says its kind)
_PROPOSED_BEFORE = re.compile(r"(?<!\band\s)(?<!,\s)\b(?:the|our)\s+proposed\s+\Z", re.I)
_DATA_HEAD_AFTER = re.compile(
    r"\s+(?:[\w\-,]+\s+){0,3}?(?:data ?sets?|benchmarks?|corpus|corpora|collections?|databases?|splits?"
    r"|subsets?)\b",
    re.I)
#: "Music datasets, ...", "Compressed collections used ...": one plain capitalised word that
#: opens the sentence before a plural head word is capitalised for its place, and with a plural
#: head it names a kind of data, not one data set
#: ("Establishing benchmark datasets ...": a verb in -ing opening it is no name either)
_KIND_OPENING = re.compile(r"[A-Z][a-z]+\Z")
_PLURAL_HEAD_AFTER = re.compile(r"\s+(?:data ?sets|corpora|collections|databases|benchmarks)\b", re.I)


#: a dataset's head word and an opening bracket, just before an acronym: "dataset (BSDS300)"
_HEAD_THEN_BRACKET = re.compile(
    r"[ \t]+(?i:data ?set|benchmark|corpus|(?:test )?collection|database)[ \t]*\([ \t]*\Z")


def _bracketed_acronyms(text: str, out: list) -> list:
    """Pattern reads with a dataset's acronym, in brackets after its head word, as its alias.

    "the Berkeley segmentation dataset (BSDS300)": the acronym names the data the name before
    the head word names (as "the Foo Sound Archive (FSA) corpus" does), and the name as the text
    writes it, head word and acronym, is an alias too (readers and citing papers write it so).
    Reads are ``(start, name, label, introduces, aliases)``; the acronym's own read stays.

    >>> t = "We use the Quorn segmentation dataset (QSD300) here."
    >>> reads = [(11, "Quorn segmentation", "Dataset", False, ()), (39, "QSD300", "Dataset", False, ())]
    >>> _bracketed_acronyms(t, reads)[0]
    (11, 'Quorn segmentation', 'Dataset', False, ('QSD300', 'Quorn segmentation dataset (QSD300)'))
    """
    # (a quick look first: most texts have no dataset read just after an opening bracket)
    after_bracket = [r for r in out if "(" in text[max(0, r[0] - 2):r[0]] and r[2] == "Dataset"]
    if not after_bracket:
        return out
    ends = {s + len(n): i for i, (s, n, lab, _i, _e) in enumerate(out) if lab == "Dataset"}
    for s, n, _lab, _i, _e in after_bracket:
        if not _ACRONYM_SHAPE.fullmatch(n):
            continue
        head = _HEAD_THEN_BRACKET.search(text[max(0, s - 40):s])
        close = _ACRONYM_CLOSE.match(text, s + len(n))
        i = ends.get(s - len(head.group(0))) if head and close else None
        if i is None or out[i][1][:1].lower() != n[:1].lower():
            continue  # (an acronym starts as its name does: "a UAV-view dataset (VisDrone2019)"
            # describes a dataset that the bracket names)
        s0, n0, lab0, intro0, extra0 = out[i]
        out[i] = (s0, n0, lab0, intro0, (*extra0, n, text[s0:close.end()]))
    return out


#: "multi-cluster data sets, termed online convex Matrix Factorization": a name whose last word
#: says it is a method names no data unless a data word follows it ("the Facebook Social
#: Network dataset" is data)
_METHOD_ENDS = _words("algorithm algorithms approach architecture autoencoder classifier decoder encoder "
                      "estimator estimators factorization framework method methods model models network "
                      "networks optimizer sampler technique transformer transformers procedure scheme "
                      "mechanism regression")


def _not_data_here(text: str, start: int, name: str) -> bool:
    """Whether a dataset name that a pattern read at ``start`` is, by its words or its
    sentence, no data set (see the expressions above).

    >>> t = "Although DP is a collection of general methods, it runs."
    >>> _not_data_here(t, t.index("DP"), "DP")
    True
    >>> t = "The Adult set is a collection of census records."
    >>> _not_data_here(t, t.index("Adult"), "Adult")
    False
    >>> _not_data_here("Runs on non-MNIST datasets.", 8, "non-MNIST")
    True
    """
    if _COMPLEMENT.match(name) or _VALUE_OF.search(name):
        return True
    end = start + len(name)
    if text[start:end] != name:
        return False
    if _COLLECTION_OF_METHODS.match(text, end):
        return True
    if name.rsplit(None, 1)[-1].lower() in _METHOD_ENDS and not _DATA_HEAD_AFTER.match(text, end):
        return True
    if _PROPOSED_BEFORE.search(text, max(0, start - 16), start) and not _DATA_HEAD_AFTER.match(text, end):
        return True
    return bool(_KIND_OPENING.fullmatch(name) and not text[_sentence_start(text, start):start].strip()
                and (_PLURAL_HEAD_AFTER.match(text, end) or name.endswith("ing")))

#: a Roman numeral: a number of a series ("competition III", "dataset II"), never a name alone
_ROMAN = re.compile(r"[IVX]{1,4}")
#: a variable of the maths with its subscript: one or two letters, then a lone letter or digit
_SUBSCRIPTED = re.compile(r"[A-Z][A-Za-z]?[ \t]+(?:[a-z]|\d)(?![\w.])")
#: names (with commas and "and"), then a verb that says how a method did: "FooMC and BarMC
#: outperformed", "A, B and C achieve"
_NAMES_THEN_RESULT_VERB = re.compile(
    r"(?:[A-Z0-9][\w.+\-]*+[ \t]*+(?:,[ \t]*+(?:(?:and|or)[ \t]++)?|(?:and|or)[ \t]++)){0,5}"
    r"[A-Z0-9][\w.+\-]*+[ \t]++"  # (the verb right after a name: ", achieving ..." is a participle)
    r"(?:clearly[ \t]+|significantly[ \t]+|consistently[ \t]+|also[ \t]+|both[ \t]+)?"
    r"(?:outperform|perform|achiev|beat|surpass)\w*\b")
#: a capitalised word just before a head word: "Epinions " of "Epinions datasets, ..." (not a
#: function word or a count)
_NAMED_HEAD_BEFORE = re.compile(r"(?<![\w\-])(?!(?:The|These|Those|This|Both|All|Two|Three|Four|Five|Six)\b)"
                                r"[A-Z][\w\-+.]*[ \t]+$")
#: "benchmarks for talking-face video generation including FooTalk, BarVox, and Baz-HQ", "datasets of
#: several domains, such as ...": a description between the word that says "datasets" and the
#: word that opens the examples; any field writes its data's examples so. The names must look
#: like names (digits, CamelCase, capitals), as after "experiments on"
_DATASET_LIST_GAP = re.compile(
    rf"\b{_LIST_WORDS}[ \t]+(?:for|of|on|in|from|with|across|covering|spanning)\b[^.;:]{{0,100}}?"
    r"(?P<last>[\w\-]+)[ \t,]+(?:such[ \t]+as|including|namely)[ \t]+",
    re.I,
)
#: "experiments on A, B and C", "evaluated on A": in an experimental context, names after "on"
_EXPERIMENT_ON = re.compile(
    r"\b(?:experiments?|experimented|evaluat\w*|results?|tested|tests?|trained|train|training|"
    r"pre-?trained|fine-?tuned|performance|accuracy|outperforms?|state[- ]of[- ]the[- ]art|"
    r"benchmarked|validated|conducted)\b[^.;:()]{0,50}?\b(?:on|from)\s+(?:the\s+)?",
    re.I,
)
#: a score, then the data it was measured on: "achieves 67.3 on TAU2 Retail, 45.4 on ..." (any
#: field reports its results so; the names after it must look like names, as after "experiments on")
_SCORE_ON = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,2})?[ \t]?%?[ \t]+on[ \t]+(?:the[ \t]+)?")
#: how far before " on " a score can start (:data:`_SCORE_ON`: at most "100.00 % on")
_SCORE_REACH = 12
#: a model's size in its name: "LLaMA-2-7B", "SmolVLM-256M", "Flan-T5-Large"
_SIZED_MODEL = re.compile(r"\d(?:\.\d+)?[BM]\b|-(?:Large|Base|Small|Tiny|XL|XXL|Instruct|Chat)\b")
_LIST_HEAD = re.compile(
    r"(?<!\s)\s++(?:data ?sets?|benchmarks?|corpus|corpora|collections?|databases?)$", re.I
)
_LIST_ITEM = re.compile(r"[A-Z0-9][\w.+\-/']*|[a-z]+[A-Z0-9][\w.+\-/']*")
_LIST_JOINERS = _words("of with and for the")
#: small words that a proper name writes in lower case: "Long Range Arena", "Labeled Faces in the Wild"
_SMALL_WORDS = _LIST_JOINERS | _words("in on to a an via from by")
#: acronyms that do not make a name look coined: "Embodied AI", "Robust LLM"
_COMMON_ACRONYMS = _words("AI ML DL NLP CV RL LLM LLMs GPU GPUs CPU CPUs API APIs IoT")
_FUNCTION_WORDS = _words(
    """
    A An The This That These Those Our We Their Its Each Every Any All Both Such Other In On For
    With From By To Of As At New Novel Public Large Small Real Synthetic Standard Popular Existing
    Several Many Various Multiple Two Three Four First Second Final Test Training Validation
    While Although Since When Whereas Where If Because However Moreover Furthermore Unlike Like
    Most Some Both Either Neither Among Across Using Then Thus Hence Also Only Further Next
    """
)
_NOT_DATASET_NAMES = _words(
    """
    English French German Spanish Chinese Japanese Korean Arabic Russian Italian Portuguese Hindi
    Dutch Swedish Turkish Vietnamese Indonesian Greek Polish Real Synthetic Benchmark Dataset Toy
    Public Private Clinical Medical Text Image Video Audio Graph Tabular Evaluation Reference
    Web Digits Source Data Results Table Figure Section Appendix
    """
)
#: ", a large, diverse benchmark", ": the first dataset": a description of data; its words
#: stop at a clause or another head word ("X, a framework evaluated on a benchmark" is no data)
#: head words of a resource used as data: "a large resource of", "a knowledge graph of", "an ontology"
_RESOURCE_HEADS = r"resource|knowledge[ \t]+(?:graph|base)|ontology|lexicon|treebank|thesaurus"
_DATASET_AFTER = re.compile(
    r"\s*(?:(?:,|\s[-\u2013\u2014]+|:)\s*(?:a|an|the)\s+"
    # "and" between adjectives describes on ("a large-scale and multi-domain dataset"); "and a"
    # opens another thing ("a framework and a dataset"); "AI/NLP-domain" is one describing word
    r"(?:(?!(?:that|which|who|for|on|of|with|to|in|and\s+(?:a|an|the)|by|from|using|trained|evaluated"
    r"|tested|framework"
    r"|method|model|approach|system|algorithm|architecture|network|pipeline|agent|toolkit|tool|library)\b)"
    r"[\w\-/]+,?\s+){0,7}|\s+)"
    r"(?:data ?set|benchmark|corpus"
    # "a large-scale resource containing ...", "a knowledge graph of ...": a resource or a
    # knowledge base of any field is data, when the head word ends the phrase (not "a resource
    # allocation scheme", "a knowledge graph embedding model")
    rf"|(?:{_RESOURCE_HEADS})(?=s?(?:\s*[,.;:()]|\s+(?:of|for|that|which|containing|comprising|"
    r"consisting|covering|spanning|with|built|linking|including|to|in|and)\b)))",
    re.I,
)
_GENERIC_HEADS = _words(
    "method algorithm model framework benchmark dataset corpus approach tool system called named"
)
_TITLE_RUN = re.compile(r"[A-Z][\w\-+]*(?: [A-Z][\w\-+]*){0,4}")
_TITLE_NAME = re.compile(r"^\s*([^:]{1,40}?)\s*:\s+\S")
#: a name that says it is a benchmark: "MMBench", "Cookie-Bench", "TeleAntiFraud-Bench", "RUST-BENCH"
_BENCH_NAME = re.compile(r"(?:-|[A-Za-z0-9])Bench(?:mark)?$|(?:-|[A-Z0-9])BENCH$")
#: what joins the names of a list: ", ", ", and ", " and ", " or "
_LIST_SEP_AFTER = re.compile(r",?[ \t]+(?:and|or)[ \t]+|,[ \t]*")
_LIST_SEP_BEFORE = re.compile(r"(?:,?[ \t]+(?:and|or)|,)[ \t]*$")


def _listed_with(text: str, start: int, end: int, labels: dict[int, str], ends: dict[int, int]
                 ) -> str | None:
    """The label of the names listed right beside ``text[start:end]`` (joined by a comma, "and"
    or "or"), when they agree: "Replica, ScanNet++, and X", "RULER and X" list X with data.
    ``labels``: the label of each known name by its start and by minus its end; ``ends``: each
    known name's end by its start.

    >>> t = "We test on Alpha, Beta and Gamma. In the Delta, Epsilon wins."
    >>> labels = {11: "Dataset", -16: "Dataset", 48: "Dataset", -55: "Dataset"}
    >>> ends = {11: 16, 48: 55}
    >>> _listed_with(t, 18, 22, labels, ends), _listed_with(t, 27, 32, labels, ends)
    ('Dataset', None)
    >>> _listed_with(t, 41, 46, labels, ends)
    """
    seen = set()
    m = _LIST_SEP_BEFORE.search(text, max(0, start - 8), start)
    if m is not None and -m.start() in labels:
        seen.add(labels[-m.start()])
    m = _LIST_SEP_AFTER.match(text, end)
    if m is not None and m.end() in labels and (not m.group().startswith(",") or "and" in m.group()
                                                 or "or" in m.group() or m.end() in ends
                                                 and _LIST_SEP_AFTER.match(text, ends[m.end()])):
        # a comma alone before a known name joins a list only if the list goes on after it
        # ("Grounded in the X, LocalBench includes ..." ends a phrase: X is no list's name)
        seen.add(labels[m.end()])
    return seen.pop() if len(seen) == 1 else None


#: the lower-case words each keyword-led pattern starts with (a prefix of them is enough)
_STATE_OF_THE_ART = tuple(f"state{a}of{b}the{d}art" for a in "- " for b in "- " for d in "- ")
_KEYWORDS: dict[str, tuple[str, ...]] = {
    "intro": ("we", "this", "here"),
    "named": ("named", "called", "dubbed", "termed", "coined", "referred", "we", "our"),  # "we call it X" too
    "proposed": ("proposed",),
    "intro_and": ("propose", "introduce", "present", "develop", "design", "release", "curate"),
    "list": ("dataset", "data set", "benchmark", "corpora", "collections", "databases"),
    "experiment": ("experiment", "evaluat", "result", "test", "train", "pretrained", "pre-trained",
                   "finetuned", "fine-tuned", "performance", "accuracy", "outperform", *_STATE_OF_THE_ART,
                   "benchmarked", "validated", "conducted"),
    "dataset_name": ("dataset", "data set", "benchmark", "corpus", "corpora", "collection", "database"),
    "split": ("training set", "test set", "testing set", "validation set", "development set", "dev set",
              "training data", "test data", "testing data", "validation data"),
    "compared": ("compar", "outperform", "baseline", "over"),
    "methods_listed": _METHOD_LIST_HEADS,
    "technique": _TECHNIQUE_HEADS,
    "head_name": ("approach", "technique", "method", "algorithm", "model", "framework", "baseline",
                  "optimizer", "dataset", "benchmark", "corpus", "subset"),
    # the head words of ``_DESCRIPTION_THEN_NAME`` with its comma (where its matches end)
    "description": tuple(f"{w}," for w in _DESCRIPTION_HEADS),
    # the part words of ``_PART_WORD`` (after a space): "the Failure-Aware Refinement module"
    "part": ("module", "block", "mechanism", "layer", "loss", "unit", "encoder", "decoder", "branch",
             "strateg", "scheme", "algorithm", "network", "architecture"),
}
#: what comes before a keyword where its pattern can match: a word boundary (``\b``), or, for the
#: head words of "the X dataset" and "the Nyström method", a space
_AFTER_SPACE = frozenset({"dataset_name", "technique", "split", "description", "part"})
#: "the ", "an " and "a " by their lengths
_ARTICLES = {4: "the ", 3: "an ", 2: "a "}
_NAME_START = re.compile(r"(?<![\w-])[A-Za-z0-9]")
#: on the reversed text: the runs of spaces and words before a head word where a "the X dataset"
#: match can start (four words and the optional "test " of "test collection"; a few more to spare),
#: and a ``_DESCRIBED`` one (seven words at most: four of the name, three describing it)
_BACK_RUNS = re.compile(r"\s*+(?:\S++(?:\s++|\Z)){0,7}")


@lru_cache(maxsize=1)
def _keyword_automaton() -> tuple[ahocorasick_rs.AhoCorasick, list[tuple[tuple[str, ...], tuple[str, ...]]]]:
    """The automaton of every keyword, and for each keyword (by its index) its groups after a
    space and its groups after another character that is not ``\\w``."""
    groups: dict[str, list[str]] = {}
    for group, words in _KEYWORDS.items():
        for w in words:
            groups.setdefault(w, []).append(group)
    words = list(groups)
    info = [(tuple(groups[w]), tuple(g for g in groups[w] if g not in _AFTER_SPACE)) for w in words]
    # a DFA: the quickest search (for more than about a hundred words the default is an NFA, half
    # as quick), and small for these short words
    return ahocorasick_rs.AhoCorasick(words, implementation=ahocorasick_rs.Implementation.DFA), info


class _Scan:
    """Where the keyword-led patterns of one text can match, from one Aho-Corasick pass.

    ``finditer(rx, group)`` gives what ``rx.finditer(text)`` gives, trying ``rx`` only where one
    of the group's keywords starts (``rx`` must start with one of them, case-insensitively), so
    a text costs one pass of the automaton plus a few attempts instead of an attempt at every
    character for every pattern. Texts where ``str.lower`` and ``re.IGNORECASE`` disagree
    (U+0130 and a few other letters) fall back to ``rx.finditer``.

    >>> scan = _Scan("We propose FooNet. we also propose BarNet")
    >>> [m.group(0) for m in scan.finditer(_INTRO, "intro")]
    ['We propose ', 'we also propose ']
    """

    def __init__(self, text: str) -> None:
        self.text = text
        low = text.lower()
        self.exact = len(low) == len(text) and not odd_case(text)
        self.starts: dict[str, list[int]] = {g: [] for g in _KEYWORDS}
        if self.exact:
            starts = self.starts
            automaton, info = _keyword_automaton()
            for word, pos, _end in automaton.find_matches_as_indexes(low, overlapping=True):
                groups, word_groups = info[word]
                if pos:
                    before = low[pos - 1]
                    if before.isalnum() or before == "_":  # re's \w
                        continue
                    if not before.isspace():
                        groups = word_groups
                for g in groups:
                    starts[g].append(pos)
            for s in starts.values():
                if len(s) > 1:
                    s.sort()  # the automaton reports keywords by their end

    def finditer(self, rx: re.Pattern[str], group: str) -> Iterator[re.Match[str]]:
        if not self.exact:
            yield from rx.finditer(self.text)
            return
        end = 0
        last = -1
        for pos in self.starts[group]:
            if pos < end or pos == last:
                continue
            last = pos
            m = rx.match(self.text, pos)
            if m:
                yield m
                end = m.end()

    def techniques(self) -> Iterator[re.Match[str]]:
        """``_NAMED_TECHNIQUE.finditer(text)``: a match ends at a head word ("method") after a space,
        and starts at the space-separated word before it, or at "the", "a" or "an" before that
        word; only those positions are tried."""
        if not self.exact:
            yield from _NAMED_TECHNIQUE.finditer(self.text)
            return
        text = self.text
        end = 0
        last = -1
        for head in self.starts["technique"]:
            if head - 1 < end or head == last or text[head - 1] != " ":
                continue
            last = head
            word = text.rfind(" ", 0, head - 1) + 1
            if word < end or word == head - 1:
                continue
            for pos in (word - 4, word - 3, word - 2, word):
                if pos >= end and (pos == word or text.startswith(_ARTICLES[word - pos], pos)):
                    m = _NAMED_TECHNIQUE.match(text, pos)
                    if m:
                        yield m
                        end = m.end()
                        break

    @cached_property
    def _back(self) -> str:
        return self.text[::-1]  # the runs of spaces before a head word, found backwards

    def runs_before(self, head: int) -> int:
        """Where the seventh run of non-space characters before ``head`` starts (or the white
        space before it): a match of at most seven words that ends at ``head`` starts there or
        after."""
        return len(self.text) - _BACK_RUNS.match(self._back, len(self.text) - head).end()

    def dataset_names(self) -> Iterator[re.Match[str]]:
        """``_DATASET_NAME.finditer(text)``: a match ends at a head word ("dataset"), so it starts
        within a few runs of spaces before one; only those positions are tried."""
        if not self.exact:
            yield from _DATASET_NAME.finditer(self.text)
            return
        heads = self.starts["dataset_name"]
        if not heads:
            return
        text = self.text
        pos = 0  # every position before this one has been tried or skipped
        for head in heads:
            if head > pos:
                pos = max(pos, self.runs_before(head))
            while pos <= head:
                # only where a name can start: a letter or digit not after a word character or "-"
                cand = _NAME_START.search(text, pos, head + 1)
                if cand is None:
                    pos = head + 1
                    break
                m = _DATASET_NAME.match(text, cand.start())
                if m:
                    yield m
                    pos = m.end()
                else:
                    pos = cand.start() + 1


_NEXT_WORD = re.compile(r"\s+([a-z][\w\-]*)")
_NAME_PARTS = re.compile(r"[-+/]")
_PHRASE_WORDS = re.compile(r"[\s\-/]+")
_LETTER_RUN = re.compile(r"[A-Za-z\-]+")
_TITLE_HEAD_END = re.compile(r"\b(?:for|of|via|with|to|in|on|and|from|by|through|towards?)\b")
_OURS = re.compile(r"\b(?:we|our|this (?:paper|work))\b", re.I)
#: a hyphen suffix that describes with another name rather than makes a new one: "BERT-based",
#: "ECG-specific", "LLM-guided", "physics-informed" (the list ``longer_name`` uses too)
_USE_SUFFIX = re.compile(r"-(?:" + "|".join(sorted(_USE_SUFFIXES)) + rf"|(?-i:{_PARTICIPLE.pattern}))$", re.I)
_PAREN_NAME = re.compile(r"\s*\(\s*([^()\s,;]{2,30})\s*\)")
#: where a name ends: a space, a closing punctuation mark, the end ("VistaDPO" does not end
#: inside "VistaDPO-7k")
_NAME_ENDS = re.compile(r"(?:\s|[,;:)\]]|[.!?](?!\w)|$)")
#: an indefinite article just before a word: "a Beta evidence model" describes, "Beta" is no name
_A_OR_AN_BEFORE = re.compile(r"(?<![\w-])an?[ \t]+$", re.I)
#: the small words inside a Title-Case name, each before more capitalised words: "Pygmalion
#: Effect in Vision", "Learning to Rank with Graphs"
_PROPER_TAIL = re.compile(r"(?:[ \t]+(?:in|of|for|on|via|from|to|with|and|the|as)(?:[ \t]+[A-Z][\w\-+]*)+)+")
#: a describing word between "we propose a" and an acronym's long form: "and", "yet", a
#: lower-case hyphenated modifier ("two-stage", "plug-and-play") or an adjective by its ending
#: ("effective", "dynamic", "accurate", "scalable"); never a noun, verb or preposition of a clause
#: ("methods using", "to use"), after which the acronym is someone else's
_MODIFIER = re.compile(
    r"and|yet|[a-z0-9]+(?:-[a-z]+)+|[a-z]+(?:ive|ic|al|ent|ant|ous|ful|able|ible|less|ary|ate|ile|ar)")
#: a word that writes an acronym's letters in capitals inside it: "ARtificial" (ARIEL),
#: "eXplainable" (XRL); its capitals then a run of words up to "(ACRONYM)"
_EMPHASIS_WORD = re.compile(r"([A-Z]{2,})[a-z]{2,}|[a-z]([A-Z])[a-z]{2,}")
_EMPHASIS_RUN = re.compile(r"[^()\[\].,;:]{0,120}?\s\(([A-Z][A-Za-z0-9\-]{1,11})\)")
#: "our PV-ASR method", "our created Caco-1.3M dataset": "our", a participle or adjective at most,
#: one name, then a head word
_OUR_NAME_HEAD = re.compile(
    r"(?:(?:proposed|novel|new|created|curated|collected|constructed|final|own)\s+)?"
    r"([A-Za-z][\w\-+.]*[\w+])\s+(methods?|models?|frameworks?|approach|algorithms?|architectures?|systems?"
    r"|pipelines?|agents?|networks?|datasets?|benchmarks?|corpus)\b")
#: lower-case words, then a head word and a comma: " detection framework, " after "micro-AU"
_NAME_IN_APPOSITION = re.compile(
    r"(?:[ \t]+[a-z][\w\-]*){1,3}?[ \t]+(?:model|method|framework|approach|algorithm|architecture|network"
    r"|system|pipeline|agent|dataset|benchmark|corpus),[ \t]+\S")
#: the second word of a name after a coined first one, closed by a comma, bracket or colon:
#: " CLIP," of "micro-AU CLIP,"
_SECOND_NAME_WORD = re.compile(r"[ \t]+([A-Z][A-Za-z0-9\-]*[A-Z0-9][A-Za-z0-9\-]*)(?=[,(:])")
#: a sentence's subject (an own name, or "our method"), after an opening clause at most, and a
#: verb of having: "SynchroFoo includes", "TGV-KV comprises", "Our framework consists of" (not
#: "incorporates" or "integrates", which take others' parts as often)
_PART_VERB = re.compile(
    r"\s*(?:[^.;,]{0,80},\s+)?(?:[Tt]he\s+|[Oo]ur\s+)?([\w\-+.]+)\s+(?:also\s+|further\s+|mainly\s+)?"
    r"(?:includes|comprises|consists\s+of|contains|features|is\s+composed\s+of)\b")
#: the verbs of ``_PART_VERB`` (a quick test of a text before its sentences are read)
_HAVING_WORDS = ("includes", "comprises", "consists", "contains", "features", "composed")
_OWN_HEADS = _words("method framework model approach architecture system pipeline network agent")
#: the mark of an enumerated item inside a sentence: "; (2) ", ": (ii) "
_INNER_ENUMERATOR = re.compile(r"[:;,]\s*(?:and\s+)?\(?(?:\d{1,2}|[ivx]{1,4})\)\s*")
#: the mark of an enumerated item opening a sentence: "(2) ", "2) ", "(ii) "
_ENUMERATOR = re.compile(r"\s*\(?(?:\d{1,2}|[ivx]{1,4})\)\s*")
#: what follows a name that opens a title: "for", "with", "via", "in", "on", "of", ":" (the rest
#: of the title says what the named thing is for)
_TITLE_OPENING = re.compile(r"\s*(?::|\s(?:for|with|via|in|on|of|towards)\s)", re.I)
#: the last word, capitalised, of a module's name: "Ego-Centric Interaction Graph", "Context Block"
_MODULE_HEADS = frozenset((
    "Module", "Block", "Router", "Graph", "Adapter", "Encoder", "Decoder", "Layer", "Mechanism", "Memory",
    "System", "Network", "Transformer", "Attention", "Fusion", "Unit", "Head", "Loss", "Strategy", "Bank",
    "Controller", "Planner", "Generator", "Aggregator", "Extractor"))
#: "Multi-modal dataset Distillation in the Wild, i.e., MDW,": a phrase, then its acronym after "i.e."
_IE_ACRONYM = re.compile(r"([^,.;:()]{3,80}?),\s+i\.\s?e\.,?\s+([A-Z][A-Za-z0-9\-]{1,11})(?=[,.;:)\s])")
#: a ``_PROPER_TAIL`` that is "and" and one more word: "QuillNet and QuillSet"
_AND_ONE_NAME = re.compile(r"[ \t]+and[ \t]+([A-Z][\w\-+]*)")


def _standalone_count(text: str, word: str, limit: int) -> int:
    """``len(re.findall(rf"(?<![\\w-]){re.escape(word)}(?![\\w-])", text))``, counting up to ``limit``,
    without compiling a pattern for each word.

    >>> _standalone_count("BO and BOED, BO-x, (BO)", "BO", 5)
    2
    """
    n = 0
    i = text.find(word) if word else -1
    while i >= 0 and n < limit:
        j = i + len(word)
        before = text[i - 1] if i else ""
        after = text[j] if j < len(text) else ""
        if not (before and (before.isalnum() or before in "_-")) and not (
                after and (after.isalnum() or after in "_-")):
            n += 1
            i = text.find(word, j)
        else:
            i = text.find(word, i + 1)
    return n


@lru_cache(maxsize=1 << 16)
def name_shape(word: str) -> bool:
    """Whether a word looks like a name: CamelCase, ALLCAPS, letters with digits, ``h-Edit``.

    >>> [name_shape(w) for w in ("SteepGS", "RPC", "h-Edit", "GPT-4", "M-VAR", "Self-Feedback", "Bitween")]
    [True, True, True, True, True, False, False]
    """
    w = word.strip(".,;:'\"()[]")
    if w.islower():  # no capital letter: none of the shapes below (most new words of a text)
        return False
    letters = [c for c in w if c.isalpha()]
    if len(letters) < 2:
        return False
    parts = [p for p in _NAME_PARTS.split(w) if p]
    if any(any(c.isupper() for c in p[1:]) for p in parts):
        return True
    if any(c.isdigit() for c in w) and any(c.isupper() for c in w):
        return True
    # "h-Edit": a lower-case prefix joined to a capitalised word
    return len(parts) > 1 and parts[0][:1].islower() and any(p[:1].isupper() for p in parts[1:])


#: English prefixes written with a hyphen: "Self-Feedback", "Multi-Head", "Cross-Attention"
_WORD_PREFIXES = _words("self cross multi non pre post semi anti inter intra sub super over under co re de "
                        "bi tri uni auto hyper ultra meta mid counter out")


#: words before a hyphen and a model category that say how many or whose models, not which:
#: "Multi-LLM", "single-VLM", "Human-LLM" (interaction), "user-LLM" (besides :data:`_WORD_PREFIXES`)
_SETTING_WORDS = _words("single human user")


def _category_setting(longer: str, category: str) -> bool:
    """Whether a model category joined to words by hyphens names a setting, not a model (in any
    text): a plain prefix or word before it ("Multi-LLM systems", "non-LLM baselines",
    "human-LLM collaboration") or a conversion from or to it ("VLM-to-GeoJSON", "LLM-to-LLM").
    "Video-LLM", "Med-VLM" (a capitalised domain word) may be a model's name and stay.

    >>> [_category_setting(n, c) for n, c in (("Multi-LLM", "LLM"), ("VLM-to-GeoJSON", "VLM"),
    ...                                       ("human-LLM", "LLM"), ("Video-LLM", "LLM"))]
    [True, True, True, False]
    """
    if "-to-" in longer.casefold():
        return True
    before = longer[: longer.find(category)].rstrip("-")
    if not before or "-" in before:
        return False
    return before.islower() or before.casefold() in _WORD_PREFIXES or before.casefold() in _SETTING_WORDS


@lru_cache(maxsize=1 << 16)
def coined(name: str) -> bool:
    """Whether a name looks coined by its authors: a word shaped like a name (:func:`name_shape`)
    other than a common acronym, or one capitalised word ("Bitween", "Fragment-and-Compose").

    >>> [coined(n) for n in ("MoDeGPT", "Bitween", "Internal Consistency", "Embodied AI", "GPT-4 Judge")]
    [True, True, False, False, True]
    >>> coined("Fragment-and-Compose"), coined("Fragment and Compose")
    (True, False)
    """
    words = name.split()
    if any(name_shape(w) and w.strip(".,;:()") not in _COMMON_ACRONYMS for w in words):
        return True
    # one capitalised word, or one compound with a capital after a hyphen ("Fragment-and-Compose",
    # "Clip-Cov"): inside a sentence a hyphen does not start a capital unless it is a name; an
    # English prefix makes a word, not a name ("Self-Feedback", "Cross-Attention")
    return len(words) == 1 and words[0][:1].isupper() and (
        words[0][1:].islower() or (_CAPITAL_COMPOUND.match(words[0]) is not None
                                   and words[0].split("-", 1)[0].lower() not in _WORD_PREFIXES))


def _title_cased(phrase: str) -> bool:
    """Whether every word of a phrase but its small function words starts with a capital
    (hyphen-joined parts after the first may not: "Multi-modal Large Language Model").

    >>> _title_cased("Multi-modal Large Language Model"), _title_cased("Graph of Thoughts")
    (True, True)
    >>> _title_cased("large Language Model")
    False
    """
    words = phrase.split()
    return bool(words) and words[0][:1].isupper() and all(
        w[:1].isupper() or w in _FUNCTION_WORDS_LOWER for w in words)


def _initials_spell(phrase: str, acronym: str) -> bool:
    """Whether the capitals of ``acronym`` are, in order, first letters of words of ``phrase``
    (words split at spaces and hyphens), the first of them its first word's.

    >>> _initials_spell("Multi-modal dataset Distillation in the Wild", "MDW")
    True
    >>> _initials_spell("Results on the test set", "MDW")
    False
    """
    initials = [w[0].lower() for w in re.split(r"[\s\-]+", phrase.strip()) if w]
    letters = [c.lower() for c in acronym if c.isupper()]
    if len(letters) < 2 or not initials or initials[0] != letters[0]:
        return False
    it = iter(initials)
    return all(c in it for c in letters)


def _ends_as_task(phrase: str) -> bool:
    """Whether a phrase ends with a task's name ("a novel Multi-Choice Question-Answering (MCQA)
    benchmark": the task the benchmark is of, not a name of the paper's own).

    >>> _ends_as_task("Multi-Choice Question-Answering"), _ends_as_task("Patch Token Attention")
    (True, False)
    """
    words = phrase.split()
    return any(is_task(" ".join(words[-n:])) for n in (2, 3) if len(words) > n) or (
        len(words) > 1 and "-" in words[-1] and is_task(words[-1].replace("-", " ")))


_PLAIN_CAPITAL = r"[A-Z][a-z]+(?:-[A-Za-z][a-z]+)*"
#: a word for a part or a step of a method, after a space: "module", "block", "loss", "strategy"
_PART_WORD = re.compile(
    r"[ \t](?:modules?|blocks?|mechanisms?|layers?|loss|units?|encoders?|decoders?|branch(?:es)?"
    r"|strateg(?:y|ies)|schemes?|algorithms?|networks?|architectures?)\b")
#: a plain capitalised word just before it (a quick test), then the whole name before it: an
#: article and two to five plain capitalised words ("the Relational Blueprint Guidance")
_PLAIN_CAPITAL_END = re.compile(_PLAIN_CAPITAL + r"\Z")
_NAMED_PART = re.compile(
    r"(?:^|(?<=[^\w\-]))(?:[Tt]he|[Aa]n?|[Oo]ur|[Ii]ts|[Tt]heir)[ \t]+((?:" + _PLAIN_CAPITAL + r"[ \t]+){1,4}"
    + _PLAIN_CAPITAL + r")\Z")


def _named_parts(text: str, acr_at, scan: _Scan | None = None
                 ) -> list[tuple[int, str, str, bool, tuple[str, ...]]]:
    """Method names written in Title Case inside a sentence before the word for what they are
    (:data:`_NAMED_PART`): "the Failure-Aware Refinement module intervenes", "a Time-Aware Target
    Injection module" (any field names its modules, losses and strategies so; the capitals say it
    is a name, the head word what it names). Not a task's name ("the Object Detection module"), a
    modifier ("the Pre-trained Image Segmentation network") nor an acronym's long form (read
    there).

    >>> [n for _s, n, *_ in _named_parts("First, the Relational Blueprint Guidance module "
    ...  "guides; the Object Detection module and the Pre-trained Vision network do not.", {})]
    ['Relational Blueprint Guidance']
    """
    out: list[tuple[int, str, str, bool, tuple[str, ...]]] = []
    if scan is not None and scan.exact:  # (the head words first: a few a text, found fast)
        heads = (m for pos in scan.starts["part"] if (m := _PART_WORD.match(text, pos - 1)))
    else:
        heads = _PART_WORD.finditer(text)
    for p in heads:
        end = p.start()
        if not _PLAIN_CAPITAL_END.search(text, max(0, end - 40), end):
            continue
        m = _NAMED_PART.search(text, max(0, end - 160), end)
        if m is None:
            continue
        name = m.group(1)
        words = name.split()
        if (m.start(1) in acr_at or words[0] in _NOT_MODIFIERS or words[0] in _FUNCTION_WORDS
                or is_generic(name) or is_task(name) or _ends_as_task(name) or is_task(" ".join(words[-2:]))
                or _USE_SUFFIX.search(name)):
            continue  # (and "a Vision Transformer-based architecture": a use of a name)
        out.append((m.start(1), name, "Method", False, ()))
    return out


def _descriptions_then_names(text: str, scan: _Scan | None = None) -> list[re.Match[str]]:
    """The ``_DESCRIPTION_THEN_NAME`` matches of ``text``, and those after a count instead of
    "a" ("two novel benchmark datasets, A and B"), in order. The counts are found with
    ``str.find`` and the pattern matched there (a pattern that starts with any of them would
    be tried at every word of every text).

    With ``scan`` (the text's keywords), the pattern is searched only before each head word
    written with a comma after it (the end of every match), from the seventh run of non-space
    characters before it (a match has six words at most: the article, four describing words and
    the head) to the white space after the comma: the matches of ``finditer``, each searched
    in a window of a few words (a match holds no comma before its own, so none runs over an
    earlier head word's comma).

    >>> t = "We release two new datasets, A and B, and a model, C."
    >>> [m.group(2) for m in _descriptions_then_names(t)]
    ['datasets', 'model']
    >>> [m.group(2) for m in _descriptions_then_names(t, _Scan(t))]
    ['datasets', 'model']
    """
    if scan is None or not scan.exact:
        found = list(_DESCRIPTION_THEN_NAME.finditer(text))
    else:
        found = []
        end = 0  # as finditer: no match starts inside the last one
        for head in scan.starts["description"]:
            if head < end:
                continue
            comma = text.index(",", head)
            m = _DESCRIPTION_THEN_NAME.search(text, max(end, scan.runs_before(head)),
                                              _SPACES.match(text, comma + 1).end())
            if m is not None:
                found.append(m)
                end = m.end()
    for word in _COUNT_WORDS:
        p = text.find(word)
        while p >= 0:
            if not p or not (text[p - 1].isalnum() or text[p - 1] == "-"):
                m = _COUNT_THEN_NAME.match(text, p)
                if m is not None:
                    found.append(m)
            p = text.find(word, p + len(word))
    return sorted(found, key=lambda m: m.start()) if len(found) > 1 else found


def _our_name_heads(text: str) -> list[re.Match[str]]:
    """``_OUR_NAME_HEAD`` matched after each "our " / "Our " of ``text`` (found with ``str.find``:
    a pattern starting with a class of letters would be tried at every character).

    >>> [m.group(1) for m in _our_name_heads("Our PV-ASR method wins; four FooNet models do not.")]
    ['PV-ASR']
    """
    out = []
    for word in ("our ", "Our "):
        p = text.find(word)
        while p >= 0:
            if not p or not text[p - 1].isalnum():
                m = _OUR_NAME_HEAD.match(text, p + 4)
                if m is not None:
                    out.append(m)
            p = text.find(word, p + 4)
    return out


def _part_of_own(text: str, start: int, own: set[str]) -> bool:
    """Whether the name at ``start`` is a part of the paper's own thing: its sentence (or the
    first of an enumeration "(1) ... (2) ..." it ends) opens with an own name, or "our method"
    (framework, model...), and a verb of having ("includes", "comprises", "consists of"...),
    and no word of comparison or use comes between the verb and the name.

    >>> t = "FooNet comprises two modules: (1) Bar Pooling (BP) pools. (2) Baz Mixing (BM) mixes."
    >>> _part_of_own(t, t.index("Baz"), {"FooNet"}), _part_of_own(t, t.index("Baz"), {"QuxNet"})
    (True, False)
    >>> t = "FooNet consists of (1) the Bar Pooling (BP), which pools to a map; (2) the Baz Mixing (BM)."
    >>> _part_of_own(t, t.index("Baz"), {"FooNet"})
    True
    """
    sent = _sentence_start(text, start)
    gap_from = None
    for _ in range(6):  # back over the items of an enumeration, each its own sentence
        enum = _ENUMERATOR.match(text, sent)
        if enum is None or sent == 0:
            break
        if gap_from is None:
            gap_from = enum.end()
        sent = _sentence_start(text, sent - 1)
    m = _PART_VERB.match(text, sent)
    if m is None or m.end() > start:
        return False
    subject = m.group(1)
    ours = text[m.start(1) - 4:m.start(1)].lower() == "our "
    if subject not in own and not (ours and subject.lower() in _OWN_HEADS):
        return False
    if gap_from is None:
        gap_from = m.end()
        # "consists of three modules: (1) the A (AA), which ...; (2) the B (BB)": an item's gap
        # starts at its mark
        marks = [e.end() for e in _INNER_ENUMERATOR.finditer(text, gap_from, start)]
        if marks:
            gap_from = marks[-1]
    gap = {w.lower().strip(",;:()") for w in text[gap_from:start].split()}
    return not gap & (_NOT_OWN_GAP | _STRICT_NOT_OWN_GAP)


def _modified_acronym(cand) -> bool:
    """Whether an acronym's entity, reached past describing words after "we propose a", is a
    method's or dataset's name: a short form of three characters or more ("ID" of "a real-time
    identification (ID) algorithm" is a plain abbreviation) whose long form is written in Title
    Case or ends with a method's head word ("dynamic few-shot learning"); never a phrase that
    ends otherwise ("evaluation of slang awareness in Indian English (en-IN)")."""
    shorts = [a for a in (cand.name, *cand.aliases) if " " not in a]
    words = cand.text.split()
    return bool(words) and any(len(a) > 2 for a in shorts) and (
        _title_cased(cand.text) or _method_head(words[-1].lower()))


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding ``pos`` starts: after the last ". " before it that does not end
    "et al." (a quick reading, for a test of the words before ``pos``).

    >>> t = "Done. Smith et al. proposed X."
    >>> t[_sentence_start(t, t.index("X")):]
    ' Smith et al. proposed X.'
    """
    stop = text.rfind(". ", 0, pos)
    while stop >= 2 and text[stop - 2:stop] == "al":
        stop = text.rfind(". ", 0, stop)
    return stop + 1


def _letter_emphasis(text: str, start: int, word: str) -> tuple[int, str, tuple[str, ...]] | None:
    """The long form and its acronym when ``word`` at ``start`` writes the acronym's first letters
    in capitals ("\\textbf{AR}tificial ... \\textbf{L}earning (ARIEL)" read as "ARtificial ..."):
    the capitals are emphasis, not a coined name, and the name is the long form with the acronym
    as an alias. ``None`` for any other word.

    >>> t = "we present ARtificial Intelligence assistant for Expert-involved Learning (ARIEL), a set"
    >>> _letter_emphasis(t, 11, "ARtificial")
    (11, 'ARtificial Intelligence assistant for Expert-involved Learning', ('ARIEL',))
    >>> _letter_emphasis("we present ARIELNet (ARIEL)", 11, "ARIELNet") is None
    True
    """
    m = _EMPHASIS_WORD.fullmatch(word)
    if m is None:
        return None
    run = _EMPHASIS_RUN.match(text, start + len(word))
    if run is None or not run.group(1).startswith(m.group(1) or m.group(2)):
        return None
    return start, text[start:run.start(1) - 1].rstrip(), (run.group(1),)


def _proper(phrase: str) -> bool:
    """Whether a phrase is written as a proper name: every content word capitalised.

    >>> _proper("Long Range Arena"), _proper("Question answering"), _proper("time-series forecasting")
    (True, False, False)
    """
    words = [w for w in _PHRASE_WORDS.split(phrase) if w and w.lower() not in _SMALL_WORDS]
    return bool(words) and all(w[:1].isupper() or w[:1].isdigit() or name_shape(w) for w in words)


#: head words of a lower-case phrase that names a method: the method heads, the technique
#: heads, and the nouns of what a method is or does
_ACRONYM_METHOD_HEADS = METHOD_HEADS | frozenset(_TECHNIQUE_HEADS) | _words(
    """
    adaptation transfer convolution alignment module layer block loss design reasoner learner solver
    predictor detector generator planner tokenizer retriever ranker regressor agent pipeline strategy
    heuristic protocol process editing compression modeling modelling tracking ranking fusion
    pretraining pre-training attack rendering enhancer compensation adjustment grammar voting parser
    tagger automaton machine
    """
)


#: head words of an acronym's long form that names a thing, a person, a place or a measure,
#: not a method: diseases, vehicles and devices, interfaces, languages, people, organisations,
#: images, coefficients ("Intersection over Union" is a measure too)
_THING_HEADS = _words(
    """
    disease diseases disorder disorders syndrome cancer carcinoma tumor tumour tumors tumours infection
    vehicle vehicles aircraft drone drones satellite satellites device devices sensor sensors camera cameras
    radar lidar infrared spectroscopy interface interfaces language languages arabic english chinese
    patient patients user users person people worker workers agency agencies institute
    institution university organization organisation association society council consortium hospital
    center centre department ministry laboratory company image images coefficient coefficients union
    """
)


#: where a phrase's head ends: before "at", "of", "for", "in", "from", "on", "with" ("Common
#: Coalition Language System at Lincoln Laboratory" is a system, not a laboratory)
_PHRASE_HEAD = re.compile(r"\s+(?:at|of|for|in|from|on|with)\s+")


def _method_head(word: str) -> bool:
    """Whether ``word`` (lower case), the last of a phrase, makes it a method's name.

    >>> [_method_head(w) for w in ("reasoner", "networks", "processes", "nephritis")]
    [True, True, True, False]
    """
    return word in _ACRONYM_METHOD_HEADS or (word.endswith("s") and word[:-1] in _ACRONYM_METHOD_HEADS) or (
        word.endswith("es") and word[:-2] in _ACRONYM_METHOD_HEADS)


def _coined_modifier(name: str) -> bool:
    """Whether ``name``, before a head noun ("the DAPASS framework", "the XMANet model"), is that
    thing's own coined name: shaped like a name, and not a short acronym of a kind of model or
    field that describes it ("a PDE framework", "an RL model", "a GNN architecture").

    >>> [_coined_modifier(n) for n in ("DAPASS", "XMANet", "PDE", "GNN", "Markov")]
    [True, True, False, False, False]
    """
    if not name_shape(name) or name in _COMMON_ACRONYMS:
        return False
    return not (name.isupper() and len(name) <= 3)


#: "our", "our proposed", "our novel" just before a name: the paper's own
#: "a novel Loss-aware Federated Averaging (L-FedAvg) was evaluated": an abstract calls its own
#: contribution novel (any field), unless its sentence is about others' work (``_OTHERS_WORK``)
_A_NOVEL_BEFORE = re.compile(r"\ba\s+novel\s+$", re.I)
_OTHERS_WORK = re.compile(r"\b(?:et al|recent(?:ly)?|previous(?:ly)?|prior|existing|they|their)\b|\[", re.I)
_OURS_BEFORE = re.compile(r"\bour\s+(?:(?:proposed|novel|new|final|own)\s+)?$", re.I)


def _method_head_after(text: str, end: int) -> bool:
    """Whether the word after ``end`` is a method's head ("... (PCGD) module", "... (X) network").

    >>> _method_head_after("our Denoising (PCGD) module generates", 20), _method_head_after("(QA) is", 4)
    (True, False)
    """
    m = _NEXT_WORD.match(text, end)
    return m is not None and _method_head(m.group(1))


#: words between "we introduce" and a name that make the name someone else's: a comparison, a
#: relative clause ("We introduce X, which outperforms Y, a ...")
_NOT_OWN_GAP = _words("than over against outperform outperforms outperforming compared existing prior "
                      "previous baseline baselines other unlike whereas while which that such")
_PREPOSITIONS = _words("of for on to with from in into over by via against at")
#: what makes a name after "we introduce" another's when it is read strictly: any preposition or
#: a word of use ("built upon", "using", "based")
_STRICT_NOT_OWN_GAP = _PREPOSITIONS | _words("upon use uses used based built like as incorporates "
                                             "integrates combines employs utilizes adopts extends")
#: "Patch Token Attention (PTA) is designed", "X (GDA) and Y (GDLoss) are presented": a passive
#: verb of making after a definition (in the present: "was proposed" tells others' history;
#: "is proposed by" names its authors)
_PASSIVE_INTRO = re.compile(
    r"(?:\s+and\s+(?:an?\s+|the\s+)?[A-Z][^.;()]{0,60}\([^()]{1,15}\))?\s+(?:is|are)\s+"
    r"(?:(?:also|further|then|first|newly|specifically)\s+)?"
    r"(?:designed|proposed|introduced|presented|developed|devised)\b(?!\s+by\b)")


def _introduced_in_sentence(text: str, start: int, verbs: re.Pattern[str] | None = None,
                             strict: bool = False) -> bool:
    """Whether the sentence that holds ``start`` introduces (we propose, introduce, present...) the
    name there: "We introduce X, a parser, and Y, a benchmark" introduces Y too; "We introduce X,
    which outperforms Y, a strong model" does not.

    >>> t = "We introduce QuillNet, a parser, and QuillSet, a benchmark."
    >>> _introduced_in_sentence(t, t.index("QuillSet"))
    True
    >>> t = "We introduce QuillNet, which outperforms KelpNet, a model."
    >>> _introduced_in_sentence(t, t.index("KelpNet"))
    False
    """
    sent = text.rfind(". ", 0, start)
    before = text[sent + 2 if sent >= 0 else 0 : start]
    verbs = list((verbs or _PROPOSE_VERB).finditer(before))
    if not verbs or not _OURS.search(before[: verbs[-1].start()]):
        return False
    gap = [w.lower().strip(",;:()") for w in before[verbs[-1].end():].split()]
    if gap[-2:] in (["along", "with"], ["together", "with"]):
        gap = gap[:-2]  # "we release the code along with X, a dataset": X is released too
    # "... Pruning for FoX, a method", "our implementation of SimSwap, a framework": the object
    # of a preposition is another's
    if strict and (set(gap) & _STRICT_NOT_OWN_GAP or _OTHERS_WORK.search(before)
                   or any(len(w) > 4 and w.endswith("ing") and w.islower()
                          for w in before[verbs[-1].end():].split())):
        # (strict) "we propose X, built on the Spatial Graph Network (SGN)", "a method solving the
        # Reynolds-Averaged Navier-Stokes (RANS) model" (a participle's object): a use; "by
        # extending the recently introduced Speculative Decoding (SD)": another's
        return False
    return not set(gap) & _NOT_OWN_GAP and not (gap and gap[-1] in _PREPOSITIONS)


def _capitalised_inside(text: str, word: str) -> bool:
    """Whether ``word`` (capitalised) stands in ``text`` inside a sentence: not its first word,
    not after a colon.

    >>> _capitalised_inside("We test Regimes, a loop.", "Regimes")
    True
    >>> _capitalised_inside("Regimes vary.", "Regimes")
    False
    """
    for m in re.finditer(r"(?<![\w\-])" + re.escape(word) + r"(?![\w\-])", text):
        before = text[:m.start()].rstrip()
        if before and before[-1] not in ".!?:;\"'(" and before[-1].isalnum() or before[-1:] == ",":
            return True
    return False


def _described_at(text: str, end: int) -> bool:
    """Whether a description of a method or dataset follows ``end`` in apposition, its head
    word reached without a preposition: ", a novel PEFT framework" (not ", a new task for
    speech models", whose head is "task").

    >>> t = "X, a compact adapter framework. Y, a new task for speech models."
    >>> _described_at(t, 1), _described_at(t, t.index("Y") + 1)
    (True, False)
    """
    m = _APPOSITION.match(text, end)
    return m is not None and not {w.lower() for w in m.group(1).split()} & _PREPOSITIONS


def _proposed_at(text: str, start: int) -> bool:
    """Whether "we propose" (introduce, present...) comes just before ``start``, three words at
    most between: "and propose probabilistic generating circuits (PGCs)".

    >>> _proposed_at("We propose a novel graph method.", 18)
    True
    >>> _proposed_at("Results on lupus nephritis (LN) improve.", 11)
    False
    """
    sent = max(text.rfind(". ", 0, start) + 2, start - 80, 0)
    before = text[sent:start]
    ends = [m.end() for m in _PROPOSE_VERB.finditer(before)]
    return bool(ends) and len(before[ends[-1]:].split()) <= 3


_PROPOSE_VERB = re.compile(
    r"\b(?:propose|introduce|present|develop|design|devise|release|open-source)[sd]?\b", re.I)
#: the same, and the verbs a paper makes its own data with ("we constructed a new dataset,
#: FooSet-v2", "we collect a corpus, FooCorp"): said of data only (a method is not collected)
_PROPOSE_DATA_VERB = re.compile(
    r"\b(?:propose|introduce|present|develop|design|devise|release|open-source|construct|build|built|create"
    r"|curate|collect|compile|assemble)(?:s|d|ed)?\b", re.I)


def _lowercase_phrase(phrase: str, text: str, start: int) -> bool:
    """Whether an acronym's long form is a plain lower-case phrase ("self-taught reasoner"):
    no capital letter but, at the start of a sentence, the first one."""
    words = phrase.split()
    if not words or any(c.isupper() for w in words[1:] for c in w):
        return False
    first = words[0]
    if not any(c.isupper() for c in first):
        return True
    i = start - 1  # the last character before the phrase that is not white space
    while i >= 0 and text[i].isspace():
        i -= 1
    return first[1:].islower() and (i < 0 or text[i] in ".!?:")


@lru_cache(maxsize=1)
def _sentence_punct() -> tuple[frozenset[str], re.Pattern[str]]:
    """The punctuation characters of spaCy's ``sentencizer`` with its default settings ("." "!"
    "?" ...; single characters, all of them), and a pattern that finds any one of them."""
    from spacy.pipeline import Sentencizer

    chars = frozenset(Sentencizer.default_punct_chars)
    return chars, re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")


def _marks(text: str, any_char: re.Pattern[str]) -> list[int]:
    """Where ``text`` holds one of the sentencizer's punctuation characters, in order: in an ASCII
    text only "." "!" and "?" can be, found with ``str.find`` (quicker than any pattern).

    >>> _marks("A. B? C! d.", re.compile("[.!?]"))
    [1, 4, 7, 10]
    """
    if not text.isascii():
        return [m.start() for m in any_char.finditer(text)]
    out: list[int] = []
    for c in ".!?":
        i = text.find(c)
        while i >= 0:
            out.append(i)
            i = text.find(c, i + 1)
    if "!" in text or "?" in text:
        out.sort()
    return out


def sentencizer_spans(doc: Doc | LiteDoc, text: str | None = None) -> list[tuple[int, int]]:
    """The sentences spaCy's default ``sentencizer`` would give ``doc``, as character spans.

    Same rule: a sentence starts at the first token after one of the sentencizer's punctuation
    characters ("." "!" "?" ...) that is neither punctuation nor one of them. Only the tokens
    where the text holds one of those characters are looked at (a few in a sentence), found
    from the tokens' offsets (one array), not every token. The pipeline without a trained
    model skips the ``sentencizer`` and uses this. ``text`` is ``doc.text`` when the caller has
    it at hand.

    >>> import spacy
    >>> sentencizer_spans(spacy.blank("en")("Hi there. (Yes!) It works... ok? "))
    [(0, 11), (11, 16), (17, 32)]
    """
    n = len(doc)
    if not n:
        return []
    if text is None:
        text = doc.text
    chars, any_char = _sentence_punct()
    size = len(text)
    spans: list[tuple[int, int]] = []
    begin = 0  # where the current sentence starts
    after = 0  # the marks before this token are followed by the last start found
    idx: list[int] | None = None  # each token's offset, read once when a mark is first met
    lite = isinstance(doc, LiteDoc)  # which finds the token at a character itself
    for p in _marks(text, any_char):
        # the token that is just this character (doc.char_span(p, p + 1), without a Span): one
        # starts at p, and the next starts at p + 1 or a space or the end of the text follows
        if lite:
            i = doc.index_at(p)
            if i < 0 or i < after:
                continue
            if not (p + 1 == size or text[p + 1].isspace() or doc.index_at(p + 1) >= 0):
                continue
        else:
            if idx is None:
                idx = doc.to_array(IDX).tolist()
            i = bisect.bisect_left(idx, p)
            if i == n or idx[i] != p or i < after:
                continue
            if not (p + 1 == size or text[p + 1].isspace() or (i + 1 < n and idx[i + 1] == p + 1)):
                continue
        j = i + 1
        # the next token starts after this one's trailing space, if any
        q = p + 2 if p + 1 < size and text[p + 1] == " " else p + 1
        if j < n and text[q].isalnum():  # a word: neither punctuation nor a mark
            spans.append((begin, p + 1))
            begin = q
            after = j
            continue
        while j < n:
            t = doc[j]
            if not (t.is_punct or t.text in chars):
                break
            j += 1
        if j == n:
            break
        t = doc[j - 1]
        spans.append((begin, t.idx + len(t.text)))
        begin = doc[j].idx
        after = j
    last = doc[n - 1]
    spans.append((begin, last.idx + len(last.text)))
    return spans


#: task heads that, in a name written in capitals, more often end a method's name ("Noise
#: Contrastive Estimation", "Context-aware Layer Enhancement"; but "image enhancement" is a task)
_PROPER_METHOD_HEADS = _words("enhancement estimation reconstruction verification reasoning fusion "
                              "correction")
#: a version written after a dataset's name: a year, "2.0", "10M", "12k", "v2", "II"; then the
#: end of the phrase (a bare number may be a footnote's: "MNIST 2" is not read)
_VERSION_AFTER = re.compile(
    r"[ \t](?:(?:19|20)\d\d|\d{1,3}\.\d{1,2}|\d{1,4}[kKMB]|v\d{1,2}(?:\.\d)?|II|III|IV"
    r"|Part[ \t](?:[A-D]|I{1,3}|[1-4])"  # "ShanghaiTech Part A": a part is a dataset of its own
    r"|[Cc]ategory[ \t][A-D])"  # "ClueWeb09 Category B": so is a category of a collection
    r"(?=[ \t]*(?:[,;:)\]]|\.(?!\d)|$|"
    r"[ \t]+(?:and|or|data ?sets?|benchmarks?|corpus|collections?|databases?)\b"
    # the verb of a sentence about it: "ShanghaiTech Part B is also ...", "... consists of"
    r"|[ \t]+(?:is|was|are|were|has|have|contains?|consists|includes|comprises)\b))"
)
#: a model release: a known model family's name, then its version, size, tier or tuning, with a
#: digit somewhere ("Qwen3-8B", "Llama-3.1-8B", "Qwen2.5-3B-Instruct", "Claude 3.5 Sonnet",
#: "Gemini 3 Pro", "Gemma 4 E4B", "EfficientNet-B3", "DeepSeek-Math-V2"): one model of its own,
#: never the family ("Claude" of "Claude Sonnet 4" is a partial name); any field names its
#: models' releases so
_RELEASE_REST = (
    # a digit, or a tier then a digit, close after the family's name (most words fail here)
    r"(?=[-. ]?\d|-[A-Za-z][\w.]*[\d\-]| (?:Sonnet|Opus|Haiku|Pro|Ultra|Flash|Nano|Mini|Lite) \d)"
    r"(?P<rest>(?:[-.]?\d[\w.]*[\w]|[-.]?\d|-[A-Za-z][\w.]*[\w])*)"
    r"(?P<tail>(?:[ ](?:\d{1,3}(?:\.\d{1,2})?[BMK]?|[A-Z]\d{1,3}[A-Z]?|Sonnet|Opus|Haiku|Pro|Ultra|Flash|Nano"
    r"|Mini|Lite|Instruct|Chat|Base|Turbo|Plus|Max"
    # the tiers that are no common word, as release notes also write them ("Gemini 2.5 pro")
    r"|sonnet|opus|haiku|pro|nano)(?![\w\-]))*)"
)
_RELEASE = re.compile(r"(?P<fam>[A-Z](?<![\w\-/.][A-Z])[A-Za-z]*+)" + _RELEASE_REST)
#: "gpt-4.1-mini": a family's own lower-case spelling, as its maker writes it (a pattern of its
#: own, tried only where "gpt-" is written: a first letter that is a class lets the main one skip
#: ahead fast)
_RELEASE_LOWER = re.compile(r"(?<![\w\-/.])(?P<fam>gpt)(?=-\d)" + _RELEASE_REST)
#: model families that are not methods on their own (an organisation's name, "DeepSeek") or that
#: the gazetteer knows only by their releases ("GPT-4"); their releases are models
_RELEASE_FAMILIES = frozenset({"GPT", "DeepSeek", "Phi", "Mixtral", "InternLM", "InternVL", "Vicuna"})
_HAS_DIGIT = re.compile(r"\d")


def _has_digit(text: str) -> bool:
    """``_HAS_DIGIT.search(text) is not None``: in an ASCII text, one ``in`` test per digit
    (quicker than the pattern, which reads each character's Unicode category).

    >>> _has_digit("GPT-4"), _has_digit("no digits"), _has_digit("\u0663 (an Arabic-Indic three)")
    (True, False, True)
    """
    if not text.isascii():
        return _HAS_DIGIT.search(text) is not None
    return any(d in text for d in "0123456789")
_FUNCTION_WORDS_LOWER = _words("of and for the with in on to a an by via from")
#: a number with a unit is a measurement, never a name: "0.6dB", "159.35 GMACs", "4.94M", "20x"
_MEASUREMENT = re.compile(
    r"[+\-]?\d[\d.,]*\s?(?:%|x|\u00d7|dB|[kKMGTP]?(?:MACs?|FLOPs?|B|bps|Hz)|[kKMGB]|ms|s|h|fps|FPS|mm|cm|km|m|pp)")
#: one word that ends with what it names: "MitoDataset", "LongBench", "M3-Bench", "ArabicCorpus"
_DATA_WORD = re.compile(  # (the look-behind after the capital: a search skips to each capital at once)
    r"([A-Z](?<![\w\-][A-Z])[A-Za-z0-9]*[a-z0-9]-?(?:Dataset|DataSet|Corpus|Bench|Benchmark))(?![\w\-])")
#: a name, then "Bench" as a word of its own: "MT Bench", "$V^{*}$ Bench" (TeX math as written)
_BENCH_WORD_NAME = re.compile(
    r"(?<![\w\-$])((?:\$[^$\s]{1,20}\$|[A-Z0-9][\w\-+.*]{0,40})(?:[ \t]+[A-Z0-9][\w\-+.*]{0,40}){0,2})"
    r"[ \t]+Bench(?![\w\-])")
#: a head word, then a name in capitals: "approach Self Forcing", "subset M2Kang"
_HEAD_THEN_NAME = re.compile(
    r"\b(approach|technique|method|algorithm|model|framework|baseline|optimizer|dataset|benchmark|corpus"
    r"|subset) ((?:[A-Z][\w\-+]*[\w+]|[A-Z])(?: [A-Z][\w\-+]*[\w+]){0,3})(?=\s+[a-z(]|[,;:.)]|$)")
#: the gazetteer's model categories: a capitalised word before one describes, it names no model
_MODEL_CATEGORIES = frozenset({"Large Language Model", "Multimodal Large Language Model",
                               "Vision-Language Model", "Diffusion Model", "Foundation Model"})
#: a name in capitals, then a citation in brackets: "Multi-Agent Feedback (Li et al., 2025a)"
_CITED_NAME = re.compile(
    r"(?<![\w\-])((?:[A-Z][\w\-+]*[\w+]|[A-Z])(?: [A-Z][\w\-+]*[\w+]){0,3}) \("
    r"[A-Z][\w\-']+(?: et al\.?| (?:and|&) [A-Z][\w\-']+)?,? (?:19|20)\d\d[a-z]?\)")
_RELEASE_TIERS = _words("Sonnet Opus Haiku Pro Ultra Flash Nano Mini Lite Instruct Chat Base Turbo Plus Max")
#: a device named after a known dataset's name ("the DAVIS camera", "a Kinect sensor"): in any
#: text, a name followed by a word for hardware names the hardware, not the data
#: the words after a team's name in a shared task's paper: "JGU Mainz's Submission to ...",
#: "the TeamNRC's participation in ...", "our FocusOnFun team's system" (a team or a lab, not a
#: method; any field's shared tasks are written so)
_TEAM_AFTER = re.compile(
    r"(?:[ \t]+[A-Z][\w\-]*)?(?:['’]s)?[ \t]+(?i:team|submissions?|participation|entry)\b")
#: a shared task's paper's title that starts with its team: "ZJUKLAB at SemEval-2025 Task 4: ..."
_TEAM_AT = re.compile(r"[ \t]+at[ \t]+[A-Z][\w\-]*[ \t\-]?\d")
_DEVICE_AFTER = re.compile(r"[ \t]+(?:cameras?|sensors?|devices?|chips?|boards?|robots?|headsets?)\b")
#: a size before a dataset's name: "3GB", "1.5B-word", "4096-dimensional" (not "20" of "20 Newsgroups")
_SIZE_WORD = re.compile(r"\d[\d.,]*(?:[kKMGT]B|[kKMB]?(?:-[a-z]+){1,2})")  # "320-million-word" too
#: a unit of size: "GB" of "a 2.7 GB dataset" is no name
_SIZE_UNIT = re.compile(r"[kKMGT]B|[kKMGT]i?B|bytes?")
#: a name in lower case with a digit: "la1", "w8a", "labels2facades" (two letters at least)
_LOWER_CODE = re.compile(r"[a-z][a-z\-]*\d[a-z0-9\-]*|[a-z]\d+[a-z][a-z0-9\-]*")
#: a name coordinated before another, at the end of the text before it: "CUB, " "IndBAN and ";
#: each word capitalised, with a digit or shaped like a name ("yaleB"); up to four words
_COORD_ITEM = (r"(?<![\w\-])((?:[A-Z0-9][\w.+\-'/]*|[a-z][a-z]*[A-Z0-9][\w.+\-'/]*)"
               r"(?:[ \t][A-Z0-9][\w.+\-'/]*){0,3})")
#: words that start a reference to a part of the paper: "Table 2, MNIST and SVHN datasets"
_REFERENCES = _words("Table Tables Figure Figures Fig Section Sections Appendix Eq Equation Algorithm "
                     "Chapter Step")
#: ("&" joins no two names here: "Speak & Improve", "AT&T" are one name each)
_COORD_AND = re.compile(_COORD_ITEM + r"(?:,?[ \t]+(?:and|or)[ \t]+(?:the[ \t]+)?)$")
_COORD_COMMA = re.compile(_COORD_ITEM + r",[ \t]*$")


#: capitalised words, then a small word a name writes in lower case, just before a name:
#: "Depth in the" of "Depth in the Wild", "Animals with" of "Animals with Attributes"
_PHRASE_BEFORE = re.compile(
    r"(?<![\w\-])((?:[A-Z][a-z][a-z\-]*[ \t]+){1,3}?)(?:in|of|with|for)[ \t]+(?:the[ \t]+)?$"
)


#: words that say what is measured or done on a dataset, not the first word of its name
_PHRASE_NOT_FIRST = _words("performance accuracy precision recall quality size version subset part "
                           "split splits portion sample samples statistics details overview analysis")


def _phrase_name(text: str, start: int, name: str) -> tuple[int, str]:
    """A dataset's name written as a title-case phrase with small words ("the Depth in the Wild
    dataset", "Common Objects in Context"): the head-word pattern reads only the capitalised
    words before the head ("Wild", a name of its own elsewhere); the phrase is the name. Only
    when the words are plain capitalised words (not "KITTI": "Results of the KITTI dataset")
    and the phrase does not start a sentence (where every first word is capitalised).

    >>> text = "We introduce the Depth in the Wild dataset. Results of the KITTI dataset"
    >>> _phrase_name(text, text.index("Wild"), "Wild")
    (17, 'Depth in the Wild')
    >>> _phrase_name(text, text.index("KITTI"), "KITTI")
    (59, 'KITTI')
    """
    if not all(w.isalpha() and w[:1].isupper() and w[1:].islower() for w in name.split()):
        return start, name
    m = _PHRASE_BEFORE.search(text, max(0, start - 80), start)
    if m is None:
        return start, name
    first = m.group(1).split()[0]
    before = text[:m.start(1)].rstrip()
    if (first in _FUNCTION_WORDS or first in _NOT_DATASET_NAMES or is_generic(first)
            or first.lower() in METRIC_HEADS or first.lower() in _PHRASE_NOT_FIRST
            or not before or before[-1] in ".!?:;"):
        return start, name
    return m.start(1), text[m.start(1):start + len(name)]


#: the rest of an acronym's definition that a dataset's head word follows: ")" of "(AIW) dataset"
#: (and "test" of "(HER) test collection", as "the NTCIR-8 test collection" keeps it)
_WRITTEN_WITH_ACRONYM = re.compile(
    r"(\s*\)(?:\s+test(?=\s+collections?\b))?)\s+(?i:data ?sets?|benchmarks?|corpus|corpora|collections?"
    r"|databases?)\b")


#: what follows an author's surname: "Smith et al.", "Smith et al's"
_ET_AL_AFTER = re.compile(r"[ \t]+et[ \t]+al\b")


#: the bracket that closes an acronym's definition: ")" of "Toronto Face Database (TFD)"
_ACRONYM_CLOSE = re.compile(r"[ \t]*\)")


def _after_full_stop(words: list[str]) -> list[str]:
    """The words after the last one that ends a sentence ("FFHQ. This dataset": a new sentence
    starts at "This"); an abbreviation with inner dots ("U.S.") ends none.

    >>> _after_full_stop(["FFHQ.", "This"]), _after_full_stop(["U.S.", "Census"])
    (['This'], ['U.S.', 'Census'])
    >>> _after_full_stop(["E.", "Coli"]), _after_full_stop(["set", "B.", "This"])
    (['E.', 'Coli'], ['This'])
    """
    for i in range(len(words) - 2, -1, -1):
        w = words[i]
        if w.endswith(".") and "." not in w[:-1]:
            if len(w) == 2 and w[0].isupper() and words[i + 1] not in _FUNCTION_WORDS \
                    and words[i + 1].lower() not in STOP_WORDS:
                continue  # an initial ("E. Coli", "J. Smith"), in any text: it ends no sentence
            return words[i + 1:]
    return words


def _from_word_start(text: str, start: int, name: str) -> tuple[int, str]:
    """A name read from inside a word, extended to the word's start: a name starts where a word
    starts, in any text ("K LabelMe" of "22K LabelMe", "17 PoseTrack" of "ICCV'17 PoseTrack").
    A size ("3GB AQUAINT") stays apart, and so does a name after a slash ("PET/CT": two names);
    a name read from a web address is none (``""``).

    >>> _from_word_start("on the 22K LabelMe set", 9, "K LabelMe")
    (7, '22K LabelMe')
    >>> _from_word_start("on TREC-5/6 English-Chinese", 10, "6 English-Chinese")
    (3, 'TREC-5/6 English-Chinese')
    >>> _from_word_start("the 3GB AQUAINT corpus", 8, "AQUAINT"), _from_word_start("(MNIST", 1, "MNIST")
    ((8, 'AQUAINT'), (1, 'MNIST'))
    >>> _from_word_start("two PET/CT datasets", 8, "CT"), _from_word_start("at http://x.org/Data", 16, "Data")
    ((8, 'CT'), (16, ''))
    """
    if start < 2 or not (text[start - 1].isalnum() or text[start - 1] in "-/'’") \
            or not text[start - 2].isalnum():
        return start, name
    ws = max(text.rfind(c, 0, start) for c in " \t\n") + 1
    prefix = text[ws:start].lstrip("([{\"“'‘%")
    if "://" in prefix or prefix.lower().startswith("www."):
        return start, ""  # the end of a web address is no name
    if text[start - 1] == "/" and not name[:1].isdigit():
        return start, name  # a slash joins two names ("PET/CT", "CIFAR/ImageNet"), a version ("5/6") not
    if not prefix or _SIZE_WORD.fullmatch(prefix.rstrip("-")) or _SIZE_UNIT.fullmatch(name.split()[0]):
        return start, name
    return start - len(prefix), prefix + name


#: what follows a name in a list up to the next name: its bracket ("(ACR)"), then a comma or
#: "and"/"or"; and the same before a name, from the end of the previous one
_LISTED_AFTER = re.compile(r"[ \t]*(?:\([^()\n]{1,30}\)[ \t]*)?"
                           r"(?:,[ \t]*(?:(?:and|or)[ \t]+)?|(?:and|or)[ \t]+)(?:the[ \t]+)?")
_LISTED_BEFORE = re.compile(r"[ \t]*(?:\([^()\n]{1,30}\)[ \t]*)?"
                            r"(?:,[ \t]*(?:(?:and|or)[ \t]+)?|[ \t](?:and|or)[ \t]+)(?:the[ \t]+)?$")


def _listed_beside(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether the name at ``text[start:end]`` is listed right beside one of ``spans`` (after its
    bracket, a comma or "and": "CUB-200 (CUB), Foo Bar (FB)" for either name).

    >>> t = "CUB-200 (CUB), Foo with Bar (FWB) and more"
    >>> _listed_beside(t, 15, 27, [(0, 7)]), _listed_beside(t, 15, 27, [(40, 44)])
    (True, False)
    """
    if not spans:
        return False
    after = _LISTED_AFTER.match(text, end)
    if after is not None and any(s == after.end() for s, _e in spans):
        return True
    return any(e < start and start - e <= 40 and _LISTED_BEFORE.match(text[e:start]) is not None
               for _s, e in spans)


def _coordinated_before(text: str, start: int) -> list[tuple[int, str]]:
    """The names coordinated before the name at ``start`` ("A, B and C datasets": A and B for C),
    nearest first: the last joiner is "and" or "or" (with or without a comma), those before it
    commas; a function word or a word that names no dataset ("Table") ends the list.

    >>> text = "On CUB, AWA2, and APY datasets; Table 2, MNIST and SVHN datasets."
    >>> _coordinated_before(text, text.index("APY")), _coordinated_before(text, text.index("SVHN"))
    ([(8, 'AWA2'), (3, 'CUB')], [(41, 'MNIST')])
    >>> _coordinated_before("on the Network Intrusion and the Forest Cover Type datasets", 33)
    [(7, 'Network Intrusion')]
    """
    out: list[tuple[int, str]] = []
    rx = _COORD_AND
    while len(out) < 12:
        lo = max(0, start - 120)
        m = rx.search(text, lo, start)
        if m is None or m.end() != start:
            break
        words = m.group(1).split()
        first = m.start(1)
        while words and (words[0] in _FUNCTION_WORDS or words[0].lower() in _SKIP_BEFORE_NAME):
            first = text.index(words[1], first + len(words[0])) if len(words) > 1 else first
            words.pop(0)
        name = " ".join(words)
        if (not words or (len(words) == 1 and words[0] in _NOT_DATASET_NAMES) or words[0] in _REFERENCES
                or sum(c.isalpha() for c in name) < 2
                or is_generic(name) or is_task(name) or words[-1] in _COMMON_ACRONYMS):
            break
        out.append((first, name))
        if len(words) < len(m.group(1).split()):
            break  # "On CUB": the list starts after the function word
        start, rx = m.start(1), _COORD_COMMA
    return out


#: a coined name (one to three words, one shaped like a name) coordinated after another
_COORD_NEXT = re.compile(
    r"(?:[ \t]*\([^()\n]{0,30}\))?(?:[ \t]*,[ \t]*(?:(?:and|or)[ \t]+)?|[ \t]+(?:and|or)[ \t]+)(?:the[ \t]+)?"
    r"([A-Za-z0-9][\w.+\-'/]*(?:[ \t][A-Z0-9][\w.+\-'/]*){0,2})"
    r"(?=[ \t]*(?:[,;:)]|\.(?!\w)|\([^()\n]{0,30}\)|$|[ \t]+(?:and|or)[ \t]))"
)
#: the same before: "MORPH2 and " of "MORPH2 and CACD-VS"
_COORD_PREV = re.compile(
    r"(?:^|(?<=[\s(]))([A-Za-z0-9][\w.+\-'/]*(?:[ \t][A-Z0-9][\w.+\-'/]*){0,2})(?:[ \t]*\([^()\n]{0,30}\))?"
    r"(?:[ \t]*,[ \t]*(?:(?:and|or)[ \t]+)?|[ \t]+(?:and|or)[ \t]+)(?:the[ \t]+)?$"
)


_AND_OR = re.compile(r"\b(?:and|or)\b")
_HEAD_AFTER = re.compile(r"[ \t]+(?i:data ?sets?|benchmarks?|corpus|corpora|collections?|databases?)\b")


#: a head word that says "datasets" joined by a hyphen to the name after it: "benchmarks-FooCam16"
_HEAD_DASH = re.compile(r"(?i:data ?sets?|benchmarks?|corpus|corpora)-(?=[A-Z0-9])")


def _coordinator_before(text: str, lo: int, start: int) -> bool:
    """Whether ``text[lo:start]`` ends as a ``_COORD_PREV`` match must: with a comma, "and" or
    "or", then white space and "the" at most (a quick test before the pattern, which is tried
    at every character of the window).

    >>> [_coordinator_before(t, 0, len(t)) for t in ("A, ", "A and the ", "on the ", "in ")]
    [True, True, False, False]
    """
    before = text[lo:start].rstrip(" \t")
    if before.endswith("the"):
        before = before[:-3].rstrip(" \t")
    return before.endswith((",", "and", "or"))


def _sentence_at(text: str, pos: int) -> str:
    """The sentence (or title) around ``pos``, cut at full stops and line breaks.

    >>> _sentence_at("A title\\nWe propose X. It is fast.", 15)
    'We propose X'
    """
    start = max(text.rfind(". ", 0, pos) + 2, text.rfind("\n", 0, pos) + 1, 0)
    ends = [e for e in (text.find(". ", pos), text.find("\n", pos)) if e >= 0]
    return text[start:min(ends) if ends else len(text)]


def _lowered_after(text: str, pos: int, words: list[str]) -> bool:
    """Whether ``text`` after ``pos`` writes the title's ``words`` with their capitalised words in
    lower case ("Video QA" as "video QA"): a title capitalises every word, the abstract shows that
    they are plain words, not a name (any text).

    >>> t = "A Video QA Benchmark. We build a video QA benchmark."
    >>> _lowered_after(t, 20, ["Video", "QA"]), _lowered_after(t, 20, ["FooQA"])
    (True, False)
    """
    low = [w.lower() if w[:1].isupper() and w[1:].islower() else w for w in words]
    if low == words:
        return False
    return re.search(r"(?<![\w\-])" + re.escape(" ".join(low)) + r"(?![\w\-])", text[pos:]) is not None


def _coordinated_with(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """``(start, name)`` of the coined names coordinated right after and right before the name
    at ``text[start:end]`` ("A, B and C": B gives C and A). A coined name has a word shaped like
    a name (digits, CamelCase, capitals: "MINC", "Paris6k", "CACD-VS"), is not a function word,
    a reference ("Table 2"), a common acronym ("GPU") nor a generic word.

    >>> text = "Holidays (Green), Oxford5k (Blue) and Paris6k (Brown) in MS-COCO, MINC and GPUs."
    >>> _coordinated_with(text, text.index("Oxford5k"), text.index("Oxford5k") + 8)
    [(38, 'Paris6k')]
    >>> _coordinated_with(text, text.index("MINC"), text.index("MINC") + 4)
    [(57, 'MS-COCO')]
    """
    out: list[tuple[int, str]] = []
    head = _HEAD_AFTER.match(text, end)  # "the Wharf database and GullCam": past the head word
    after = _COORD_NEXT.match(text, head.end() if head else end)
    if after and not (head and "," in text[head.end():after.start(1)] and not _AND_OR.search(
            text, head.end(), after.start(1))):
        # (a comma alone after a head word may end a phrase: "On the X Corpus, VHRED performs")
        out.append((after.start(1), after.group(1)))
    lo = max(0, start - 60)
    before = None
    for m in _COORD_PREV.finditer(text, lo, start) if _coordinator_before(text, lo, start) else ():
        before = m  # the last (shortest) one that ends at the name
    if before is not None:
        words = before.group(1).split()
        pos = before.start(1)
        while len(words) > 1 and not words[0][:1].isupper() or (words and words[0] in _FUNCTION_WORDS):
            pos = text.index(words[1], pos + len(words[0])) if len(words) > 1 else pos
            words.pop(0)
        if words:
            out.append((pos, " ".join(words)))
    keep = []
    for pos, name in out:
        name = name.rstrip(".")  # "... and MINC.": the sentence's full stop
        dash = _HEAD_DASH.match(name)
        if dash:  # "three benchmarks-FooCam16, BarSet": a hyphen written for a dash (any text)
            pos, name = pos + dash.end(), name[dash.end():]
        words = name.split()
        if (not words or not any(name_shape(w) and w not in _COMMON_ACRONYMS for w in words)
                or (words[0].isalpha() and words[0].islower())
                or words[0] in _FUNCTION_WORDS or words[0] in _REFERENCES
                or words[-1] in _COMMON_ACRONYMS or is_generic(name) or is_task(name)
                or sum(c.isalpha() for c in name) < 2):
            continue
        keep.append((pos, name))
    return keep


#: "X text classification benchmark": a name, then one to three lower-case words before a head
_DESCRIBED_NAME = (r"(?<![\w\-])((?:[A-Z0-9][\w.+\-']*[ \t]+){0,3}[A-Z0-9][\w.+\-']*"
                   r"|[a-z]+[A-Z0-9][\w.+\-']*)")
_DESCRIBED = re.compile(_DESCRIBED_NAME + r"((?:[ \t]+[a-z][a-z\-]*){1,3})[ \t]+$")
#: "X training set", "X test set": a name just before
_DESCRIBED_SPLIT = re.compile(_DESCRIBED_NAME + r"()[ \t]+$")
_SPLIT_HEAD = re.compile(r"(?i:training|test|testing|validation|development|dev) set\b"
                         r"|(?P<data>(?i:training|test|testing|validation) data(?: ?sets?)?\b)")
_DESCRIPTOR_HEAD = re.compile(r"(?i:data ?sets?|benchmarks?|corpus|corpora|collections?|databases?)\b")
#: lower-case words that do not describe a dataset: "CIFAR-10 and", "GPT-4 generated", "X used"
_NOT_DESCRIPTORS = _words(
    """
    a an the and or of for with on in from to by at as is are was were be been this that these those
    our their its his her we they it which who whose each every all both other another same such
    new novel large small public private real synthetic standard popular existing several many
    various multiple whole entire full original given following above below first second
    """
)


#: adjectives of a dataset's kind or version that a paper writes after its coined name: "the
#: VOT-2020 public dataset", "the Foo-7 full collection" (:func:`_described`)
_NAME_ADJECTIVES = _words("public private real synthetic original full standard")


#: "is" or "was" between words: where a definition ("X is a dataset") turns
_COPULA = re.compile(r"[ \t](?:is|was)[ \t]+")


def _copulas(text: str) -> Iterator[re.Match[str]]:
    """``_COPULA.finditer(text)``, the pattern tried only where " is" or " was" is written (found
    with ``str.find``: a pattern that opens with a space is tried at every space); a text with a
    tab is searched by the pattern.

    >>> [m.group(0) for m in _copulas("X is a set that was made; this is it")]
    [' is ', ' was ', ' is ']
    """
    if "\t" in text:
        yield from _COPULA.finditer(text)
        return
    starts: list[int] = []
    for word in (" is", " was"):
        p = text.find(word)
        while p >= 0:
            starts.append(p)
            p = text.find(word, p + 1)
    end = 0  # as finditer: no match starts inside the last one
    for p in sorted(starts):
        if p >= end:
            m = _COPULA.match(text, p)
            if m is not None:
                yield m
                end = m.end()
#: "a large-scale benchmark", "the classic movie rating dataset" after the copula
#: ("the most challenging aerial crowd counting dataset": four or five words of description when
#: none of them is a preposition, which would make the head word another thing's: "the best
#: method on the dataset")
_IS_A_HEAD = re.compile(
    r"(?:a|an|the)[ \t]+(?:(?:[\w\-]{1,40}[ \t]+){0,3}?|(?:(?!(?:of|on|in|for|with|from|to|by|at|and|or|than)"
    r"[ \t])[\w\-]{1,40}[ \t]+){4,5}?)(?i:data ?set|benchmark|corpus|collection|database)\b")
#: the name before the copula: up to four capitalised words or words with digits
_NAME_BEFORE = re.compile(r"(?<![\w\-])([A-Z0-9][\w.+\-]{0,60}(?:[ \t][A-Z0-9][\w.+\-]{0,60}){0,3})$")
#: "dataset", "benchmark" just before the copula ("The first dataset is EMOd")
_HEAD_BEFORE = re.compile(r"(?i:data ?set|benchmark|corpus|collection|database)$")
#: the name after the copula, ended by punctuation or a word that goes on about it
_NAME_AFTER = re.compile(
    r"(?:the[ \t]+)?([A-Z0-9][\w.+\-]{0,60}(?:[ \t][A-Z0-9][\w.+\-]{0,60}){0,3})"
    r"(?=[ \t]*(?:[,;:(]|\.(?!\w))|[ \t]+(?:which|that|and|with|from)\b)")


def _defined_datasets(text: str) -> list[tuple[int, str]]:
    """``(start, name)`` of the names a sentence defines as data: "Fashion-Gen is a dataset of
    fashion products", "TIMIT is a speech database", "The second dataset is EMOd, which ...".
    Leading function words are dropped ("The UCF-QNRF is ..."); a number, a variable ("N is the
    size of the dataset", "D2 is a dataset") or a pronoun ("This is a dataset") is no name.

    >>> text = "Fashion-Gen is a dataset of clothes. The second dataset is EMOd, which has faces."
    >>> _defined_datasets(text)
    [(0, 'Fashion-Gen'), (59, 'EMOd')]
    >>> _defined_datasets("where D2 is a dataset and N is the size of the dataset. This is a corpus.")
    []
    """
    out: list[tuple[int, str]] = []
    for m in _copulas(text):
        got = None
        if _IS_A_HEAD.match(text, m.end()):
            before = text[max(0, m.start() - 120):m.start()].rstrip()
            b = _NAME_BEFORE.search(before)
            if b:
                got = (m.start() - len(text[max(0, m.start() - 120):m.start()]) + b.start(1), b.group(1))
        elif _HEAD_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            a = _NAME_AFTER.match(text, m.end())
            if a:
                got = (a.start(1), a.group(1))
        if got is None:
            continue
        start, name = got
        words = name.split()
        while words and (words[0] in _FUNCTION_WORDS or words[0].lower() in _SKIP_BEFORE_NAME
                         or words[0] in _REFERENCES):
            start = text.index(words[1], start + len(words[0])) if len(words) > 1 else start
            words.pop(0)
        name = " ".join(words)
        if (not words or sum(c.isalpha() for c in name) < 2 or _NUMBER_WORD.fullmatch(words[0])
                or (len(words) == 1 and words[0] in _NOT_DATASET_NAMES) or words[-1] in _COMMON_ACRONYMS
                or is_generic(name) or is_task(name) or _USE_SUFFIX.search(name)):
            continue
        out.append((start, name))
    return out


_ARTICLE_BEFORE = re.compile(r"(?:^|\s)(?:the|The)$")


def _described(text: str, scan: _Scan, known_datasets=frozenset()) -> list[tuple[int, str, str]]:
    """``(start, name, alias)`` of the names described before a dataset's head word: "the USPS
    digit database" (USPS, alias "USPS digit"), "the NTCIR-8 test collection", "the bAbI
    training set" (the alias keeps "training set": it names a part of the data). The name must
    look like one (a word shaped like a name, or capitalised inside the sentence); the words
    between describe (no function words, no participles: "GPT-4 generated data").

    >>> text = "We use the USPS digit database and the bAbI training set."
    >>> [(n, a) for _, n, a in _described(text, _Scan(text))]
    [('USPS', 'USPS digit'), ('bAbI', 'bAbI training set')]
    >>> text = "CIFAR-10 and our dataset; GPT-4 generated dataset"
    >>> _described(text, _Scan(text))
    []
    """
    out: list[tuple[int, str, str]] = []
    heads = [(h, False) for h in scan.starts["dataset_name"]] + [(h, True) for h in scan.starts["split"]]
    if not scan.exact:
        heads = [(m.start(), False) for m in _DESCRIPTOR_HEAD.finditer(text)] + [
            (m.start(), True) for m in _SPLIT_HEAD.finditer(text)]
    for head, split in sorted(heads):
        if head < 2 or text[head - 1] not in " \t":
            continue
        # (seven words at most, so from the seventh run of non-space characters before the head)
        m = (_DESCRIBED_SPLIT if split else _DESCRIBED).search(text, max(head - 160, scan.runs_before(head)),
                                                                head)
        if m is None:
            continue
        descr = m.group(2).split()
        # "the VOT-2020 public dataset", "the Foo-7 full collection": an adjective of the data's
        # kind after a coined name is how the paper writes that name (kept as an alias, as "USPS
        # digit" is); after a plain word it is no name ("the Clinical public dataset" is checked below)
        adjective = bool(descr) and all(w in _NAME_ADJECTIVES for w in descr)
        if descr and not adjective and any(w in _NOT_DESCRIPTORS or w in STOP_WORDS
                         or w.startswith("data") or _DATASET_WORDS.search(w)
                         or (w.endswith("ed") and len(w) > 4) or (w.endswith("ly") and len(w) > 4)
                         for w in descr):
            continue
        if descr and descr[-1] in ("training", "testing"):
            continue  # "ImageNet training dataset": read as "the X training set" below, not here
        words = m.group(1).split()
        first = m.start(1)
        kept = _after_full_stop(words)
        if len(kept) < len(words):
            first = text.index(kept[0], first) if kept else first
            words = kept
        while words and (words[0] in _FUNCTION_WORDS or words[0].lower() in _SKIP_BEFORE_NAME
                         or words[0] in _REFERENCES):
            first = text.index(words[1], first + len(words[0])) if len(words) > 1 else first
            words.pop(0)
        if not words or ((adjective or len(words) == 1) and _SIZE_WORD.fullmatch(words[0])):
            continue  # "a 23.4B-token synthetic dataset", "the 320-million-word training set": a size
        name = " ".join(words)
        if (sum(c.isalpha() for c in name) < 2 or is_generic(name) or is_task(name)
                or (len(words) == 1 and words[0] in _NOT_DATASET_NAMES) or _USE_SUFFIX.search(name)):
            continue
        if len(name) < 3 or "-based" in name or words[-1] in _COMMON_ACRONYMS:
            continue
        whole = False  # the name is the whole phrase: "the Boston housing dataset"
        if adjective and not any(name_shape(w) for w in words):
            continue
        if not any(name_shape(w) for w in words) and _norm(name) not in known_datasets:
            # a capitalised word is not enough before a description ("Conventional depth-free
            # multi-view datasets"); before "training set" it is, inside a sentence; after "the"
            # inside a sentence, a capitalised word and its lower-case words name the data
            # ("the Boston housing dataset", "the Yale face database"): the phrase is the name
            before = text[:first].rstrip()
            if not before or before[-1] in ".!?:;":
                continue
            if not split:
                article = _ARTICLE_BEFORE.search(before)
                if (article is None or len(words) > 1 or words[0] in _FUNCTION_WORDS
                        or len(m.group(2).split()) > 2):
                    continue
                whole = True
        tail = text[m.start(2):head].strip()
        if whole:
            out.append((first, f"{name} {tail}", f"{name} {tail}"))
            continue
        split_words = _SPLIT_HEAD.match(text, head) if split else None
        if split and split_words is None:
            continue
        data = split_words.group("data") if split_words else None
        if data and (not any(name_shape(w) for w in words) or name.endswith(("'s", "\u2019s"))
                     or (not data.rstrip("s").endswith("set") and _norm(name) not in known_datasets)):
            # "the CIFAR-10 training dataset", "Human3.6M test data": a part of named data, as "the
            # bAbI training set" is (any field writes so); before "data" only a word shaped like a
            # name counts ("Gaussian training data", "English test data" name no data set), not
            # an owner ("CLIP's training data": a model's), and before bare "data" only a name
            # known as a dataset ("LoD3 validation data": data of a level of detail)
            continue
        alias = f"{name} {split_words.group(0)}" if split_words else f"{name} {tail}"
        out.append((first, name, alias))
    return out


def _contained(spans: list[tuple[int, int, int]]) -> set[int]:
    """The ids of the ``(start, end, id)`` spans that lie inside a longer one (one sort, one pass).

    >>> sorted(_contained([(0, 5, 0), (0, 2, 1), (3, 5, 2), (7, 9, 3), (7, 9, 4), (6, 12, 5)]))
    [1, 2, 3, 4]
    """
    out: set[int] = set()
    max_end, max_start = -1, -1  # the furthest end so far, and the first start that reached it
    for start, end, idx in sorted(spans, key=lambda t: (t[0], -t[1])):
        if max_end > end or (max_end == end and max_start < start):
            out.add(idx)
        elif end > max_end:
            max_end, max_start = end, start
    return out


def _filter_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spacy.util.filter_spans`` on ``(start, end)`` token ranges: the longest (then first)
    of overlapping ranges, in order.

    >>> _filter_spans([(0, 1), (0, 2), (3, 4), (1, 3), (3, 4)])
    [(0, 2), (3, 4)]
    """
    result: list[tuple[int, int]] = []
    seen: set[int] = set()
    for s, e in sorted(spans, key=lambda p: (p[1] - p[0], -p[0]), reverse=True):
        if s not in seen and e - 1 not in seen:
            result.append((s, e))
            seen.update(range(s, e))
    result.sort(key=lambda p: p[0])
    return result


@dataclass
class _Cand:
    label: str
    name: str
    text: str
    start: int
    origin: str
    aliases: dict[str, None] = field(default_factory=dict)
    introduces: bool = False
    url: str | None = None
    host: str | None = None


def _forget_cache(tokenizer) -> None:
    """Empty the cache of a spaCy ``Tokenizer`` (its words' tokens, by the text of each word),
    which the component filled when it tokenized the gazetteer's phrases for its matchers.

    With those phrases in it, the cache of spaCy 3.8 keeps fewer of the abstracts' words (it
    stores no more words of a text after a special case such as "e.g." in it, and which words
    reach that point depends on what is cached): on 5,000 arXiv abstracts read twice, the
    second reading tokenized 15,308 words anew instead of 8,656 (a bare ``blank_nlp()``), and
    the tokenizer ran ~25% slower. Setting ``suffix_search`` to itself empties the cache
    (spaCy's public way to do it); tokens are the same either way. Other tokenizers are left
    alone.

    >>> from kg.extract import blank_nlp
    >>> nlp = blank_nlp()
    >>> before = [t.text for t in nlp("Trained on MS-COCO (e.g., ResNet-50).")]
    >>> _forget_cache(nlp.tokenizer)
    >>> [t.text for t in nlp("Trained on MS-COCO (e.g., ResNet-50).")] == before
    True
    """
    if isinstance(tokenizer, Tokenizer):
        tokenizer.suffix_search = tokenizer.suffix_search


class KgEntities:
    """The component. See the module docstring for what it reads and writes."""

    def __init__(self, nlp: Language, name: str = "kg_entities", model_name: str | None = None) -> None:
        self.name = name
        self.model_name = model_name
        self.entries: tuple[Entry, ...] = load_gazetteer()
        self.lookup: dict[str, int] = {}
        self.matcher_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.matcher_exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        lower: dict[str, list[str]] = {}
        exact: dict[str, list[str]] = {}
        for idx, entry in enumerate(self.entries):
            for alias in entry.all_names:
                self.lookup.setdefault(_norm(alias), idx)
                target = exact if entry.is_exact(alias) else lower
                target.setdefault(str(idx), []).extend(
                    v.lower() if target is lower else v for v in variants(alias)
                )
        #: the match id of each key -> the index of its gazetteer entry
        self.gaz_keys: dict[int, int] = {}
        phrases_lower: list[Doc] = []
        phrases_exact: list[Doc] = []
        for matcher, table, phrases in ((self.matcher_lower, lower, phrases_lower),
                                        (self.matcher_exact, exact, phrases_exact)):
            for key, texts in table.items():
                docs = list(nlp.tokenizer.pipe(texts))
                matcher.add(key, docs)
                phrases.extend(docs)
                self.gaz_keys[nlp.vocab.strings.add(key)] = int(key)
        # research tasks (data/tasks.txt): names of two words or more, in any case; matched by
        # matcher_lower too (one pass over the tokens), under keys "task:INDEX"
        #: the name keys of the gazetteer's datasets
        self.dataset_keys = frozenset(k for k, i in self.lookup.items() if self.entries[i].label == "Dataset")
        self.tasks: tuple[Entry, ...] = load_tasks()
        self.task_lookup: dict[str, int] = {}
        #: the match id of each task key -> the index of its task
        self.task_keys: dict[int, int] = {}
        for idx, entry in enumerate(self.tasks):
            names = [v.lower() for alias in entry.all_names for v in variants(alias) if " " in alias]
            for alias in entry.all_names:
                self.task_lookup.setdefault(_norm(alias), idx)
            if names:
                docs = list(nlp.tokenizer.pipe(names))
                self.matcher_lower.add(f"task:{idx}", docs)
                phrases_lower.extend(docs)
                self.task_keys[nlp.vocab.strings.add(f"task:{idx}")] = idx
        # for the rules alone, without a Doc: made when first used (a model's pipeline never does)
        self._phrases = (phrases_lower, phrases_exact)
        self._tokenizer = nlp.tokenizer
        _forget_cache(nlp.tokenizer)

    @cached_property
    def _lite_indexes(self) -> tuple[PhraseIndex, PhraseIndex]:
        lower, exact = self._phrases
        self._phrases = ([], [])  # the phrases' docs are not needed any more
        return (PhraseIndex(self.matcher_lower, lower, lower=True),
                PhraseIndex(self.matcher_exact, exact, lower=False))

    @property
    def lite_lower(self) -> PhraseIndex:
        """``matcher_lower`` on a text's tokens without a Doc (:meth:`find` of a LiteDoc)."""
        return self._lite_indexes[0]

    @property
    def lite_exact(self) -> PhraseIndex:
        """``matcher_exact`` on a text's tokens without a Doc."""
        return self._lite_indexes[1]

    @cached_property
    def token_cache(self) -> TokenCache:
        """The tokens of each distinct piece of the texts (:meth:`lite_doc`)."""
        return TokenCache(self._tokenizer)

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _sentences(doc: Doc, text: str, title_end: int, split: bool | None = None) -> list[tuple[int, int]]:
        if doc.has_annotation("SENT_START") if split is None else split:
            raw = [(s.start_char, s.end_char) for s in doc.sents]
        elif len(doc):
            raw = sentencizer_spans(doc, text)
        else:
            raw = [(0, len(text))]
        merged: list[list[int]] = []
        for start, end in raw:
            if merged and not (merged[-1][1] <= title_end <= start):
                first = text[start : start + 1]
                if first.isspace():
                    first = text[start:end].lstrip()[:1]
                # a sentence starting in lower case, with a digit or a bracket continues the last
                joined = first.islower() or first.isdigit() or first in "()[],;:"
                if not joined:
                    prev = text[merged[-1][0] : merged[-1][1]].rstrip()
                    # or the last ends with an abbreviation ("et al.", "e.g.")
                    joined = (prev.endswith(_ABBREV_ENDS)
                              and _ABBREV.search(prev, max(0, len(prev) - 16)) is not None)
                if joined:
                    merged[-1][1] = end
                    continue
            merged.append([start, end])
        out: list[tuple[int, int]] = []
        for start, end in merged:
            if title_end and start < title_end < end:
                out.append((start, title_end))
                out.append((title_end, end))
            else:
                out.append((start, end))
        return out

    # ------------------------------------------------------------------ the component
    def __call__(self, doc: Doc) -> Doc:
        text = doc._.kg_text
        if text is None or (len(doc) and len(text) != doc[-1].idx + len(doc[-1].text_with_ws)):
            text = doc.text  # joins every token: slow, so extract() gives the text it made the doc from
        doc._.kg_mentions, doc._.kg_citations = self.find(doc, text, int(doc._.kg_title_end or 0),
                                                          shown=doc._.kg_shown)
        return doc

    def lite_doc(self, tokenizer: Tokenizer, text: str) -> LiteDoc | None:
        """``text``'s tokens as ``tokenizer`` (the pipeline's, this component's own) gives them,
        without a ``Doc``, for :meth:`find` with the rules alone; ``None`` when that cannot be
        (another tokenizer, or a text holding the separator of :mod:`kg.extract.tokens`).

        >>> from kg.extract import make_nlp
        >>> nlp = make_nlp()
        >>> component = nlp.get_pipe("kg_entities")
        >>> text = "We train a ResNet on CIFAR-10 (Krizhevsky et al., 2009)."
        >>> doc = component.lite_doc(nlp.tokenizer, text)
        >>> component.find(doc, text, split=False) == component.find(nlp.make_doc(text), text, split=False)
        True
        """
        if tokenizer is not self.token_cache.tokenizer or SEP in text:
            return None
        return self.token_cache.doc(text)  # None for a text with odd white space

    def find(self, doc: Doc | LiteDoc, text: str, title_end: int = 0,
             where: Callable[[str], Source] | None = None, split: bool | None = None,
             tags: bool | None = None, shown: tuple[str, list[int] | None] | None = None
             ) -> tuple[list[Mention], list[Citation]]:
        """The mentions and citations of ``doc``: what :meth:`__call__` puts in ``doc._.kg_mentions``
        and ``doc._.kg_citations``. ``text`` is the doc's text (``doc.text``), ``title_end`` the
        length of the title it starts with (0 when none); ``where``, when given, gives each
        mention and citation its ``source`` from its evidence sentence. ``split`` and ``tags``:
        whether the doc has sentence boundaries and tags already (``False`` when the caller made
        it with ``make_doc``: the sentencizer's sentences are then found here); ``None``: look.
        ``doc`` may be a :class:`~kg.extract.tokens.LiteDoc` (:meth:`lite_doc`): the same tokens
        without a ``Doc``, for the rules alone.
        ``shown``: the text as written and where each character of ``text`` (and its end) is in
        it (``None``: at the same offsets), when ``text`` is read otherwise (without LaTeX's font
        commands, line breaks as spaces): the evidence sentences are quoted from it.
        """
        quoted, at = text, None
        if shown is not None and (len(shown[0]) == len(text) if shown[1] is None
                                  else len(shown[1]) == len(text) + 1):
            quoted, at = shown
        sents: list[tuple[int, int]] = []
        starts: list[int] = []
        said: dict[int, str] = {}  # one string per sentence, shared by its mentions and citations

        def sentence(pos: int) -> str:
            if not starts:  # the sentences are found when first asked for
                sents[:] = self._sentences(doc, text, title_end, split) or [(0, len(text))]
                starts[:] = [s for s, _ in sents]
            i = max(0, bisect.bisect_right(starts, pos) - 1)
            got = said.get(i)
            if got is None:
                s, e = sents[i]
                if at is not None:  # the text as written, with the commands before and after
                    s, e = (at[s - 1] + 1 if s else 0), (at[e - 1] + 1 if e else 0)
                    while quoted[e : e + 1] == "}" or (quoted[e : e + 1] == "$" and quoted[e - 1] == "}"):
                        e += 1
                got = said[i] = quoted[s:e].strip()
            return got

        cands: dict[str, _Cand] = {}  # key -> candidate, in order of first appearance
        alias_key: dict[str, str] = {}  # normalised name or acronym -> key

        def add(key: str, cand: _Cand) -> _Cand:
            have = cands.get(key)
            if have is None:
                cands[key] = cand
                have = cand
            else:
                for a in cand.aliases:
                    have.aliases.setdefault(a, None)
                have.introduces = have.introduces or cand.introduces
                if cand.start < have.start:
                    have.start, have.text = cand.start, cand.text
            alias_key.setdefault(_norm(have.name), key)
            for a in have.aliases:
                alias_key.setdefault(_norm(a), key)
            return have

        # 1. acronym definitions: known first, added as entities only when classified
        task_events: list[tuple[int, str, _Cand]] = []
        acr_keys: dict[int, tuple[str, _Cand, bool]] = {}
        acr_spans: list[tuple[int, int, str]] = []
        named_first: set[int] = set()  # "ECLARE (Efficient Cross-planar ...)": the acronym is the name
        not_task: set[int] = set()  # "our X (Y)", "X (Y) module": the paper's or a method's, not a task
        for hit in find_acronyms(text):
            if "," in hit.long or is_generic(hit.long):
                continue
            ours = _OURS_BEFORE.search(text, max(0, hit.start - 40), hit.start) is not None or (
                _A_NOVEL_BEFORE.search(text, max(0, hit.start - 12), hit.start) is not None
                and _OTHERS_WORK.search(text, _sentence_start(text, hit.start), hit.start) is None
                and not _ends_as_task(hit.long))
            headed = _method_head_after(text, hit.end)
            if ours or headed:
                not_task.add(hit.start)
            if hit.start > hit.short_start:
                named_first.add(hit.start)
            elif is_task(hit.long) and not ours and not headed:
                # "Question answering (QA)": a task (or a field), never a Method; but "our
                # Panoramic Confidence-Guided Denoising (PCGD) module" is the paper's module
                tkey = f"task:{_norm(hit.long)}"
                alias_key.setdefault(_norm(hit.short), tkey)
                alias_key.setdefault(_norm(hit.long), tkey)
                tidx = self.task_lookup.get(_norm(hit.long))
                if tidx is not None:
                    task_events.append((hit.start, tkey, _Cand("Task", self.tasks[tidx].name, hit.long,
                                                                hit.start, "acronym", {hit.short: None})))
                continue
            key, cand, known = self._acronym(hit, text)
            if ours and not known:
                cand.introduces = True  # "our Panoramic Confidence-Guided Denoising (PCGD) module"
            elif not known and _title_cased(hit.long) and (
                    _PASSIVE_INTRO.match(text, hit.end + (text[hit.end:hit.end + 1] == ")"))
                    or _introduced_in_sentence(text, hit.start, strict=True)) and not _ends_as_task(hit.long):
                # a Title-Case name the text defines and designs: "Patch Token Attention (PTA) is
                # designed", "we introduce a Hierarchical Feature Aggregation (HFA) module and a
                # Confidence-Aware Complementary Learning (CACL) strategy" (the paper's named part;
                # any field writes its modules so); not one used ("built on the ... (STGN)")
                cand.introduces = True
            acr_keys[hit.start] = (key, cand, known)
            acr_spans.append((hit.short_start, hit.end, key))
            alias_key.setdefault(_norm(hit.short), key)
            alias_key.setdefault(_norm(hit.long), key)
        acr_short: dict[str, str] = {text[s:e]: k for s, e, k in acr_spans}

        # 2. the title's own name ("ZIA: A Theoretical Framework ...") is introduced
        title_prefix = None
        if title_end:
            title_prefix = self._title_name(text[:title_end], alias_key, acr_keys, add, text[title_end:])
            # the long form of an acronym is the paper's own title (or its name): introduced
            own = {_norm(text[:title_end]), _norm(title_prefix or "")}
            for _key, cand, _known in acr_keys.values():
                if cand.origin == "acronym" and (_norm(cand.name) in own or _norm(cand.text) in own):
                    cand.introduces = True
            # a coined acronym defined in the title ("Epicasting: An Ensemble Wavelet Neural
            # Network (EWNet) for ..."): the paper names its own method there
            in_title = {key for s, e, key in acr_spans
                        if s < title_end and text[s:e] not in _COMMON_ACRONYMS and coined(text[s:e])}
            for key, cand, known in acr_keys.values():
                if key in in_title and not known and cand.origin == "acronym" and cand.label != "Task":
                    cand.introduces = True

        # 3. gazetteer matches (longest first)
        found: list[tuple[int, int, int]] = []
        task_found: list[tuple[int, int, int]] = []
        lite = isinstance(doc, LiteDoc)
        if lite:  # the matchers' matches, on the tokens without a Doc
            lower_matches = self.lite_lower(doc, joined_tokens(doc, lower=True))
            exact_matches = self.lite_exact(doc, joined_tokens(doc, lower=False))
        else:
            lower_matches, exact_matches = self.matcher_lower(doc), self.matcher_exact(doc)
        for match in lower_matches:
            (task_found if match[0] in self.task_keys else found).append(match)
        found.extend(exact_matches)
        keyed = {(s, e): self.gaz_keys[m_id] for m_id, s, e in found}
        events: list[tuple[int, str, _Cand]] = []
        #: (start, end, index in events) of the gazetteer's and the patterns' Dataset names
        dspans: list[tuple[int, int, int]] = []
        size = len(text)
        senses: dict[re.Pattern[str], bool] = {}  # in_sense: each context searched once
        # model releases ("Qwen3-8B", "Claude 3.5 Sonnet"): each a model of its own; the family's
        # name matched inside one ("Claude", "EfficientNet" of "EfficientNet-B3") is not read
        releases = self._releases(text) if _has_digit(text) else []
        release_spans = [(r0, r0 + len(rname)) for r0, rname in releases]
        #: the long forms, written in Title Case, of the acronyms the text defines
        long_spans = [(a0, a0 + len(acand.text), akey) for a0, (akey, acand, _k) in acr_keys.items()
                      if " " in acand.text and _title_cased(acand.text)]
        for s, e in _filter_spans([(s, e) for _, s, e in found]):
            idx = keyed[(s, e)]
            entry = self.entries[idx]
            key = f"gaz:{idx}"
            first = doc[s]
            start_char = first.idx
            if e - s == 1:
                end_char = start_char + len(first)
            else:
                last = doc[e - 1]
                end_char = last.idx + len(last)
            if release_spans and any(r0 <= start_char and end_char <= r1 for r0, r1 in release_spans):
                continue
            if long_spans and any(r0 < start_char and end_char <= r1 and k != key
                                  for r0, r1, k in long_spans):
                # "Focal Loss" of "Adaptive Comprehensive Focal Loss (ACFL)": the tail of a
                # Title-Case name the text defines is no use of the known one (any field)
                continue
            span_text = text[start_char:end_char]  # span.text, without joining its tokens
            if span_text in acr_short and acr_short[span_text] != key:
                key = acr_short[span_text]  # "SAM" defined here as something else
                if key in cands:
                    continue
                _, cand, _ = next(v for v in acr_keys.values() if v[0] == key)
                events.append((start_char, key, cand))
                continue
            # longer_name can find a longer name only next to a "-" or after a capitalised word
            hyphened = (bool(start_char) and text[start_char - 1] == "-") or (
                end_char < size and text[end_char] == "-")
            if (hyphened
                    or (e - s == 1 and start_char >= 2 and text[start_char - 1] == " "
                        and text[start_char].isupper() and text[start_char - 2].isalpha())):
                longer = longer_name(doc, s, e)
            elif e - s > 1 and start_char > title_end and " " in span_text and _title_cased(span_text) and (
                    (lstart := capitalised_before(text, start_char, title_end)) is not None):
                # "incorporates Masked Graph Contrastive Learning to": capitalised words before a
                # known Title-Case name make a longer one (as one word does before a one-word name)
                longer = (lstart, text[lstart:end_char])
            else:
                longer = None
            if longer is not None and entry.name in _MODEL_CATEGORIES and (
                    not hyphened or _category_setting(longer[1], span_text)):
                # "Remote Sensing MLLMs", "Medical LLMs", "Multi-Agent LLM", "Small-Scale LLMs": a
                # kind of model described (only "Video-LLM", joined to it, may be a model's name)
                longer = None
            if longer is not None and not hyphened and is_task(longer[1].split(None, 1)[0]):
                # "a PyCaret AutoML sweep", "Google Gemini": a known name qualified by its maker or
                # platform (a name that is never a method's), not a longer name (any field)
                longer = None
            if longer is not None and (start_char >= title_end or hyphened or "-" in span_text):
                # "Lag-Llama", "Switch Transformer": another model's whole name, not this one
                lstart, ltext = longer
                lkey = self._name_key(ltext, alias_key)
                if lkey.startswith("gaz:"):
                    lentry = self.entries[int(lkey[4:])]
                    events.append((lstart, lkey,
                                   _Cand(lentry.label, lentry.name, ltext, lstart, "gazetteer")))
                elif not is_generic(ltext) and not is_task(ltext):
                    if entry.label == "Dataset":
                        # "FooSet and Skeleton-Kinetics": a known dataset's longer name is a
                        # dataset's name, so the names coordinated with it are read as data too
                        dspans.append((lstart, lstart + len(ltext), len(events)))
                    events.append((lstart, lkey, _Cand(entry.label, ltext, ltext, lstart, "pattern")))
                continue
            context = AMBIGUOUS.get(entry.name.casefold())  # in_sense(entry.name, text)
            if context is not None:
                if context not in senses:
                    senses[context] = context.search(text) is not None
                if not senses[context]:
                    continue  # "leukotriene C4", a chemistry "diffusion model"
            if entry.label == "Method" and MEASURED_AFTER.match(text, end_char):
                continue  # "MAE = 0.42": a measurement named by the same letters, not the method
            if entry.label == "Dataset" and _DEVICE_AFTER.match(text, end_char):
                continue  # "the DAVIS camera", "a Kinect sensor": a device of that name, no dataset
            if entry.label == "Method" and (release := self._method_release(text, start_char, end_char,
                                                                            span_text, entry, alias_key)):
                events.append(release)  # "Stable Diffusion XL", "Segment Anything Model 2": a model
                continue  # of its own, not the family (any field's texts name releases so)
            version = _VERSION_AFTER.match(text, end_char) if entry.label == "Dataset" else None
            if version is not None:
                # "MovieLens 10M", "LETOR 2.0", "MIMIC III": a version is a dataset of its own
                vtext = text[start_char:version.end()]
                vkey = self._name_key(vtext, alias_key)
                if vkey.startswith("gaz:"):
                    ventry = self.entries[int(vkey[4:])]
                    vcand = _Cand(ventry.label, ventry.name, vtext, start_char, "gazetteer")
                else:
                    vcand = _Cand("Dataset", vtext, vtext, start_char, "pattern")
                dspans.append((start_char, version.end(), len(events)))
                events.append((start_char, vkey, vcand))
                continue
            cand = _Cand(entry.label, entry.name, span_text, start_char, "gazetteer")
            if span_text != entry.name:
                cand.aliases.setdefault(span_text, None)
            if entry.label == "Dataset":
                dspans.append((start_char, end_char, len(events)))
            events.append((start_char, key, cand))
        for rstart, rname in releases:
            rkey = self._name_key(rname, alias_key)
            if rkey.startswith("gaz:"):
                rentry = self.entries[int(rkey[4:])]
                rcand = _Cand(rentry.label, rentry.name, rname, rstart, "gazetteer")
                if rname != rentry.name:
                    rcand.aliases.setdefault(rname, None)
            else:
                rcand = _Cand("Method", rname, rname, rstart, "pattern")
            events.append((rstart, rkey, rcand))
        # research tasks of the task list
        for m_id, s, e in task_found:
            tentry = self.tasks[self.task_keys[m_id]]
            tkey = f"task:{_norm(tentry.name)}"
            tspan = doc[s:e]
            task_events.append((tspan.start_char, tkey, _Cand("Task", tentry.name,
                                                                text[tspan.start_char : tspan.end_char],
                                                                tspan.start_char, "gazetteer")))
        events.extend(task_events)

        acr_events: list[tuple[int, int, int]] = []  # (start, end of the long form, index in events)
        # 4. acronym definitions always yield their entity: labelled by what they say, else by
        # the trained model's tags on the long form, else as a Method
        things: set[str] = set()  # acronyms of things that are not methods: no pattern revives them
        for start, (key, cand, known) in acr_keys.items():
            if not (known or cand.label):
                if _COMMON_ACRONYMS & {cand.name, *cand.aliases}:
                    continue  # "artificial intelligence (AI)": a field
                if (not computing_text(text) and not _method_head(cand.text.rsplit(None, 1)[-1].lower())
                        and not _proposed_at(text, start)):
                    # "hepatitis B virus (HBV)", "Takotsubo cardiomyopathy (TTC)": outside a text
                    # about computing an acronym no word labels is a thing of that field, not a
                    # method (its head word, "self-taught reasoner (STaR)", or the paper's
                    # proposing it, "we propose X (Y)", still make it one)
                    continue
                if tags is None:  # looked up once, when first needed
                    tags = doc.has_annotation("TAG")
                label = self._tagged_label(doc, start, len(cand.text)) if tags else None
                short = next((a for a in cand.aliases if a.isupper() or name_shape(a)), cand.name)
                reused = _standalone_count(text, short, 2) > 1
                if label is None and start in named_first and cand.name.isupper():
                    continue  # "DICOM (Digital Imaging and ...)": a plain acronym explained, not coined
                if (label != "Dataset" and " " not in cand.text and "-" in cand.text
                        and cand.text[1:].replace("-", "").islower() and not _proposed_at(text, start)):
                    # (the model's Method tag too: it tags a sentence's capitalised first word)
                    continue  # "Ultra-high-resolution (UHR)", "Out-of-distribution (OOD)": one plain
                    # hyphenated word (capitalised at a sentence's start) abbreviated, no method
                if label is None and _listed_beside(text, start, start + len(cand.text), [
                        (s0, s0 + len(c.text)) for s0, _k, c in events if c.label == "Dataset"]):
                    label = "Dataset"  # "CUB-200 (CUB), Foo with Bar (FWB) and ...": a list holds
                    # things of one kind, so a name defined beside a dataset's is a dataset's (any field)
                if label is None and (reused or any(w[:1].isupper() for w in cand.text.split()[1:])):
                    label = "Method"  # a defined and used name: "Bayesian optimal experimental design (BOED)"
                last = cand.text.split()[-1].lower() if cand.text.split() else ""
                head = _PHRASE_HEAD.split(cand.text, maxsplit=1)[0].split()[-1:] or [""]
                if label == "Method" and (last in METRIC_HEADS
                                          or head[0].lower().rsplit("-", 1)[-1] in _THING_HEADS):
                    # "Speech Intelligibility Index (SII)": a measurement, not a method; nor are
                    # "Unmanned Aerial Vehicles (UAVs)", "Alzheimer's Disease (AD)", "Graphical
                    # User Interface (GUI)", "Modern Standard Arabic (MSA)" (things a text names)
                    things.add(key)
                    continue
                lwords = cand.text.split()
                first = start in named_first
                if label == "Method" and first and not _lowercase_phrase(cand.text, text, start):
                    pass  # "ECLARE (Efficient Cross-planar ...)": the acronym is a name
                elif label == "Method" and not first and start not in not_task and not any(
                        name_shape(w) for w in lwords) and not (
                        last in _PROPER_METHOD_HEADS and _proper(cand.text)) and not (
                        # "we introduce Hamiltonian Action Anomaly Detection (HAAD)": a Title-Case
                        # name the paper proposes is its method, though it ends with a task's words
                        _title_cased(cand.text) and _proposed_at(text, start)) and (
                        last in TASK_NOT_METHOD or any(is_task(" ".join(lwords[-n:])) for n in (2, 3)
                                                       if len(lwords) > n)):
                    label = "Task"  # "word sense disambiguation (WSD)", "sketch-based image retrieval"
                    if cand.name != cand.text:  # a task is named by its words, the acronym an alias
                        cand.aliases.pop(cand.text, None)
                        cand.aliases[cand.name] = None
                        cand.name = cand.text
                elif label == "Method" and cand.name != cand.text and not _method_head(last) and not (
                        _proposed_at(text, start)):
                    # a plain lower-case phrase abbreviated ("lupus nephritis (LN)", "street view
                    # (SV)", "out-of-distribution (OOD)"): a thing the text names, a method only
                    # when its head word says so ("self-taught reasoner (STaR)") or the paper
                    # proposes it ("we propose probabilistic generating circuits (PGCs)")
                    continue
                if label is None:
                    continue
                cand.label = label
            if not known and cand.label == "Dataset":
                acr_events.append((start, start + len(cand.text), len(events)))
            events.append((start, key, cand))

        # 5. patterns: "we propose X", "named X", "the X dataset"
        #: keys that a pattern reads as data ("the X dataset", "X, a benchmark of ..."): such a
        #: reading outweighs a Method read first from weaker signs (the title's name before its
        #: colon, a list after "including"), in any text
        said_data: set[str] = set()
        for start, name, label, intro, extra in self._pattern_names(text, acr_keys, title_prefix, title_end):
            key = self._name_key(name, alias_key)
            if label == "Dataset":
                said_data.add(key)
            if key.startswith("gaz:"):
                entry = self.entries[int(key[4:])]
                cand = _Cand(entry.label, entry.name, name, start, "gazetteer")
                intro = False  # a well-known method is used, not introduced, by the abstract
            elif key in cands:
                cand = _Cand(cands[key].label, cands[key].name, name, start, "pattern")
            else:
                acr = next((v for v in acr_keys.values() if v[0] == key), None)
                if key in things:
                    continue  # "SAR datasets" after "Synthetic Aperture Radar (SAR)": a kind of data
                if acr is not None:
                    cand = acr[1]
                    if not cand.label and label == "Dataset" and not _proper(cand.text):
                        continue  # "class imbalance (CI) ... results on CI": not a dataset name
                    cand.label = cand.label or label
                else:
                    cand = _Cand(label, name, name, start, "pattern")
            end = start + len(name)
            if cand.origin == "pattern" and _ET_AL_AFTER.match(text, end):
                continue  # "For the FooNet dataset Smith et al. report": an author, never a name of
                # data or a method (any field cites so)
            if cand.origin == "pattern" and any(
                    c.origin == "gazetteer" and s0 <= start and end <= s0 + len(c.text)
                    and len(c.text) > len(name) for s0, _k, c in events):
                continue  # "Thompson" of "LinUCB and Thompson sampling": a list cut a known name
            cand.introduces = cand.introduces or intro
            for a in extra:
                cand.aliases.setdefault(a, None)
            if label == "Dataset" and cand.label == "Dataset":
                dspans.append((start, start + len(name), len(events)))
            events.append((start, key, cand))
        # 5b. names coordinated with a dataset's name are datasets: "MS-COCO, the SUN database,
        # DeepFashion, MINC and Places", "on TREC2003 and TR09DIV" (a list names things of one
        # kind); only names that look coined, and never one the gazetteer knows as something else
        if dspans:
            taken_at = [(st, st + len(c.text)) for st, _k, c in events]
            todo = sorted((a, b) for a, b, i in dspans if events[i][2].label == "Dataset")
            added = 0
            while todo and added < 24:
                a, b = todo.pop()
                for cstart, cname in _coordinated_with(text, a, b):
                    cend = cstart + len(cname)
                    if any(x < cend and cstart < y for x, y in taken_at):
                        continue  # read already (as a dataset or as something else)
                    ckey = self._name_key(cname, alias_key)
                    if ckey.startswith("gaz:") and self.entries[int(ckey[4:])].label != "Dataset":
                        continue  # "ImageNet and ResNet-50": a known method, not listed data
                    if ckey in cands and cands[ckey].label != "Dataset":
                        continue
                    added += 1
                    if ckey.startswith("gaz:"):
                        entry = self.entries[int(ckey[4:])]
                        ccand = _Cand("Dataset", entry.name, cname, cstart, "gazetteer")
                    else:
                        ccand = _Cand("Dataset", cname, cname, cstart, "pattern")
                    taken_at.append((cstart, cend))
                    dspans.append((cstart, cend, len(events)))
                    events.append((cstart, ckey, ccand))
                    todo.append((cstart, cend))
        # a Dataset name inside a longer one read at the same place ("KITTI" of "the KITTI
        # Detection dataset", "Attributes" of "Animals with Attributes") is not a name there
        if acr_events and dspans:
            # "the ACL Anthology Reference Corpus (ARC)": the long form the acronym's letters pick
            # overlaps a dataset's name read at the same place: one dataset, the acronym its alias
            inner = set()
            spans = sorted(d for d in dspans if events[d[2]][2].label == "Dataset")
            starts_ = [d[0] for d in spans]
            for a_start, a_end, ai in acr_events:
                j = bisect.bisect_left(starts_, a_end)
                for ds, de, di in reversed(spans[max(0, j - 4):j]):
                    if de > a_start and di != ai and events[di][2] is not events[ai][2]:
                        if (a_start <= ds and de <= a_end and de - ds < a_end - a_start
                                and events[di][2].origin == "pattern"):
                            inner.add(di)  # "Multi-Source Tourism" of "Multi-Source Tourism Corpus (MSTC)"
                            break
                        keep = events[di][2]
                        for alias in events[ai][2].aliases:
                            if alias.isupper() or name_shape(alias):
                                keep.aliases.setdefault(alias, None)
                        inner.add(ai)
                        break
            if inner:  # and the acronym's other uses ("ARC" known as another dataset's name too)
                gone = {id(events[i][2]) for i in inner if events[i][2].origin == "acronym"}
                inner.update(i for i, ev in enumerate(events) if id(ev[2]) in gone)
                events[:] = [ev for i, ev in enumerate(events) if i not in inner]
                remap = {old: new for new, old in enumerate(i for i in range(len(events) + len(inner))
                                                               if i not in inner)}
                dspans = [(a, b, remap[i]) for a, b, i in dspans if i in remap]
        said_data.update(events[i][1] for _a, _b, i in dspans if events[i][2].label == "Dataset")
        if len(dspans) > 1:
            inner = _contained(dspans)
            if inner:
                events[:] = [ev for i, ev in enumerate(events) if i not in inner]

        # 6. kg's trained tagger (kg.extract.ner), then another trained pipeline's entities
        # (only in a text about computing: the model learned that field's names, not others')
        if self.model_name and doc.has_annotation("TAG") and computing_text(text):
            events.extend(self._model_events(doc, cands, alias_key, acr_short, events, title_end))
        if self.model_name and doc.has_annotation("ENT_IOB"):
            for ent in doc.ents:
                label = self._model_label(ent, text)
                if label is None or is_generic(ent.text):
                    continue
                key = alias_key.get(_norm(ent.text)) or f"name:{_norm(ent.text)}"
                if key in cands or key.startswith("gaz:") or _norm(ent.text) in self.lookup:
                    continue
                events.append(
                    (ent.start_char, key, _Cand(label, ent.text, ent.text, ent.start_char,
                                                f"model:{self.model_name}"))
                )

        for _start, key, cand in sorted(events, key=lambda t: t[0]):
            if cand.label in ("Task", "Metric"):
                add(key, cand)
                continue
            if key.startswith("task:") or is_task(cand.name):
                continue
            if (cand.label == "Method" and cand.origin != "gazetteer" and text.startswith(cand.text, _start)
                    and (_TEAM_AFTER.match(text, _start + len(cand.text))
                         or (_start == 0 and _TEAM_AT.match(text, len(cand.text))))):
                continue  # "the JGU Mainz submission to the ... Shared Task", a title's "ZJUKLAB
                # at SemEval-2025 Task 4: ...": a team, not a method
            if cand.label == "Dataset" and cand.origin == "pattern" and _language_pair(cand.name):
                continue  # "an English-German training set": the data's languages, not its name
            if (cand.label == "Dataset" and cand.origin in ("pattern", "acronym")
                    and _not_data_here(text, _start, cand.text)):
                continue  # "non-MNIST", "DP is a collection of methods", "the proposed McWL achieves"
            if cand.label and not is_generic(cand.name) and not _MEASUREMENT.fullmatch(cand.name):
                add(key, cand)
        if said_data or any(c.label == "Dataset" for c in cands.values()):
            data_names = {_norm(n) for c in cands.values() if c.label == "Dataset"
                          for n in (c.name, *c.aliases)}
            for key, cand in cands.items():
                if cand.label != "Method" or cand.origin == "gazetteer" or key.startswith("gaz:"):
                    continue
                variant = "-" in cand.name and _norm(cand.name.split("-", 1)[0]) in data_names
                if (key in said_data or variant) and not _not_data_here(text, cand.start, cand.text):
                    # read as data by a pattern; or a variant of a dataset the text names
                    # ("CVUSA-C-ALL" after CVUSA, "FooQA-Hard" after FooQA): data too
                    cand.label = "Dataset"

        # a variant of the paper's own name is its own too: "we develop ViCA-7B, fine-tuned on
        # ViCA-322K" (a model and the data built for it share the coined stem before the hyphen).
        # Only a coined stem that the gazetteer does not know: "LLaVA-1.5" beside an own
        # "LLaVA-Lite" is another paper's model (any field names its variants so)
        stems = {n.split("-", 1)[0] for c in cands.values()
                 if c.introduces and c.label in ("Method", "Dataset")
                 for n in (c.name, *c.aliases) if " " not in n} if any(
            "-" in c.name and not c.introduces for c in cands.values()) else ()
        if stems:
            for key, cand in cands.items():
                if (cand.introduces or cand.label not in ("Method", "Dataset") or key.startswith("gaz:")
                        or " " in cand.name):
                    continue
                stem = cand.name.split("-", 1)[0]
                if (stem != cand.name and stem in stems and len(stem) > 2 and name_shape(stem)
                        and stem not in _COMMON_ACRONYMS and not self._known_family(stem)):
                    cand.introduces = True

        # a part the sentence gives to the paper's own thing: "SynchroFoo includes an X (A2M)
        # module", "TGV-KV comprises three submodules: (1) Text-Vision Budgeting (TVB) ... (2)
        # Text-Weighted Ranking (TWR) ..." (any field lists its parts so)
        own_names = {n for c in cands.values() if c.introduces and c.label in ("Method", "Dataset")
                     for n in (c.name, *c.aliases)} if any(w in text for w in _HAVING_WORDS) else ()
        if own_names:
            for key, cand in cands.items():
                if (cand.introduces or cand.origin != "acronym" or cand.label not in ("Method", "Dataset")
                        or key.startswith("gaz:") or not _title_cased(cand.text)):
                    continue
                if _part_of_own(text, cand.start, own_names):
                    cand.introduces = True

        # 7. repositories
        mentions: list[Mention] = []
        for start, (key, cand) in sorted(((c.start, (k, c)) for k, c in cands.items())):
            if key.startswith("gaz:") and cand.text == cand.name:
                cand.aliases.pop(cand.name, None)
            aliases = tuple(a for a in cand.aliases if a != cand.name)
            mentions.append(
                Mention(
                    label=cand.label,
                    # a name read across a line break of the abstract ("SWE-bench\nVerified")
                    name=" ".join(cand.name.split()) if "\n" in cand.name else cand.name,
                    text=cand.text,
                    evidence=(evidence := sentence(start)),
                    introduces=cand.introduces,
                    aliases=aliases,
                    origin=cand.origin,
                    source=where(evidence) if where is not None else None,
                )
            )
        seen_repo: set[str] = set()
        repo_mentions: list[tuple[int, Mention]] = []
        for hit in find_repositories(text):
            k = f"{hit.host}:{hit.name.lower()}"
            if k in seen_repo:
                continue
            seen_repo.add(k)
            evidence = sentence(hit.start)
            repo_mentions.append(
                (hit.start, Mention(label="Repository", name=hit.name, text=hit.text,
                                    evidence=evidence, url=hit.url, host=hit.host, origin="url",
                                    source=where(evidence) if where is not None else None))
            )
        mentions += [m for _, m in repo_mentions]

        # 8. citations, each work once
        citations: list[Citation] = []
        seen_cit: set[tuple] = set()
        for c in sorted(find_citations(text), key=lambda c: c.start):
            if c.key in seen_cit:
                continue
            seen_cit.add(c.key)
            evidence = sentence(c.start)
            citations.append(
                Citation(surnames=c.surnames, year=c.year, et_al=c.et_al, text=c.text,
                         evidence=evidence, source=where(evidence) if where is not None else None)
            )
        return mentions, citations

    # ------------------------------------------------------------------ rules
    def _releases(self, text: str) -> list[tuple[int, str]]:
        """``(start, name)`` of the model releases written in ``text`` (:data:`_RELEASE`): a known
        Method family's name (or one of :data:`_RELEASE_FAMILIES`) with a version, size, tier or
        tuning that has a digit.

        A bare number after a space counts only with a tier or size after it, a tier before it or
        a decimal point ("Gemini 3 Pro", "Claude Sonnet 4", "Qwen 2.5"; not "BERT 3 times"); a
        last part that uses the model ("-based") is no part of the name.
        """
        out: list[tuple[int, str]] = []
        found = _RELEASE.finditer(text)
        for m in chain(found, _RELEASE_LOWER.finditer(text)) if "gpt-" in text else found:
            rest, tail = m.group("rest"), m.group("tail")
            if not any(c.isdigit() for c in rest + tail):
                continue
            fam = m.group("fam")
            idx = self.lookup.get(_norm(fam))
            if (fam not in _RELEASE_FAMILIES and fam.upper() not in _RELEASE_FAMILIES
                    and (idx is None or self.entries[idx].label != "Method")):
                continue
            words = tail.split()
            while words and words[-1].isdigit() and not (len(words) > 1 and words[-2] in _RELEASE_TIERS):
                words.pop()  # "BERT 3 times": a count, not a version
            name = fam + rest + "".join(" " + w for w in words)
            while _USE_SUFFIX.search(name):
                name = name.rsplit("-", 1)[0]  # "Qwen2-based"
            if name == fam or not any(c.isdigit() for c in name[len(fam):]):
                continue
            if text.startswith(("'s", "\u2019s"), m.start() + len(name)):
                continue  # "GPT-9's successor": said of another thing (as the list rules read it)
            out.append((m.start(), name))
        return sorted(out) if "gpt-" in text else out  # in text order, as one pattern gives them

    def _method_release(self, text: str, start: int, end: int, span_text: str, entry: Entry,
                        alias_key: dict[str, str]) -> tuple[int, str, _Cand] | None:
        """The event of a known model's name written with a version after it (:func:`version_after`:
        "Segment Anything Model 2", "Stable Diffusion XL"), if any: the release, a model of its
        own (the gazetteer's entry when it knows the release). Only a name written with a capital
        (a model's, not "diffusion model 2") and never a model category ("LLM 2")."""
        if not span_text[:1].isupper() or entry.name in _MODEL_CATEGORIES:
            return None
        vend = version_after(text, end)
        if vend is None:
            return None
        vtext = text[start:vend]
        vkey = self._name_key(vtext, alias_key)
        if vkey.startswith("gaz:"):
            ventry = self.entries[int(vkey[4:])]
            return start, vkey, _Cand(ventry.label, ventry.name, vtext, start, "gazetteer")
        return start, vkey, _Cand("Method", vtext, vtext, start, "pattern")

    def _name_key(self, name: str, alias_key: dict[str, str]) -> str:
        """The candidate key of a name: a key already given to it, its gazetteer entry, or its own."""
        norm = _norm(name)
        if norm in alias_key:
            return alias_key[norm]
        idx = self.lookup.get(norm)
        return f"gaz:{idx}" if idx is not None else f"name:{norm}"

    def _acronym(self, hit: AcronymHit, text: str) -> tuple[str, _Cand, bool]:
        aliases = {hit.short: None}
        if hit.singular:
            aliases[hit.singular] = None
        first = hit.start > hit.short_start  # "ECLARE (Efficient Cross-planar ...)": the acronym first
        # what follows the definition: after the acronym, or after the bracket that holds the
        # long form when the acronym comes first
        end = hit.end if not first else text.find(")", hit.start + len(hit.long)) + 1 or hit.end
        written = None if first else _WRITTEN_WITH_ACRONYM.match(text, hit.end)
        if written:
            # "the Alice in Wonderland (AIW) dataset": the name as the text writes it before its
            # head word, acronym and all, is an alias too (as "USPS digit" of "the USPS digit
            # database" is): a reader or a citing paper may name the data so
            aliases[text[hit.start:hit.end + len(written.group(1))]] = None
        # "the Million Song Dataset (MSD)", "the Toronto Face Database (TFD)": a dataset's name as
        # written with its acronym is an alias of it too, with or without a head word after
        # (papers and their readers cite data so; a method keeps its names as they were)
        closed = None if first else _ACRONYM_CLOSE.match(text, hit.end)
        as_written = text[hit.start:closed.end()] if closed else None
        idx = self.lookup.get(_norm(hit.long))
        if idx is not None:
            entry = self.entries[idx]
            cand = _Cand(entry.label, entry.name, hit.long, hit.start, "gazetteer")
            if hit.long != entry.name:
                aliases[hit.long] = None
            if as_written and entry.label == "Dataset":
                aliases[as_written] = None
            cand.aliases.update(aliases)
            return f"gaz:{idx}", cand, True
        sidx = self.lookup.get(_norm(hit.short)) if first else None
        if sidx is not None:
            # "YOLO (You Only Look Once)": a known name, explained; its long form becomes an
            # alias only when the gazetteer knows it as that name's (above)
            entry = self.entries[sidx]
            cand = _Cand(entry.label, entry.name, hit.short, hit.short_start, "gazetteer")
            if hit.short != entry.name:
                cand.aliases[hit.short] = None
            return f"gaz:{sidx}", cand, True
        label = ""
        words = hit.long.split()
        head = words[-1].lower().rstrip("s") if words else ""
        tail_words = _LETTER_RUN.findall(text, end, end + 40)
        after = tail_words[0].lower() if tail_words else ""
        if head in _DATASET_HEAD_STEMS or ((after in DATASET_HEADS or written) and _proper(hit.long)):
            # "X (Y) datasets" names a dataset only when X is written as a name; so does "the
            # Foo Expertise Retrieval (FER) test collection", though its last word names a method
            label = "Dataset"
        elif after in DATASET_HEADS:
            label = ""
        elif ((dm := _DATASET_AFTER.match(text, end + (text[end:end + 1] == ")"))) is not None
              and text[end:dm.end()].lstrip(") ")[:1] in ",:-\u2013\u2014"):
            label = "Dataset"  # "X (Y), a cognitively grounded benchmark of ...": described as data
        elif after in METHOD_HEADS or words[-1].lower() in METHOD_HEADS or head in METHOD_HEADS:
            label = "Method"
        else:
            # the long form ends with a known method or dataset: "Sparse Mixture-of-Experts"
            for n in range(min(len(words), 4), 0, -1):
                tail = " ".join(words[-n:])
                idx = self.lookup.get(_norm(tail))
                if idx is not None and not (self.entries[idx].name.isupper() and not tail.isupper()):
                    # (an acronym's name is not a word written in lower case: "Adaptive Drop"
                    # does not end with the DROP dataset)
                    label = self.entries[idx].label
                    break
        if hit.start > hit.short_start or _lowercase_phrase(hit.long, text, hit.start):
            # "self-taught reasoner (STaR)": the acronym is the name, the phrase an alias; so
            # when the acronym comes first, "ECLARE (Efficient Cross-planar Learning ...)"
            name = hit.singular or hit.short
            aliases = {hit.long: None, **{a: None for a in aliases if a != name}}
            cand = _Cand(label, name, hit.long, hit.start, "acronym")
        else:
            cand = _Cand(label, hit.long, hit.long, hit.start, "acronym")
        if as_written and label == "Dataset":
            aliases[as_written] = None
        cand.aliases.update(aliases)
        return f"acr:{_norm(hit.short)}", cand, False

    def _title_name(self, title: str, alias_key, acr_keys, add, abstract: str = "") -> str | None:
        m = _TITLE_NAME.match(title) if ":" in title else None
        if not m:
            return None
        name = m.group(1).strip()
        words = name.split()
        if not words or len(words) > 2 or is_generic(name) or is_task(name):
            return None
        if (len(words) == 1 and name[:1].isupper() and name[1:].islower() and name not in _FUNCTION_WORDS
                and self.lookup.get(_norm(name)) is None and _capitalised_inside(abstract, name)):
            # "Regimes: An Auditable ... Loop" and "we demonstrate this with Regimes, a loop": a
            # plain word the title puts before its colon, capitalised again inside a sentence of
            # the abstract, is the paper's name for its own thing (a word in plain use is not
            # capitalised there)
            pass
        elif not name_shape(words[0]) and not (len(words) == 1 and _CAPITAL_COMPOUND.match(name)):
            # not a name by itself, but a name in the abstract that matches it is coined; a
            # compound with a capital after a hyphen before the colon ("Cookie-Bench: ...",
            # "Token-Shuffle: ...") is the paper's coined name whether or not the abstract says it
            return name
        rest = title[m.end(1) :].lstrip(" :")
        head = _TITLE_HEAD_END.split(rest, maxsplit=1)[0]
        label = "Dataset" if _DATASET_WORDS.search(head) or _BENCH_NAME.search(name) else "Method"
        key = self._name_key(name, alias_key)
        if key.startswith("gaz:"):
            entry = self.entries[int(key[4:])]
            cand = _Cand(entry.label, entry.name, name, m.start(1), "gazetteer", introduces=True)
        else:
            cand = _Cand(label, name, name, m.start(1), "pattern", introduces=True)
            acr = next((v for v in acr_keys.values() if v[0] == key), None)
            if acr is not None:
                # the abstract defines it: same entity, the title's name, the long form as alias
                _, acand, _ = acr
                cand.aliases[acand.name] = None
                for a in acand.aliases:
                    cand.aliases[a] = None
                cand.aliases.pop(name, None)
                acr_keys.update({s: (key, cand, True) for s, (k, _, _) in acr_keys.items() if k == key})
        add(key, cand)
        return name

    def _pattern_names(self, text: str, acr_at, title_prefix: str | None = None, title_end: int = 0
                       ) -> list[tuple[int, str, str, bool, tuple[str, ...]]]:
        out: list[tuple[int, str, str, bool, tuple[str, ...]]] = []
        # the title's name before a colon, or the whole title: "We propose Interactive Benchmarks"
        # in a paper titled "Interactive Benchmarks" names the paper's own thing
        own = {_norm(title_prefix) if title_prefix else None, _norm(text[:title_end]) if title_end else None}
        own.discard(None)
        scan = _Scan(text)
        patterns = ((_INTRO, "intro", True, True), (_INTRO_WEAK, "intro", True, True),
                    (_INTRO_AND, "intro_and", True, True),
                    (_NAMED, "named", False, False), (_PROPOSED, "proposed", True, False))
        for rx, group, intro_any, skip in patterns:
            for m in scan.finditer(rx, group):
                pos = m.end()
                got = self._name_after(text, pos, acr_at, allow_skip=skip,
                                       title_name=title_prefix if m.start() >= title_end else None)
                if got is None:
                    continue
                start, name, extra = got
                if start and text[start - 1] == "$":
                    continue  # "LLM$\times$MapReduce-V2": the end of a name written with TeX math, cut
                if title_end and start >= title_end and " " in name and rx is not _PROPOSED:
                    whole = text[:title_end].rstrip(" .")
                    if (len(whole) > len(name) and len(whole.split()) <= 8 and ":" not in whole
                            and text[start:start + len(whole)].lower() == whole.lower()
                            and _NAME_ENDS.match(text, start + len(whole))):
                        # "We propose Reinforcement Learning with Robust Rubric Rewards (...)" in a
                        # paper of that title: the whole title is the name of its contribution
                        name = text[start:start + len(whole)]
                second, ran_on = None, False
                if rx is not _PROPOSED and start not in acr_at and _proper(name):
                    # "we present the Pygmalion Effect in Vision, a novel framework": a Title-Case
                    # name runs on over small words when a description of it follows
                    tail = _PROPER_TAIL.match(text, start + len(name))
                    if tail is not None and _described_at(text, tail.end()):
                        pair = _AND_ONE_NAME.fullmatch(tail.group(0))
                        if pair is not None and " " not in name and all(
                                name_shape(x) or _CAPITAL_COMPOUND.match(x) for x in (name, pair.group(1))):
                            # "we present QuillNet and QuillSet, a parser and a benchmark": two
                            # coined words joined by "and" are two names (a name of one coined word
                            # does not run on over "and"), each the paper's own; any field lists
                            # its contributions so
                            second = (tail.start() + pair.start(1), pair.group(1))
                        else:
                            name, ran_on = text[start:tail.end()], True
                if rx is _INTRO_WEAK and _DEFINED_AFTER.match(text, start + len(name)) is None:
                    continue  # "we derive PAC-Bayes bounds": a use of the name, not the paper's own
                if rx is _INTRO_AND and _PAPER_SUBJECT.search(
                        text, max(text.rfind(". ", 0, m.start()), title_end, 0), m.start()) is None:
                    continue  # "... and introduce X" of a sentence about others' work
                if rx is _PROPOSED and not (_coined_modifier(name) or start in acr_at):
                    continue  # "the proposed CN atlas", "the proposed Graph Attention": a description
                if _USE_SUFFIX.search(name):
                    continue  # "our method BERT-based scoring": a use of BERT, not a name
                known = self.lookup.get(_norm(name)) is not None
                from_acronym = start in acr_at
                # "We introduce Telescopic Adapters, a novel PEFT framework": a Title-Case name of
                # two words or more that the introducing sentence at once describes as a method or
                # a dataset is the name the paper gives its own thing (any field names its
                # contributions so), though no word of it looks coined
                described = (intro_any and " " in name and (ran_on or _proper(name))
                             and _described_at(text, start + len(name)))
                variant = bool(title_prefix) and name.lower().startswith(title_prefix.lower() + "-")
                # "we propose a Short-Window Sliding Learning framework" in a paper titled
                # "Short-Window Sliding Learning for Real-Time ...": the title opens with the name
                # (two words or more, in Title Case) of what the paper introduces
                opens_title = (intro_any and title_end and start >= title_end and " " in name
                               and _proper(name) and _TITLE_OPENING.match(text, len(name)) is not None
                               and text[:len(name)].lower() == name.lower())
                # "We introduce an Ego-Centric Interaction Graph, which ...": a Title-Case name of two
                # words or more that the introducing verb takes at once and whose last word names a
                # part of a model is the paper's named module (any field names its parts so)
                module = (rx is _INTRO and " " in name and _proper(name)
                          and name.rsplit(None, 1)[-1] in _MODULE_HEADS and not is_generic(name))
                if not (known or from_acronym or coined(name) or _norm(name) in own or described or variant
                        or module or opens_title):
                    continue  # "termed Internal Consistency": a phrase, not a coined name
                if (not known and not from_acronym and " " not in name and not name_shape(name)
                        and _norm(name) not in own and not variant
                        and _A_OR_AN_BEFORE.search(text, max(0, start - 4), start)):
                    nxt = _NEXT_WORD.match(text, start + len(name))
                    if nxt and nxt.group(1) not in STOP_WORDS:
                        continue  # "introduce a Beta evidence model": a capitalised modifier of a
                        # description ("a Gaussian mixture model"), not a name
                if not known and not from_acronym and " " not in name and not (
                        _coined_modifier(name) and _THE_OR_OURS.search(text[max(0, start - 12):start])):
                    nxt = _NEXT_WORD.match(text, start + len(name))
                    if nxt and (nxt.group(1) in METHOD_HEADS or nxt.group(1) in DATASET_HEADS):
                        continue  # "called Markov algorithm": a modifier of a common noun
                if (not from_acronym and " " not in name
                        and _NAME_IN_APPOSITION.match(text, start + len(name))
                        and self.lookup.get(_norm(name)) is None):
                    # "proposes a novel micro-AU detection framework, micro-AU CLIP, that ...": a
                    # coined word modifying a described head, the name after the comma (read by
                    # the description-then-name rule) is the one introduced (any field)
                    continue
                sent_start = max(text.rfind(". ", 0, m.start()) + 1, 0)
                before = text[sent_start:start]
                if extra and extra[0] in before:  # "X, i.e., ACR": what the long form says is no context
                    before = before[:before.rfind(extra[0])]
                after = text[start + len(name) : start + len(name) + 80]
                # "our final model, Nexus": its head word says what it is
                is_data = m.group(0)[:3].lower() != "our" and (
                    _DATASET_WORDS.search(before[-40:]) or _DATASET_AFTER.match(after)
                    or _BENCH_NAME.search(name))
                label = "Dataset" if is_data else "Method"
                introduces = intro_any or bool(_OURS.search(before))
                if second is not None:
                    if _BENCH_NAME.search(second[1]) and not _BENCH_NAME.search(name):
                        label = "Method"  # "CheXStruct and CXReasonBench, a pipeline and benchmark"
                    out.append((second[0], second[1], "Dataset" if _BENCH_NAME.search(second[1]) else label,
                                introduces, ()))
                out.append((start, name, label, introduces, extra))
        out.extend(self._described_names(text, acr_at, scan))
        out.extend(_named_parts(text, acr_at, scan))
        # "our PV-ASR method", "our created Caco-1.3M dataset": a coined name between "our" and a
        # head word is the paper's own thing, by what the head says (any field); a known name
        # ("our BERT model") or a use of one ("our ViT-based model") is not
        if "our " in text or "Our " in text:
            for m in _our_name_heads(text):
                name = m.group(1)
                if (not (name_shape(name) or _CAPITAL_COMPOUND.match(name)) or name in _COMMON_ACRONYMS
                        or self._known_family(name) or _USE_SUFFIX.search(name) or m.start(1) in acr_at):
                    continue
                data = m.group(2).lower().rstrip("s") in _DATASET_HEAD_STEMS
                out.append((m.start(1), name, "Dataset" if data else "Method", True, ()))
        # "the on-policy distillation approach Self Forcing", "the English-only subset M2Kang": a
        # head word, then a name written in capitals, says what the name is (any field)
        for m in scan.finditer(_HEAD_THEN_NAME, "head_name"):
            name = m.group(2)
            words = name.split()
            if (words[0] in _FUNCTION_WORDS or words[0] in _NOT_MODIFIERS or is_generic(name)
                    or is_task(name) or not (coined(name) or len(words) > 1) or _ROMAN.fullmatch(name)):
                continue
            data = m.group(1).lower() in ("dataset", "benchmark", "corpus", "subset")
            label = "Dataset" if data else "Method"
            out.append((m.start(2), name, label, False, ()))
        # "Multi-Agent Feedback (Li et al., 2025a)": a name written in capitals just before a
        # citation in brackets is the cited work's method (or data, by its name), in a text about
        # computing (:func:`computing_text`): a geography's "Baltic Sea (Koslowski and Glaser,
        # 1999)" is a place its source describes
        if ("et al" in text or ", 20" in text or ", 19" in text) and computing_text(text):
            for m in _CITED_NAME.finditer(text):
                name = m.group(1)
                words = name.split()
                if (words[0] in _FUNCTION_WORDS or words[0] in _NOT_MODIFIERS or is_generic(name)
                        or is_task(name) or not (coined(name) or len(words) > 1)):
                    continue
                label = "Dataset" if _BENCH_NAME.search(name) or _DATASET_WORDS.search(name) else "Method"
                out.append((m.start(1), name, label, False, ()))
        # "on the MitoDataset", "LongBench", "M3-Bench": one coined word whose last part says
        # what it is names a dataset wherever it is written (any field)
        if "Bench" in text or "Dataset" in text or "DataSet" in text or "Corpus" in text:
            for m in _DATA_WORD.finditer(text):
                idx = self.lookup.get(_norm(m.group(1)))
                if idx is None or self.entries[idx].label == "Dataset":
                    out.append((m.start(1), m.group(1), "Dataset", False, ()))
            # "accuracy on MT Bench", "on $V^{*}$ Bench": "Bench" written as a word of its own
            # after a name (a coined word, or a symbol in TeX math) ends a benchmark's name
            if " Bench" in text:
                for m in _BENCH_WORD_NAME.finditer(text):
                    first = m.group(1).split()[0]
                    if first in _FUNCTION_WORDS or not (first.startswith("$") or name_shape(first)):
                        continue
                    out.append((m.start(1), m.group(0)[m.start(1) - m.start():], "Dataset", False, ()))
        for m in scan.dataset_names():
            name = m.group(1).strip()
            words = _after_full_stop(name.split())
            # a capitalised stop word is a sentence's first word: "Without test collections",
            # "After the 50K dataset"
            while words and (words[0] in _FUNCTION_WORDS or words[0].lower() in _SKIP_BEFORE_NAME
                             or words[0] == "&"
                             or (words[0][1:].islower() and words[0].lower() in STOP_WORDS)):
                if (words[0] == "New" and len(words) > 1 and words[1][:1].isupper()
                        and text[:m.start(1)].rstrip()[-1:] not in ("", ".", "!", "?", ":")):
                    break  # "the New York Times corpus": inside a sentence, part of a name
                words.pop(0)
            while len(words) > 1 and _SIZE_WORD.fullmatch(words[0]):
                words.pop(0)  # "the 3GB AQUAINT corpus", "the 1.5B-word Wikipedia dataset"
            if len(words) > 1 and _NUMBER_WORD.fullmatch(words[0]) and _SIZE_UNIT.fullmatch(words[1]):
                del words[:2]  # "a 2.7 GB dataset" (read from "7"): a size, no name
            while words and _SIZE_UNIT.fullmatch(words[0]):
                words.pop(0)  # "GB" of "3GB AQUAINT" when the match starts after the digit
            if len(words) > 1 and words[0].isdigit() and m.group(0).rstrip().endswith("s"):
                words.pop(0)  # "2 Musk datasets", "the 43 TREC collections": a count, not a name
            if (len(words) > 1 and words[0].endswith("ing") and words[0][1:].islower()
                    and name_shape(words[1])
                    and text[:m.start(1) + m.group(1).find(words[0])].rstrip()[-1:]
                    in ("", ".", "!", "?", ":")):
                # "Taking MSVD dataset for example", "Using KITTI dataset": a sentence's first word in
                # -ing before a word written as a name is a verb, not the name's first word (any text)
                words.pop(0)
            if not words:
                continue
            name = " ".join(words)
            if (_HEADING_HEAD.search(m.group(0)) and not any(name_shape(w) for w in words)
                    and self.lookup.get(_norm(name)) is None):
                # "Heterogeneous Datasets Representation.", "Moving Object Segmentation Benchmarks:":
                # a plural head word in capitals after plain capitalised words is a heading about
                # several data sets (any paper's section titles), not one data set's name
                continue
            if not any(name_shape(w) or w[:1].isupper() for w in words) and not (
                    len(words) == 1 and _LOWER_CODE.fullmatch(name)) or is_generic(name):
                continue  # a name in lower case needs a digit: "the la1 data set", "w8a dataset"
            if sum(c.isalpha() for c in name) < 2 or _USE_SUFFIX.search(name):
                continue
            if len(words) == 1 and _ROMAN.fullmatch(name):
                continue  # "competition III dataset II": a numeral of a series, no name alone
            if len(words) > 1 and name_shape(words[-1]) and (
                    last := self.lookup.get(_norm(words[-1]))) is not None and (
                    self.entries[last].label == "Method" and self.lookup.get(_norm(name)) is None):
                continue  # "the Deep LSTM benchmarks": a known method's runs, no data set's name
                # (its name written as a name: "... Instruction-tuning dataset" may name data)
            if len(words) == 1 and not name_shape(name) and name in _NOT_DATASET_NAMES:
                continue
            start = m.start(1) + m.group(1).find(name)
            if start < title_end and not any(name_shape(w) for w in words):
                continue  # a title capitalises every word: "An Authentic Dataset for ..."
            if start < title_end and _lowered_after(text, title_end, words):
                continue  # "A Video QA Benchmark" titling "a video QA benchmark": a description
            start, name = _phrase_name(text, start, name)
            start, name = _from_word_start(text, start, name)
            if not name:
                continue
            extra: tuple[str, ...] = ()
            if (letter := _LETTER_AFTER_HEAD.match(text, m.end())) and not m.group(0).endswith("s"):
                # "the Yale Face Database B", "the Foo Benchmark A": a letter after a name's head
                # word names one variant of that data (any field letters its variants so): the
                # name takes the letter ("Yale Face B", as "Extended Yale B" is written), and as
                # written, head word and all, is an alias
                extra = (text[start:letter.end()],)
                name = f"{name} {letter.group(0).strip()}"
            out.append((start, name, "Dataset", False, extra))
            # "IndBAN and IndDEV dataset", "CUB, AWA2, and APY datasets": the head word is each name's
            for cstart, cname in _coordinated_before(text, start):
                idx = self.lookup.get(_norm(cname))
                if idx is not None and self.entries[idx].label != "Dataset":
                    break  # "Adam and the ImageNet dataset": a known method is not coordinated
                out.append((cstart, cname, "Dataset", False, ()))
        # "Fashion-Gen is a dataset of ...", "The second dataset is EMOd, which ...": a definition
        if scan.starts["dataset_name"] if scan.exact else _DESCRIPTOR_HEAD.search(text):
            for start, name in _defined_datasets(text):
                idx = self.lookup.get(_norm(name))
                if idx is None or self.entries[idx].label == "Dataset":
                    out.append((start, name, "Dataset", False, ()))
        # "the USPS digit database", "the bAbI training set": the name, and as written an alias
        # (a name this text calls a dataset elsewhere counts as known: "Weizmann dataset: The
        # Weizmann human action dataset ...")
        read_here = {_norm(n) for _s, n, lab, _i, _e in out if lab == "Dataset"}
        for start, name, alias in _described(text, scan, self.dataset_keys | read_here if read_here
                                             else self.dataset_keys):
            start, name = _from_word_start(text, start, name)
            if not name:
                continue
            idx = self.lookup.get(_norm(name))
            if idx is not None and self.entries[idx].label != "Dataset":
                continue  # "the BERT embedding dataset": a known method's data, not a dataset's name
            out.append((start, name, "Dataset", False, (alias,)))
        # "we propose FooNet ... experiments on FooNet demonstrate": the paper's own method, named by
        # its introducing sentence, is what the experiments run, not data (any field)
        # (not when the introducing sentence speaks of data: "we build a benchmark ..., called X")
        own_methods = None  # (found when a list is read: most texts have none)
        for items in _dataset_list_groups(text, scan, self.dataset_keys):
            if own_methods is None:
                own_methods = {_norm(n) for s0, name, lab, intro, extra in out if intro and lab == "Method"
                               and not _DATA_OR_RESOURCE.search(_sentence_at(text, s0))
                               for n in (name, *extra)}
            if own_methods:
                items = [item for item in items if _norm(item[1]) not in own_methods]
            # "on the Thistle40 dataset, including AlexNet, GoogleNet, FooNet-16 and ResNet-50": a list
            # whose names are mostly known methods lists the methods run on the data, so its other
            # names are methods too, not datasets (in any field a list holds one kind of thing)
            known = [self.lookup.get(_norm(name)) for _, name in items]
            methods = sum(1 for idx in known if idx is not None and self.entries[idx].label == "Method")
            method_list = len(items) > 1 and 2 * methods >= len(items)
            for (start, name), idx in zip(items, known, strict=True):
                if method_list and idx is None:
                    continue  # a known name keeps its own label ("GoogleNet" as written)
                first = self.lookup.get(_norm(name.split()[0]))
                if first is not None and self.entries[first].label == "Method" and " " in name:
                    continue  # "GPT-2 124M": a model of a known family, not a dataset
                if idx is None and self._method_family(name):
                    continue  # "experiments on Qwen2-VL and LLaVA-OV": releases of known models
                out.append((start, name, "Dataset", False, ()))
        # 'the "Two Patterns" dataset', 'the ``Airbus Ship'' dataset': a name in quotation marks
        # just before a head word is the data's name, as any field quotes names (written as a
        # name: "the 'folded' data sets" says how the data were made)
        if '"' in text or "\u201c" in text or "``" in text:
            for m in _QUOTED_DATASET.finditer(text):
                name = m.group(1).strip()
                words = name.split()
                if (not words or len(words) > 4 or not (words[0][:1].isupper() or name_shape(words[0]))
                        or words[0] in ("The", "A", "An") or (len(words) == 1 and name in _FUNCTION_WORDS)
                        or is_generic(name) or is_task(name)):
                    continue  # (the quotes delimit it: '"Two Patterns"' keeps its first word)
                idx = self.lookup.get(_norm(name))
                if idx is not None and self.entries[idx].label != "Dataset":
                    continue
                out.append((m.start(1) + m.group(1).find(name), name, "Dataset", False, ()))
        # "Eachmovie (74,424 users, ...)", "Federal Register (TIPFR, 55,630 documents)": a name
        # whose bracket counts its documents, images or users is data (any field sizes its data so)
        if " (" in text:
            for b in _SIZE_BRACKET.finditer(text):
                m = _NAME_BEFORE_BRACKET.search(text, max(0, b.start() - 80), b.start())
                if m is None:
                    continue
                name = m.group(1)
                words = name.split()
                if (words[0] in _FUNCTION_WORDS or words[0] in _REFERENCES or is_generic(name)
                        or is_task(name)):
                    continue
                idx = self.lookup.get(_norm(name))
                if idx is not None and self.entries[idx].label != "Dataset":
                    continue  # "BERT (110M parameters)" is no count of data, nor a known method's
                out.append((m.start(1), name, "Dataset", False, ()))
        # "FooBEIR grounding tasks (SciFoo and FiBar)", "the GLUE tasks (SST-2, MNLI)": names in
        # brackets after a known dataset's name and a plural word for its parts are its parts, data
        # too (any field names the subsets of a benchmark so)
        if "s (" in text:  # (each word of _PARTS_HEAD ends with "s": the pattern runs from there)
            for h in _parts_heads(text):
                m = _NAME_BEFORE_PARTS.search(text, max(0, h.start() - 80), h.start())
                idx = self.lookup.get(_norm(m.group(1))) if m is not None else None
                if idx is None or self.entries[idx].label != "Dataset":
                    continue
                close = text.find(")", h.end(), h.end() + 200)
                got = _bracket_names(text, close) if close > 0 else None
                if got is not None and got[0] == h.end() - 1:
                    out.extend((start, name, "Dataset", False, ()) for start, name in got[1])
        # "On MATH500, Power-SMC matches ...": a sentence that opens with what was measured on; a
        # model ("On Qwen3-8B, ...": a size, or a known model's family) is not data
        # (and a clause that opens so after an adverb or a colon: "Empirically, on FooEval across
        # four models", "...: on FooQA under a budget, X leads; on BarQA, ..."; any field)
        clause_on = "ly, on " in text or "ly, On " in text or ": on " in text or "; on " in text
        if "On " in text or clause_on:
            for m in chain(_ON_NAME.finditer(text), _CLAUSE_ON_NAME.finditer(text) if clause_on else ()):
                name = m.group(1)
                if not name_shape(name) or _MODEL_SIZE.search(name) or _PLURAL_ACRONYM.fullmatch(name):
                    continue
                known = self.lookup.get(_norm(name))
                family = self.lookup.get(_norm(_FAMILY_END.split(name, maxsplit=1)[0] or name))
                if (known is not None and self.entries[known].label != "Dataset") or (
                        known is None and family is not None and self.entries[family].label != "Dataset"):
                    continue
                if _called_model(text, name):
                    continue  # "... on both FooNet and Bar-LLaVA models": the text calls it a model
                out.append((m.start(1), name, "Dataset", False, ()))
        # methods compared with: "we compare against Chronos, TimesFM and Lag-Llama"
        for m in scan.finditer(_COMPARED_WITH, "compared"):
            items = _list_items(text, m.end(), strict=False)
            # "Compared to Heron-3 and Foo-VS, the Bar-7 dataset is harder": what the names are
            # compared with is data, so they are data too (a comparison weighs like with like)
            label = "Dataset" if items and _COMPARED_DATA.match(
                text, items[-1][0] + len(items[-1][1])) else "Method"
            for start, name in items:
                if coined(name) and self.lookup.get(_norm(name)) is None and name not in _COMMON_ACRONYMS:
                    out.append((start, name, label, False, ()))
        # methods listed after a plural head: "four foundation models (Chronos, Moirai, TimesFM)",
        # "baselines such as X and Y". A single capitalised word counts only in a list of two or
        # more ("methods (Sec. 3)" is a reference), and a list in brackets only when it closes them
        for m in scan.finditer(_METHODS_LISTED, "methods_listed"):
            if m.group("paren") is None:
                items = _list_items(text, m.end(), strict=False, trim=True)
            else:
                close = text.find(")", m.end(), m.end() + _MAX_LIST)
                if close < 0 or "(" in text[m.end():close]:
                    continue
                items = _list_items(text[:close], m.end(), strict=False)
                if not items or text[:close].rstrip() != text[:items[-1][0] + len(items[-1][1])]:
                    continue  # something in the brackets is not a name: "(see Section 3)"
                if len(items) == 1 and not m.group("paren").strip():
                    continue  # "vision-language models (LVLMs)": an abbreviation, not an example
            stop = text.rfind(". ", 0, m.start())
            sent_start = stop + 2 if stop >= 0 else 0
            # the last "we propose" before the head word, in its sentence
            intro = next(reversed(list(_INTRO.finditer(text, sent_start, m.start()))), None)
            gap = text[intro.end():m.start()] if intro else ""
            own = (bool(intro) and not m.group(0).lower().startswith("baseline")  # others' by definition
                   and _OWN_LIST_GAP.fullmatch(gap) is not None
                   and not {w.lower() for w in gap.split()} & _NOT_OWN_WORDS)
            # a capitalised word counts in a list that holds a coined name ("Chronos" beside
            # "TimesFM", "Clip-Cov" beside "KL-Cov"), not in a list of plain words ("seven
            # persuasion techniques (Majority, Consistency, Flattery)")
            coined_list = len(items) > 1 and any(
                any(name_shape(w) for w in n.split()) or _CAPITAL_COMPOUND.search(n) for _, n in items)
            for start, name in items:
                name = _POSSESSIVE.sub("", name)  # "GPT-4's": the model's name
                one_word = " " not in name and name[:1].isupper()  # "Clip-Cov", "Chronos"
                shaped = any(name_shape(w) for w in name.split())
                if ((shaped or (coined_list and (one_word or coined(name))))
                        and self.lookup.get(_norm(name)) is None and name not in _COMMON_ACRONYMS):
                    out.append((start, name, "Method", own, ()))
        # a surname's method: "the Nyström approximation", "a Metropolis sampler"
        for m in scan.techniques():
            word = m.group(1)
            if word in _FUNCTION_WORDS or self.lookup.get(_norm(word)) is not None or is_task(m.group(0)):
                continue
            before = text[max(0, m.start() - 40) : m.start()].split()
            if (before and before[-1][:1].isupper() and before[-1] not in _FUNCTION_WORDS
                    and m.start(1) == m.start()):
                continue  # "Carlo estimators" of "Monte Carlo estimators": the end of a longer name
            out.append((m.start(1), m.group(0)[m.start(1) - m.start():], "Method", False, ()))
        return _bracketed_acronyms(text, out) if ")" in text else out

    def _method_family(self, name: str) -> bool:
        """Whether ``name`` is a release of a model family the gazetteer knows as a Method ("LLaVA"
        of "LLaVA-OV", "Qwen" of "Qwen2.5-VL"), by the part before its first digit, dot or hyphen."""
        family = _FAMILY_END.split(name, maxsplit=1)[0]
        if not family or family == name or not _RELEASE_REST.fullmatch(name[len(family):]):
            return False  # "VGG-Sound", "NAS-Bench-201", "NeRF-on-the-go": data named after a method
        idx = self.lookup.get(_norm(family))
        return idx is not None and self.entries[idx].label == "Method"

    def _known_family(self, name: str) -> bool:
        """Whether the gazetteer knows ``name`` or the family it starts with ("Qwen" of
        "Qwen3-30B-A3B", "LLaVA" of "LLaVA-1.5"): another paper's model, not a coined name."""
        if self.lookup.get(_norm(name)) is not None:
            return True
        family = _FAMILY_END.split(name, maxsplit=1)[0]
        return bool(family) and self.lookup.get(_norm(family)) is not None

    def _described_names(self, text: str, acr_at, scan: _Scan | None = None
                         ) -> list[tuple[int, str, str, bool, tuple[str, ...]]]:
        """Coined names described in apposition by what they are: "BiFold, a model that predicts
        ...", "MiniLM, a lightweight model", "QuillSet, a benchmark of ..." (Method or Dataset by
        the head word; the paper's own only when "we propose" comes just before)."""
        out: list[tuple[int, str, str, bool, tuple[str, ...]]] = []
        # (the description-then-name loop below needs no ", a": "a novel detection framework,
        # micro-AU CLIP, that ...")
        for m in _APPOSITION.finditer(text) if ", a" in text else ():
            head = m.group(2).lower()
            before = _ONE_NAME_BEFORE.search(text, max(0, m.start() - 60), m.start())
            if before is None:
                continue
            name, start = before.group(1), before.start(1)
            if not _coined_modifier(name) and start not in acr_at:
                # "RANDOM People, a dataset": a name of capitalised words, one of them coined,
                # ends in the word before the comma
                run = _CAPITALISED_RUN_BEFORE.search(text, max(0, start - 60), start + len(name))
                if run is not None and run.start(1) < start and any(
                        _coined_modifier(w) for w in run.group(1).split()):
                    name, start = run.group(1), run.start(1)
            if (start in acr_at or not (_coined_modifier(name) or " " in name)
                    or self.lookup.get(_norm(name)) is not None or _USE_SUFFIX.search(name)
                    or (start and text[start - 1] == "$")):  # "LLM$\times$MapReduce-V2": cut by TeX
                continue
            prev = _WORD_BEFORE.search(text, max(0, start - 30), start)
            if prev is not None and prev.group(1)[:1].isupper() and prev.group(1) not in _FUNCTION_WORDS:
                continue  # "Stable Diffusion XL, a model": the end of a longer name
            label = "Dataset" if head.rstrip("s") in _DATASET_HEAD_STEMS or head in ("suite", "collection") \
                else "Method"
            out.append((start, name, label, _proposed_at(text, start) or _introduced_in_sentence(text, start),
                        ()))
        # the description first: "We introduce an improved benchmark, CORE-Bench v1.1, and a
        # test suite, CORE-Bench OOD." (the paper's own when the sentence introduces it)
        for m in _descriptions_then_names(text, scan):
            if {w.lower() for w in m.group(1).split()} & _PREPOSITIONS:
                continue  # "a model for Foo, Bar": the head word is not what the name is
            got = _VERSIONED_NAME.match(text, _OPEN_QUOTE.match(text, m.end()).end())
            if got is None:
                continue
            name, start = got.group(1), got.start(1)
            first = name.split()[0]
            head = m.group(2).lower()
            label = "Dataset" if head.rstrip("s") in _DATASET_HEAD_STEMS or head in (
                "suite", "collection", "set", "sets") else "Method"
            if (start in acr_at or not (_coined_modifier(first) or ("-" in first and coined(first)))
                    or self.lookup.get(_norm(name)) is not None or _USE_SUFFIX.search(name)
                    or not (_introduced_in_sentence(text, start, _PROPOSE_DATA_VERB if label == "Dataset"
                                                    else _PROPOSE_VERB)
                            or _NEWLY_MADE.search(m.group(1)))):
                continue
            out.append((start, name, label, True, ()))
            if m.group(0)[:1].lower() in "tf" and head.endswith("s"):
                # "two novel benchmark datasets, AVE-Order and ActivityNet-Order": a count and a
                # plural head, then as many names listed (any field lists its contributions so)
                pos = start + len(name)
                for _ in range(4):
                    nxt = _NEXT_LISTED.match(text, pos)
                    if nxt is None:
                        break
                    other = nxt.group(1)
                    if self.lookup.get(_norm(other)) is None and (
                            _coined_modifier(other.split()[0]) or coined(other.split()[0])):
                        out.append((nxt.start(1), other, label, True, ()))
                    pos = nxt.end(1)
        return out

    def _name_after(self, text: str, pos: int, acr_at, *, allow_skip: bool, title_name: str | None = None):
        """The named thing starting at (or a few generic words after) ``pos``, if any.

        ``title_name``: the name the paper's title gives before its colon ("m2sv: A Scalable
        Benchmark ...", "Tensor Logic: The Language of AI"); written here in any case ("we
        introduce m2sv", "this paper proposes tensor logic") it is that name."""
        skipped = 0
        modifiers = 0  # describing words met before an acronym's long form ("novel and effective")
        for i, w in enumerate(islice(_WORD.finditer(text, pos, min(len(text), pos + 200)), 8)):
            word = w.group(0)
            if w.start() in acr_at:
                acand = acr_at[w.start()][1]
                if modifiers and not _modified_acronym(acand):
                    return None
                return w.start(), acand.name, ()
            if modifiers:
                # past a describing word only the long form of a defined acronym is the name
                if modifiers < 4 and allow_skip and _MODIFIER.fullmatch(word):
                    modifiers += 1
                    continue
                return None
            if (title_name and (i == 0 or skipped == i)
                    and text[w.start():w.start() + len(title_name)].lower() == title_name.lower()):
                if _NAME_ENDS.match(text, w.start() + len(title_name)):
                    return w.start(), text[w.start():w.start() + len(title_name)], ()
                if " " not in title_name and text[w.start() + len(title_name)] == "-":
                    # "we release m2sv-20k" in a paper titled "m2sv: ...": a variant of the name
                    return w.start(), word.rstrip(".,;:!?"), ()
            low = word.lower().rstrip(",")
            if word[:1] in _OPEN_QUOTES and name_shape(word.strip("`'\"\u201c\u201d")):
                # a name given in quotes ("a new dataset, ``FooSet-v2,''"): the name, not the marks
                inner = word.lstrip("`\"\u201c")
                return w.start() + len(word) - len(inner), inner.rstrip("'\"\u201d.,"), ()
            if name_shape(word):
                emphasis = _letter_emphasis(text, w.start(), word)
                if emphasis is not None:
                    lwords = emphasis[1].split()
                    if any(is_task(" ".join(lwords[-n:])) for n in (2, 3) if len(lwords) > n):
                        return None  # "called eXplainable Reinforcement Learning (XRL)": a field
                    return emphasis
                name = word.rstrip(".")
                more = _SECOND_NAME_WORD.match(text, w.end()) if name == word else None
                if more is not None and (name_shape(more.group(1)) or more.group(1).isupper()):
                    # "we propose micro-AU CLIP, a framework": a coined word and a word in
                    # capitals closed by a comma or bracket are one name (any field)
                    name = text[w.start():more.end(1)]
                return w.start(), name, ()
            if word[:1].isupper() and word not in _FUNCTION_WORDS and (i == 0 or skipped == i):
                ie = _IE_ACRONYM.match(text, w.start())
                if ie is not None and _initials_spell(ie.group(1), ie.group(2)):
                    # "we propose Multi-modal dataset Distillation in the Wild, i.e., MDW, the
                    # first framework": an acronym defined by "i.e." is the name, the phrase its
                    # long form (any field defines acronyms so, brackets or not)
                    return ie.start(2), ie.group(2), (ie.group(1).strip(),)
                # a Title-Case run: "Stochastic Interpolants", "Bitween"
                run = _TITLE_RUN.match(text, w.start())
                if run is None:
                    return None
                name = run.group(0)
                if is_generic(name):
                    return None
                # "Modular Decomposition (MoDeGPT)": the coined name in brackets is the name
                paren = _PAREN_NAME.match(text, run.end())
                if (paren and name_shape(paren.group(1)) and not coined(name)
                        and self.lookup.get(_norm(paren.group(1))) is None):
                    return paren.start(1), paren.group(1), (name,)
                return w.start(), name, ()
            if allow_skip and (low in _SKIP_BEFORE_NAME or low in _GENERIC_HEADS):
                skipped += 1
                continue
            if allow_skip and skipped == i and _MODIFIER.fullmatch(word):
                # "we propose a novel and effective Progressive Focused Transformer (PFT)", "we
                # design a two-stage dynamic few-shot learning (DFSL) approach": describing words
                # before the long form of an acronym the text defines there; the acronym is the
                # name (any field writes its own method so)
                modifiers = 1
                continue
            return None
        return None

    @staticmethod
    def _tagged_label(doc: Doc, start: int, length: int) -> str | None:
        """The label the trained model gave most tokens of ``text[start:start + length]``, if any."""
        if not doc.has_annotation("TAG"):
            return None
        span = doc.char_span(start, start + length, alignment_mode="expand")
        if span is None:
            return None
        votes: dict[str, int] = {}
        for t in span:
            if t.tag_[:2] in ("B-", "I-") and t.tag_[2:] in ("Method", "Dataset"):
                votes[t.tag_[2:]] = votes.get(t.tag_[2:], 0) + 1
        return max(votes, key=votes.get) if votes else None

    def _model_events(self, doc: Doc, cands, alias_key, acr_short, events, title_end: int = 0
                      ) -> list[tuple[int, str, _Cand]]:
        """The model's spans that the rules did not already explain (:mod:`kg.extract.ner`):
        not a name the rules know, not overlapping a span the rules took, except a pattern's
        name that the model read longer, as one name of the same label ("York Times" of "the
        New York Times corpus"): a pattern reads a few words before its cue and may cut a
        name, the model read the whole; the pattern's event is dropped from ``events``."""
        taken = [(st, st + len(c.text)) for st, _k, c in events]
        taken += [(c.start, c.start + len(c.text)) for c in cands.values()]
        out: list[tuple[int, str, _Cand]] = []
        dropped: set[int] = set()
        labels: dict[int, str] = {}  # the label of each name the rules took, by its start and its end
        ends: dict[int, int] = {}  # and its end by its start
        doc_text = doc.text  # (Doc.text joins the tokens at each call)
        for st, _k, c in events:
            if c.label in ("Method", "Dataset"):
                labels[st] = labels[-(st + len(c.text))] = c.label
                ends[st] = st + len(c.text)
        for start, label, text in model_candidates(doc, is_generic=is_generic, is_task=is_task,
                                                   name_shape=name_shape,
                                                   common_acronyms=_COMMON_ACRONYMS,
                                                   title_end=title_end,
                                                   method_heads=METHOD_HEADS, taken=taken):
            vend = version_after(doc.text, start + len(text)) if label == "Method" else None
            if vend and text[:1].isupper():
                text = doc.text[start:vend]  # "SigLIP 2": the release the model read without its version
            norm = _norm(text)
            end = start + len(text)
            over = [i for i, (a, b) in enumerate(taken) if a < end and start < b and i not in dropped]
            if over and not all(i < len(events) and events[i][2].origin == "pattern"
                                and events[i][2].label == label and start <= taken[i][0]
                                and taken[i][1] <= end and taken[i][1] - taken[i][0] < len(text)
                                for i in over):
                continue
            if label in ("Task", "Metric"):
                key = f"{label.lower()}:{norm}"
                if norm in alias_key or norm in self.lookup or text in acr_short:
                    continue  # a method, a dataset or an acronym the rules know
                out.append((start, key, _Cand(label, text, text, start, f"model:{self.model_name}")))
                continue
            key = alias_key.get(norm) or f"name:{norm}"
            if key in cands or key.startswith(("gaz:", "acr:", "task:")) or norm in self.lookup:
                continue
            if _USE_SUFFIX.search(text):
                continue  # "Hyperledger Fabric-based", "Knowledge Graph-enhanced": a use of a name
            if "://" in text or text.lower().startswith("www.") \
                    or (start and not _from_word_start(doc.text, start, text)[1]):
                continue  # the end of a web address ("https://x.org/ToolOur"): no name, in any text
            if label == "Method" and _BENCH_NAME.search(text):
                label = "Dataset"  # "TravelBench": a benchmark by its name
            if label == "Method" and _listed_with(doc_text, start, end, labels, ends) == "Dataset":
                label = "Dataset"  # "on Replica, ScanNet++ and X": a name in a list of data is data
            if label == "Dataset" and text in _NOT_DATASET_NAMES:
                continue  # "the Vietnamese and English datasets": languages, not names of data
            cand = _Cand(label, text, text, start, f"model:{self.model_name}")
            for i in over:
                dropped.add(i)
                cand.introduces = cand.introduces or events[i][2].introduces
            out.append((start, key, cand))
            labels[start] = labels[-end] = label
            ends[start] = end
        if dropped:
            events[:] = [e for i, e in enumerate(events) if i not in dropped]
        return out

    def _model_label(self, ent, text: str) -> str | None:
        after = re.findall(r"[A-Za-z\-]+", text[ent.end_char : ent.end_char + 30])
        nxt = after[0].lower() if after else ""
        if nxt in DATASET_HEADS:
            return "Dataset"
        if nxt in METHOD_HEADS or ent.label_ in {"METHOD", "Method"}:
            return "Method"
        if ent.label_ in {"DATASET", "Dataset"}:
            return "Dataset"
        return None


#: where a list of names ends: a full stop, colon or bracket before a space, or a joining word
_LIST_STOP = re.compile(
    r"[.;:)\]]\s|[.;:)\]]$|\s(?:to|for|in|on|with|from|which|that|where|we|show|shows)\s"
)
#: a list of names is read at most this far (characters) from its start
_MAX_LIST = 1000
_LIST_PIECE = re.compile(r"[^,]+")
#: a dash written as a word of its own
_DASHES = frozenset({"-", "--", "---", "\u2013", "\u2014"})
#: words that end a noun phrase (no name goes on with them): prepositions and the verbs a
#: sentence reports its findings with, after "experiments on A and B" (any English text)
_LIST_ENDS = _words('''under across using via at by over against within without when while where
    demonstrate demonstrates demonstrated show showed shown verify verifies verified confirm confirms
    confirmed reveal reveals revealed indicate indicates indicated validate validates validated prove
    proves suggest suggests highlight highlights achieve achieves illustrate illustrates''')
_LIST_AND = re.compile(r"(?<!\s)\s++(?:and|or)\s++|^\s*+(?:and|or)\s++")
_LEADING_THE = re.compile(r"^(?:the)\s+")
_NUMBER_WORD = re.compile(r"[\d.,%\-]+\w{0,2}")


def _strip_trailing_paren(raw: str) -> str:
    """``re.sub(r"\\s*\\([^)]*\\)?\\s*$", "", raw)`` in linear time: "Stanford Online Products (SOP"
    loses its unclosed or closing bracket.

    >>> _strip_trailing_paren("Stanford Online Products (SOP"), _strip_trailing_paren("A (b) (c)  ")
    ('Stanford Online Products', 'A (b)')
    >>> _strip_trailing_paren("A (b) c"), _strip_trailing_paren("((((x")
    ('A (b) c', '')
    """
    tail = raw.rstrip()
    body = tail[:-1] if tail.endswith(")") else tail
    q = body.find("(", body.rfind(")") + 1)  # the first "(" after which at most the last ")" comes
    if q < 0:
        return raw
    return raw[:len(raw[:q].rstrip())]


class _Stops:
    """``_LIST_STOP.search(text, pos)`` for positions that only grow, each part of the text searched once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.searched = -1  # the last position searched from
        self.found: int | None = None  # what that search found

    def after(self, pos: int) -> int:
        """Where the first stop at or after ``pos`` starts (the text's length if none)."""
        known = self.searched >= 0 and self.searched <= pos and (self.found is None or pos <= self.found)
        if not known:  # nothing between the last search and its stop: that stop is the next one too
            m = _LIST_STOP.search(self.text, pos)
            self.searched, self.found = pos, (m.start() if m else None)
        return len(self.text) if self.found is None else self.found


def _list_items(text: str, pos: int, *, strict: bool, stops: _Stops | None = None,
                trim: bool = False, ends: frozenset[str] = frozenset()) -> list[tuple[int, str]]:
    """The names of a list starting at ``pos`` ("A, B and C"), up to the first item that is not a name.

    ``strict``: every item must hold a word shaped like a name (digits, CamelCase, ALLCAPS). The
    list is read up to the first stop (``_LIST_STOP``) and at most ``_MAX_LIST`` characters.
    ``trim``: an item followed by other words ("and ZedFormer by 3 points") keeps its leading
    name words and ends the list. ``ends``: the same, when the word after the name words is one of
    them or a dash ("and ZedSet under noise", "ZedSet -- beating X").
    """
    end = min((stops or _Stops(text)).after(pos), pos + _MAX_LIST)
    got: list[tuple[int, str]] = []

    def ok(raw: str, words: list[str], inner: bool = False) -> bool:
        return (
            1 <= len(words) <= 5
            # strict: a word shaped like a name (tested first: it rules most out)
            and (not strict or any(name_shape(w) and w not in _COMMON_ACRONYMS for w in words))
            and all(_LIST_ITEM.fullmatch(w) or (0 < i < len(words) - 1 and w in _LIST_JOINERS)
                    or (inner and i > 0 and w.isalpha() and w.islower() and w not in STOP_WORDS)
                    for i, w in enumerate(words))
            and words[0] not in _FUNCTION_WORDS
            and not (len(words) == 1 and (words[0] in _NOT_DATASET_NAMES or _ROMAN.fullmatch(words[0])))
            and sum(c.isalpha() for c in raw) >= 2
            and not _NUMBER_WORD.fullmatch(words[0])
            and words[-1] not in _COMMON_ACRONYMS
            and not is_generic(raw) and not is_task(raw)
        )

    for piece in _LIST_PIECE.finditer(text, pos, end):
        parts = _LIST_AND.split(piece.group(0))
        for n_part, part in enumerate(parts):
            raw = part.strip()
            raw = _strip_trailing_paren(raw)  # "Stanford Online Products (SOP"
            raw = _LEADING_THE.sub("", raw)
            raw = _LIST_HEAD.sub("", raw)
            if not raw:
                continue
            words = raw.split()
            # inside a list already read (two names before, a comma after), a name may go on in
            # lower case: "datasets: Anneal, Breast, Page blocks, Pima and Wine" (names of UCI
            # data, of corpora and of collections are often written so); never its last item,
            # whose lower-case words may be the sentence going on ("..., Pima results show")
            inner = (not strict and len(got) >= 2 and piece.end() < end and text[piece.end()] == ","
                     and len(parts) == 1 and len(words) <= 3)
            if not ok(raw, words, inner):
                if trim or ends:
                    lead = list(takewhile(_LIST_ITEM.fullmatch, words))
                    if lead and len(lead) < len(words) and (
                            (trim and words[len(lead)][:1].islower())
                            # (the first name, or the last after "and": "Evaluated on A, B
                            # achieves" has the sentence's subject B after the comma)
                            or (ends and (not got or n_part > 0)
                                and (words[len(lead)] in ends or words[len(lead)] in _DASHES))):
                        name = " ".join(lead)
                        if ok(name, lead):
                            got.append((piece.start() + piece.group(0).find(name), name))
                return got
            got.append((piece.start() + piece.group(0).find(raw), raw))
    return got


def _dataset_lists(text: str, scan: _Scan | None = None) -> list[tuple[int, str]]:
    """Names listed after a word that says "datasets", or after "evaluated on" and the like.

    ``(start, name)`` for each. After "datasets" a capitalised name is enough; after
    "experiments on" each name must look like one (digits, CamelCase, ALLCAPS).

    >>> [n for _, n in _dataset_lists("on four datasets: CUB200, Cars-196 and Stanford Online Products.")]
    ['CUB200', 'Cars-196', 'Stanford Online Products']
    >>> [n for _, n in _dataset_lists("Experiments on LFW, LFW BLUFR and MegaFace show gains on Hollywood.")]
    ['LFW', 'LFW BLUFR', 'MegaFace']
    >>> [n for _, n in _dataset_lists("benchmarks such as the hard ones; trained on 8 A100 GPUs")]
    []
    >>> [n for _, n in _dataset_lists("the datasets Cora and Pubmed, not collections, Bernstein and Zobel")]
    ['Cora', 'Pubmed']
    """
    return [item for items in _dataset_list_groups(text, scan) for item in items]


def _dataset_list_groups(text: str, scan: _Scan | None = None,
                         known: frozenset[str] = frozenset()) -> list[list[tuple[int, str]]]:
    """:func:`_dataset_lists`, one list of ``(start, name)`` per list read.

    >>> text = "benchmarks for video (audio, image) generation including FooTalk, BarVox, and Baz-HQ"
    >>> [[n for _, n in items] for items in _dataset_list_groups(text)]
    [['FooTalk', 'BarVox', 'Baz-HQ']]
    >>> _dataset_list_groups("datasets for several tasks, including classification and Retrieval")
    []
    """
    scan = scan or _Scan(text)
    out: list[list[tuple[int, str]]] = []
    stops = _Stops(text)
    for m in scan.finditer(_DATASET_LIST, "list"):
        opened = m.group(0).rstrip()
        if opened.endswith(("-", "\u2013", "\u2014")):  # an aside between dashes: the second ends it
            close = _DASH_CLOSE.search(text, m.end(), m.end() + _MAX_LIST)
            items = _list_items(text[:close.start()], m.end(), strict=False) if close else []
            if items:
                out.append(items)
            continue
        close = text.find(")", m.end(), m.end() + _MAX_LIST) if "(" in opened[-12:] else -1
        if close > 0 and "(" not in text[m.end():close]:
            # "split into two sub-datasets (ETH-2 and Harbour)": the bracket ends the list, as
            # the full stop after it would (the last name is not "Harbour)")
            items = _list_items(text[:close], m.end(), strict=False)
            if len(items) > 1:  # one name may be the acronym of "Water Body Dataset (WBD)": read as before
                out.append(items)
                continue
        # the last name may be the sentence's subject: "datasets like PubLayNet and DocBank lack
        # region labels" (its name words are kept, the verb after them ends the list)
        out.append(_list_items(text, m.end(), strict=False, stops=stops, trim=True))
    stops = _Stops(text)
    for m in scan.finditer(_DATASET_APPOSITION, "list"):
        items = _list_items(text, m.end(), strict=False, stops=stops)
        if "," in m.group(1) and not any(name_shape(w) for _, n in items for w in n.split()):
            continue  # "collections, Bernstein and Zobel": surnames, not datasets
        if "=" in text[m.end():m.end() + 16] or _SUBSCRIPTED.match(text, m.end()):
            continue  # "the first data set D n1,m1 = {...}", "a dataset ST j at time j": a variable
            # of the maths (its subscript split off by the text's extraction), not a name
        named = _NAMED_HEAD_BEFORE.search(text, max(0, m.start() - 40), m.start()) if known else None
        if named is not None and _norm(named.group(0).strip()) in known:
            continue  # "in the Epinions datasets, BarNet and BazNet perform better": the head word
            # has a known dataset's name already; the capitalised words after it start the clause
            # (any text; a describing word before it, "three VLN benchmarks, A, B", is no name)
        if _NAMES_THEN_RESULT_VERB.match(text, m.end()):
            continue  # "in the CAP data sets, FooMC and BarMC outperformed BazMC": names that
            # outperform or achieve are methods, the subject of the clause (data does not perform)
        out.append(items)
    for m in scan.finditer(_DATASET_LIST_GAP, "list"):
        last = m.group("last").lower()
        if (last.endswith("s") and not last.endswith(("ss", "is", "us"))
                and not _DATASET_WORDS.fullmatch(last)):
            continue  # "benchmarks spanning five modalities, including MRI, CT": the examples are
            # of the plural noun just before them (modalities), not of the data
        out.append(_list_items(text, m.end(), strict=True))
    stops = _Stops(text)
    for m in scan.finditer(_EXPERIMENT_ON, "experiment"):
        # the last name may be followed by the sentence going on: "experiments on A and B under
        # both settings demonstrate", "... and B -- beating X" (its name words are kept when a word
        # that cannot go on a name follows them: a preposition, a verb of findings, a dash); a
        # model's size says the names are models run, not data
        out.append([item for item in _list_items(text, m.end(), strict=True, stops=stops, ends=_LIST_ENDS)
                    if not _MODEL_SIZE.search(item[1])])
    at = text.find(" on ")
    while at >= 0:  # a score ends just before " on ": tried there only (few places a text)
        if text[at - 1:at].isdigit() or text[at - 1:at] == "%":
            m = _SCORE_ON.search(text, max(0, at - _SCORE_REACH), at + 8)
            if m is not None and m.start() < at:
                # "a score of 85.2 on LLaMA-2-7B": a name with a model's size is the model scored
                out.append([item for item in _list_items(text, m.end(), strict=True, stops=stops,
                                                         ends=_LIST_ENDS)
                             if not _SIZED_MODEL.search(item[1])])
        at = text.find(" on ", at + 4)
    if ") " in text:
        out.extend(_bracket_groups(text))
    if "cross-" in text or "Cross-" in text:
        out.extend(_cross_data(text))
    if "ed from " in text or "built from " in text or "drawn from " in text:  # the verbs of _DATA_FROM
        for m in _DATA_FROM.finditer(text):
            items = _list_items(text, m.end(), strict=True, ends=_LIST_ENDS)
            # read to its end: "derived from ICLR and NeurIPS venues" names venues, not data
            if items and _LIST_CLOSED.match(text, items[-1][0] + len(items[-1][1])):
                out.append(items)
    if "-to-" in text:  # "experiments on UI-to-code and ... benchmarks": a conversion task, no name
        out = [[item for item in items if not _CONVERSION.fullmatch(item[1])] for items in out]
    return [items for items in out if items]


#: "a dataset derived from A and B", "a corpus compiled from A": the sources data is made from are
#: data too, when their names are shaped as names (any field describes derived data so)
_DATA_FROM = re.compile(
    r"\b(?:data ?sets?|benchmarks?|corpus|corpora|collections?)[ \t]+(?:(?:is|are|was|were)[ \t]+)?"
    r"(?:derived|built|constructed|compiled|curated|assembled|sourced|drawn|adapted|sampled|extracted)"
    r"[ \t]+from[ \t]+(?:the[ \t]+)?", re.I)
#: what a release adds to its family's name: versions, sizes and short tags ("2.5-VL", "-OV", "-MoE",
#: "-v1.5", "-B16"), each part at most four characters and none a word that says data
_RELEASE_REST = re.compile(
    r"(?:(?:^|[-.])(?!QA|Set|Bench|Data)(?=[a-z]?[A-Z0-9])[A-Za-z0-9]{1,4}(?![A-Za-z0-9]))+")
#: where a list of names read to its end stops: punctuation, or a word that cannot go on a name
_LIST_CLOSED = re.compile(r"\s*(?:[,.;:)]|$)|\s+(?:-{1,2}|[\u2013\u2014])(?=\s)|\s+(?:"
                          + "|".join(sorted(_LIST_ENDS)) + r")\b")
#: what says data in a sentence: a dataset's head word, a database, a resource or a knowledge base
_DATA_OR_RESOURCE = re.compile(_DATASET_WORDS.pattern + r"|\b(?:databases?|collections?|resources?|"
                               r"knowledge (?:base|graph)s?|treebanks?|lexicons?|ontolog(?:y|ies))\b", re.I)
#: "UI-to-code", "text-to-image": what a task turns into what, a lower-case word after "-to-"
#: (in any field a task, never a data set's name)
_CONVERSION = re.compile(r"[\w\-]+-to-[a-z][a-z\-]*")


#: "multi-hop reasoning (A, B), faithfulness (C), and refusal (D) benchmarks": brackets of names,
#: each after the words of a kind, coordinated under one plural head word that says they are data
_BRACKET_HEAD = re.compile(r"\)[ \t]+(?i:data ?sets|benchmarks|corpora|test suites)\b")
#: what joins one bracket to the next of such a coordination: ", faithfulness (", ", and refusal ("
_BRACKET_JOIN = re.compile(r"\)(?:,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+)"
                           r"(?!(?:against|on|in|for|with|from|by|to|of|over|than)\b)"  # a kind, no clause
                           r"(?:[\w\-]+[ \t]+){0,3}[\w\-]+[ \t]*\($")
#: an abbreviation: a few capital letters (and digits)
_CAPS_ONLY = re.compile(r"[a-z]?[A-Z][A-Z0-9]{1,3}s?")  # "NIR", "T2I", "fMRI" (not "TT100K")
#: the most brackets one coordination is read back through
_MAX_BRACKETS = 8


def _bracket_names(text: str, close: int) -> tuple[int, list[tuple[int, str]]] | None:
    """``(where the bracket opens, its names)`` of the bracket that closes at ``close`` when it
    holds only names shaped as names ("(HotpotQA, TAT-QA)", not "(see Section 3)")."""
    opening = text.rfind("(", max(0, close - 200), close)
    if opening < 0 or ")" in text[opening + 1:close]:
        return None
    items = _list_items(text[:close], opening + 1, strict=True)
    if not items or text[:close].rstrip() != text[:items[-1][0] + len(items[-1][1])]:
        return None  # something in the brackets is not a name
    if len(items) == 1 and _CAPS_ONLY.fullmatch(items[0][1]):
        return None  # "near-infrared (NIR)": the abbreviation of the words before, no data's name
    return opening, items


def _bracket_groups(text: str) -> list[list[tuple[int, str]]]:
    """The names in brackets of a coordination that a plural dataset head word ends: "gains on
    reasoning (FooQA, Bar-2), recall (BazSet) and refusal (BazSet-U) benchmarks" gives the four
    (any field groups its benchmarks by what they test so). Each bracket must hold only names
    shaped as names; the words between brackets say the kind of each.

    >>> text = "gains on reasoning (FooQA, Bar-2), recall (BazSet), and refusal (BazSet-U) benchmarks"
    >>> [[n for _, n in g] for g in _bracket_groups(text)]
    [['BazSet-U'], ['BazSet'], ['FooQA', 'Bar-2']]
    >>> _bracket_groups("results on tasks (see Section 2) datasets")
    []
    """
    out: list[list[tuple[int, str]]] = []
    for m in _BRACKET_HEAD.finditer(text):
        close = m.start()
        for _ in range(_MAX_BRACKETS):
            got = _bracket_names(text, close)
            if got is None:
                break
            opening, items = got
            out.append(items)
            join = _BRACKET_JOIN.search(text, max(0, opening - 60), opening + 1)
            if join is None:
                break
            close = join.start()
    return out


#: "cross-dataset detection between A and B", "cross-corpus transfer from A to B": the names a
#: cross-dataset study moves between are data sets (any field words such studies so)
_CROSS_DATA = re.compile(
    r"\b[Cc]ross-(?:dataset|corpus|corpora|benchmark)\b[^.;:()]{0,80}?\b(between|from)[ \t]+(?:the[ \t]+)?")
_TO_NEXT = re.compile(r"[ \t]+to[ \t]+(?:the[ \t]+)?")


def _cross_data(text: str) -> list[list[tuple[int, str]]]:
    """The names a cross-dataset study names as its two ends.

    >>> [[n for _, n in g] for g in _cross_data("Cross-dataset tests between Foo-of-Bar and BarSet.")]
    [['Foo-of-Bar', 'BarSet']]
    >>> [[n for _, n in g] for g in _cross_data("cross-corpus transfer from FooCorp to BarCorp-2.")]
    [['FooCorp'], ['BarCorp-2']]
    >>> _cross_data("cross-dataset gains between the two settings")
    []
    """
    out: list[list[tuple[int, str]]] = []
    for m in _CROSS_DATA.finditer(text):
        # names that look coined ("View-of-Foo" too: a capital after a hyphen), all of them
        items = _list_items(text, m.end(), strict=False, trim=True)
        if not all(coined(n) for _, n in items):
            continue
        out.append(items)
        if items and m.group(1) == "from":
            nxt = _TO_NEXT.match(text, items[-1][0] + len(items[-1][1]))
            if nxt is not None:
                more = _list_items(text, nxt.end(), strict=False, trim=True)
                if all(coined(n) for _, n in more):
                    out.append(more)
    return [items for items in out if items]


@Language.factory("kg_entities", default_config={"model_name": None})
def make_kg_entities(nlp: Language, name: str, model_name: str | None) -> KgEntities:
    """spaCy factory: ``nlp.add_pipe("kg_entities")``."""
    return KgEntities(nlp, name, model_name)
