"""List the annotation candidates that schema version 2 opens up in brat folders.

Run as `python -m pressdeals.training.v2_candidates corpus/train corpus/dev`. Per document it
prints one `path: kind: surface -> surface (sentence distance)` line per candidate, then a
summary count per kind. Candidates are for a person to decide by reading; nothing is changed.

Relation candidates (v2 lets relations reach into the neighbouring body sentence; title,
heading and caption lines, as `pipeline.text.heading_flags` finds them for the validator, are
never linked with the body):
- `COUNT->MONEY`, `COUNT->EVENT`: a COUNT that heads no relation, with a MONEY or EVENT in the
  neighbouring body sentence;
- `MONEY->EVENT`: a MONEY that is neither head nor tail of any relation, with an EVENT in the
  neighbouring body sentence.
With `--partial`, also a COUNT that heads one relation label but not the other:
`COUNT(VALUE)->EVENT` (heads VALUE, no SIGNED_AT) and `COUNT(SIGNED_AT)->MONEY`.

Alias candidates (pairs of EVENT mentions of one document not yet in one `Equiv` group):
`alias-bracket` (acronym in brackets next to a name, either order), `alias-acronym` (acronym
matching a name's initials, inner words possibly skipped), `alias-edition` (the same name with
or without an edition ordinal or year, identical names included) and `alias-contained` (a
shorter name inside a longer one, or its words in order with the same last word, as headline
short forms are).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pressdeals.brat import BratError, read_brat
from pressdeals.document import AnnotatedDoc, Entity
from pressdeals.pipeline.text import heading_flags, sentence_spans

_STOPWORDS = {"of", "and", "the", "for", "on", "in"}
_ORDINAL_WORDS = (
    "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    "thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth"
)
_EDITION = re.compile(
    rf"\b(?:(?:19|20)\d\d|\d+(?:st|nd|rd|th)|(?:{_ORDINAL_WORDS})|edition|session)\b",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,9}$")


@dataclass(frozen=True)
class Candidate:
    path: str
    kind: str
    head: str
    tail: str
    distance: int

    def __str__(self) -> str:
        return f"{self.path}: {self.kind}: {self.head} -> {self.tail} ({self.distance})"


def _norm(surface: str) -> str:
    return " ".join(surface.replace("’", "'").split()).casefold()


def _without_edition(surface: str) -> str:
    return " ".join(_EDITION.sub(" ", _norm(surface)).split())


def _initials(name: str) -> set[str]:
    """Initials of a name's words, stop words left out, with and without splitting hyphens."""
    out = set()
    for pattern in (r"[A-Za-z][A-Za-z'’]*", r"[A-Za-z][A-Za-z'’-]*"):
        words = [w for w in re.findall(pattern, _without_edition(name)) if w not in _STOPWORDS]
        out.add("".join(w[0] for w in words).upper())
    return out


def _matches_initials(acronym: str, name: str) -> bool:
    """The name's initials, or (three letters or more) its initials with some inner words
    skipped, as in `HIIF` for `Hai Phong International Investment Forum`."""
    letters = acronym.replace("&", "")
    for initials in _initials(name):
        if letters == initials:
            return True
        if len(letters) >= 3 and letters[0] == initials[0] and letters[-1] == initials[-1]:
            rest = iter(initials[1:-1])
            if all(ch in rest for ch in letters[1:-1]):
                return True
    return False


def _acronym(surface: str) -> str | None:
    """The acronym a mention consists of (edition and year ignored), if it is one."""
    words = _EDITION.sub(" ", " ".join(surface.split())).split()
    return words[0] if len(words) == 1 and _ACRONYM.match(words[0]) else None


def _bracketed(text: str, first: Entity, second: Entity) -> bool:
    """`second` follows `first` in brackets: `Name (ACR)` or `ACR (Name)`."""
    between = text[first.end : second.start]
    after = text[second.end : second.end + 3]
    return bool(re.fullmatch(r"\s*[(\[]\s*[\"'“‘]?", between)) and bool(
        re.match(r"[\"'”’]?\s*[)\]]", after)
    )


def alias_kind(text: str, a: Entity, b: Entity) -> str | None:
    """Why EVENT mentions `a` and `b` (a before b) may name the same event, or None."""
    sa, sb = a.surface(text), b.surface(text)
    acr_a, acr_b = _acronym(sa), _acronym(sb)
    if _bracketed(text, a, b) and (acr_a or acr_b):
        return "alias-bracket"
    if acr_a and not acr_b and _matches_initials(acr_a, sb):
        return "alias-acronym"
    if acr_b and not acr_a and _matches_initials(acr_b, sa):
        return "alias-acronym"
    ea, eb = _without_edition(sa), _without_edition(sb)
    if ea and ea == eb:
        return "alias-edition"
    na, nb = _norm(sa), _norm(sb)
    short, long_ = sorted((na, nb), key=len)
    short_e, long_e = sorted((ea, eb), key=len)
    for s, lng in ((short, long_), (short_e, long_e)):
        if s and re.search(rf"(?<!\w){re.escape(s)}(?!\w)", lng):
            return "alias-contained"
    if _subsequence(_words(short_e), _words(long_e)):
        return "alias-contained"
    return None


