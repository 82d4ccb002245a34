"""What one generated document is about: its place, currency, main event (with every name the
text may use for it) and main deal, and the helpers that write mentions in inline markup.

Every mention of the main event gets a key so the document can group them with one `EQUIV`
line (schema v2); other events (an earlier edition, an event held inside the main one) are
separate events and are never added to that group.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace

from pressdeals.training.gazetteers import (
    APPROXIMATORS,
    BRAND_EVENTS,
    DURATIONS,
    EVENT_REFERENCES,
    EVENT_TOPICS,
    EVENT_TYPES,
    FORBIDDEN_EVENT_PATTERNS,
    MONTHS,
    NUMBER_WORDS,
    REGIONS,
    SCALES,
    SCOPES,
    TOPIC_SHORT,
)

_FORBIDDEN = re.compile("|".join(FORBIDDEN_EVENT_PATTERNS))
_SMALL_WORDS = {"and", "of", "for", "the", "es", "e"}


def m(text: str, label: str, key: str | None = None) -> str:
    """An inline mention: `[text]{LABEL#key}`."""
    return f"[{text}]{{{label}{'#' + key if key else ''}}}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def acronym(name: str) -> str:
    """Initials of the capitalised words of `name`, hyphenated parts each counting
    (`Global Cross-Border E-commerce Expo` -> `GCBEE`)."""
    parts = [p for w in name.split() for p in w.split("-")]
    return "".join(p[0] for p in parts if p[:1].isupper() and p.lower() not in _SMALL_WORDS)


def place_word(place: str) -> str:
    """A place as the first words of an event name (`Sichuan Province` -> `Sichuan`)."""
    return re.sub(r" (Province|City)$", "", place)


@dataclass(frozen=True)
class Amount:
    """An amount of money in one currency style, formatted on demand, so that a title, a lead
    and a breakdown can state the same deal or a part of it in the document's currency."""

    pattern: str
    style: str
    scale: str
    short: str
    number: float

    def text(self) -> str:
        if self.style == "crore":
            n = f"{int(self.number):,}"
        elif self.style == "lakhcrore":
            n = f"{self.number:.1f}"
        else:
            n = f"{self.number:,}" if self.number != int(self.number) else f"{int(self.number):,}"
        return self.pattern.format(n=n, s=self.scale, s_short=self.short)

    def part(self, rng: random.Random, low: float, high: float) -> Amount:
        """A smaller amount of the same currency and scale (a share of this one)."""
        share = self.number * rng.uniform(low, high)
        if self.style == "crore":
            return replace(self, number=max(1, int(share)))
        if self.style == "lakhcrore":
            return replace(self, number=max(0.1, round(share, 1)))
        return replace(self, number=max(0.1, round(share, rng.choice([0, 1, 2]))))


@dataclass(frozen=True)
class EventNames:
    """The names one event goes by. `edition` is a year or an ordinal (or empty)."""

    full: str  # `Global Agritech Investment Forum`, `Chengdu Green Food Fair`, `Invest Northland`
    short: str | None  # `Agritech Forum`; None for brand names
    acronym: str | None  # `GAIF`; None where the name makes none
    edition: str  # `2026`, `9th` or ``
    kind: str  # the type word in lowercase for generic references (`forum`), `event` for brands
    brand: bool  # no type word (`Invest Northland 2026`)

    @property
    def is_year(self) -> bool:
        return self.edition.isdigit()

    def formal(self) -> str:
        """The name with its edition: `2026 Chengdu Green Food Fair`, `Invest Northland 2026`."""
        if not self.edition:
            return self.full
        if self.brand and self.is_year:
            return f"{self.full} {self.edition}"
        return f"{self.edition} {self.full}"

    def acronym_edition(self) -> str | None:
        """`GAIF 2026` or `9th GAIF`."""
        if not self.acronym or not self.edition:
            return None
        return (
            f"{self.acronym} {self.edition}" if self.is_year else f"{self.edition} {self.acronym}"
        )

    def previous(self) -> EventNames | None:
        """Last edition (a different event): `GAIF 2025`, `8th Chengdu Green Food Fair`."""
        if not self.edition:
            return None
        if self.is_year:
            return replace(self, edition=str(int(self.edition) - 1))
        number = int(re.match(r"\d+", self.edition)[0])
        return replace(self, edition=ordinal(number - 1)) if number > 1 else None

    def following(self) -> EventNames | None:
        """Next edition (a different event): `GAIF 2027`, `10th Chengdu Green Food Fair`."""
        if not self.edition:
            return None
        if self.is_year:
            return replace(self, edition=str(int(self.edition) + 1))
        return replace(self, edition=ordinal(int(re.match(r"\d+", self.edition)[0]) + 1))


