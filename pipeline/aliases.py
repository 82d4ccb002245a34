"""Event aliases: group the EVENT mentions of a document that name one event (schema v2
`Equiv`), and make EVENT labels consistent across the document.

Two mentions name one event when
- one is an acronym defined in brackets right after (or before) the other: `Global Agritech
  Investment Forum (GAIF)`, `GAIF (Global Agritech Investment Forum)`;
- one follows the other as a second name (`China Import and Export Fair, or Canton Fair`,
  `..., also known as ...`);
- one is an acronym of the other's initials (`CIIE`, `China International Import Expo`);
- one's name is contained in the other's (`China International Import Expo` in `6th China
  International Import Expo`), or is a shortened form of it: its words in order, from the
  first, as words, word beginnings or acronyms of the other's (`Vibrant Summit`, `West
  China Fair` for `Western China International Investment and Trade Fair`, `CAS expo`);
- one is a descriptive name with a lowercase type word (`Lhasa expo`) and the other the
  only name of the document that ends in that type word (`8th China Tibet ... Expo`);
- they are the same name with or without an edition: an ordinal, a year, `the`, `annual`
  (`IDEX`, `IDEX 2023`, `XYZ2024`);
unless their editions differ (`IDEX 2021` and `IDEX 2023`, `8th` and `9th` are different
events), which no grouping may join.

The `event_aliases` component runs after `ner`: every further occurrence of a name or acronym
that the document uses for an EVENT becomes an EVENT too, where the NER missed it or called it
ORG or GPE (only exact, unoverlapped spans); what the NER said about those spans is kept in
`doc.spans["ner_before_aliases"]` (label `MISSED` where it found nothing) for error analysis.
Groups go to `doc._.aliases` (lists of `[start, end]`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from pressdeals.document import Entity
from pressdeals.pipeline.extensions import doc_text, register_extensions

register_extensions()

CHANGES = "ner_before_aliases"  # span group of what the NER said where aliases relabelled
MAX_NAMES = 50  # names propagated per document: bounds the cost on pathological input

_STOP = {"of", "and", "the", "for", "on", "in", "&", "at", "to", "a"}
_ORDINAL = re.compile(
    r"^(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|"
    r"nineteenth|twentieth)$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_GLUED_YEAR = re.compile(r"^(.*[A-Za-z])((?:19|20)\d\d)$")
_FILLER = {"the", "annual", "edition"}
# what stands between two names of one event given one after the other
_APPOSITION = re.compile(
    r"\s*(?:,\s*or|,?\s*(?:(?:which|that|as)\b[^.;:()]{0,40}?)?"
    r"(?:also |better |commonly |popularly |formerly )?"
    r"(?:known as|called|dubbed|branded(?: as)?|billed as|marketed(?: \w+)? as|promoted as))"
    r"\s+(?:the\s+)?",
    re.IGNORECASE,
)
_TYPE_WORDS = frozenset(
    ("fair", "expo", "forum", "summit", "conference", "convention", "exhibition", "show", "meet")
    + ("week", "festival", "congress")
)
_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&]*[A-Z0-9]$")
_WORD = re.compile(r"[^\s\-–/(),:;\"“”'’]+")


def _words(name: str) -> list[str]:
    return [w for w in _WORD.findall(name.replace("'s", "")) if w]


# The name functions below are pure and called for every pair of a document's event names
# (the same few names over and over): each keeps its recent answers.
NAME_CACHE = 4096


@lru_cache(maxsize=NAME_CACHE)
def name_parts(name: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """(base words lowercased, edition markers) of an event name: `6th CIIE 2023` ->
    (("ciie",), {"6th", "2023"})."""
    base, edition = [], set()
    for word in _words(name):
        glued = _GLUED_YEAR.match(word)
        if glued and not _YEAR.match(word):
            base.append(glued.group(1).lower())
            edition.add(glued.group(2))
        elif _ORDINAL.match(word) or _YEAR.match(word):
            edition.add(word.lower())
        elif word.lower() not in _FILLER:
            base.append(word.lower())
    return tuple(base), frozenset(edition)


@lru_cache(maxsize=NAME_CACHE)
def is_acronym(name: str) -> bool:
    base, _ = name_parts(name)
    words = [w for w in _words(name) if w.lower() in base]
    return (
        len(words) == 1
        and bool(_ACRONYM.match(words[0]))
        and sum(c.isupper() for c in words[0]) >= 2
    )


@lru_cache(maxsize=NAME_CACHE)
def _initials(name: str) -> frozenset[str]:
    """Possible acronyms of a name: initials of its content words, with or without the
    small words, splitting hyphenated words or not."""
    base, _ = name_parts(name)
    out = set()
    for split in (True, False):
        words = []
        for w in _words(name):
            if w.lower() not in base:
                continue
            words += [p for p in w.split("-") if p] if split else [w]
        for keep_stop in (False, True):
            letters = [w[0] for w in words if keep_stop or w.lower() not in _STOP]
            if len(letters) >= 2:
                out.add("".join(letters).upper())
    return frozenset(out)


def _contained(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return 0 < n < len(long) and any(long[i : i + n] == short for i in range(len(long) - n + 1))


@lru_cache(maxsize=NAME_CACHE)
def _content_words(name: str) -> tuple[str, ...]:
    """The words of a name's base (no edition, no filler), in their written case, with
    hyphenated words split (`China-Arab` -> `China`, `Arab`)."""
    base = set(name_parts(name)[0])
    words = []
    for w in _words(name):
        glued = _GLUED_YEAR.match(w)
        w = glued.group(1) if glued and not _YEAR.match(w) else w
        if w.lower() in base or (glued and w.lower() in base):
            words += [p for p in w.split("-") if p]
    return tuple(words)


@lru_cache(maxsize=NAME_CACHE)
def abbreviates(short: str, long: str) -> int | None:
    """How many words of `long` a shortened form `short` skips, or None when it is no
    shortened form: its words, in order and starting with the first, are words of `long` (or
    their beginnings: `West` for `Western`, `Liao` for `Liaoning`) or acronyms of runs of them
    (`CAS` for `China-Arab States`), with words of `long` skipped in between (`Vibrant
    Summit`, `West Fair`, `6th CAS expo`)."""
    s, ln = _content_words(short), _content_words(long)
    if len(s) < 2 or len(s) >= len(ln):
        return None

    def match(i: int, j: int) -> int | None:
        """Fewest skipped words to match s[i:] within ln[j:]."""
        if i == len(s):
            return 0
        if j == len(ln):
            return None
        options = []
        word, other = s[i].lower(), ln[j].lower()
        if word == other or (len(word) >= 3 and other.startswith(word)):
            options.append(match(i + 1, j + 1))
        if _ACRONYM.match(s[i]) and sum(c.isupper() for c in s[i]) >= 2:
            for k in range(2, len(ln) - j + 1):
                if "".join(w[0] for w in ln[j : j + k]).upper() == s[i].upper():
                    options.append(match(i + 1, j + k))
        if i > 0:  # the first word anchors; later ones may skip words of `long`
            skipped = match(i, j + 1)
            options.append(None if skipped is None else skipped + 1)
        found = [o for o in options if o is not None]
        return min(found) if found else None

    return match(0, 0)


def same_event(a: str, b: str, text_between: str | None = None) -> bool:
    """Whether two event names name one event (without looking at editions)."""
    (base_a, _), (base_b, _) = name_parts(a), name_parts(b)
    if not base_a or not base_b:
        return False
    if base_a == base_b:
        return True
    if text_between is not None and re.fullmatch(r"\s*\(\s*", text_between):
        return True  # `Name (ACR)` or `ACR (Name)`: a definition in brackets
    if text_between is not None and _APPOSITION.fullmatch(text_between):
        return True  # `China Import and Export Fair, or Canton Fair`: a second name
    for short, long in ((a, b), (b, a)):
        if is_acronym(short) and name_parts(short)[0][0].upper() in _initials(long):
            return True
    short_base, long_base = sorted((base_a, base_b), key=len)
    return len(short_base) >= 2 and _contained(short_base, long_base)


def _editions_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    years_a, years_b = {e for e in a if _YEAR.match(e)}, {e for e in b if _YEAR.match(e)}
    ords_a, ords_b = a - years_a, b - years_b
    return bool(years_a and years_b and years_a != years_b) or bool(
        ords_a and ords_b and ords_a != ords_b
    )


def group_events(text: str, events: Iterable[Entity]) -> list[tuple[Entity, ...]]:
    """Alias groups (two or more mentions, in text order) of the EVENT mentions `events`."""
    events = sorted(e for e in events if e.label == "EVENT")
    names = [" ".join(text[e.start : e.end].split()) for e in events]
    editions = [name_parts(n)[1] for n in names]
    parent = list(range(len(events)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(events))}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri == rj:
            return
        pairs = ((x, y) for x in members[ri] for y in members[rj])
        if any(_editions_conflict(editions[x], editions[y]) for x, y in pairs):
            return
        parent[rj] = ri
        members[ri] += members.pop(rj)

    for i in range(len(events)):
        for j in range(i + 1, len(events)):
            between = text[events[i].end : events[j].start] if j == i + 1 else None
            if same_event(names[i], names[j], between):
                union(i, j)
    # a shortened form joins the longer name it abbreviates with the fewest skipped words
    # (`Liao Fair` is the `Liaoning ... Trade Fair`, not the `Liaoning-China ... Fair` of
    # eight more words)
    for i in range(len(events)):
        skips = {j: abbreviates(names[i], names[j]) for j in range(len(events)) if j != i}
        found = {j: k for j, k in skips.items() if k is not None}
        if found:
            best = min(found.values())
            for j in (j for j, k in found.items() if k == best):
                union(i, j)
    # `Lhasa expo`, `green investment conference`: a descriptive name with a lowercase type
    # word names the one event of the document whose name ends in that type word
    for i, name in enumerate(names):
        last = name.split()[-1]
        if last not in _TYPE_WORDS:
            continue
        named = [j for j, other in enumerate(names) if other.split()[-1] == last.title()]
        if named and len({find(j) for j in named}) == 1:
            union(named[0], i)
    groups = [tuple(events[k] for k in sorted(m)) for m in members.values() if len(m) > 1]
    return sorted(groups)


def _defined_acronyms(text: str, ents: list[Span]) -> list[str]:
    """Acronyms defined in brackets right after an EVENT mention but not tagged there:
    `Global Agritech Investment Forum (GAIF)`."""
    out = []
    for ent in ents:
        if ent.label_ != "EVENT":
            continue
        m = re.compile(r"\s*\(\s*([A-Z][A-Za-z0-9&]{1,11})\s*\)").match(text, ent.end_char)
        if (
            m
            and is_acronym(m.group(1))
            and name_parts(m.group(1))[0][0].upper() in _initials(ent.text)
        ):
            out.append(m.group(1))
    return out


def _is_word_char(ch: str) -> bool:
    # what `\w` or `-` matches in a regular expression
    return ch.isalnum() or ch in "_-"


def _occurrences(text: str, name: str) -> Iterator[tuple[int, int]]:
    r"""The occurrences of `name` in `text` not inside a longer word or hyphenated compound,
    left to right and not overlapping (what a `(?<![\w-])name(?![\w-])` regex finds)."""
    at, size = text.find(name), len(name)
    while at != -1:
        end = at + size
        if (at == 0 or not _is_word_char(text[at - 1])) and (
            end == len(text) or not _is_word_char(text[end])
        ):
            yield at, end
            at = text.find(name, end)
        else:
            at = text.find(name, at + 1)


class EventAliases:
    """Not trainable: alias groups and document-level EVENT consistency (see module doc)."""

    def __init__(self, propagate: bool = True) -> None:
        self.propagate = propagate

    def __call__(self, doc: Doc) -> Doc:
        # `doc.ents` is rebuilt from the tokens on every access: read it once
        ents, text = list(doc.ents), doc_text(doc)
        if self.propagate and any(e.label_ == "EVENT" for e in ents):
            ents = self._propagate(doc, text, ents)
        events = [Entity(e.start_char, e.end_char, "EVENT") for e in ents if e.label_ == "EVENT"]
        groups = group_events(text, events) if len(events) > 1 else []
        doc._.aliases = [[[e.start, e.end] for e in group] for group in groups]
        return doc

    def _propagate(self, doc: Doc, text: str, ents: list[Span]) -> list[Span]:
        """`ents` with every further occurrence of the document's event names tagged EVENT;
        sets `doc.ents` when anything changed."""
        names = {e.text for e in ents if e.label_ == "EVENT"}
        full = {n for n in names if len(_words(n)) >= 2}
        # an acronym spreads only when it stands for one of the document's event names: a
        # lone `EU` that the NER once called an EVENT must not turn every `EU` into one
        acronyms = {
            n for n in names if is_acronym(n) and any(abbreviates(n, f) is not None for f in full)
        }
        names = full | acronyms | set(_defined_acronyms(text, ents))
        if not names:
            return ents
        by_start = {e.start_char: e for e in ents}
        taken = [False] * (len(text) + 1)
        for e in ents:
            for i in range(e.start_char, e.end_char):
                taken[i] = True
        new_ents, changes = list(ents), []
        for name in sorted(names, key=len, reverse=True)[:MAX_NAMES]:
            for start, end in _occurrences(text, name):
                old = by_start.get(start)
                if old is not None and old.end_char == end and old.label_ in ("ORG", "GPE"):
                    new_ents.remove(old)
                    changes.append(Span(doc, old.start, old.end, label=old.label_))
                elif any(taken[start:end]):
                    continue
                span = doc.char_span(start, end, label="EVENT")
                if span is None:
                    if old is not None and old not in new_ents:
                        new_ents.append(old)
                        changes.pop()
                    continue
                if old is None or old.end_char != end:
                    changes.append(Span(doc, span.start, span.end, label="MISSED"))
                new_ents.append(span)
                for i in range(start, end):
                    taken[i] = True
        if not changes:
            return ents
        new_ents.sort(key=lambda s: s.start)
        doc.ents = new_ents
        doc.spans[CHANGES] = changes
        return new_ents


@Language.factory(
    "event_aliases",
    requires=["doc.ents"],
    assigns=["doc.ents", "doc._.aliases"],
    default_config={"propagate": True},
)
def make_event_aliases(nlp: Language, name: str, propagate: bool) -> EventAliases:
    return EventAliases(propagate=propagate)
