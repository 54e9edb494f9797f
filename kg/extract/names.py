"""Whole names, not substrings: when a known name inside a longer one is not that name.

The gazetteer matches token sequences; spaCy splits "Lag-Llama" into ``Lag - Llama`` and
"Switch Transformer" is two tokens, so the known "Llama" and "Transformer" would match inside
other models' names. :func:`longer_name` finds the whole name around a match; :func:`in_sense`
checks that an ambiguous short name ("C4", "diffusion model") is used in its machine-learning
sense, from the words of the document.

>>> import spacy
>>> nlp = spacy.blank("en")
>>> doc = nlp("We compare Lag-Llama with the Switch Transformer and a Transformer.")
>>> longer_name(doc, 4, 5), longer_name(doc, 8, 9), longer_name(doc, 11, 12)
((11, 'Lag-Llama'), (30, 'Switch Transformer'), None)
>>> in_sense("C4", nlp("Leukotriene C4 levels rose.")), in_sense("C4", "We pre-train on C4.")
(False, True)
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc

from kg.extract.patterns import word_set

__all__ = ["AMBIGUOUS", "capitalised_before", "computing_text", "in_sense", "longer_name", "version_after"]

#: hyphen suffixes that use a name rather than make a new one: "Llama-based", "BERT-style"
_USE_SUFFIXES = frozenset({"based", "like", "style", "type", "level", "scale", "sized", "size", "free",
                           "inspired", "driven", "guided", "specific", "compatible", "family", "series",
                           "generated", "produced", "derived", "powered", "assisted", "enabled", "centric",
                           "agnostic", "dependent", "informed", "oriented", "aware", "enhanced",
                           "integrated", "equipped", "augmented", "conditioned", "infused", "empowered"})
#: capitalised words that do not make a new name when they precede one
_NOT_MODIFIERS = word_set("""
A An The This That These Those Our We Their Its Each Every Any All Both Such Other In On For With From By
To Of As At And Or But Unlike Like Using Via Than While When Where Whereas Although Since If However
Moreover Furthermore Finally First Second Then Thus Hence Also Only Here There Both Compared Standard
Vanilla Original Classic Classical Pretrained Pre-trained Large Small Base Deep Modern Recent Existing
""")
#: a known name that has other senses, and the words that show the machine-learning one
AMBIGUOUS: dict[str, re.Pattern] = {}
_ML_CONTEXT = re.compile(
    r"\b(?:neural|deep learning|machine learning|language models?|LLMs?|transformers?|pre-?train\w*|"
    r"fine-?tun\w*|training data|trained|datasets?|benchmarks?|GPUs?|generative|denoising|"
    r"text-to-image|image generation|tokens?|embeddings?|learning rate|inference|sampling steps|"
    r"score-based|generat\w+ (?:images|videos|samples)|classifiers?)\b",
    re.I,
)
# ("CTC" is also the circulating tumour cells of medical texts)
for _name in ("C4", "Diffusion Model", "Pile", "Gemini", "Claude", "Falcon",
              "Connectionist Temporal Classification"):
    AMBIGUOUS[_name.casefold()] = _ML_CONTEXT

#: words that say a text is about computing: learning, models trained on data, algorithms,
#: software (a biology, medicine, economics or geology abstract seldom writes any of them)
_COMPUTING_CONTEXT = re.compile(
    _ML_CONTEXT.pattern[:-3] + r"|algorithms?|algorithmic|computational|computationally|software|"
    r"solvers?|heuristics?|optimi[sz]ers?|architectures?|models? (?:trained|learns?)|"
    r"(?:un|self-|semi-)?supervised (?:learning|fine-tuning|training)|reinforcement learning|"
    r"end-to-end|AI|artificial intelligence|weakly supervised|multi-?agent|multimodal|robot\w*|"
    r"computers?|computing|web-based|automatic|automated|pipelines?)\b",
    re.I,
)


#: words of the natural, medical and social sciences' objects of study
_OTHER_FIELD = word_set("""
patient patients clinical clinically cell cells cellular protein proteins gene genes genetic mice rats
tissue tissues disease diseases species soil soils enzyme enzymes cancer cancers tumor tumors tumour
tumours therapy therapies acid acids molecule molecules compound compounds alloy alloys mineral minerals
sediment sediments firm firms economic economy household households tourism hospital hospitals serum
plasma infection infections vaccine vaccines drug drugs dose doses surgery surgical chemical chemistry
catalyst catalysts crystal crystals spin quantum galaxy galaxies star stars planet planets climate ocean
river rivers lake lakes forest forests crop crops plant plants animal animals bacteria viral virus viruses
""")
#: a text's words, lower case (for :data:`_OTHER_FIELD`)
_LOWER_WORD = re.compile(r"\w+")
#: pieces of :data:`_COMPUTING_CONTEXT`'s words that say computing wherever they stand (looked up
#: with ``in`` in the lower-cased text first: most texts of a computing corpus hold one)
_COMPUTING_PIECES = ("neural", "dataset", "algorithm", "benchmark", "transformer", "llm", "gpu",
                     "computational", "software", "machine learning", "deep learning", "language model",
                     "classifier", "embedding", "fine-tun", "finetun", "pre-train", "pretrain")


@lru_cache(maxsize=16)
def computing_text(text: str) -> bool:
    """Whether ``text`` (a title and abstract) may be about computing: it writes a word of
    learning, data, algorithms or software, or no word of another field's objects of study
    (patients, cells, proteins, soils, firms...). kg's unlisted names (an acronym defined with
    no word that says what it names, the trained model's tags) are read as methods and
    datasets only in such a text: in a medical abstract "Takotsubo cardiomyopathy (TTC)" or
    "hepatitis B virus (HBV)" is no method, and the model, trained on computing papers, has
    not learned that field's names.

    >>> computing_text("We train a neural network on chest X-rays of 300 patients.")
    True
    >>> computing_text("Takotsubo cardiomyopathy (TTC) was diagnosed in 12 patients; TTC recurred in 2.")
    False
    >>> computing_text("We present GhostConv, a cheap convolution for real-time detection.")
    True
    """
    low = text.lower()
    if any(piece in low for piece in _COMPUTING_PIECES) or _COMPUTING_CONTEXT.search(text) is not None:
        return True
    return _OTHER_FIELD.isdisjoint(_LOWER_WORD.findall(low))


def _attached(doc: Doc, i: int) -> bool:
    """Whether token ``i`` is written with no space after it."""
    return 0 <= i < len(doc) and not doc[i].whitespace_


#: a lower-case past participle after a hyphen says how a name is used, in any field: "SFT-trained",
#: "LLM-simulated", "GPT-annotated" (as the listed "-based", "-guided" do); a model's own name
#: does not end so
_PARTICIPLE = re.compile(r"[a-z]{2,}ed")

def _use_word(token) -> bool:
    """Whether ``token``, after a name and a hyphen, says how the name is used ("based",
    "trained"), not what more the name is ("Adapter" of "Llama-Adapter")."""
    return token.lower_ in _USE_SUFFIXES or _PARTICIPLE.fullmatch(token.text) is not None


#: a unit of size
_SIZE_UNIT = re.compile(r"[kKMGT]i?B")


def longer_name(doc: Doc, start: int, end: int) -> tuple[int, str] | None:
    """``(start char, text)`` of the longer name that tokens ``start:end`` are part of, if any.

    A match is part of a longer name when it is hyphen-joined to a word ("Lag-Llama",
    "Llama-Adapter", but not "Llama-based") or, a one-word name, follows a capitalised word
    that is not a function word inside a sentence ("Switch Transformer"; but "Sparse
    Mixture-of-Experts" keeps its Mixture-of-Experts).
    """
    first, last = start, end  # the longer name's token range
    # hyphen-joined words before: "Lag - Llama"
    while (first >= 2 and doc[first - 1].text == "-" and _attached(doc, first - 2)
           and _attached(doc, first - 1) and doc[first - 2].is_alpha):
        first -= 2
    # hyphen-joined words after: "Llama - Adapter", not "Llama - based"
    while (last + 1 < len(doc) and doc[last].text == "-" and _attached(doc, last - 1)
           and _attached(doc, last) and (doc[last + 1].is_alpha or doc[last + 1].like_num)
           and not _use_word(doc[last + 1])):
        last += 2
    if first == start and last == end and start >= 1 and end - start == 1:
        prev = doc[start - 1]
        at_sentence_start = start - 1 == 0 or doc[start - 2].text in {".", "!", "?", ":", "\n", "\n\n"} \
            or doc[start - 2].is_space
        # a unit written after a number ("3GB AQUAINT", "32GB V100") is a size, not a name's word
        unit = start >= 2 and doc[start - 2].like_num and _SIZE_UNIT.fullmatch(prev.text) is not None
        # and a whole word, not the end of one ("K" of "22K LabelMe"), in any text
        # and not a name used as a modifier, hyphen-joined to the word it describes ("a Real-Time
        # Transformer-Based Approach": Transformer describes the approach, no longer name is formed)
        used = (end + 1 < len(doc) and doc[end].text == "-" and _attached(doc, end - 1)
                and _use_word(doc[end + 1]))
        if (prev.is_alpha and prev.text[:1].isupper() and prev.text not in _NOT_MODIFIERS and not unit
                and not used
                and not (_attached(doc, start - 2) and doc[start - 2].text[-1:].isalnum())
                and not at_sentence_start and doc[start].text[:1].isupper() and prev.whitespace_ == " "):
            first = start - 1
            # and the words hyphen-joined before that word: "Deception-Aware GRPO" is the whole
            # name, never "Aware GRPO" (a name does not begin inside a hyphenated word)
            while (first >= 2 and doc[first - 1].text == "-" and _attached(doc, first - 2)
                   and _attached(doc, first - 1) and doc[first - 2].is_alpha):
                first -= 2
    if first == start and last == end:
        return None
    span = doc[first:last]
    return span.start_char, span.text


#: a version written after a model's name, as its makers write it: "Segment Anything Model 2",
#: "Stable Diffusion 3.5", "Stable Diffusion XL", "SigLIP 2", "YOLO v8" (a release is a model of
#: its own in any field's texts); then the end of the phrase, a bracket, "and"/"or", or a word in
#: lower case that is no plural ("SigLIP 2 encoders" reads, "BERT 3 times", "PCA 2 components" do
#: not: counts; but "SAM 2 models"). One digit before a point only, never 0: "CLIP 16.12",
#: "CLIP 0.31" are scores
_VERSION_AFTER = re.compile(
    r"[ \t](?:v?[1-9](?:\.\d{1,2})?|XXL|XL)"
    r"(?=[ \t]*(?:[,;:)\]]|\.(?!\d)|$)|[ \t]+\(|[ \t]+(?:and|or)\b|[ \t]+[a-z][a-z\-]*[a-rt-z]\b"
    r"|[ \t]+(?:models|encoders|decoders|backbones|variants|checkpoints|weights)\b)")


def version_after(text: str, end: int) -> int | None:
    """The end of a version written right after a name that ends at ``end`` (:data:`_VERSION_AFTER`),
    if any.

    >>> t = "We use Stable Diffusion XL, SigLIP 2 encoders and SAM 2 (a tracker); BERT 3 times."
    >>> [t[:version_after(t, t.index(n) + len(n))] for n in ("Diffusion", "SigLIP", "SAM")]
    ['We use Stable Diffusion XL', 'We use Stable Diffusion XL, SigLIP 2', \
'We use Stable Diffusion XL, SigLIP 2 encoders and SAM 2']
    >>> version_after(t, t.index("BERT") + 4), version_after("CLIP 0.31 higher", 4)
    (None, None)
    """
    m = _VERSION_AFTER.match(text, end)
    return m.end() if m else None


#: one to three capitalised words (hyphens inside) just before a position, after a space
_CAPITALS_BEFORE = re.compile(r"(?<![\w\-])((?:[A-Z][A-Za-z]*(?:-[A-Za-z]+)*[ \t]+){1,3})\Z")
_SENTENCE_END = re.compile(r"(?:[.!?:;]|\n)[\s\"'(\[]*\Z")


def capitalised_before(text: str, start: int, lo: int = 0) -> int | None:
    """Where a longer name begins that ends with the Title-Case name at ``start`` (in any text:
    "incorporates Masked Graph Contrastive Learning to ...", "the Personalized Federated Learning
    setting"): the capitalised words written just before it, inside a sentence (not its first
    word, capitalised as such, nor :data:`_NOT_MODIFIERS`: "Using Contrastive Learning", "the
    Standard Transformer"); ``None`` when there are none. Nothing before ``lo`` is read.

    >>> t = "It uses Masked Graph Contrastive Learning. Using Contrastive Learning, Deep Learning fails."
    >>> [capitalised_before(t, t.index(w))
    ...  for w in ("Contrastive", "Contrastive Learning,", "Learning fails")]
    [8, None, None]
    """
    m = _CAPITALS_BEFORE.search(text, max(lo, start - 60), start)
    if m is None:
        return None
    words = m.group(1).split()
    begin = m.start(1)
    while words:
        if words[0] in _NOT_MODIFIERS or _SENTENCE_END.search(text, max(lo, begin - 4), begin) or begin <= lo:
            begin = text.index(words[1], begin + len(words[0])) if len(words) > 1 else start
            words = words[1:]
            continue
        break
    return begin if words else None


def in_sense(name: str, doc: Doc | str) -> bool:
    """Whether a known name is used in its machine-learning sense in ``doc`` (a Doc or its text):
    always, unless it is one of :data:`AMBIGUOUS`; then the document must say something about
    learning."""
    context = AMBIGUOUS.get(name.casefold())
    return context is None or bool(context.search(doc if isinstance(doc, str) else doc.text))
