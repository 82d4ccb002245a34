"""Baselines the neural pipeline is measured against.

- `RuleBaseline`: hand-written patterns for the five entity labels and trigger-word rules
  for VALUE and SIGNED_AT.
- `SklearnRelations`: a feature-based scikit-learn relation classifier (words between,
  distance, entity labels, trigger words) over the same candidate pairs as the neural
  component, on gold or predicted entities.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from pressdeals.document import AnnotatedDoc, Entity, Relation
from pressdeals.pipeline.currency import (
    GLUED_ONLY,
    ISO_CODES,
    NAME_LIKE_CODES,
    SYMBOLS,
    WORDS,
    prefix_markers,
)
from pressdeals.pipeline.relation_extractor import get_candidates
from pressdeals.pipeline.text import sentence_spans
from pressdeals.pipeline.tokenizer import blank_nlp
from pressdeals.schema import PAIR_TYPES, relation_label
from pressdeals.spacy_docs import to_spacy

TRIGGERS = (
    "worth",
    "value",
    "valued",
    "total",
    "investment",
    "amounting",
    "signed",
    "inked",
    "reached",
    "sealed",
    "at",
    "during",
    "exceeded",
    "exceed",
    "expect",
    "plan",
    "planned",
    "expected",
    "target",
    "including",
    "of",
    "with",
    "each",
)


def _pair_label(pair_type: int) -> str:
    return relation_label(*PAIR_TYPES[pair_type]) or ""


def pair_features(doc, cand) -> dict[str, float]:
    hs, he, ts, te, pair_type, n_between, sentence_distance = cand[:7]
    lo, hi = (he, ts) if he <= ts else (te, hs)
    between = [t.lower_ for t in doc[lo:hi] if not t.is_space]
    before = [t.lower_ for t in doc[max(0, min(hs, ts) - 3) : min(hs, ts)]]
    after = [t.lower_ for t in doc[max(he, te) : max(he, te) + 3]]
    feats: dict[str, float] = {
        f"type={pair_type}": 1.0,
        f"sentences={sentence_distance}": 1.0,
        f"dir={'tail_first' if ts < hs else 'head_first'}": 1.0,
    }
    gap = len(between)
    feats[f"gap={min(gap, 10) if gap < 10 else '10+' if gap < 20 else '20+'}"] = 1.0
    for w in between:
        feats[f"between={w}"] = 1.0
    for w in before:
        feats[f"before={w}"] = 1.0
    for w in after:
        feats[f"after={w}"] = 1.0
    for trig in TRIGGERS:
        if trig in between:
            feats[f"trigger={trig}"] = 1.0
    for label, n in zip(("COUNT", "MONEY", "EVENT"), n_between, strict=True):
        feats[f"n_between_{label}={min(n, 3)}"] = 1.0
    return feats


class SklearnRelations:
    """Logistic regression over hand-built pair features."""

    def __init__(self) -> None:
        self.nlp = blank_nlp()
        self.model = make_pipeline(DictVectorizer(), LogisticRegression(max_iter=2000, C=1.0))

    def _pairs(self, doc: AnnotatedDoc):
        sdoc = to_spacy(AnnotatedDoc(doc.id, doc.text, doc.entities, []), self.nlp)
        for cand in get_candidates(sdoc, sdoc.ents):
            hs, he, ts, te = cand[:4]
            head = Entity(sdoc[hs].idx, sdoc[he - 1].idx + len(sdoc[he - 1]), sdoc[hs].ent_type_)
            tail = Entity(sdoc[ts].idx, sdoc[te - 1].idx + len(sdoc[te - 1]), sdoc[ts].ent_type_)
            yield Relation(head, tail, _pair_label(cand[4])), pair_features(sdoc, cand)

    def fit(self, docs: Iterable[AnnotatedDoc]) -> SklearnRelations:
        X, y = [], []
        for doc in docs:
            gold = {(r.label, r.head, r.tail) for r in doc.relations}
            for rel, feats in self._pairs(doc):
                X.append(feats)
                y.append(int((rel.label, rel.head, rel.tail) in gold))
        self.model.fit(X, y)
        return self

    def predict(self, doc: AnnotatedDoc, threshold: float = 0.5) -> AnnotatedDoc:
        pairs = list(self._pairs(doc))
        relations = []
        if pairs:
            probs = self.model.predict_proba([f for _, f in pairs])[:, 1]
            relations = [
                Relation(rel.head, rel.tail, rel.label, float(p))
                for (rel, _), p in zip(pairs, probs, strict=True)
                if p >= threshold
            ]
        return AnnotatedDoc(doc.id, doc.text, doc.entities, relations)


# --- hand-written rules -------------------------------------------------------------

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_WORDNUM = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen)(?:[- ](?:one|two|three|"
    r"four|five|six|seven|eight|nine|hundred))*"
)
_APPROX = r"(?:(?:more than|over|about|approximately|nearly|around|up to|some|almost) )?"
_SCALE_WORD = (
    r"(?:lakh crore|lakh cr|billion|million|trillion|thousand|crore|lakh"
    r"|bln|bil|bn|mln|mil|mn|trln|tn|cr|m|b)\b"
)
_SCALE = rf"(?: ?{_SCALE_WORD})?"
# Currency markers come from the one table (`pipeline/currency.py`). Symbols and codes before
# the number match as written ("COP", not "cop") and not inside a word ("FIRM 5"); single
# letters and two-letter abbreviations ("R2.5 billion", "SR 2 billion", "Tk 410 crore") and
# currency names that are also English words ("10 real estate projects") need a scale word, and
# so do codes that start names ("COP28").
_SHORT = {m for m in (*SYMBOLS, *GLUED_ONLY) if m.isascii() and m.isalpha() and len(m) <= 2}
_SHORT |= NAME_LIKE_CODES
_ENGLISH = {"real", "won", "sum", "som", "soms"}


def _alternation(markers) -> str:
    return "|".join(re.escape(m) for m in sorted(markers, key=lambda m: (-len(m), m)))


_BEFORE = rf"(?<![A-Za-z])(?-i:{_alternation(set(prefix_markers()) - _SHORT)}) ?"
_BEFORE_SCALED = rf"(?<![A-Za-z])(?-i:{_alternation(_SHORT)}) ?"
_CODES_AFTER = rf"(?-i:{_alternation((*ISO_CODES, 'RMB'))})"
_AFTER = rf" (?:{_alternation(set(WORDS) - _ENGLISH)}|{_CODES_AFTER})\b"
_AFTER_SCALED = rf" (?:{_alternation(_ENGLISH)})\b"
MONEY_RE = re.compile(
    rf"{_APPROX}(?:{_BEFORE}{_NUM}{_SCALE}(?:{_AFTER})?"
    rf"|{_BEFORE_SCALED}{_NUM} ?{_SCALE_WORD}(?:{_AFTER})?"
    rf"|{_NUM}{_SCALE}{_AFTER}|{_NUM} ?{_SCALE_WORD}{_AFTER_SCALED})",
    re.IGNORECASE,
)
COUNT_RE = re.compile(
    rf"\b{_APPROX}(?:{_NUM}|{_WORDNUM})(?: [a-z-]+){{0,3}}? (?:projects|agreements|contracts|deals|"
    r"MoUs|memoranda of understanding|enterprises|companies|exhibitors|visitors|delegates|"
    r"countries and regions|countries|investors|buyers|intentions|firms)\b",
    re.IGNORECASE,
)
EVENT_RE = re.compile(
    r"\b(?:(?:19|20)\d\d |\d+(?:st|nd|rd|th) )?(?:[A-Z][\w'-]*(?:\s+|\s*\(\w+\)\s*)"
    r"(?:(?:and|of|for|on|the|in|&)\s+)?){1,8}(?:Fair|Expo|Summit|Forum|Conference|Convention|"
    r"Week|Exhibition|Festival|Show)\b"
)
ORG_RE = re.compile(
    r"\b(?:[A-Z][\w'&.-]*\s+(?:(?:of|for|and|the)\s+)*){0,6}(?:Ministry|Bureau|Department|"
    r"Office|Commission|Council|Government|Chamber of Commerce|Group|Corporation|Authority|"
    r"Agency|Association|Company|Ltd|Bank|Holdings?)(?:\s+(?:of|for)(?:\s+(?:the\s+)?[A-Z][\w'-]*)+)?"
    r"|\b(?:PRNewswire|Business Wire|GlobeNewswire|Xinhua|Reuters|PTI|WAM|Bernama)\b"
)
# general world places only: nothing here is taken from the gold documents
GPES = (
    "China",
    "India",
    "Nigeria",
    "Kenya",
    "Vietnam",
    "Malaysia",
    "Thailand",
    "Germany",
    "France",
    "Italy",
    "Spain",
    "Brazil",
    "Mexico",
    "Canada",
    "Egypt",
    "Ghana",
    "Russia",
    "Japan",
    "South Korea",
    "United States",
    "Saudi Arabia",
    "Qatar",
    "Oman",
    "Beijing",
    "Shanghai",
    "Dubai",
    "Lagos",
    "Nairobi",
    "Mumbai",
    "Delhi",
    "Hanoi",
    "Bangkok",
    "London",
    "Paris",
    "Toronto",
)
GPE_RE = re.compile(r"\b(?:" + "|".join(re.escape(g) for g in GPES) + r")\b", re.IGNORECASE)


def _rule_entities(text: str) -> list[Entity]:
    taken = [False] * len(text)
    ents = []
    for label, regex in (
        ("MONEY", MONEY_RE),
        ("EVENT", EVENT_RE),
        ("ORG", ORG_RE),
        ("COUNT", COUNT_RE),
        ("GPE", GPE_RE),
    ):
        for m in regex.finditer(text):
            s, e = m.start(), m.end()
            while e > s and text[e - 1] in " \n":
                e -= 1
            if e > s and not any(taken[s:e]):
                ents.append(Entity(s, e, label))
                for i in range(s, e):
                    taken[i] = True
    return sorted(ents)


_VALUE_LINK = re.compile(
    r"^\W*(?:\w+\W+){0,6}?(?:worth|valued at|value of|investment of|"
    r"amounting to|totalling|total of)\W",
    re.IGNORECASE,
)
_SIGNED_LINK = re.compile(r"\b(?:signed|inked|sealed|reached|concluded)\b", re.IGNORECASE)


def rule_baseline(doc_id: str, text: str) -> AnnotatedDoc:
    ents = _rule_entities(text)
    relations = []
    for s, e in sentence_spans(text):
        inside = [x for x in ents if s <= x.start and x.end <= e]
        for head in (x for x in inside if x.label == "COUNT"):
            money = [x for x in inside if x.label == "MONEY" and x.start > head.end]
            if money and _VALUE_LINK.match(text[head.end : money[0].start] + " "):
                relations.append(Relation(head, money[0], "VALUE"))
        heads = [x for x in inside if x.label == "COUNT"] or [
            x for x in inside if x.label == "MONEY"
        ]
        events = [x for x in inside if x.label == "EVENT"]
        if heads and events and _SIGNED_LINK.search(text[s:e]):
            relations.append(Relation(heads[0], events[0], "SIGNED_AT"))
    return AnnotatedDoc(doc_id, text, ents, relations)
