"""Sentence templates of the generator, in the inline markup of `pressdeals.inline`.

A template writes one unit: one sentence, or two when a deal is stated across two consecutive
body sentences (schema v2). Relations follow `corpus/GUIDELINES.md`: VALUE from a signed count
to its amount, SIGNED_AT from the count (or from the amount when no count is linked to it) to
the event it was signed at, in the head's sentence or the neighbouring one, never with the
title. Things pledged, expected, proposed or received get no SIGNED_AT, but a count still
takes VALUE to its amount (decision 68: VALUE does not depend on signing).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pressdeals.training.gazetteers import (
    APPROXIMATORS,
    CAPITAL_OF,
    PEOPLE_NOUNS,
    SIGNED_NOUNS,
    SIGNED_VERBS,
    WEEKDAYS,
)
from pressdeals.training.generator_context import Context, m, place_word


@dataclass
class Unit:
    """One or two sentences of a document and their relation lines.

    `signing_event`: the key of a main-event mention in the last sentence when that sentence
    reports the signing there (a breakdown that follows takes SIGNED_AT to it, decision 40).
    `follows_event`: the key of a head whose sentence refers to the event without naming it
    (`during the fair`); it takes SIGNED_AT to the event when the sentence before names it
    (decision 14), and VALUE only otherwise.
    `tags`: the constructions the unit carries (counted in `constructions`)."""

    text: str
    relations: list[str] = field(default_factory=list)
    signing_event: str | None = None
    follows_event: str | None = None
    tags: tuple[str, ...] = ()


def cap(text: str) -> str:
    """Capitalise the start of a sentence (`the [X]` -> `The [X]`)."""
    if text.startswith("the "):
        return "The " + text[4:]
    i = 1 if text.startswith("[") else 0  # a mention opens the sentence: `[twelve deals]{..}`
    return text[:i] + text[i : i + 1].upper() + text[i + 1 :]


# --- titles ----------------------------------------------------------------------------------


def title(c: Context) -> Unit:
    """A headline; the ones with figures state the main deal (restated by the lead)."""
    k_c, k_m = c.key(), c.key()
    count = m(c.deal(title=True), "COUNT", k_c)
    money = m(c.deal_amount.text(), "MONEY", k_m)
    ev, _ = c.event(c.rng.choice(["formal", "formal", "acronym_edition", "short"]))
    k_e = c.main_keys[-1]
    options = [
        (
            f"{count} Signed at {ev} with a Total Value of {money}",
            [f"VALUE {k_c} {k_m}", f"SIGNED_AT {k_c} {k_e}"],
        ),
        (f"Deals Worth {money} Reached at {ev}", [f"SIGNED_AT {k_m} {k_e}"]),
        (
            f"{ev} Closes with {count} Worth {money}",
            [f"VALUE {k_c} {k_m}", f"SIGNED_AT {k_c} {k_e}"],
        ),
        (
            f"{ev} closes, {m(c.deal(title=True).lower().replace('mous', 'MoUs'), 'COUNT', k_c)} "
            "signed",
            [f"SIGNED_AT {k_c} {k_e}"],
        ),
        (f"{ev} Wraps Up in {m(c.place, 'GPE')}", []),
    ]
    text, rels = c.rng.choices(options, weights=[4, 2, 3, 2, 1])[0]
    return Unit(text, rels, tags=("title_deal",) if rels else ())


def dateline(c: Context) -> Unit:
    year = c.year
    # only single-country regions name the country: the others span several
    if c.region["country"] in ("China", "India") and c.rng.random() < 0.5:
        return Unit(
            f"{m(c.place.upper() if c.rng.random() < 0.6 else c.place, 'GPE')}, "
            f"{m(c.region['country'], 'GPE')}, {c.date()}, {year} /{m(c.agency, 'ORG')}/ --"
        )
    return Unit(f"{m(c.place, 'GPE')}, {c.date()} ({m(c.agency, 'ORG')}) --")


# --- leads: the main deal in one sentence (v1 shapes) ----------------------------------------


def _lead_money(c: Context, k_c: str, k_m: str) -> tuple[str, list[str]]:
    """The main deal's amount, sometimes with a bracketed conversion (its own MONEY and a
    second VALUE, decision 34)."""
    money = m(c.money(amount=c.deal_amount), "MONEY", k_m)
    rels = [f"VALUE {k_c} {k_m}"]
    if c.rng.random() < 0.2:
        k_m2 = c.key()
        converted = f"{c.rng.choice(APPROXIMATORS)} US${c.rng.uniform(0.1, 90):.2f} billion"
        money += f" ({m(converted, 'MONEY', k_m2)})"
        rels.append(f"VALUE {k_c} {k_m2}")
    return money, rels


def lead(c: Context, first_mention: str = "formal") -> Unit:
    k_c, k_m = c.key(), c.key()
    verb = c.rng.choice(SIGNED_VERBS)
    count = m(c.deal(), "COUNT", k_c)
    money, rels = _lead_money(c, k_c, k_m)
    ev = c.the_event(first_mention)
    k_e = c.main_keys[-1]
    rels.append(f"SIGNED_AT {k_c} {k_e}")
    choice = c.rng.randrange(3)
    if choice == 0:
        text = (
            f"A total of {count} worth {money} were {verb} at {ev} in {m(c.place, 'GPE')} on "
            f"{c.date()}, {c.the_body()} said."
        )
    elif choice == 1:
        text = (
            f"{cap(ev)} concluded in {m(c.place, 'GPE')} with {count} {verb}, with a total "
            f"value of {money}."
        )
    else:
        text = f"Officials {verb} {count} with a combined investment of {money} during {ev}."
    return Unit(text, rels, signing_event=k_e)


# --- leads: the main deal across two sentences (schema v2) -----------------------------------


def _where(c: Context) -> str:
    """`in [Chengdu], the capital of [Sichuan Province]` or `in [Chengdu]`."""
    city = c.place
    if city in CAPITAL_OF:
        return f"in {m(city, 'GPE')}, the capital of {m(CAPITAL_OF[city], 'GPE')}"
    return f"in {m(city, 'GPE')}"


def lead_event_then_deals(c: Context, first_mention: str) -> Unit:
    """Newswire: a long first sentence about the event, the deals in the next (`... were
    signed during the three-day fair`): SIGNED_AT across, VALUE inside the second."""
    k_c, k_m = c.key(), c.key()
    ev = c.the_event(first_mention)
    k_e = c.main_keys[-1]
    noun = c.rng.choice(PEOPLE_NOUNS[:5])
    people = m(c.count(noun, 200, 9000, approx=False), "COUNT")
    more_than = m(f"More than {c.count(noun, 200, 9000, approx=False)}", "COUNT")
    countries = m(c.count("countries and regions", 8, 90, approx=False), "COUNT")
    first = c.rng.choice(
        [
            f"{cap(ev)} concluded {c.rng.choice(WEEKDAYS)} {_where(c)}, drawing {people} from "
            f"{countries}.",
            f"{cap(ev)} closed on {c.date()} {_where(c)}, after {c.days} days of "
            "exhibitions, matchmaking sessions and site visits.",
            f"{more_than} attended {ev}, which ended {c.rng.choice(WEEKDAYS)} "
            f"{_where(c)}, with a call to deepen cooperation with {m(c.other_place, 'GPE')}.",
        ]
    )
    money, rels = _lead_money(c, k_c, k_m)
    verb = c.rng.choice(SIGNED_VERBS)
    second = c.rng.choice(
        [
            f"A total of {m(c.deal(), 'COUNT', k_c)} worth {money} were {verb} during "
            f"{c.reference()}.",
            f"{cap(m(c.deal(), 'COUNT', k_c))} valued at {money} were {verb} at {c.reference()}, "
            f"organisers said.",
        ]
    )
    return Unit(
        f"{first} {second}",
        [*rels, f"SIGNED_AT {k_c} {k_e}"],
        tags=("signed_at_next", "newswire_lead", "main_across"),
    )


def lead_count_then_value(c: Context, first_mention: str) -> Unit:
    """`Officials signed 31 MoUs at X. Their combined value is $2.1 billion.`: VALUE across."""
    k_c, k_m = c.key(), c.key()
    ev = c.the_event(first_mention)
    k_e = c.main_keys[-1]
    count = m(c.deal(), "COUNT", k_c)
    money = m(c.money(amount=c.deal_amount), "MONEY", k_m)
    verb = c.rng.choice(SIGNED_VERBS)
    first = c.rng.choice(
        [
            f"Officials {verb} {count} at {ev} on {c.date()}.",
            f"{cap(ev)} closed with {count} {verb}.",
            f"{cap(c.the_body())} said {count} were {verb} at {ev}.",
        ]
    )
    second = c.rng.choice(
        [
            f"Their combined value is {money}.",
            f"The deals are worth {money} in total.",
            f"Together they carry an investment of {money}.",
        ]
    )
    return Unit(
        f"{first} {second}",
        [f"SIGNED_AT {k_c} {k_e}", f"VALUE {k_c} {k_m}"],
        tags=("value_next", "main_across"),
    )


def lead_value_then_count(c: Context, first_mention: str) -> Unit:
    """`Deals worth X were signed at <Event>. They comprise 52 agreements ...`: the count takes
    VALUE and SIGNED_AT across; the amount heads nothing (decision 50)."""
    k_c, k_m = c.key(), c.key()
    ev = c.the_event(first_mention)
    k_e = c.main_keys[-1]
    money = m(c.money(amount=c.deal_amount), "MONEY", k_m)
    first = c.rng.choice(
        [
            f"Deals worth {money} were {c.rng.choice(SIGNED_VERBS)} at {ev} this week.",
            f"Investment agreements worth {money} were signed during {ev}.",
        ]
    )
    second = c.rng.choice(
        [
            f"They comprise {m(c.deal(), 'COUNT', k_c)} covering manufacturing, energy and "
            "logistics.",
            f"The total covers {m(c.deal(), 'COUNT', k_c)}, according to the organisers.",
        ]
    )
    return Unit(
        f"{first} {second}",
        [f"VALUE {k_c} {k_m}", f"SIGNED_AT {k_c} {k_e}"],
        tags=("value_before_count", "signed_at_previous", "main_across"),
    )


def lead_deals_then_event(c: Context, first_mention: str) -> Unit:
    """`Deals worth X were signed. They were inked on the sidelines of <Event>.`: SIGNED_AT
    across from the amount, or from the count when there is one."""
    k_c, k_m = c.key(), c.key()
    money = m(c.money(amount=c.deal_amount), "MONEY", k_m)
    if c.rng.random() < 0.5:
        first = f"Deals worth {money} were signed in {m(c.place, 'GPE')} on {c.date()}."
        head, rels = k_m, []
    else:
        first = f"{cap(m(c.deal(), 'COUNT', k_c))} worth {money} were signed this week."
        head, rels = k_c, [f"VALUE {k_c} {k_m}"]
    ev = c.the_event(first_mention)
    k_e = c.main_keys[-1]
    second = c.rng.choice(
        [
            f"They were inked on the sidelines of {ev}.",
            f"They were concluded at {ev}, which drew investors from "
            f"{m(c.count('countries', 8, 60, approx=False), 'COUNT')}.",
        ]
    )
    return Unit(
        f"{first} {second}",
        [*rels, f"SIGNED_AT {head} {k_e}"],
        signing_event=k_e,
        tags=("signed_at_next", "main_across"),
    )


def lead_value_next_with_event(c: Context, first_mention: str) -> Unit:
    """`<Event> closed with 120 contracts signed. Their total value stands at X.`"""
    k_c, k_m = c.key(), c.key()
    ev = c.the_event(first_mention)
    k_e = c.main_keys[-1]
    verb = c.rng.choice(SIGNED_VERBS)
    first = f"{cap(ev)} closed on {c.date()} with {m(c.deal(), 'COUNT', k_c)} {verb}."
    second = f"Their total value stands at {m(c.money(amount=c.deal_amount), 'MONEY', k_m)}."
    return Unit(
        f"{first} {second}",
        [f"SIGNED_AT {k_c} {k_e}", f"VALUE {k_c} {k_m}"],
        tags=("value_next", "main_across"),
    )


# the newswire lead and the reverse (`They were inked at <Event>`) count twice
ACROSS_LEADS = [
    lead_event_then_deals,
    lead_event_then_deals,
    lead_count_then_value,
    lead_value_then_count,
    lead_deals_then_event,
    lead_deals_then_event,
    lead_value_next_with_event,
]


# --- body units --------------------------------------------------------------------------


def breakdown(c: Context, signing_event: str | None) -> Unit:
    """`Among them, 16 ... carry X, while 40 ... account for Y.`: parts of the main deal, each
    with its VALUE, and SIGNED_AT across when the sentence before reports the signing at the
    named event (decision 40)."""
    k1, k2, k3, k4 = c.key(), c.key(), c.key(), c.key()
    n1 = c.rng.randint(2, max(2, c.deal_count // 3))
    n2 = c.rng.randint(2, max(2, c.deal_count - n1 - 1))
    a1, a2 = c.deal_amount.part(c.rng, 0.1, 0.4), c.deal_amount.part(c.rng, 0.1, 0.4)
    rels = [f"VALUE {k1} {k2}", f"VALUE {k3} {k4}"]
    if signing_event:
        rels += [f"SIGNED_AT {k1} {signing_event}", f"SIGNED_AT {k3} {signing_event}"]
    return Unit(
        f"Among them, {m(f'{n1} foreign-funded projects', 'COUNT', k1)} carry an investment of "
        f"{m(a1.text(), 'MONEY', k2)}, while {m(f'{n2} domestic projects', 'COUNT', k3)} account "
        f"for {m(a2.text(), 'MONEY', k4)}.",
        rels,
        tags=("breakdown", "signed_at_previous") if signing_event else ("breakdown",),
    )


def restatement(c: Context) -> Unit:
    """The main deal restated later in the body (one more statement of the same fact)."""
    k_c, k_m = c.key(), c.key()
    count = m(c.deal(approx=False), "COUNT", k_c)
    money = m(c.deal_amount.text(), "MONEY", k_m)
    if c.rng.random() < 0.5:
        ev = c.the_event()
        return Unit(
            f"In all, the {count} signed at {ev} carry a combined value of {money}, officials "
            f"said.",
            [f"VALUE {k_c} {k_m}", f"SIGNED_AT {k_c} {c.main_keys[-1]}"],
            tags=("restated",),
        )
    return Unit(
        f"{cap(c.the_body())} expects the {count} worth {money} to create "
        f"{m(c.count('jobs', 800, 9000, approx=False), 'COUNT')} over five years.",
        [f"VALUE {k_c} {k_m}"],
        tags=("restated",),
    )


def generic_event(c: Context) -> Unit:
    """Deals at the event referred to, not named: VALUE; SIGNED_AT only when the sentence
    before names the event (filled in by the assembler)."""
    k_c, k_m = c.key(), c.key()
    return Unit(
        f"During {c.reference()}, {m(c.count(c.rng.choice(SIGNED_NOUNS)), 'COUNT', k_c)} "
        f"valued at {m(c.money(), 'MONEY', k_m)} were {c.rng.choice(SIGNED_VERBS)}.",
        [f"VALUE {k_c} {k_m}"],
        follows_event=k_c,
    )


def company_deal(c: Context) -> Unit:
    k_c, k_m = c.key(), c.key()
    ev = c.the_event()
    return Unit(
        f"{m(c.company(), 'ORG')} {c.rng.choice(SIGNED_VERBS)} "
        f"{m(c.count(c.rng.choice(SIGNED_NOUNS), 2, 12, False), 'COUNT', k_c)} worth "
        f"{m(c.minor_money(), 'MONEY', k_m)} with partners from {m(c.other_place, 'GPE')} at {ev}.",
        [f"VALUE {k_c} {k_m}", f"SIGNED_AT {k_c} {c.main_keys[-1]}"],
    )


def money_only(c: Context) -> Unit:
    k_m = c.key()
    ev = c.the_event()
    return Unit(
        f"Purchase deals worth {m(c.money(), 'MONEY', k_m)} were also sealed at {ev}.",
        [f"SIGNED_AT {k_m} {c.main_keys[-1]}"],
    )


def threshold(c: Context) -> Unit:
    _, a = c.number(2, max(2, min(40, c.deal_count // 3)), words_ok=False)
    return Unit(f"Of these, {m(a, 'COUNT')} exceeded {m(c.minor_money(), 'MONEY')} each.")


def trade_volume(c: Context) -> Unit:
    return Unit(
        f"Trade between {m(c.place, 'GPE')} and {m(c.other_place, 'GPE')} reached "
        f"{m(c.money(), 'MONEY')} last year, up {c.rng.randint(2, 60)}.{c.rng.randint(0, 9)}"
        " percent."
    )


def attendance(c: Context) -> Unit:
    return Unit(
        f"The {c.names.kind} drew {m(c.count(c.rng.choice(PEOPLE_NOUNS), 50, 9000), 'COUNT')} "
        f"from {m(c.count('countries and regions', 8, 120), 'COUNT')}."
    )


def hosts(c: Context) -> Unit:
    ev = c.the_event()
    return Unit(f"{cap(ev)} was hosted by {c.the_body()} together with {m(c.company(), 'ORG')}.")


def footer(c: Context) -> Unit:
    return Unit(f"Source: {m(c.body(), 'ORG')}")


# --- aliases: other events next to the main one --------------------------------------------


def previous_edition(c: Context) -> Unit | None:
    """Last year's edition is another event: its own deal, SIGNED_AT to it (decision 54)."""
    prev = c.names.previous()
    if prev is None:
        return None
    k_c, k_m, k_e = c.key(), c.key(), c.key()
    return Unit(
        f"That compares with {m(c.count(c.deal_noun, 5, 300, approx=False), 'COUNT', k_c)} worth "
        f"{m(c.money(False), 'MONEY', k_m)} signed at {c.other_event(prev, k_e)}.",
        [f"VALUE {k_c} {k_m}", f"SIGNED_AT {k_c} {k_e}"],
        tags=("previous_edition",),
    )