def _draw_full(rng: random.Random, place: str, style: str) -> tuple[str, str, str]:
    """(full name, type word, topic) of a named event in `style` (`place` or `scope`)."""
    while True:
        topic, kind = rng.choice(EVENT_TOPICS), rng.choice(EVENT_TYPES)
        first = place_word(place) if style == "place" else rng.choice(SCOPES)
        name = f"{first} {topic} {kind}"
        words = [w.lower() for w in name.split()]
        if len(set(words)) == len(words) and not _FORBIDDEN.search(name):
            return name, kind, topic


def draw_event(rng: random.Random, place: str, style: str) -> EventNames:
    """The main event of a document: `plain` (place, topic and type, the v1 shapes),
    `acronym` (a name with a usable acronym) or `brand` (no type word)."""
    if style == "brand":
        edition = str(rng.randint(2022, 2026)) if rng.random() < 0.7 else ""
        return EventNames(rng.choice(BRAND_EVENTS), None, None, edition, "event", True)
    edition = rng.choice(["", str(rng.randint(2019, 2026)), ordinal(rng.randint(2, 26))])
    for _ in range(50):
        scoped = style == "acronym" and rng.random() < 0.6
        full, kind, topic = _draw_full(rng, place, "scope" if scoped else "place")
        acr = acronym(full)
        if style == "plain" or (3 <= len(acr) <= 6 and not _FORBIDDEN.search(acr)):
            break
    if style == "plain":
        short = f"{place_word(place)} {kind}"
        return EventNames(full, short, None, edition, kind.split()[-1].lower(), False)
    short = f"{TOPIC_SHORT.get(topic, topic.split()[0])} {kind.split()[-1]}"
    return EventNames(full, short, acr, edition, kind.split()[-1].lower(), False)


