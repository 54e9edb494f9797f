"""kg's trained entity recogniser: loading the shipped pipeline and reading its spans as names.

The model (``kg/extract/model/pipeline``, made by :mod:`kg.extract.train`) tags each token
``B-``/``I-`` Method, Dataset, Task or Metric, or ``O``. It runs before ``kg_entities``, which
merges its spans with the rules and the gazetteer in one place (:func:`model_candidates`):

* the rules win: a span the gazetteer, an acronym or a pattern already explains adds nothing;
* a Method or Dataset span must read as a *name*, not a description: a word shaped like a
  name (``TimesFM``, ``S4D``, ``GAP-20``), a capitalised word inside the sentence
  (``Nyström approximation``, ``Chronos``), never a generic phrase ("our approach") nor a
  known task;
* a Task span is a short noun phrase (at most five words), a Metric span at most four words.

>>> nlp = load_model()
>>> nlp.pipe_names
['entity_tagger']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy
import spacy
from spacy.attrs import TAG
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ExtractionError
from kg.extract.patterns import word_set

__all__ = ["MEASURED_AFTER", "METRIC_HEADS", "MODEL_NAME", "MODEL_PATH", "SHIPPED", "TASK_NOT_METHOD",
           "bio_spans", "load_model", "model_candidates", "tag_docs"]

#: the value of ``model=`` that selects the shipped model (``kg build`` uses it by default)
SHIPPED = "kg"
#: the name recorded in each mention's ``origin`` (``model:kg-ner``)
MODEL_NAME = "kg-ner"
MODEL_PATH = Path(__file__).resolve().parent / "model" / "pipeline"

#: words before a name that are not part of it; "new" only in lower case ("New York Times")
_LEAD = re.compile(r"^(?:(?:(?i:a|an|the|our|their|its|this|these|those|both|each|all)"
                   r"|new|novel|proposed)\s+)+")
_TRAIL_DATASET = re.compile(r"\s+(?:data ?sets?|benchmarks?|corpus|corpora|databases?|collections?)$", re.I)
_BAD_CHARS = re.compile(r"[=<>{}\[\]|@$#\\\"]|\d\s*%|^\W|[,;:(\-/]$")
#: joining words that neither begin nor end a name (in any case: titles in capitals)
_EDGE_WORDS = word_set("of and or the in for to with on by at from versus vs")
#: CJK and full-width punctuation and forms: a span holding them ran on into a sentence
_WIDE_CHARS = re.compile(r"[\u3000-\u303f\uff00-\uffef]")
_CAPS_WORD = re.compile(r"[A-Z]{3,}")
_ANY_WORD = re.compile(r"[A-Za-z]{3,}")


def _shouted(text: str, start: int, length: int) -> bool:
    """Whether ``text[start:start + length]``, written in capitals, stands in a line written in
    capitals (a title or a heading typed so: "CARBON TAXES VERSUS CAP AND TRADE"), where capitals
    say nothing of names: of the (up to six) words before and after it on its line, at least
    three, and all but one, are all capitals.

    >>> _shouted("PLANES OF MORPHISMS AND RANDOM VARIABLES\\n\\nWe study them.", 31, 9)
    True
    >>> _shouted("We train GPT and BERT with LoRA on GLUE.", 9, 3)
    False
    """
    span = text[start:start + length]
    if not span.isupper():
        return False
    lo = text.rfind("\n", max(0, start - 60), start) + 1 or max(0, start - 60)
    hi = text.find("\n", start + length, start + length + 60)
    hi = hi if hi >= 0 else min(len(text), start + length + 60)
    around = _ANY_WORD.findall(text, lo, start)[-6:] + _ANY_WORD.findall(text, start + length, hi)[:6]
    return len(around) >= 3 and sum(bool(_CAPS_WORD.fullmatch(w)) for w in around) >= max(3, len(around) - 1)


_TASK_BAD = re.compile(r"\d|[A-Z]{2}|[()/:;,=%]")
#: first words that make a task's span a manner ("automatic identification", "theoretical
#: understanding") or a verb with its object ("reducing reasoning error"), not a task's name;
#: the manner words only before a lone head ("automatic speech recognition" is a task)
_NOT_TASK_FIRST = word_set(
    "automatic automated adaptive continuous theoretical efficient effective accurate reliable robust "
    "scalable fast improved better precise simultaneous direct joint "
    "reducing evaluating improving enhancing enabling achieving increasing decreasing boosting "
    "mitigating measuring assessing facilitating supporting promoting preventing avoiding ensuring"
)


def bio_spans(doc: Doc) -> list[tuple[int, int, str]]:
    """``(start token, end token, label)`` of the entities of a doc tagged BIO by the model.

    An ``I-`` tag that does not continue an entity of its label starts one.

    >>> doc = spacy.blank("en")("we use Big Net on Foo")
    >>> for t, tag in zip(doc, ["O", "O", "B-Method", "I-Method", "O", "I-Dataset"]):
    ...     t.tag_ = tag
    >>> bio_spans(doc)
    [(2, 4, 'Method'), (5, 6, 'Dataset')]
    """
    out: list[tuple[int, int, str]] = []
    if not len(doc):
        return out
    tags = doc.to_array("TAG")  # hashes: only the tokens not tagged O are looked at in Python
    strings = doc.vocab.strings
    outside = {strings.add("O"), 0}
    start, label, last = -1, "", -2
    for i in numpy.flatnonzero(~numpy.isin(tags, list(outside))).tolist():
        tag = strings[int(tags[i])]
        if tag.startswith("I-") and label == tag[2:] and i == last + 1:
            last = i
            continue
        if label:
            out.append((start, last + 1, label))
            label = ""
        if tag.startswith(("B-", "I-")):
            start, label = i, tag[2:]
        last = i
    if label:
        out.append((start, last + 1, label))
    return out


@lru_cache(maxsize=1)
def load_model() -> Language:
    """The shipped pipeline (one ``entity_tagger`` component), loaded once per process."""
    if not (MODEL_PATH / "config.cfg").is_file():
        raise ExtractionError(
            f"the trained model is missing from {MODEL_PATH}; expected it in the installed package "
            "(reinstall kg, or retrain it: python -m kg.extract.train --shared SHARED_DATA_DIR), "
            "or run without it (kg build --no-model)"
        )
    return spacy.load(MODEL_PATH)


def tag_docs(tagger, docs: list[Doc]) -> list[Doc]:
    """``docs`` tagged by ``tagger`` (the pipeline's ``entity_tagger``) in one batch.

    What ``tagger.pipe`` does, but each doc's tags are set from one array (spaCy's tagger sets
    them one token at a time in Python: a tenth of the tagger's time on abstracts).

    >>> nlp = load_model()
    >>> docs = tag_docs(nlp.get_pipe("entity_tagger"), [nlp.make_doc("We use ImageNet."), nlp.make_doc("")])
    >>> [t.tag_[:2] in ("O", "B-", "I-") for t in docs[0]], len(docs[1])
    ([True, True, True, True], 0)
    """
    if not any(len(doc) for doc in docs):
        return docs
    guesses = tagger.predict(docs)
    strings = docs[0].vocab.strings
    hashes = numpy.array([strings.add(label) for label in tagger.labels], dtype="uint64")
    for doc, ids in zip(docs, guesses, strict=True):
        if len(doc):
            doc.from_array([TAG], hashes[numpy.asarray(ids)].reshape(-1, 1))
    return docs


def _sentence_start(doc: Doc, i: int) -> bool:
    """Whether token ``i`` starts a sentence or a line (titles, list items)."""
    if i == 0:
        return True
    prev = doc[i - 1]
    return prev.is_space or "\n" in prev.whitespace_ or prev.text in {".", "!", "?", ":", ";", "\n\n"}


def _two_letters(text: str) -> bool:
    """Whether ``text`` has at least two letters (stops at the second)."""
    seen = False
    for c in text:
        if c.isalpha():
            if seen:
                return True
            seen = True
    return False


def _reads_as_name(doc: Doc, start: int, end: int, name_shape) -> bool:
    for i in range(start, end):
        word = doc[i].text
        if name_shape(word):
            return True
        if word[:1].isupper() and len(word) > 1 and not _sentence_start(doc, i):
            return True
        if "-" in word and any(p[:1].isupper() for p in word.split("-")[1:]):
            return True  # "Lag-Llama", "k-Means"
    return False


def model_candidates(doc: Doc, *, is_generic, is_task, name_shape, common_acronyms=frozenset(),
                     title_end: int = 0, method_heads=frozenset(),
                     taken: Sequence[tuple[int, int]] = ()) -> list[tuple[int, str, str]]:
    """``(start char, label, text)`` of the model's spans in ``doc`` that pass the name checks.

    The checks are passed in (``is_generic``, ``is_task``, ``name_shape`` from the rules) so
    that both sides judge names the same way. In the title (its first ``title_end``
    characters), where every word is capitalised, a name needs a word shaped like one.
    ``taken``: character ranges the rules already explain; a name that would start inside one
    is skipped before its checks (it would overlap the rules' span whatever it became).
    """
    if not doc.has_annotation("TAG"):
        return []
    inside = None  # per character of the text: whether the rules took it
    if taken and len(doc):
        inside = bytearray(doc[-1].idx + len(doc[-1].text_with_ws))
        for a, b in taken:
            a, b = max(a, 0), min(b, len(inside))
            if a < b:
                inside[a:b] = b"\x01" * (b - a)
    out: list[tuple[int, str, str]] = []
    for start, end, label in bio_spans(doc):
        span = doc[start:end]
        text = span.text.strip()
        if label in ("Method", "Dataset") and text.lower() == text:
            continue  # a name needs a capital letter (_reads_as_name): most of the model's spans
        lead = _LEAD.match(text)
        if lead:
            text = text[lead.end():]
            while start < end and span.start_char + lead.end() > doc[start].idx:
                start += 1
        if not text or _BAD_CHARS.search(text) or "\n" in text or not _two_letters(text):
            continue
        start_char = doc[start].idx if start < end else span.start_char
        parts = _parts(text, start_char, label)
        # "the Youtube and Gplus datasets": the head word after the last name is every name's
        shared_head = label == "Dataset" and len(parts) > 1 and bool(_TRAIL_DATASET.search(parts[-1][1]))
        for i, (part_start, part) in enumerate(parts):
            if inside is not None and part_start < len(inside) and inside[part_start]:
                continue
            out.extend(_check(doc, part_start, label, part, is_generic, is_task, name_shape,
                              common_acronyms, title_end, method_heads,
                              has_head=shared_head and i < len(parts) - 1))
    return out


#: "A and B", "A, B", "A & B"; an "&" inside a word ("Q&A") joins nothing
_CONJ = re.compile(r"\s*(?:,\s*(?:and|or)?|\band\b|\bor\b)\s*|\s+&\s+")
_TRAIL_CONJ = re.compile(r"(?:\s*(?:,|\band\b|\bor\b)|\s+&)+\s*$")


def _parts(text: str, start: int, label: str) -> list[tuple[int, str]]:
    """A Method or Dataset span that coordinates names ("Youtube and Gplus") as its names:
    each is its own entity. A dangling "and" at either end is dropped.

    >>> _parts("Youtube and Gplus", 10, "Dataset")
    [(10, 'Youtube'), (22, 'Gplus')]
    >>> _parts("IndBAN and", 0, "Dataset"), _parts("question answering and retrieval", 0, "Task")
    ([(0, 'IndBAN')], [(0, 'question answering and retrieval')])
    >>> _parts("AOL & Health Q&A", 0, "Dataset")
    [(0, 'AOL'), (6, 'Health Q&A')]
    """
    text = _TRAIL_CONJ.sub("", text)
    if label not in ("Method", "Dataset"):
        return [(start, text)] if text else []
    out: list[tuple[int, str]] = []
    pos = 0
    for m in [*_CONJ.finditer(text), None]:
        end = m.start() if m else len(text)
        piece = text[pos:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append((start + pos + lead, piece.strip()))
        if m:
            pos = m.end()
    return out


#: the last word of a research task ("image generation", "question answering")
_TASK_HEADS = word_set("""
generation recognition translation classification detection segmentation estimation forecasting
prediction answering retrieval summarization summarisation parsing synthesis reasoning modeling
modelling tracking reconstruction completion alignment extraction captioning understanding
localization localisation labeling labelling tagging matching ranking recommendation control
planning navigation manipulation inpainting editing denoising compression clustering diagnosis
identification verification discovery simplification correction resolution linking grounding
restoration enhancement super-resolution deblurring dehazing
""")
#: task heads that also end the names of techniques ("Hungarian matching", "Adaptive Control")
_TECHNIQUE_HEADS = word_set("matching control alignment editing ranking modeling modelling compression "
                            "planning tracking retrieval clustering correction")
#: the head words that make a Method's name a task's ("VFSS Segmentation")
_TASK_NOT_METHOD = _TASK_HEADS - _TECHNIQUE_HEADS | {"disambiguation"}
#: (public: the rules label an acronym's long form by it too)
TASK_NOT_METHOD = _TASK_NOT_METHOD
#: a word after a name that makes it a metric's ("an IDF1 score of 96.1")
_METRIC_NEXT = word_set("score scores metric metrics")
#: words after a name that make it a task's, a campaign's or data's, not a method's
_NOT_METHOD_NEXT = word_set("task tasks challenge challenges campaign track dataset datasets benchmark "
                            "benchmarks corpus corpora database databases treebank subset subsets split "
                            "splits testset testsets leaderboard")
#: the last words of a measurement's name: "Speech Intelligibility Index", "Word Error Rate",
#: "Perceptual Evaluation of Speech Quality" (a metric is not a node; the rules use it too)
METRIC_HEADS = word_set("index score quality metric measure rate ratio error accuracy")
#: single words that name an evaluation metric
_METRIC_WORDS = word_set("accuracy perplexity precision recall f1 f-score f-measure auc bleu rouge "
                         "meteor cider fid psnr ssim mae mse rmse wer cer map mrr ndcg "
                         # well-known measures of other fields: error, correlation, tracking,
                         # image and text quality, cost ("mIoU", "PLCC", "HOTA", "GFLOPs")
                         "mape smape wmape rmsle r2 plcc srcc srocc krcc krocc iou miou dice hota mota "
                         "motp idf1 eer lpips fvd kid niqe brisque musiq spice chrf ter bleurt bertscore "
                         "clipscore comet xcomet mauve chair flops gflops tflops mflops macs roc-auc auroc "
                         "auc-roc auprc pr-auc")


#: a value after a name: "MAE = 0.42", "an AP50 of 0.87", "a PDMS of 89.6%": the name is a
#: measurement's there, not a method's ("MAE" the error, not the Masked Autoencoder); a decimal
#: or a percentage only ("a GAN of 3 layers" measures nothing). The rules use it too.
MEASURED_AFTER = re.compile(r"[ \t]*(?:=[ \t]*[±+\-]?\.?\d|of[ \t]+[±+\-]?(?:\d*\.\d|\d+[ \t]*%))")
#: a measured value: "2.05", "2.05/2.12", "27.3%", "±0.4"
_SCORE = re.compile(r"[±+\-]?\d+(?:\.\d+)?%?(?:/\d+(?:\.\d+)?%?)*[,;]?")
#: a quantity with its unit, not a name: "49kB", "16GB", "2.4GHz", "1D--3D"; a quantisation's
#: bit widths ("W3A4", "W4A8KV4")
_QUANTITY = re.compile(r"\d[\d.,]*\s*(?:[kKMGTP]i?B|[kMG]?Hz|[kMGT]?W|[kMGTP]?FLOPs?|D)"
                       r"(?:\s*(?:-+|–|/|to)\s*\d[\d.,]*\s*(?:[kKMGTP]i?B|D))?|W\d+A\d+(?:KV\d+)?")
#: the last word of a field of study or of a language, not of a method: "Environmental
#: Science", "Software Engineering", "Arabic NLP", "English as a Foreign Language"
_FIELD_LAST = word_set("science sciences engineering studies humanities nlp language languages linguistics")
#: conferences the model reads as names of methods ("8,485 ICLR submissions"); only its Method
#: spans: a venue's name may name data ("the NIPS data set") or a method of that name
_VENUES = word_set("neurips nips iclr icml cvpr iccv eccv emnlp naacl aaai ijcai sigir icassp "
                   "interspeech")


def _cut(doc: Doc, start: int, end: int) -> bool:
    """Whether tokens ``start:end`` cut a word written without spaces ("Self" of "Self-Refine")."""
    before = start > 0 and not doc[start - 1].whitespace_ and not doc[start - 1].is_punct
    before = before or (start > 1 and doc[start - 1].text in "-/" and not doc[start - 1].whitespace_
                        and not doc[start - 2].whitespace_)
    after = end < len(doc) and not doc[end - 1].whitespace_ and doc[end].text in "-/" \
        and end + 1 < len(doc) and not doc[end].whitespace_
    return bool(before or after)


#: the endings of English nouns of a state or quality ("Dominance", "Efficacy", "Atomicity",
#: "Fairness", "Egalitarianism"): a capitalised phrase of plain words that ends with one names a
#: phenomenon, a property or a concept ("Contextual Dominance", "Guidance Efficacy"), not a method
_STATE_NOUN = re.compile(r"(?:ance|ence|ity|ness|acy|ism|ship|hood)$")
#: such nouns that do end the names of methods ("Variational Inference", "Classifier-Free
#: Guidance", "Finite Difference", "Sequence-to-Sequence")
_STATE_METHOD_HEADS = word_set("inference guidance difference sequence reference ensemble")
#: the last words of a statement, a law or an observed effect: "Proactive Dominance Theorem",
#: "Zipf Law", "Matthew Effect"; a result or a phenomenon, not a method ("Theory" is left out:
#: "Item Response Theory" is used as a method)
_STATEMENT_HEADS = word_set("theorem lemma corollary conjecture hypothesis law paradox phenomenon effect "
                            "dilemma fallacy bias collapse")


def _phenomenon(words: list[str], name_shape) -> bool:
    """Whether a Method span of plain capitalised words names a phenomenon, a property or a
    statement by its last word (:data:`_STATE_NOUN`, :data:`_STATEMENT_HEADS`); a coined word
    anywhere ("FinLLM Readiness", "CodeEnhance") keeps it a name.

    >>> _phenomenon(["Contextual", "Dominance"], lambda w: False)
    True
    >>> no = lambda w: False
    >>> _phenomenon(["Variational", "Inference"], no), _phenomenon(["Pr", "Prism"], no)
    (False, False)
    """
    last = words[-1]
    low = last.lower()
    if not (last[:1].isupper() and last[1:].replace("-", "").islower()):
        return False
    if low in _STATEMENT_HEADS:
        pass
    elif len(low) < 7 or not _STATE_NOUN.search(low) or low.rsplit("-", 1)[-1] in _STATE_METHOD_HEADS:
        return False
    return not any(name_shape(w) for w in words)


#: acronyms of model categories: a phrase that ends with one describes a kind of model
_CATEGORY_ACRONYMS = frozenset({"LLM", "MLLM", "VLM", "LMM", "LRM", "SLM", "VLA"})

#: a plain lowercase word ("multimodal", "fully-supervised") opening a span of a capitalised one
_PLAIN_LOWER = re.compile(r"[a-z]+(?:-[a-z]+)*")
#: an acronym in its plural ("LVLMs", "BRDFs", "T2IMs")
_PLURAL_ACRONYM = re.compile(r"[A-Z][A-Z0-9]{2,}[A-Z]s")
#: a metric at a cut-off or threshold ("mAP50", "AP50:95", "Rank-1", "R@10", "Top-5"); a bare
#: "AP50" is left to the checks of what follows it ("an AP50 of 0.87")
_METRIC_AT = re.compile(r"mAP\d+(?:[:-]\d+)?|AP\d+[:-]\d+|(?:Rank|Top|Hits?|Recall|NDCG|MRR|R|P)[-@]\d+")
#: an acronym in brackets after a name: " (SCJD)", " (V-NAW)", " (DualCP)"
_ACRONYM_AFTER = re.compile(r" ?\(([A-Za-z][A-Za-z0-9-]*)\)")
#: a hyphenated compound of a capitalised word just before a span: "Octree-based ", "Multi-view "
_COMPOUND_BEFORE = re.compile(r"(?<![\w-])[A-Z][A-Za-z0-9]*(?:-[a-z]+)+ $")


#: a metric's variant: its order, cut-off or part ("BLEU-4", "ROUGE-L", "chrF++", "FPR95",
#: "PA-MPJPE", "Seg_mIoU"); a measure in any field, never a method's name
_METRIC_VARIANT = re.compile(r"(?:[A-Za-z]{1,4}[-_])?([A-Za-z]+)(?:[-_]?(?:\d+|[A-Za-z])|\+\+?)?")
#: measures of fields beside those of :data:`_METRIC_WORDS` that the metric variants above use:
#: speech quality and intelligibility, pose error, false and true positive rates
_METRIC_VARIANT_WORDS = word_set("pesq stoi mpjpe fpr tpr aupr pck")
#: a value just before a name makes the name its unit or measure: "58.5 BLEU-1", "42.2% CAGR",
#: "0.82% ARPU", "+13 percent AUROC" (a decimal or a percentage; "7B Llama", "3 models" are not)
_VALUE_BEFORE = re.compile(r"(?:\d*\.\d+|\d(?:\s*\\?%|\s+percent))\s*$")
#: the words that call what follows them a metric: "an objective metric PartEval", "evaluation
#: metrics (PESQ, ...)"; and the few words written between them and the name
_METRIC_BEFORE = word_set("metric metrics")  # not "measures": "repeated measures ANOVA"
_BETWEEN_WORDS = word_set("( , : e.g. e.g., i.e. such as like called named namely termed dubbed")
#: a year after a name: an event's or a report's edition ("EvalLLM 2025 challenge", "RoboSense
#: 2025: Track 3", "LeWiDi-2025"), not a method (a model's version is a small number: "Qwen 2.5")
_YEAR = re.compile(r"(?:19[5-9]|20[0-3])\d")
_YEAR_END = re.compile(r"[-\s](?:19[5-9]|20[0-3])\d$")
#: words after a name that make it a disease's or an outbreak's ("the COVID-19 pandemic")
_DISEASE_NEXT = word_set("pandemic pandemics epidemic epidemics outbreak outbreaks infection infections")
#: head words of hardware, of a simulated world, a licence, a project, a platform, a conference or
#: standards, after a name or ending it ("a single H100 GPU", "the CommonRoad simulator", "the
#: PettingZoo environment", "a Creative Commons license", "the ForestEyes project", "the FAccT
#: conference"): what the name is, not a method, in any field ("API" and "library" are left out:
#: a model's API, a method's library are the method's; "standard": "BERT standard fine-tuning";
#: "format": "the FLAME format" is a parametric model's)
_THING_HEADS = word_set("gpu gpus cpu cpus tpu tpus simulator simulators environment environments license "
                        "licence project projects platform platforms conference conferences "
                        "standards")
#: the last word of an organisation's or a place's name: "Karlsruhe Institute", "Italian
#: Medicines Agency", "Codec Avatars Lab", "Guangdong Province" (in any field's texts)
_ORG_LAST = word_set("""
Institute Institution Agency Lab Labs Laboratory Laboratories Centre Center University
Foundation Association Society Council Ministry Department Committee Consortium Commission
Organization Organisation Corporation Company Inc Ltd Academy Bureau Hospital College Province
County School
""")
#: the last word of a device's name ("Consumer LiDAR", "Event Camera", "Wearable Sensors"): hardware
#: in any field's texts, not a method (only as the span's last word: "LiDAR odometry" is a method's)
_DEVICE_LAST = word_set("lidar lidars camera cameras sensor sensors")
#: a task's head word kept out of ``TASK_NOT_METHOD`` (the rules' long forms): a model's span
#: "Risk Assessment", "Image Quality Assessment" names what is assessed, a task, in any field
_MODEL_TASK_LAST = _TASK_NOT_METHOD | {"assessment"}
#: languages, peoples and regions: a span of plain words with one of them names a language, a
#: people, a script or a place ("Classical Chinese", "Germanic Europe", "Middle Eastern"), or a
#: language's task ("Persian ASR"); not a method ("Hungarian" is left out: the
#: Hungarian algorithm)
_PEOPLES = word_set("""
English French German Germanic Spanish Chinese Japanese Korean Arabic Russian Italian
Portuguese Hindi Dutch Swedish Turkish Vietnamese Indonesian Greek Polish Persian Farsi
Bengali Bangla Urdu Thai Malay Malaysian Swahili Hebrew Czech Ukrainian Finnish Danish
Norwegian Tamil Telugu Quechua Latin Europe European Asia Asian Africa African America
American Eastern Western Nordic Indian Iranian Mexican Brazilian Canadian Australian
""")


def _cut_long_form(doc: Doc, start: int, end: int) -> bool:
    """Whether the span ``doc[start:end]`` is the tail of a longer name that an acronym in
    brackets right after it abbreviates: "Video-based Noise-aware [Adaptive Weighting] (V-NAW)",
    "Sparse Correlation and [Joint Distillation] (SCJD)". The acronym begins with another
    letter than the span, and a capitalised word a few words before the span (same sentence)
    begins with the acronym's letter: the name starts there, the model read its end only.
    """
    after = _ACRONYM_AFTER.match(doc.text, doc[end - 1].idx + len(doc[end - 1].text))
    if after is None or sum(c.isupper() for c in after.group(1)) < 2:
        return False
    first = after.group(1)[0].upper()
    if doc[start].text[:1].upper() == first:
        return False
    for i in range(start - 1, max(-1, start - 7), -1):
        tok = doc[i]
        if tok.text in {".", "!", "?", ";", ":"} or "\n" in tok.whitespace_:
            break
        if tok.text[:1] == first:
            return True
    return False


_LONG_FORM_JOINS = word_set("for and of the in with to on via -")


def _cut_after_acronym(doc: Doc, start: int) -> bool:
    """Whether the span at token ``start`` is a later part of a long form written after its
    acronym and a dash or colon: "PANGOLIN - Patch-based Alignment for [Noisy Graph Learning]"
    (any field's texts name a resource so). Walking left over capitalised words and joining
    words, the run reaches the dash after an acronym (two capitals or more) and begins, as the
    acronym does, with its letter; a span right after the dash is the whole long form's start.
    """
    i = start - 1
    while i > 0 and start - i <= 12:
        tok = doc[i]
        if tok.text == ":" or (tok.text in {"-", "–", "—"} and doc[i - 1].whitespace_):
            break  # a dash with a space before it (or a colon): where the long form begins
        infix = doc[i - 1].text == "-" and not doc[i - 1].whitespace_  # "Patch-[based]"
        if not (tok.text[:1].isupper() or tok.lower_ in _LONG_FORM_JOINS or infix):
            return False
        i -= 1
    if i < 1 or i >= start - 1 or doc[i].text not in {"-", "–", "—", ":"}:
        return False
    acronym = doc[i - 1].text
    return (sum(c.isupper() for c in acronym) >= 2 and acronym[:1].isupper()
            and doc[i + 1].text[:1].upper() == acronym[0])


def _metric_variant(text: str) -> bool:
    """Whether ``text`` writes a known metric with its order, cut-off or part
    (:data:`_METRIC_VARIANT`).

    >>> [_metric_variant(t) for t in ("BLEU-4", "ROUGE-L", "chrF++", "FPR95", "PA-MPJPE", "Seg_mIoU")]
    [True, True, True, True, True, True]
    >>> [_metric_variant(t) for t in ("MAE-Net", "ResNet-50", "BLEURT-Net", "DICE-2")]
    [False, False, False, True]
    """
    m = _METRIC_VARIANT.fullmatch(text)
    if m is None or m.group(1) == text:
        return False
    word = m.group(1).lower()
    return word in _METRIC_WORDS or word in _METRIC_VARIANT_WORDS


def _people_or_language(words: list[str], name_shape, is_task, method_heads=frozenset()) -> bool:
    """Whether a span names a language, a people or a place (:data:`_PEOPLES`), or a language's
    task: its other words are plain ("Classical Chinese", "Middle Eastern") or a task
    ("Persian ASR"); "Chinese ModernBERT", "Greek Embedding Models" (a method's head word last)
    and "Indian Buffet Process" (a stochastic process, named in any field's texts) stay names."""
    rest = [w for w in words if w not in _PEOPLES]
    if len(rest) == len(words) or words[-1].lower() in method_heads or words[-1] in ("Process", "Processes"):
        return False
    return not any(name_shape(w) for w in rest) or is_task(" ".join(rest))


def _called_metric(doc: Doc, start: int) -> bool:
    """Whether the words just before token ``start`` call it a metric or a measure ("an
    objective metric PartEval", "evaluation metrics (PESQ, ...)", "metrics such as X")."""
    i = start - 1
    while i >= 0 and start - i <= 4:
        low = doc[i].lower_
        if low in _METRIC_BEFORE:
            return True
        if low not in _BETWEEN_WORDS:
            return False
        i -= 1
    return False


#: a score: a decimal or a percentage ("0.887", "+13%", "24.8%,")
_SCORE_TOKEN = re.compile(r"[±+\-]?\d*\.\d+%?,?|[±+\-]?\d+(?:\.\d+)?\\?%,?")
#: words of speed: "5.56 times speedup on X" reads a model X, not data
_SPEED_WORDS = word_set("speedup speed-up speedups faster acceleration throughput latency")
#: words of a change in a measure: "a reduction in X", "gains in X" (X is the measure)
_CHANGE_WORDS = word_set("reduction reductions increase increases improvement improvements decrease "
                         "decreases gain gains drop drops rise boost error errors")


def _scored_on(doc: Doc, start: int, end: int, method_heads=frozenset()) -> str | None:
    """Whether the name at tokens ``start:end`` is where a score was measured ("+13% AUROC on X",
    "0.474 on X", "51.1 in X", "24.8%, respectively, on X": a score a few words before "on" or
    "in", same clause, says X is the data evaluated on, in any field's text); not "10.4% on the X
    backbone" (a method's head after it) nor "5.56 times speedup on X" (a speed: X is a model).
    ``"data"`` then; ``"measure"`` for a change in X ("a 34.8% reduction in X": X is a metric);
    else ``None``."""
    i = start - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    if i < 0 or doc[i].lower_ not in ("on", "in"):
        return None
    if end < len(doc) and (doc[end].lower_ in method_heads or doc[end].lower_ in ("backbone", "backbones")):
        return None
    for k in range(i - 1, max(-1, i - 7), -1):
        tok = doc[k]
        if tok.text in {".", ";", ":", "!", "?"} or tok.lower_ in _SPEED_WORDS:
            return None
        if _SCORE_TOKEN.fullmatch(tok.text) or (tok.like_num and k + 1 < i
                                                 and doc[k + 1].text in ("%", "\\%")):
            return "measure" if doc[i].lower_ == "in" and doc[i - 1].lower_ in _CHANGE_WORDS else "data"
    return None


#: an acronym in capitals and digits ("S2TT", "UASR"; not "FedMedCLIP", a name)
_CAPS_ACRONYM = re.compile(r"[A-Z][A-Z0-9-]*[A-Z0-9]")


def _task_acronym(doc: Doc, start: int, end: int, method_heads=frozenset()) -> bool:
    """Whether tokens ``start:end`` name a task: an acronym in capitals in brackets after a long
    form that ends with a task's head word in lower case ("speech-to-speech translation (S2ST)",
    "unsupervised speech recognition (UASR)"; not "Semantic-Consistent Classification (CSCC)",
    a method named in Title Case, nor "image classification (FedMedCLIP)"), or a name a task's
    head word follows ("AIGC detection", "(T2SV) generation"), in any field's text; not a name
    before a task's word and a method's head ("the nnInteractive segmentation model")."""
    if (start >= 2 and doc[start - 1].text == "(" and doc[start - 2].text in _TASK_NOT_METHOD
            and end - start == 1 and _CAPS_ACRONYM.fullmatch(doc[start].text)):
        return True
    j = end + (end < len(doc) and doc[end].text == ")")
    return (j < len(doc) and doc[j].text.islower() and doc[j].text in _TASK_NOT_METHOD
            and not (j + 1 < len(doc) and doc[j + 1].lower_ in method_heads))


#: the data words whose "based on X" / "derived from X" names data: "a new benchmark, based on
#: X", "a corpus derived from X" (in any field, what a dataset is built from is data)
_DATA_HEADS = word_set("benchmark benchmarks dataset datasets corpus corpora suite testbed")
_FROM_WORDS = {("based", "on"), ("built", "on"), ("built", "upon"), ("derived", "from")}


def _data_source(doc: Doc, start: int) -> bool:
    """Whether the span at token ``start`` follows "based on" (or "built on", "derived from") that
    follows a data word within three tokens ("a reasoning benchmark, based on RAVEN"; not "a
    model based on BERT")."""
    if start < 3 or (doc[start - 2].lower_, doc[start - 1].lower_) not in _FROM_WORDS:
        return False
    return any(doc[i].lower_ in _DATA_HEADS for i in range(max(0, start - 6), start - 2))


def _check(doc: Doc, start_char: int, label: str, text: str, is_generic, is_task, name_shape,
           common_acronyms, title_end: int, method_heads=frozenset(),
           has_head: bool = False) -> list[tuple[int, str, str]]:
    """``[(start char, label, text)]`` when one span passes the checks of its label, else ``[]``.

    ``has_head``: a Dataset name coordinated before the head word of another ("Youtube" of
    "Youtube and Gplus datasets") needs no head word of its own. The checks on the text come
    first, those that read the tokens around the span (slower) last."""
    if not text or text.count("(") != text.count(")"):
        return []
    length = len(text)  # the span as the model tagged it
    words = text.split()
    headed = False  # a Method's name came with a generic head ("... Enhancement Module")
    phenomenon = False  # a Method's name reads as a phenomenon's (:func:`_phenomenon`)
    if label in ("Method", "Dataset"):
        if label == "Dataset":
            bare = _TRAIL_DATASET.sub("", text)
            if (bare == text and not has_head) or not bare:
                return []  # the model's own convention: "X dataset", the head word in the span
            text, words = bare, bare.split()
        while label == "Method" and len(words) > 1 and is_generic(words[-1]):
            if words[-1].lower() in _NOT_METHOD_NEXT:
                return []  # "the ATIS CSR task", "the Quandle benchmark": data or a task, not a method
            if len(words) > 2 and all(w[:1].isupper() for w in words) and not any(
                    name_shape(w) for w in words[:-1]):
                # "Progressive Disclosure Model": a capitalised head is part of a name of plain
                # words ("GlimNet Enhancement Module" is GlimNet Enhancement's module)
                break
            headed = True
            words.pop()  # "GPT models", "Self-Feedback framework": the name without its head
            text = text[: text.rindex(words[-1]) + len(words[-1])]
        if len(words) > 6 or is_generic(text) or is_task(text) or all(w in common_acronyms for w in words):
            return []
        if len(words) > 1 and _PLAIN_LOWER.fullmatch(words[0]):
            return []  # "multimodal PRMs", "dynamic Gaussian", "neural MT", "visual Preference
            # Optimization": a name does not open with a plain lowercase word (a name's own
            # words are capitalised or shaped); an adjective before a name or a kind of model
        if len(words) == 1 and _PLURAL_ACRONYM.fullmatch(text):
            return []  # "LVLMs", "RALMs": an acronym in the plural names a kind (many models),
            # not one method or one dataset
        if label == "Method" and _METRIC_AT.fullmatch(text):
            return []  # "mAP50", "AP50:95", "Rank-1", "R@10": a metric at a cut-off, not a method
        if label == "Method" and ("://" in text or text.lower() in _METRIC_WORDS
                                  or text.lower() in _METRIC_VARIANT_WORDS
                                  or (len(words) > 1 and words[-1].lower() in METRIC_HEADS)
                                  or (words[0].lower() in _METRIC_WORDS and len(words) > 1
                                      and all(_SCORE.fullmatch(w) for w in words[1:]))):
            return []  # a link (the rules read repositories), a metric ("CIDEr", "Word Error Rate"),
            # a metric with its value ("FID 2.05/2.12", "BLEU 27.3")
        if label == "Method" and _metric_variant(text):
            return []  # "BLEU-4", "ROUGE-L", "FPR95", "PA-MPJPE": a metric's variant, not a method
        if label == "Method" and (words[-1] in _ORG_LAST or _YEAR_END.search(text)
                                  or (len(words) > 1 and words[-1].lower() in _THING_HEADS)
                                  or (len(words) > 1 and words[-1].lower() in _DEVICE_LAST)):
            return []  # "Karlsruhe Institute", "Guangdong Province": an organisation or a place;
            # "LeWiDi-2025": an event's edition; "H100 GPU", "Consumer LiDAR": hardware
        if label == "Method" and _people_or_language(words, name_shape, is_task, method_heads):
            return []  # "Classical Chinese", "Persian ASR": a language, a people, a place
        if label == "Method" and not headed and words[-1].lower() in _MODEL_TASK_LAST:
            return []  # "VFSS Segmentation", "DeepFake Detection": a task, not a method
        # "Contextual Dominance", "Proactive Dominance Theorem": what a text observes or states
        # (in any field), not a method; "X Dominance Framework" stays a name (checked below)
        phenomenon = label == "Method" and not headed and _phenomenon(words, name_shape)
        if start_char < title_end:
            if not any(name_shape(w) for w in words):
                return []  # a title capitalises every word
            if not name_shape(words[-1]):
                return []  # "GUI Agents", "ZigZag Attention", "Online HD Map Construction": in a
                # title the words around a name are capitalised too; a span that ends in a plain
                # one reads the title's words, not a name
            if (len(words) > 1 and len(words[-1]) <= 4 and words[-1].isupper()
                    and not any(name_shape(w) for w in words[:-1])):
                return []  # "Multilingual ASR", "Dedicated GPU": a title's adjective before a
                # short acronym (of a task, a device), not a name
        if label == "Method" and (words[-1].lower() in _FIELD_LAST or _QUANTITY.fullmatch(text)
                                  or text.lower() in _VENUES):
            return []  # a field or a language ("Environmental Science"), a quantity ("49kB"), a venue
        if len(words) == 1 and len(text.rstrip("s")) <= 3 and text.rstrip("s").isupper():
            return []  # "KL", "NNs", "TPUs": abbreviations the text defines (acronym rules) or not
        if any(w in _EDGE_WORDS or (w.lower() in _EDGE_WORDS and len(words) > 1 and text.isupper())
               for w in (words[0], words[-1])) or _WIDE_CHARS.search(text):
            return []  # "PLANES OF MORPHISMS AND", "OF EVIDENCE": a name neither begins nor ends
            # with a joining word; nor does one run into full-width punctuation (a CJK sentence)
        if _shouted(doc.text, start_char, length):
            return []  # "CONCLUSIONS", "VARIABLES" of a title or heading written in capitals
        last = words[-1]
        if label == "Method" and last.islower() and last not in method_heads:
            return []  # "Internal Consistency assesses", "SDE dynamics": not a method's name
        if (label == "Method" and len(words) == 1 and text[1:].replace("-", "").islower()
                and not name_shape(text)):
            return []  # one capitalised word ("Riemannian", "Autoregressive", "Ultra-high-resolution"):
            # rarely a method name
        if (label == "Method" and len(words) > 1 and words[-1].rstrip("s") in _CATEGORY_ACRONYMS
                and not any(name_shape(w) for w in words[:-1])):
            return []  # "Remote Sensing MLLMs": a kind of model described, not one model's name
    elif label == "Task":
        if not 2 <= len(words) <= 5 or is_generic(text) or _TASK_BAD.search(text) \
                or words[-1].lower() not in _TASK_HEADS:
            return []
        if words[0].lower() in _NOT_TASK_FIRST and (len(words) == 2 or words[0].lower().endswith("ing")):
            return []  # "automatic identification", "reducing reasoning": how or a clause, not what
    elif label != "Metric" or len(words) > 4 or is_generic(text) \
            or not (len(words) > 1 or name_shape(text) or text.lower() in _METRIC_WORDS):
        return []

    span = doc.char_span(start_char, start_char + length, alignment_mode="expand")
    if span is None or _cut(doc, span.start, span.end):
        return []  # "Self" of "Self-Refine", "based image editing" of "text-based image editing"
    if label in ("Method", "Dataset"):
        prev = doc[span.start - 1] if span.start > 0 else None
        if (prev is not None and prev.is_title and prev.whitespace_
                and not _sentence_start(doc, span.start - 1)):
            return []  # "Monte [Carlo simulations]": the model cut a longer name
        if (prev is not None and prev.lower_ == "of" and span.start > 1 and doc[span.start - 2].is_title
                and not _sentence_start(doc, span.start - 2)):
            return []  # "Mixture of [Residual Experts]": the model cut a name around "of"
        nxt = doc[span.end] if span.end < len(doc) else None
        if (nxt is not None and start_char >= title_end and nxt.is_title and doc[span.end - 1].whitespace_
                and "\n" not in doc[span.end - 1].whitespace_ and not nxt.tag_.startswith(("B-", "I-"))):
            return []  # "[3D Gaussian] Splatting": the model cut a longer name (a title capitalises all)
        if label == "Method" and nxt is not None and nxt.lower_ in _METRIC_NEXT:
            return []  # "an IDF1 score": a metric
        if (label == "Method" and nxt is not None and nxt.text in ("of", "=")
                and MEASURED_AFTER.match("".join(t.text_with_ws for t in doc[span.end:span.end + 4]))):
            return []  # "an AP50 of 0.87", "PDMS = 89.6": a metric with its value
        if (label == "Method" and nxt is not None
                and (_YEAR.fullmatch(nxt.text) or nxt.lower_ in _DISEASE_NEXT or nxt.lower_ in _THING_HEADS)):
            return []  # "EvalLLM 2025 challenge": an event's edition; "COVID-19 pandemic": a disease;
            # "the CommonRoad simulator": hardware, a simulated world, a licence, a project
        before = "".join(t.text_with_ws for t in doc[max(0, span.start - 3):span.start])  # (not doc.text)
        if label == "Method" and (_VALUE_BEFORE.search(before) or _called_metric(doc, span.start)):
            return []  # "58.5 BLEU-1", "42.2% CAGR", "an objective metric PartEval": a measure
        if label == "Method" and _task_acronym(doc, span.start, span.end, method_heads):
            return []  # "speech-to-speech translation (S2ST)", "AIGC detection": a task's name
        if label == "Method" and nxt is not None and nxt.lower_ in _NOT_METHOD_NEXT:
            return []  # "the ATIS CSR task", "PropBank corpus": data or a task, not a method
        if phenomenon and not any(doc[i].lower_ in method_heads for i in range(max(0, span.start - 4),
                                                                               span.start)):
            return []  # a phenomenon's name, unless a method's head word comes just before it
            # ("a training-free method called Internal Confidence")
        if not _reads_as_name(doc, span.start, span.start + len(words), name_shape):
            return []
        if (label == "Method" and not any(name_shape(w) for w in words)
                and _COMPOUND_BEFORE.search(doc.text, max(0, start_char - 40), start_char)):
            return []  # "Octree-based [Adaptive Tokenization]", "Token-level [Lexical Alignment]": a
            # name of plain words goes on to the left, over a capitalised compound; the model
            # read its end ("a pre-trained VQGAN", "Transformer-based DETR": shaped names stay)
        if label == "Method" and _cut_after_acronym(doc, span.start):
            return []  # "PANGOLIN - Patch-based Alignment for [Noisy Graph Learning]": a long form's part
        if _cut_long_form(doc, span.start, span.end):
            return []  # "Noise-aware [Adaptive Weighting] (V-NAW)": the end of a longer name
        scored = _scored_on(doc, span.start, span.end, method_heads) if label == "Method" else None
        if scored == "measure":
            return []  # "a 34.8% reduction in X": the measure that changed
        if scored == "data":
            return [(start_char, "Dataset", text)]  # "+13% AUROC on X": the data scored on
        if label == "Method" and _data_source(doc, span.start):
            return [(start_char, "Dataset", text)]  # "a benchmark, based on X": the data it grew from
    return [(start_char, label, text)]
