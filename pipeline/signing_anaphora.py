"""SIGNED_AT through an anaphor in the next sentence (guidelines 100): in `The 17th X Expo
and the concurrent Y Summit closed on Monday. A total of 86 projects were signed at the
four-day event.`, the projects were signed at the Expo. The schema links two consecutive body
sentences when the second goes on about the things signed; the relation model misses most
such links in real releases (it learned them from few examples), so the `relation_extractor`
adds them by rule where it left a signed count or amount unlinked:

- the head's sentence reports a signing (`signed`, `inked`, `sealed` ...) `at` / `during the
  (four-day) event|fair|expo|...`, names no event itself and says nothing of plans, pledges
  or intentions;
- the previous sentence, a body sentence, names the event: the one whose type word the
  anaphor repeats (`the fair` -> `... Fair`), or for `the event`, `the gathering` ... its only
  event, or the first one named; SIGNED_AT goes to that event's nearest mention there.

The mirror case (guidelines 103): the head's sentence reports the signing and names no
event, and the next sentence goes on about the same things by a definite noun phrase and
names the event: `The two countries signed 16 agreements worth $600 million. The agreements
were signed on the sidelines of the X Forum.` -> SIGNED_AT(16 agreements -> X Forum).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.tokens import Doc, Span

from pressdeals.pipeline.extensions import doc_text
from pressdeals.pipeline.text import heading_flags, sentence_spans

SIGNING = re.compile(
    r"\b(?:signed|inked|sealed|concluded|clinched|struck|penned|contracted)\b", re.IGNORECASE
)
NOT_SIGNED = re.compile(
    r"\b(?:expected|plann?ed|pledged?|proposals?|proposed|will|would|could|intend\w*|"
    r"intention\w*|targets?|aim\w*|negotiat\w*|received|launched|announced|since|"
    r"to be signed|none)\b",
    re.IGNORECASE,
)
ANAPHOR = re.compile(
    r"\b(?:at|during|on the sidelines of|in the course of)\s+(?:the|this year's|this)\s+"
    r"(?:[\w-]+\s+){0,2}?(?P<noun>event|fair|expo|exposition|summit|forum|conference|meet|"
    r"meeting|convention|show|exhibition|gathering|session)\b",
    re.IGNORECASE,
)
# `The agreements were signed on the sidelines of`: a definite reference to signed things,
# then the preposition that the event follows
BACK_REFERENCE = re.compile(
    r"^\W*(?:the|these|those|all (?:the|these|of the)|both)\s+(?:[\w-]+\s+){0,2}?"
    r"(?P<noun>projects?|deals?|agreements?|contracts?|mous?|memorand\w*|transactions?|"
    r"orders?|documents?|accords?|pacts?)\b[^.;:]*?\b(?:were|was|have been|had been)\s+"
    r"(?:\w+\s+)?(?:signed|inked|sealed|concluded|clinched|struck|penned|exchanged)\s+"
    r"(?:\w+\s+)?(?:at|during|on the sidelines of|on the margins of|in the course of)\s+"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)
GENERIC_NOUNS = frozenset(("event", "gathering", "meeting", "meet", "show", "session"))
DEAL_NOUN = re.compile(
    r"project|deal|agreement|contract|mou|memorand|transaction|order|document|accord|pact",
    re.IGNORECASE,
)
# a second amount in brackets or after `, or` (a conversion), or a threshold: no head
NOT_A_HEAD = re.compile(
    r"(?:\(\s*(?:about|around|approximately|approx\.|roughly|some|nearly|or)?|,\s*or\s*"
    r"(?:about|around|some|nearly|roughly)?|\b(?:exceed\w*|above|topp?\w*|over))\s*$",
    re.IGNORECASE,
)


def _type_word(name: str) -> str:
    word = name.split()[-1].lower()
    return "expo" if word == "exposition" else word


def link_anaphoric_signings(doc: Doc, relations: list[dict]) -> list[dict]:
    """`relations` with the SIGNED_AT that an anaphor in the next sentence gives (see the
    module's text); the added ones carry `"rule": "anaphor"`."""
    ents = [e for e in doc.ents if e.label_ in ("COUNT", "MONEY", "EVENT")]
    events = [e for e in ents if e.label_ == "EVENT"]
    if not events:
        return relations
    text = doc_text(doc)
    spans = sentence_spans(text)
    headings = heading_flags(text, spans)
    starts = [s for s, _ in spans]
    group = {tuple(m): i for i, g in enumerate(doc._.aliases or []) for m in g}

    def sentence(pos: int) -> int:
        return next((i for i in range(len(starts) - 1, -1, -1) if starts[i] <= pos), -1)

    signed = {tuple(r["head"]) for r in relations if r["label"] == "SIGNED_AT"}
    value_tails = {tuple(r["tail"]) for r in relations if r["label"] == "VALUE"}
    added = _back_references(text, ents, spans, headings, sentence, signed | value_tails)
    signed |= {tuple(r["head"]) for r in added}
    for head in ents:
        key = (head.start_char, head.end_char)
        if head.label_ == "EVENT" or key in signed or key in value_tails:
            continue
        si = sentence(head.start_char)
        if si < 1 or headings[si] or headings[si - 1]:
            continue
        start, end = spans[si]
        sent = text[start:end]
        anaphor = ANAPHOR.search(sent)
        if anaphor is None or not _signed_head(head, text, sent):
            continue
        if any(start <= e.start_char < end for e in events):
            continue
        p_start, p_end = spans[si - 1]
        before = [e for e in events if p_start <= e.start_char < p_end]
        if not before:
            continue

        def group_of(e) -> object:
            return group.get((e.start_char, e.end_char), (e.start_char, e.end_char))

        noun = _type_word(anaphor["noun"])
        typed = [e for e in before if _type_word(e.text) == noun]
        if typed:
            chosen = {group_of(e) for e in typed}
            if len(chosen) > 1:
                continue
            (target_group,) = chosen
        elif noun in GENERIC_NOUNS:
            target_group = group_of(before[0])
        else:
            continue
        tail = [e for e in before if group_of(e) == target_group][-1]
        added.append(
            {
                "label": "SIGNED_AT",
                "head": list(key),
                "tail": [tail.start_char, tail.end_char],
                "score": None,
                "rule": "anaphor",
            }
        )
    return relations + added if added else relations


def _signed_head(head: Span, text: str, sent: str) -> bool:
    """`head` (in the sentence `sent`) is a count of deals or an amount that `sent` reports
    as signed, not planned, and not a conversion or threshold."""
    if not SIGNING.search(sent) or NOT_SIGNED.search(sent):
        return False
    if head.label_ == "COUNT":
        return bool(DEAL_NOUN.search(head.text))
    before = text[max(0, head.start_char - 30) : head.start_char]
    return not NOT_A_HEAD.search(before)


def _back_references(
    text: str,
    ents: list[Span],
    spans: list[tuple[int, int]],
    headings: list[bool],
    sentence: Callable[[int], int],
    taken: set[tuple[int, int]],
) -> list[dict]:
    """SIGNED_AT for a signed head whose sentence names no event, where the next sentence
    begins `The agreements were signed at <EVENT>` (guidelines 103). One head per sentence:
    the first unlinked count (or, without one, amount) of the sentence."""
    added: list[dict] = []
    done: set[int] = set()
    for head in ents:
        key = (head.start_char, head.end_char)
        if head.label_ == "EVENT" or key in taken:
            continue
        si = sentence(head.start_char)
        if si in done or si < 0 or si + 1 >= len(spans) or headings[si] or headings[si + 1]:
            continue
        start, end = spans[si]
        n_start, n_end = spans[si + 1]
        in_sentence = [e for e in ents if start <= e.start_char < end]
        if any(e.label_ == "EVENT" for e in in_sentence):
            continue
        # the sentence's first count heads it; an amount only where there is no count
        counts = [e for e in in_sentence if e.label_ == "COUNT"]
        if head.label_ == "MONEY" and counts or head.label_ == "COUNT" and head != counts[0]:
            continue
        if not _signed_head(head, text, text[start:end]):
            continue
        following = [e for e in ents if n_start <= e.start_char < n_end]
        if not following or following[0].label_ != "EVENT":
            continue  # the next sentence must name the event before any count or amount
        event = following[0]
        lead = text[n_start : event.start_char]
        if not BACK_REFERENCE.search(lead) or NOT_SIGNED.search(lead):
            continue
        done.add(si)
        added.append(
            {
                "label": "SIGNED_AT",
                "head": list(key),
                "tail": [event.start_char, event.end_char],
                "score": None,
                "rule": "back reference",
            }
        )
    return added
