"""Seeded generator of annotated press releases for data augmentation.

Documents are assembled from sentence templates (positives, breakdowns, conversions and hard
negatives) filled from `training.gazetteers`, written in the inline markup of
`pressdeals.inline` and parsed, so generated and hand-written documents share one code path.
Generated documents go to their own folder so that each kind can be measured.
"""

from __future__ import annotations

import random
import re
import textwrap
from bisect import bisect_right
from collections.abc import Callable
from pathlib import Path

from pressdeals.brat import write_brat
from pressdeals.document import AnnotatedDoc, Entity, Relation
from pressdeals.inline import parse_inline
from pressdeals.training.gazetteers import (
    APPROXIMATORS,
    EVENT_TOPICS,
    EVENT_TYPES,
    MONTHS,
    NUMBER_WORDS,
    ORDINALS,
    PEOPLE_NOUNS,
    REGIONS,
    SCALES,
    SIGNED_NOUNS,
    SIGNED_VERBS,
)


def m(text: str, label: str, key: str | None = None) -> str:
    return f"[{text}]{{{label}{'#' + key if key else ''}}}"


class Context:
    """What one generated document is about, and helpers to write its mentions."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.region = REGIONS[rng.choice(list(REGIONS))]
        self.place = rng.choice(self.region["places"])
        self.other_place = rng.choice([p for p in self.region["places"] if p != self.place])
        kind = rng.choice(EVENT_TYPES)
        self.event_kind = kind.split()[-1].lower()
        name = f"{self.place.split()[0]} {rng.choice(EVENT_TOPICS)} {kind}"
        prefix = rng.choice(["", f"{rng.randint(2019, 2026)} ", f"{rng.choice(ORDINALS)} "])
        self.event = prefix + name
        self.short_event = name if prefix else f"{self.place.split()[0]} {kind}"
        self.agency = rng.choice(self.region["agencies"])
        self.keys = 0

    def key(self) -> str:
        self.keys += 1
        return f"k{self.keys}"

    def body(self) -> str:
        return self.rng.choice(self.region["bodies"]).format(p=self.place.split(",")[0])

    def company(self) -> str:
        return self.rng.choice(self.region["companies"])

    def number(self, low: int, high: int, words_ok: bool = True) -> tuple[int, str]:
        n = self.rng.randint(low, high)
        if words_ok and n in NUMBER_WORDS and self.rng.random() < 0.5:
            return n, NUMBER_WORDS[n]
        return n, f"{n:,}" if self.rng.random() < 0.8 else str(n)

    def count(self, noun: str, low: int = 5, high: int = 400, approx: bool = True) -> str:
        _, text = self.number(low, high)
        if approx and self.rng.random() < 0.2:
            text = f"{self.rng.choice(APPROXIMATORS)} {text}"
        elif self.rng.random() < 0.05:
            a = self.rng.randint(low, high)
            text = f"{a} to {a + self.rng.randint(2, 20)}"
        return f"{text} {noun}"

    def money(self, approx: bool = True) -> str:
        pattern, style = self.rng.choice(self.region["currency"])
        scale, short = self.rng.choice(SCALES)
        value = round(self.rng.uniform(1, 900), self.rng.choice([0, 1, 2, 3]))
        n = f"{value:,}" if value != int(value) else f"{int(value):,}"
        if style in ("crore",):
            n = f"{self.rng.randint(50, 90000):,}"
        if style == "lakhcrore":
            n = f"{self.rng.uniform(0.5, 5):.1f}"
        text = pattern.format(
            n=n,
            s=scale,
            s_short=short,
            approx=self.rng.choice(APPROXIMATORS),
            u=f"{value / 7:.2f}",
            s2=scale,
        )
        if approx and self.rng.random() < 0.2 and "(" not in text:
            text = f"{self.rng.choice(APPROXIMATORS)} {text}"
        return text

    def date(self) -> str:
        return f"{self.rng.choice(MONTHS)} {self.rng.randint(1, 28)}"


Sentence = tuple[str, list[str]]  # inline text, relation lines


def title(c: Context) -> Sentence:
    k_c, k_m, k_e = c.key(), c.key(), c.key()
    noun = c.rng.choice(["Projects", "Deals", "Agreements", "Contracts"])
    options = [
        (
            f"{m(c.count(noun, approx=False), 'COUNT', k_c)} Signed at {m(c.event, 'EVENT', k_e)} "
            f"with a Total Value of {m(c.money(False), 'MONEY', k_m)}",
            [f"VALUE {k_c} {k_m}", f"SIGNED_AT {k_c} {k_e}"],
        ),
        (
            f"Deals Worth {m(c.money(False), 'MONEY', k_m)} Reached at "
            f"{m(c.short_event, 'EVENT', k_e)}",
            [f"SIGNED_AT {k_m} {k_e}"],
        ),
        (
            f"{m(c.event, 'EVENT', k_e)} Closes with "
            f"{m(c.count(noun.lower(), approx=False), 'COUNT', k_c)} "
            f"Worth {m(c.money(False), 'MONEY', k_m)}",
            [f"VALUE {k_c} {k_m}", f"SIGNED_AT {k_c} {k_e}"],
        ),
        (f"{m(c.place, 'GPE')} to Host {m(c.event, 'EVENT')} in {c.rng.choice(MONTHS)}", []),
    ]
    return c.rng.choices(options, weights=[4, 2, 3, 1])[0]


def dateline(c: Context) -> Sentence:
    year = c.rng.randint(2019, 2026)
    if c.rng.random() < 0.5:
        return (
            f"{m(c.place.upper() if c.rng.random() < 0.6 else c.place, 'GPE')}, "
            f"{m(c.region['country'], 'GPE')}, {c.date()}, {year} /{m(c.agency, 'ORG')}/ --",
            [],
        )
    return f"{m(c.place, 'GPE')}, {c.date()} ({m(c.agency, 'ORG')}) --", []


def lead(c: Context) -> Sentence:
    k_c, k_m, k_e, k_m2 = c.key(), c.key(), c.key(), c.key()
    noun, verb = c.rng.choice(SIGNED_NOUNS), c.rng.choice(SIGNED_VERBS)
    rels = [f"VALUE {k_c} {k_m}", f"SIGNED_AT {k_c} {k_e}"]
    money = m(c.money(), "MONEY", k_m)
    if c.rng.random() < 0.2:
        converted = f"{c.rng.choice(APPROXIMATORS)} US${c.rng.uniform(0.1, 90):.2f} billion"
        money += f" ({m(converted, 'MONEY', k_m2)})"
        rels.append(f"VALUE {k_c} {k_m2}")
    return c.rng.choice(
        [
            (
                f"A total of {m(c.count(noun), 'COUNT', k_c)} worth {money} were {verb} at the "
                f"{m(c.event, 'EVENT', k_e)} in {m(c.place, 'GPE')} on {c.date()}, the "
                f"{m(c.body(), 'ORG')} said.",
                rels,
            ),
            (
                f"The {m(c.event, 'EVENT', k_e)} concluded in {m(c.place, 'GPE')} with "
                f"{m(c.count(noun), 'COUNT', k_c)} {verb}, with a total value of {money}.",
                rels,
            ),
            (
                f"Officials {verb} {m(c.count(noun), 'COUNT', k_c)} with a combined investment of "
                f"{money} during the {m(c.event, 'EVENT', k_e)}.",
                rels,
            ),
        ]
    )


def generic_event(c: Context) -> Sentence:
    k_c, k_m = c.key(), c.key()
    return (
        f"During the {c.event_kind}, {m(c.count(c.rng.choice(SIGNED_NOUNS)), 'COUNT', k_c)} "
        f"valued at {m(c.money(), 'MONEY', k_m)} were {c.rng.choice(SIGNED_VERBS)}.",
        [f"VALUE {k_c} {k_m}"],
    )


def breakdown(c: Context) -> Sentence:
    k1, k2, k3, k4 = c.key(), c.key(), c.key(), c.key()
    return (
        f"Among them, {m(c.count('foreign-funded projects', 2, 60, False), 'COUNT', k1)} "
        f"carry an investment of {m(c.money(), 'MONEY', k2)}, while "
        f"{m(c.count('domestic projects', 2, 90, False), 'COUNT', k3)} account for "
        f"{m(c.money(), 'MONEY', k4)}.",
        [f"VALUE {k1} {k2}", f"VALUE {k3} {k4}"],
    )


def company_deal(c: Context) -> Sentence:
    k_c, k_m, k_e = c.key(), c.key(), c.key()
    return (
        f"{m(c.company(), 'ORG')} {c.rng.choice(SIGNED_VERBS)} "
        f"{m(c.count(c.rng.choice(SIGNED_NOUNS), 2, 12, False), 'COUNT', k_c)} worth "
        f"{m(c.money(), 'MONEY', k_m)} with partners from {m(c.other_place, 'GPE')} at the "
        f"{m(c.short_event, 'EVENT', k_e)}.",
        [f"VALUE {k_c} {k_m}", f"SIGNED_AT {k_c} {k_e}"],
    )


def money_only(c: Context) -> Sentence:
    k_m, k_e = c.key(), c.key()
    return (
        f"Purchase deals worth {m(c.money(), 'MONEY', k_m)} were also sealed at the "
        f"{m(c.short_event, 'EVENT', k_e)}.",
        [f"SIGNED_AT {k_m} {k_e}"],
    )


def threshold(c: Context) -> Sentence:
    _, a = c.number(2, 40, words_ok=False)
    return (f"Of these, {m(a, 'COUNT')} exceeded {m(c.money(False), 'MONEY')} each.", [])


def planned(c: Context) -> Sentence:
    return (
        f"Organisers expect a further {m(c.count(c.rng.choice(SIGNED_NOUNS)), 'COUNT')} worth "
        f"{m(c.money(), 'MONEY')} to be signed before the end of the year.",
        [],
    )


def trade_volume(c: Context) -> Sentence:
    return (
        f"Trade between {m(c.place, 'GPE')} and {m(c.other_place, 'GPE')} reached "
        f"{m(c.money(), 'MONEY')} last year, up {c.rng.randint(2, 60)}.{c.rng.randint(0, 9)}"
        " percent.",
        [],
    )


def attendance(c: Context) -> Sentence:
    return (
        f"The {c.event_kind} drew {m(c.count(c.rng.choice(PEOPLE_NOUNS), 50, 9000), 'COUNT')} "
        f"from {m(c.count('countries and regions', 8, 120), 'COUNT')}.",
        [],
    )


def hosts(c: Context) -> Sentence:
    return (
        f"The {m(c.short_event, 'EVENT')} was hosted by the {m(c.body(), 'ORG')} together with "
        f"{m(c.company(), 'ORG')}.",
        [],
    )


def footer(c: Context) -> Sentence:
    return f"Source: {m(c.body(), 'ORG')}", []


BODY: list[tuple[Callable[[Context], Sentence], float]] = [
    (generic_event, 0.5),
    (breakdown, 0.5),
    (company_deal, 0.5),
    (money_only, 0.3),
    (threshold, 0.4),
    (planned, 0.4),
    (trade_volume, 0.4),
    (attendance, 0.6),
    (hosts, 0.5),
]


def generate_document(
    rng: random.Random, doc_id: str, wrap_probability: float = 0.3
) -> AnnotatedDoc:
    c = Context(rng)
    parts: list[Sentence] = [title(c), dateline(c), lead(c)]
    body = [f for f, p in BODY if rng.random() < p]
    rng.shuffle(body)
    parts += [f(c) for f in body]
    if rng.random() < 0.5:
        parts.append(footer(c))
    head, dl, *rest = parts
    lines = [head[0], "", dl[0] + " " + " ".join(s for s, _ in rest[:2])]
    for i in range(2, len(rest), 2):
        lines += ["", " ".join(s for s, _ in rest[i : i + 2])]
    relations = [r for _, rels in parts for r in rels]
    doc = parse_inline("\n".join(lines) + "\n=== relations\n" + "\n".join(relations) + "\n", doc_id)
    if rng.random() < wrap_probability:
        doc = hard_wrap(doc, rng.randint(64, 80), blank_lines=rng.random() < 0.5)
    return doc


def hard_wrap(doc: AnnotatedDoc, width: int, blank_lines: bool) -> AnnotatedDoc:
    """Re-break each paragraph but the headline at `width`, moving every offset with the text."""
    out, shift = [], [0] * (len(doc.text) + 1)
    pos, added = 0, 0
    for number, para in enumerate(re.split(r"(\n)", doc.text)):
        if number > 0 and para != "\n" and len(para) > width:
            wrapped = textwrap.wrap(para, width, break_long_words=False, break_on_hyphens=False)
            joiner = "\n\n" if blank_lines else "\n"
            new = joiner.join(wrapped)
            # map each old char index to its new index: spaces at breaks become the joiner
            j = 0
            for i, ch in enumerate(para):
                while new[j] != ch and not (ch == " " and new[j] == "\n"):
                    j += 1
                shift[pos + i] = added + (j - i)
                j += len(joiner) if ch == " " and new[j] == "\n" else 1
            added += len(new) - len(para)
            out.append(new)
        else:
            for i in range(len(para)):
                shift[pos + i] = added
            out.append(para)
        pos += len(para)
    shift[len(doc.text)] = added
    text = "".join(out)
    if blank_lines:  # layouts that add a blank line after every line double paragraph breaks too
        text, shift = _double_paragraph_breaks(text, doc.text, shift)

    def move(e: Entity) -> Entity:
        return Entity(e.start + shift[e.start], e.end - 1 + shift[e.end - 1] + 1, e.label)

    ents = {e: move(e) for e in doc.entities}
    rels = [Relation(ents[r.head], ents[r.tail], r.label) for r in doc.relations]
    return AnnotatedDoc(doc.id, text, list(ents.values()), rels)


def _double_paragraph_breaks(text: str, original: str, shift: list[int]) -> tuple[str, list[int]]:
    """Turn each original blank-line paragraph break ("\n\n") into "\n\n\n\n"."""
    ends = [m.end() for m in re.finditer(r"\n\n", original)]
    new_text = list(text)
    for m in reversed(list(re.finditer(r"\n\n", original))):
        new_text.insert(m.start() + shift[m.start()], "\n\n")
    moved = [s + 2 * bisect_right(ends, i) for i, s in enumerate(shift)]
    return "".join(new_text), moved


def generate(
    n: int, seed: int, prefix: str = "gen", wrap_probability: float = 0.3
) -> list[AnnotatedDoc]:
    rng = random.Random(seed)
    return [generate_document(rng, f"{prefix}_{seed}_{i:04d}", wrap_probability) for i in range(n)]


def write_generated(n: int, seed: int, folder: Path) -> int:
    for doc in generate(n, seed):
        write_brat(doc, folder)
    return n