class Context:
    """What one generated document is about, and helpers to write its mentions."""

    def __init__(self, rng: random.Random, style: str = "plain") -> None:
        self.rng = rng
        self.region = REGIONS[rng.choice(list(REGIONS))]
        self.place = rng.choice(self.region["places"])
        self.other_place = rng.choice([p for p in self.region["places"] if p != self.place])
        self.names = draw_event(rng, self.place, style)
        self.agency = rng.choice(self.region["agencies"])
        pattern, cur_style = rng.choice(self.region["currency"])
        self.currency = (pattern, cur_style)
        self.days = rng.choice(DURATIONS)  # `three`: the same length wherever it is said
        self.keys = 0
        self.main_keys: list[str] = []  # every mention of the main event, for one EQUIV line
        self.defined = False  # the acronym has been defined in brackets
        # the main deal, stated by the title, the lead and maybe restated in the body
        self.deal_count, self.deal_noun = (
            self.rng.randint(12, 400),
            rng.choice(["projects", "agreements", "contracts", "deals", "MoUs"]),
        )
        self.deal_amount = self.amount()
        edition = self.names.edition
        self.year = int(edition) if edition.isdigit() else rng.randint(2019, 2026)

    # --- keys and mentions -------------------------------------------------------------

    def key(self) -> str:
        self.keys += 1
        return f"k{self.keys}"

    def event(self, variant: str = "any", key: str | None = None) -> tuple[str, bool]:
        """A mention of the main event (markup, whether it takes `the`), its key recorded.

        Variants: `formal`, `full` (no edition), `short`, `acronym`, `acronym_edition`,
        `define` (`Name (ACR)`), `define_reversed` (`ACR (Name)`), `any` (what a writer
        would use here: the acronym once it is defined)."""
        n = self.names
        if variant == "any":
            variant = self._any_variant()
        if variant in ("define", "define_reversed") and not n.acronym:
            variant = "formal"
        if variant in ("acronym", "acronym_edition") and not n.acronym:
            variant = "short" if n.short else "full"
        if variant == "acronym_edition" and not n.edition:
            variant = "acronym"
        if variant == "short" and not n.short:
            variant = "full"
        if variant in ("define", "define_reversed"):
            k1, k2 = key or self.key(), self.key()
            self.main_keys += [k1, k2]
            self.defined = True
            if variant == "define":
                return f"{m(n.formal(), 'EVENT', k1)} ({m(n.acronym, 'EVENT', k2)})", True
            return f"{m(n.acronym, 'EVENT', k1)} ({m(n.formal(), 'EVENT', k2)})", False
        surface = {
            "formal": n.formal(),
            "full": n.full,
            "short": n.short,
            "acronym": n.acronym,
            "acronym_edition": n.acronym_edition(),
        }[variant]
        k = key or self.key()
        self.main_keys.append(k)
        # `the Chengdu Fair`, `the 9th GAIF`; bare: brand names, `GAIF`, `GAIF 2026`
        bare = n.brand or variant == "acronym" or (variant == "acronym_edition" and n.is_year)
        takes_the = not bare
        return m(surface, "EVENT", k), takes_the

    def _any_variant(self) -> str:
        n = self.names
        if n.acronym and self.defined:
            return self.rng.choice(["acronym", "acronym", "acronym_edition", "short"])
        if n.brand:
            return self.rng.choice(["formal", "formal", "full"])
        return self.rng.choice(["formal", "formal", "full", "short"])

    def the_event(self, variant: str = "any", key: str | None = None) -> str:
        """The main event as running text takes it: `the [Chengdu Fair]`, `[GAIF]`."""
        markup, takes_the = self.event(variant, key)
        return f"the {markup}" if takes_the else markup

    def other_event(self, names: EventNames, key: str | None = None) -> str:
        """A mention of another event (an earlier edition), never grouped with the main one."""
        use_acronym = bool(names.acronym) and self.defined
        surface = names.acronym_edition() if use_acronym else names.formal()
        markup = m(surface or names.formal(), "EVENT", key)
        bare = names.brand or (use_acronym and names.is_year)
        return markup if bare else f"the {markup}"

    def reference(self) -> str:
        """A generic reference to the event (no mention): `the three-day forum`, `the meet`."""
        if self.rng.random() < 0.5 and not self.names.brand:
            return f"the {self.days}-day {self.names.kind}"
        return self.rng.choice([*EVENT_REFERENCES, f"the {self.names.kind}"])

    def body(self) -> str:
        return self.rng.choice(self.region["bodies"]).format(p=place_word(self.place))

    def the_body(self) -> str:
        """A government body as running text takes it (`the [X Bureau]`, `[Invest X]`)."""
        body = self.body()
        return m(body, "ORG") if body.startswith("Invest ") else f"the {m(body, 'ORG')}"

    def company(self) -> str:
        return self.rng.choice(self.region["companies"])

    # --- numbers -------------------------------------------------------------------------

    def number(self, low: int, high: int, words_ok: bool = True) -> tuple[int, str]:
        n = self.rng.randint(low, high)
        return n, self.number_text(n, words_ok)

    def number_text(self, n: int, words_ok: bool = True) -> str:
        if words_ok and n in NUMBER_WORDS and self.rng.random() < 0.5:
            return NUMBER_WORDS[n]
        return f"{n:,}" if self.rng.random() < 0.8 else str(n)

    def count(self, noun: str, low: int = 5, high: int = 400, approx: bool = True) -> str:
        _, text = self.number(low, high)
        if approx and self.rng.random() < 0.2:
            text = f"{self.rng.choice(APPROXIMATORS)} {text}"
        elif self.rng.random() < 0.05:
            a = self.rng.randint(low, high)
            text = f"{a} to {a + self.rng.randint(2, 20)}"
        return f"{text} {noun}"

    def deal(self, title: bool = False, approx: bool = True) -> str:
        """The main deal's count as text (`120 contracts`), the same number each time."""
        text = self.number_text(self.deal_count, words_ok=not title)
        if approx and not title and self.rng.random() < 0.15:
            text = f"{self.rng.choice(APPROXIMATORS)} {text}"
        noun = self.deal_noun
        return f"{text} {noun.capitalize() if title and noun != 'MoUs' else noun}"

    def amount(self) -> Amount:
        pattern, style = self.currency
        scale, short = self.rng.choice(SCALES)
        value = round(self.rng.uniform(1, 900), self.rng.choice([0, 1, 2, 3]))
        if style == "crore":
            value = float(self.rng.randint(50, 90000))
        elif style == "lakhcrore":
            value = round(self.rng.uniform(0.5, 5), 1)
        return Amount(pattern, style, scale, short, value)

    def minor_money(self) -> str:
        """An amount well below the main deal's (one company's deal, a threshold)."""
        return self.deal_amount.part(self.rng, 0.02, 0.25).text()

    def money(self, approx: bool = True, amount: Amount | None = None) -> str:
        """`amount` as text, or another amount of the document's currency and of the order of
        the main deal's (so a release does not mix millions and trillions)."""
        text = (amount or self.deal_amount.part(self.rng, 0.05, 1.2)).text()
        if approx and self.rng.random() < 0.2:
            text = f"{self.rng.choice(APPROXIMATORS)} {text}"
        return text

    def date(self) -> str:
        return f"{self.rng.choice(MONTHS)} {self.rng.randint(1, 28)}"