def inner_event(c: Context) -> Unit:
    """An event held inside the main one is a different event; deals go to where they were
    signed (decision 43)."""
    k_c, k_m, k_e = c.key(), c.key(), c.key()
    name = c.rng.choice(
        ["Green Finance Roundtable", "Startup Pitch Day", "Investors' Breakfast", "Buyers' Meet"]
    )
    inner = m(f"{place_word(c.place)} {name}", "EVENT", k_e)
    main = c.the_event()
    count = m(c.count(c.rng.choice(["MoUs", "agreements"]), 2, 15, False), "COUNT", k_c)
    return Unit(
        f"{cap(count)} worth {m(c.minor_money(), 'MONEY', k_m)} were signed at the {inner}, "
        f"held on the sidelines of {main}.",
        [f"VALUE {k_c} {k_m}", f"SIGNED_AT {k_c} {k_e}"],
        tags=("inner_event",),
    )


# --- hard negatives ------------------------------------------------------------------------


def planned(c: Context) -> Unit:
    k_c, k_m = c.key(), c.key()
    return Unit(
        f"Organisers expect a further {m(c.count(c.rng.choice(SIGNED_NOUNS)), 'COUNT', k_c)} "
        f"worth {m(c.money(), 'MONEY', k_m)} to be signed before the end of the year.",
        [f"VALUE {k_c} {k_m}"],
        tags=("negative",),
    )