def _words(name: str) -> list[str]:
    return [w for w in re.findall(r"[\w'’-]+", name) if w not in _STOPWORDS]


def _subsequence(short: list[str], long_: list[str]) -> bool:
    """A headline short form: two or more words, all found in order in the longer name, which
    ends with the same word (`Deyang Equipment Investment Fair` in `2025 Deyang Heavy
    Equipment Manufacturing Investment Fair`)."""
    if len(short) < 2 or len(short) >= len(long_) or short[-1] != long_[-1]:
        return False
    rest = iter(long_)
    return all(word in rest for word in short)


def _bracket_partners(text: str, events: list[Entity]) -> dict[Entity, set[Entity]]:
    """Mentions linked through a bracketed acronym definition, for later uses of the acronym."""
    partners: dict[Entity, set[Entity]] = {}
    for a, b in zip(events, events[1:], strict=False):
        if _bracketed(text, a, b) and (_acronym(a.surface(text)) or _acronym(b.surface(text))):
            partners.setdefault(a, set()).add(b)
            partners.setdefault(b, set()).add(a)
    return partners


def relation_candidates(doc: AnnotatedDoc, path: str, partial: bool = False) -> Iterator[Candidate]:
    text = doc.text
    spans = sentence_spans(text)
    body = [not heading for heading in heading_flags(text, spans)]

    def sentence(ent: Entity) -> int:
        return next((i for i, (s, e) in enumerate(spans) if s <= ent.start < e), -1)

    heads: dict[Entity, set[str]] = {}
    linked: set[Entity] = set()
    for rel in doc.relations:
        heads.setdefault(rel.head, set()).add(rel.label)
        linked.update((rel.head, rel.tail))
    by_sentence: dict[int, list[Entity]] = {}
    for ent in sorted(doc.entities):
        by_sentence.setdefault(sentence(ent), []).append(ent)
    for ent in sorted(doc.entities):
        i = sentence(ent)
        if i < 0 or not body[i]:
            continue
        labels = heads.get(ent, set())
        if ent.label == "COUNT" and not labels:
            wanted = {"MONEY": "COUNT->MONEY", "EVENT": "COUNT->EVENT"}
        elif ent.label == "MONEY" and ent not in linked:
            wanted = {"EVENT": "MONEY->EVENT"}
        elif partial and ent.label == "COUNT" and labels == {"VALUE"}:
            wanted = {"EVENT": "COUNT(VALUE)->EVENT"}
        elif partial and ent.label == "COUNT" and labels == {"SIGNED_AT"}:
            wanted = {"MONEY": "COUNT(SIGNED_AT)->MONEY"}
        else:
            continue
        for j in (i - 1, i + 1):
            if not 0 <= j < len(spans) or not body[j]:
                continue
            for other in by_sentence.get(j, []):
                if other.label in wanted:
                    yield Candidate(
                        path, wanted[other.label], ent.surface(text), other.surface(text), 1
                    )


def alias_candidates(doc: AnnotatedDoc, path: str) -> Iterator[Candidate]:
    text = doc.text
    spans = sentence_spans(text)

    def sentence(ent: Entity) -> int:
        return next((i for i, (s, e) in enumerate(spans) if s <= ent.start < e), -1)

    events = sorted(e for e in doc.entities if e.label == "EVENT")
    group_of = {ent: n for n, group in enumerate(doc.aliases) for ent in group}
    partners = _bracket_partners(text, events)
    for x, a in enumerate(events):
        for b in events[x + 1 :]:
            if a in group_of and group_of.get(b) == group_of[a]:
                continue
            kind = alias_kind(text, a, b)
            if kind is None:
                # a later use of an acronym defined in brackets next to a name
                for p in partners.get(a, set()) | partners.get(b, set()):
                    q = b if p in partners.get(a, set()) else a
                    if _without_edition(p.surface(text)) == _without_edition(q.surface(text)):
                        kind = "alias-bracket"
            if kind:
                distance = abs(sentence(b) - sentence(a))
                yield Candidate(path, kind, a.surface(text), b.surface(text), distance)


def candidates(txt_path: Path, partial: bool = False) -> list[Candidate]:
    doc = read_brat(txt_path)
    path = str(txt_path.with_suffix(".ann"))
    found = list(relation_candidates(doc, path, partial))
    found += alias_candidates(doc, path)
    return [
        Candidate(c.path, c.kind, " ".join(c.head.split()), " ".join(c.tail.split()), c.distance)
        for c in found
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path, help="brat folders (NAME.txt + NAME.ann)")
    parser.add_argument(
        "--partial", action="store_true", help="also list COUNTs that head one relation label"
    )
    args = parser.parse_args(argv)
    totals: Counter[str] = Counter()
    n_docs = 0
    for folder in args.folders:
        for txt in sorted(folder.glob("*.txt")):
            n_docs += 1
            try:
                found = candidates(txt, args.partial)
            except BratError as err:
                print(f"skipped: {err}", file=sys.stderr)
                continue
            for cand in found:
                print(cand)
                totals[cand.kind] += 1
    summary = ", ".join(f"{kind} {n}" for kind, n in sorted(totals.items()))
    print(f"{n_docs} documents, {sum(totals.values())} candidates: {summary or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
