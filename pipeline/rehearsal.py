"""Pseudo-rehearsal against forgetting (spaCy's documented remedy for catastrophic forgetting).

Fine-tuning a pipeline sourced from `en_core_web_sm` on MONEY/COUNT/EVENT/ORG/GPE alone teaches
the NER that persons, nationalities, venues, products and dates are nothing, or worse, places.
This corpus reader gives every training text silver entities of the types the project does not
output (`AUX_LABELS`), predicted by a base pipeline where they overlap no gold entity, so the
NER keeps telling them apart; the `entity_filter` component drops them from the output
(`doc.spans["aux_ents"]` keeps them for whoever wants PERSON).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Corpus, Example
from spacy.util import registry

from pressdeals.pipeline.name_rules import (
    CALENDAR,
    defined_organisations,
    names_nothing,
    without_description,
)
from pressdeals.schema import ENTITY_LABELS

# en_core_web_sm/md labels kept as auxiliary NER labels (CARDINAL, MONEY, ORG, GPE and EVENT
# overlap the project's own labels with other boundaries, so they are left out)
AUX_LABELS: tuple[str, ...] = (
    "PERSON",
    "NORP",
    "FAC",
    "LOC",
    "PRODUCT",
    "DATE",
    "TIME",
    "PERCENT",
    "QUANTITY",
    "ORDINAL",
    "LAW",
    "WORK_OF_ART",
    "LANGUAGE",
)


def add_silver(reference: Doc, silver: Doc, labels: tuple[str, ...] = AUX_LABELS) -> int:
    """Add `silver`'s entities with `labels` to `reference` where they touch no gold entity
    and fall on its tokens; returns how many were added."""
    taken = [False] * (len(reference.text) + 1)
    for ent in reference.ents:
        for i in range(max(ent.start_char - 1, 0), ent.end_char + 1):
            taken[i] = True
    spans = list(reference.ents)
    for ent in silver.ents:
        if ent.label_ not in labels or any(taken[ent.start_char : ent.end_char]):
            continue
        span = reference.char_span(ent.start_char, ent.end_char, label=ent.label_)
        if span is not None:
            spans.append(span)
            for i in range(ent.start_char, ent.end_char):
                taken[i] = True
    added = len(spans) - len(reference.ents)
    reference.ents = sorted(spans, key=lambda s: s.start)
    return added


@registry.readers("pressdeals.RehearsalCorpus.v1")
def create_rehearsal_corpus(
    path: Path, base_model: str, max_length: int = 0
) -> Callable[[Language], Iterator[Example]]:
    """`spacy.Corpus` whose reference docs also carry silver auxiliary entities from
    `base_model` (a package name or path; `null` reads the corpus as it is)."""
    corpus = Corpus(path, max_length=max_length)
    cache: list[Doc] = []

    def read(nlp: Language) -> Iterator[Example]:
        if not cache:
            references = [eg.reference for eg in corpus(nlp)]
            if base_model:
                base = spacy.load(base_model, exclude=["lemmatizer"])
                silvers = base.pipe(d.text for d in references)
                for ref, silver in zip(references, silvers, strict=True):
                    add_silver(ref, silver)
            cache.extend(references)
        for ref in cache:
            yield Example(nlp.make_doc(ref.text), ref)

    return read


OPENING_QUOTES = frozenset("“‘«\"'")
CLOSING_QUOTES = frozenset("”’»\"'")


def trim_quotes(span: Span) -> Span | None:
    """`span` without an unpaired quote at either edge (the NER sometimes takes the opening
    quote of `the “Summer Expo” forum` into the name; a quote the span also closes stays,
    as in `20 "deal rooms"`); None if nothing but quotes is left."""
    start, end = span.start, span.end
    doc = span.doc
    quotes = OPENING_QUOTES | CLOSING_QUOTES
    if end - start > 0 and doc[start].text not in quotes and doc[end - 1].text not in quotes:
        return span  # most names: no quote at either edge
    text = [t.text for t in doc[start:end]]
    first = text[0] if text else ""
    opens_pair = first in OPENING_QUOTES and any(t in CLOSING_QUOTES for t in text[1:])
    if first in quotes and not opens_pair:
        start += 1
    inner = [t.text for t in doc[start : end - 1]]
    last = doc[end - 1].text if end > start else ""
    closes_pair = last in CLOSING_QUOTES and any(t in OPENING_QUOTES for t in inner)
    if last in quotes and not closes_pair:
        end -= 1
    if end <= start:
        return None
    if (start, end) == (span.start, span.end):
        return span
    return Span(doc, start, end, label=span.label_)


ORDINAL_WORDS = frozenset(
    (
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
        "thirtieth",
        "fortieth",
        "fiftieth",
    )
)
ORDINAL = re.compile(r"^(?:\d{1,3}(?:st|nd|rd|th)|(?:19|20)\d\d)$", re.IGNORECASE)


def with_edition(span: Span, taken: set[int]) -> Span:
    """An EVENT with the ordinal or year just before it (`sixth China-Eurasia Expo`,
    `17th ...`, `2022 Liaoning ... Fair`): guidelines 11 and 21 put them inside the name,
    and the NER often leaves them out. `taken`: tokens of other entities, never absorbed."""
    if span.label_ != "EVENT" or span.start == 0 or span.start - 1 in taken:
        return span
    before = span.doc[span.start - 1]
    if before.lower_ in ORDINAL_WORDS or ORDINAL.match(before.text):
        return Span(span.doc, span.start - 1, span.end, label=span.label_)
    return span


# `Forum on the New Land-Sea Corridor`: the topic after these type words is in the name
# (guidelines 99); a date after them is not (`Forum on Sept. 11`)
TOPIC_HEADS = frozenset(("Forum", "Conference", "Summit", "Dialogue", "Symposium", "Seminar"))
TOPIC_JOINERS = frozenset(("and", "of", "&", "-"))


def with_topic(span: Span, taken: set[int]) -> Span:
    """An EVENT ending in `Forum`, `Conference` ... with the capitalised topic after `on` or
    `for (the)` that the NER left out; `taken`: tokens of other entities, never absorbed."""
    doc, at = span.doc, span.end
    if span.label_ != "EVENT" or span[-1].text not in TOPIC_HEADS or at + 1 >= len(doc):
        return span
    if doc[at].text not in ("on", "for"):
        return span
    at += 2 if doc[at + 1].text == "the" else 1
    if at >= len(doc) or not doc[at].is_title or doc[at].text.rstrip(".") in CALENDAR:
        return span
    end = at
    while end < len(doc) and end not in taken and not doc[end].is_space:
        if doc[end].text in TOPIC_JOINERS:
            if end + 1 >= len(doc) or not doc[end + 1].text[:1].isupper():
                break
        elif not doc[end].text[:1].isupper():
            break
        end += 1
    if end == at:
        return span
    return Span(doc, span.start, end, label="EVENT")


def cut_at_closing_quote(span: Span) -> Span | None:
    """A name that runs on over the closing quote of a quoted name and the comma after it
    (`“Unveiling the Boardroom Deals”, African Development Bank`): the quoted part alone
    (schema: quoted names without their quotes); None if nothing is left."""
    if span.label_ not in NAME_LABELS:
        return span
    doc = span.doc
    straight = sum(t.text == '"' for t in span)
    for i in range(span.start + 1, span.end - 1):
        quote = doc[i].text
        unpaired = (quote in "”»" and not any(t.text in "“«" for t in doc[span.start : i])) or (
            quote == '"' and straight == 1
        )
        if unpaired and doc[i + 1].text in (",", ";"):
            return Span(doc, span.start, i, label=span.label_)
    return span


# `the 101st session of the China Import and Export Fair`: the session or edition is the
# event's edition, the EVENT is the event's own name (guidelines 84); a standing body's
# numbered session (`5th Session of the ... Joint Business Council`) stays whole (21)
EDITION_OF = re.compile(
    r"^(?:\d{1,3}(?:st|nd|rd|th)|" + "|".join(sorted(ORDINAL_WORDS)) + r") (?:session|edition)"
    r"(?P<of> of (?:the )?)?",
    re.IGNORECASE,
)
EVENT_TYPE_END = re.compile(
    r"\b(?:Fair|Expo|Exposition|Exhibition|Summit|Forum|Conference|Convention|Festival|Show|"
    r"Week|Meet|Congress)(?: \d{4})?$",
    re.IGNORECASE,
)


def event_of_edition(span: Span) -> Span | None:
    """An EVENT `<ordinal> session|edition of (the) <event>`: the event's name alone; a bare
    `<ordinal> session` is a generic reference (None)."""
    if span.label_ != "EVENT":
        return span
    match = EDITION_OF.match(span.text)
    if match is None:
        return span
    if match["of"] is None:
        return None if match.end() == len(span.text) else span
    rest = span.text[match.end() :]
    if not EVENT_TYPE_END.search(rest):
        return span
    inner = span.doc.char_span(span.start_char + match.end(), span.end_char, label="EVENT")
    return inner or span


# lowercase administrative words after a place name stay outside its GPE (guidelines 86)
UNIT_WORDS = frozenset(
    ("province", "city", "county", "district", "region", "state", "prefecture", "governorate")
)


def place_without_unit(span: Span) -> Span:
    """A GPE `Heilongjiang province`: the place alone (`Jilin Province`, capitalised, is
    the place's full name and stays)."""
    if span.label_ != "GPE" or len(span) < 2 or span[-1].text not in UNIT_WORDS:
        return span
    return Span(span.doc, span.start, span.end - 1, label="GPE")


# `... Fair and 2022 International Cooperation Forum on ...`: a year or an edition right after
# `and` starts a second event (a name like `X Exhibition and Conference` has none)
SECOND_EVENT = re.compile(
    r"\b(?:Fair|Expo|Exposition|Exhibition|Summit|Forum|Conference|Convention|Festival|Show|"
    r"Week|Meet|Congress)(?: (?:19|20)\d\d)? and (?=(?:(?:19|20)\d\d|\d{1,3}(?:st|nd|rd|th)) [A-Z])"
)


def split_joined_events(span: Span) -> list[Span]:
    """An EVENT that runs over two events joined by `and` (`4th X Fair and 2022 Y Forum`):
    the two events (schema: entities are flat, one name each)."""
    if span.label_ != "EVENT":
        return [span]
    match = SECOND_EVENT.search(span.text)
    if match is None:
        return [span]
    doc, cut = span.doc, span.start_char + match.end()
    left = doc.char_span(span.start_char, cut - len(" and "), label="EVENT")
    right = doc.char_span(cut, span.end_char, label="EVENT")
    return [span] if left is None or right is None else [left, right]


# words the NER sometimes takes into an amount: never part of MONEY in any of the data
# (`39 bln USD contracts`, `Multiple 10-billion-yuan` deals)
NOT_OF_AMOUNT_END = frozenset(
    (
        "contract",
        "contracts",
        "deal",
        "deals",
        "agreement",
        "agreements",
        "project",
        "projects",
        "investment",
        "investments",
        "order",
        "orders",
        "transaction",
        "transactions",
        "commitments",
        "pledges",
        "MoUs",
        "MoU",
        "worth",
    )
)
NOT_OF_AMOUNT_START = frozenset(("multiple", "several", "various", "numerous", "many"))


# `split over 11 contracts`: `over` after these verbs is a preposition, no approximator
SPREAD_VERBS = frozenset(("split", "spread", "divided", "distributed", "shared", "spanning"))


# approximators the schema keeps inside a MONEY or COUNT (guideline 20), longest first
LEADING_APPROXIMATORS = sorted(
    (
        tuple(a.split())
        for a in (
            "more than",
            "up to",
            "close to",
            "at least",
            "in excess of",
            "upwards of",
            "as many as",
            "as much as",
            "over",
            "about",
            "approximately",
            "nearly",
            "around",
            "almost",
            "roughly",
            "some",
        )
    ),
    key=len,
    reverse=True,
)


APPROXIMATOR_ENDS = frozenset(words[-1] for words in LEADING_APPROXIMATORS)
# words after which `over` is an approximator (elsewhere often a preposition)
OVER_AFTER = frozenset(
    ("worth", "of", "at", "valued", "totalling", "totaling", "signed", "inked", "reached")
    + ("attracted", "secured", "with", "for", "to", "by", ",", "(", "-", "–", "—", ":", ".")
)


def with_approximator(span: Span, taken: set[int]) -> Span:
    """A MONEY or COUNT with the approximator just before it that the NER left out (`[About
    $14 billion] worth of contracts`); `taken`: tokens of other entities, never absorbed."""
    if span.label_ not in ("MONEY", "COUNT") or span.start == 0:
        return span
    doc = span.doc
    if doc[span.start - 1].lower_ not in APPROXIMATOR_ENDS:
        return span  # most quantities: no approximator word just before
    first = tuple(t.lower_ for t in span[:3])
    if any(first[: len(words)] == words for words in LEADING_APPROXIMATORS):
        return span  # has one (`asked about [roughly 600 cars]`)
    for words in LEADING_APPROXIMATORS:
        start = span.start - len(words)
        if start < 0 or any(i in taken for i in range(start, span.start)):
            continue
        if tuple(t.lower_ for t in doc[start : span.start]) != words:
            continue
        if words == ("over",) and start > 0 and doc[start - 1].lower_ not in OVER_AFTER:
            return span  # `split over 11 contracts`, `talks over two projects`
        return Span(doc, start, span.end, label=span.label_)
    return span


def amount_edges(span: Span) -> Span | None:
    """A MONEY without a deal noun after its currency or a vague quantifier before it; a
    COUNT without the preposition `over` of `split over N contracts`."""
    if span.label_ == "COUNT":
        doc, start = span.doc, span.start
        spread = start > 0 and doc[start - 1].lower_ in SPREAD_VERBS
        if len(span) > 1 and span[0].lower_ == "over" and spread:
            return Span(doc, start + 1, span.end, label="COUNT")
        return span
    if span.label_ != "MONEY":
        return span
    start, end = span.start, span.end
    if end - start > 1 and span.doc[end - 1].text in NOT_OF_AMOUNT_END:
        end -= 1
    if end - start > 1 and span.doc[start].lower_ in NOT_OF_AMOUNT_START:
        start += 1
    if (start, end) == (span.start, span.end):
        return span
    return Span(span.doc, start, end, label="MONEY")


# common abbreviations and words of business news that are never an ORG, GPE or EVENT
# (guidelines 60, 76); the NER, trained on text where they are rare, sometimes tags them
NEVER_NAMES = frozenset(
    (
        "MoU",
        "MoUs",
        "MOU",
        "MOUs",
        "FMCG",
        "SEZ",
        "SEZs",
        "LNG",
        "FDI",
        "GDP",
        "SME",
        "SMEs",
        "MSME",
        "MSMEs",
        "PPP",
        "BRI",
        "EV",
        "EVs",
        "ESG",
        "R&D",
        "B2B",
        "CEO",
        "IPO",
        "Covid",
        "Covid-19",
        "COVID",
        "COVID-19",
        "Brexit",
        "God",
        "Memorandum of Understanding",
        "Memorandums of Understanding",
        "Memoranda of Understanding",
    )
)
NAME_LABELS = frozenset({"ORG", "GPE", "EVENT"})


class EntityFilter:
    """Keeps the schema's labels in `doc.ents`; the auxiliary ones go to a span group.
    Unpaired quotes at an entity's edges are trimmed (schema: names without their quotes),
    and names from `NEVER_NAMES` are dropped."""

    def __init__(self, labels: list[str], spans_key: str, trim: bool = True) -> None:
        self.labels = set(labels)
        self.spans_key = spans_key
        self.trim = trim

    def __call__(self, doc: Doc) -> Doc:
        keep: list[Span] = []
        aux: list[Span] = []
        changed = False
        for ent in doc.ents:
            if ent.label_ not in self.labels:
                aux.append(ent)
                continue
            trimmed = trim_quotes(ent) if self.trim else ent
            if self.trim and trimmed is not None:
                trimmed = cut_at_closing_quote(trimmed)
            if self.trim and trimmed is not None:
                trimmed = event_of_edition(trimmed)
            if self.trim and trimmed is not None:
                trimmed = amount_edges(place_without_unit(trimmed))
            if self.trim and trimmed is not None:
                trimmed = without_description(trimmed)
            if (
                self.trim
                and trimmed is not None
                and (_never_a_name(trimmed) or names_nothing(trimmed))
            ):
                trimmed = None
            changed |= trimmed is not ent
            if trimmed is not None:
                parts = split_joined_events(trimmed) if self.trim else [trimmed]
                changed |= len(parts) > 1
                keep += parts
        if self.trim:
            taken = {i for ent in keep for i in range(ent.start, ent.end)}
            extended = [
                with_approximator(with_topic(with_edition(ent, taken), taken), taken)
                for ent in keep
            ]
            changed |= any(a is not b for a, b in zip(extended, keep, strict=True))
            defined = defined_organisations(extended)
            changed |= bool(defined)
            extended += defined
            joined = join_split_quantities(extended)
            # a COUNT with no number in it after the joining (`transactions, transactions`)
            # counts nothing: no COUNT in the training data and gold lacks a number
            counted = [e for e in joined if e.label_ != "COUNT" or any(t.like_num for t in e)]
            changed |= len(counted) != len(extended)
            keep = counted
        if aux or changed:
            doc.ents = keep
        if aux:
            doc.spans[self.spans_key] = aux
        return doc


QUANTITY_LABELS = frozenset({"MONEY", "COUNT"})


def join_split_quantities(ents: list[Span]) -> list[Span]:
    """A MONEY or COUNT without a number (`more than`, `about`) that the NER cut off the
    amount right after it joins that amount (`more than Rs 45 lakh crore`): alone it is no
    quantity, and the schema puts the approximation inside the span."""
    out: list[Span] = []
    for ent in sorted(ents, key=lambda e: e.start):
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.label_ == ent.label_
            and ent.label_ in QUANTITY_LABELS
            and prev.end == ent.start
            and not any(t.like_num for t in prev)
        ):
            out[-1] = Span(ent.doc, prev.start, ent.end, label=ent.label_)
        else:
            out.append(ent)
    return out


def _never_a_name(span: Span) -> bool:
    return span.label_ in NAME_LABELS and span.text in NEVER_NAMES


@Language.factory(
    "entity_filter",
    requires=["doc.ents"],
    assigns=["doc.ents"],
    default_config={"labels": list(ENTITY_LABELS), "spans_key": "aux_ents", "trim_quotes": True},
)
def make_entity_filter(
    nlp: Language, name: str, labels: list[str], spans_key: str, trim_quotes: bool
) -> EntityFilter:
    return EntityFilter(labels, spans_key, trim_quotes)