def pledged(c: Context) -> Unit:
    ev = c.the_event()
    return Unit(
        f"Investors also pledged {m(c.money(), 'MONEY')} at {ev}, although no agreements "
        f"have been signed yet.",
        tags=("negative",),
    )


def under_negotiation(c: Context) -> Unit:
    """Two sentences shaped like a cross-sentence deal, but nothing signed: VALUE across."""
    k_c, k_m = c.key(), c.key()
    return Unit(
        f"Another {m(c.count(c.rng.choice(SIGNED_NOUNS), 5, 80), 'COUNT', k_c)} are still "
        f"under negotiation. They are worth {m(c.money(), 'MONEY', k_m)} and are expected to "
        f"be signed by {c.rng.choice(['March', 'April', 'May', 'June', 'July', 'October'])}.",
        [f"VALUE {k_c} {k_m}"],
        tags=("negative",),
    )


def proposals(c: Context) -> Unit:
    """`Organisers received 45 proposals during X. Their combined value is Y.`: received, not
    signed, so no SIGNED_AT; VALUE across (decision 68)."""
    ev = c.the_event()
    k_c, k_m = c.key(), c.key()
    return Unit(
        f"Organisers received {m(c.count('investment proposals', 10, 300), 'COUNT', k_c)} "
        f"during {ev}. Their combined value is {m(c.money(), 'MONEY', k_m)}.",
        [f"VALUE {k_c} {k_m}"],
        tags=("negative",),
    )


def next_edition(c: Context) -> Unit | None:
    """Deals to be signed at next year's edition (another event): VALUE, no SIGNED_AT."""
    following = c.names.following()
    if following is None:
        return None
    k_c, k_m = c.key(), c.key()
    return Unit(
        f"{cap(m(c.count(c.deal_noun, 10, 90, approx=False), 'COUNT', k_c))} worth "
        f"{m(c.money(), 'MONEY', k_m)} are to be signed at {c.other_event(following)}.",
        [f"VALUE {k_c} {k_m}"],
        tags=("negative", "next_edition"),
    )
