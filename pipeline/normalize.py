"""Parsers for the numbers in COUNT and MONEY mentions.

Both never raise: a mention they cannot read comes back with `value`/`amount` None and a
`reason` a person can act on, so that nothing is dropped or guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Context, Decimal

from pressdeals.pipeline.currency import GLUED_ONLY_KEYS, MARKERS, currency_of, readings

APPROXIMATORS = (
    "more than",
    "over",
    "about",
    "approximately",
    "approx.",
    "nearly",
    "around",
    "up to",
    "almost",
    "roughly",
    "some",
    "close to",
    "at least",
    "in excess of",
    "upwards of",
    "less than",
    "under",
    "below",
    "just over",
    "just under",
    "an estimated",
    "estimated",
    "as many as",
    "fewer than",
    "~",
)
_APPROX = re.compile(
    r"^(?P<approx>"
    # a line wrap or a double space inside "more  than" is still the approximator
    + "|".join(
        re.escape(a).replace(r"\ ", r"\s+") for a in sorted(APPROXIMATORS, key=len, reverse=True)
    )
    + r")(?:\s+|(?<=~))",
    re.IGNORECASE,
)

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a": 1,
    "an": 1,
    "dozen": 12,
}
_SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "k": 1_000,
    "lakh": 100_000,
    "lakhs": 100_000,
    "million": 10**6,
    "millions": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "m": 10**6,
    "mil": 10**6,
    "mio": 10**6,
    "ten thousand": 10**4,  # "88,000 ten-thousand yuan": the Chinese wan, translated
    "crore": 10**7,
    "crores": 10**7,
    "cr": 10**7,
    "billion": 10**9,
    "billions": 10**9,
    "bn": 10**9,
    "bln": 10**9,
    "bil": 10**9,
    "b": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
    "trn": 10**12,
    "trln": 10**12,
    "trillions": 10**12,
    "quadrillion": 10**15,
    # Indonesian and Malay scale words, kept in English releases ("Rp 4.5 triliun")
    "juta": 10**6,
    "miliar": 10**9,
    "milyar": 10**9,
    "triliun": 10**12,
}
# Indian grouping ("1,18,420 crore") first, then thousands separators, then plain digits. A
# stray space after a group's comma ("57, 241 projects", "2, 61, 430 MSMEs") is still one
# number when every group has exactly its three (Indian: two, then three) digits.
_SEP = r",[ \xa0]?"
_DIGITS = (
    rf"\d{{1,2}}(?:{_SEP}\d{{2}}(?!\d))+{_SEP}\d{{3}}(?!\d)(?:\.\d+)?"
    rf"|\d{{1,3}}(?:{_SEP}\d{{3}}(?!\d))+(?:\.\d+)?"
    r"|\d+(?:\.\d+)?|\.\d+"
)
_ONE = Decimal(1)
_EXACT = Context(prec=60)  # amounts and counts are exact up to 60 digits
_NUMBER_WORD = "|".join(
    sorted(list(_UNITS) + ["hundred", "thousand", "and"], key=len, reverse=True)
)

# Currency markers -> ISO 4217 come from the one table in `currency.py` (shared with the
# tokenizer and the rule baseline), longest first when matched. Symbols and codes may be glued
# to the number ("US$17.6", "₹500"); words stand apart ("84.48 billion yuan").
CURRENCIES: dict[str, str | None] = MARKERS
_GLUED_ONLY = GLUED_ONLY_KEYS
_SYMBOLS = sorted(CURRENCIES, key=len, reverse=True)
# the markers by their first and by their last character, longest first: a mention is
# compared with the few that can match, not all of them
_BY_FIRST: dict[str, list[str]] = {}
_BY_LAST: dict[str, list[str]] = {}
for _sym in _SYMBOLS:
    _BY_FIRST.setdefault(_sym[0], []).append(_sym)
    _BY_LAST.setdefault(_sym[-1], []).append(_sym)


@dataclass(frozen=True)
class ParsedCount:
    value: int | None
    value_max: int | None = None  # upper bound of a range ("40 to 50 projects")
    approximator: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ParsedMoney:
    amount: float | None
    currency: str | None
    amount_max: float | None = None
    approximator: str | None = None
    reason: str | None = None


def _q(text: str) -> str:
    """A mention quoted in a reason, whitespace (line wraps) collapsed."""
    return repr(" ".join(text.split()))


def _split_approximator(text: str) -> tuple[str | None, str]:
    m = _APPROX.match(text)
    if m:
        return m.group("approx").lower(), text[m.end() :]
    return None, text


def _parse_words(words: list[str]) -> int | None:
    """'one hundred and twenty' -> 120; None when the words are not a number."""
    total, current, seen = 0, 0, False
    for w in words:
        if w == "and":
            continue
        if w == "dozen":
            current = max(current, 1) * 12
            seen = True
        elif w in _UNITS:
            current += _UNITS[w]
            seen = True
        elif w == "hundred":
            current = max(current, 1) * 100
            seen = True
        elif w in ("thousand", "million", "billion"):
            total += max(current, 1) * _SCALES[w]
            current = 0
            seen = True
        else:
            return None
    return total + current if seen else None


def _number_prefix(text: str) -> tuple[Decimal | None, Decimal, str]:
    """Read a leading number and its scale words: returns (number, scale, rest of text).

    Decimal arithmetic, so that "1.1 lakh" is exactly 110000 and "17.623 billion" exact."""
    text = text.strip()
    m = re.match(_DIGITS, text)
    if m:
        value = Decimal(re.sub(r"[,\s]", "", m.group(0)))
        rest = text[m.end() :]
    else:
        m = re.match(rf"(?:(?:{_NUMBER_WORD})(?:[\s-]+|$))+", text, re.IGNORECASE)
        if not m:
            return None, _ONE, text
        words = [w for w in re.split(r"[\s-]+", m.group(0).lower()) if w]
        while words and words[-1] == "and":
            words.pop()
        parsed = _parse_words(words)
        if parsed is None:
            return None, _ONE, text
        value, rest = Decimal(parsed), text[m.end() :]
    scale = _ONE
    # scale words, possibly stacked: "1.2 lakh crore", "3.2bn", "500 million", "75,000 Cr"
    while sm := re.match(r"\s*(ten\s+thousand|[A-Za-z]+)\b", rest, re.IGNORECASE):
        word = " ".join(sm.group(1).lower().split())
        if word not in _SCALES or word in _UNITS:
            break
        scale = _EXACT.multiply(scale, Decimal(_SCALES[word]))
        rest = rest[sm.end() :]
    return value, scale, rest


def _number_or_range(text: str) -> tuple[Decimal | None, Decimal | None, str]:
    """A number or a range ("2-3 billion", "40 to 50"); the second's scale applies to both."""
    low, low_scale, rest = _number_prefix(text)
    if low is None:
        return None, None, text
    rm = re.match(r"\s*(?:-|–|to|and)\s*", rest)
    if rm:
        after = rest[rm.end() :]
        marker, after_symbol = _match_currency(after, at_start=True)
        high, high_scale, rest2 = _number_prefix(after_symbol if marker else after)
        if high is not None:
            if low_scale == _ONE:
                low_scale = high_scale
            return _EXACT.multiply(low, low_scale), _EXACT.multiply(high, high_scale), rest2
    return _EXACT.multiply(low, low_scale), None, rest


def parse_count(text: str) -> ParsedCount:
    """`more than 700 representatives` -> 700 with approximator `more than`."""
    try:
        approx, rest = _split_approximator(" ".join(text.split()))
        rest = re.sub(r"^between\s+", "", rest, flags=re.IGNORECASE)
        low, high, _ = _number_or_range(rest)
        if low is None:
            return ParsedCount(None, reason=f"no number found in {_q(text)}")
        if low != int(low) or (high is not None and high != int(high)):
            return ParsedCount(None, reason=f"count is not a whole number in {_q(text)}")
        return ParsedCount(int(low), None if high is None else int(high), approx)
    except (ValueError, OverflowError, AttributeError, ArithmeticError) as exc:  # never crash
        return ParsedCount(None, reason=f"unreadable count {_q(text)} ({exc})")


def _match_currency(text: str, at_start: bool) -> tuple[str | None, str]:
    """The currency marker at the start (or end) of `text`, lower case, and the text without it."""
    low = text.lower()
    if not low:
        return None, text
    for sym in (_BY_FIRST if at_start else _BY_LAST).get(low[0] if at_start else low[-1], ()):
        if at_start and low.startswith(sym):
            nxt = text[len(sym) : len(sym) + 1]
            glued = nxt[:1].isdigit() or nxt == "."
            if sym[-1].isalpha() and not (glued or nxt in (" ", "\xa0")):
                continue
            if sym in _GLUED_ONLY and not glued:
                continue
            return sym, text[len(sym) :]
        if not at_start and low.endswith(sym):
            before = text[: len(text) - len(sym)]
            if sym[0].isalpha() and before and before[-1].isalpha():
                continue
            if sym in _GLUED_ONLY:
                continue
            return sym, before
    return None, text


def _prepare(text: str) -> str:
    """Whitespace runs (line wraps, double spaces) read as one space; compound hyphens read as
    spaces ("6.5-billion-yuan", "Rs 600-crore", "P185-B"); ranges keep theirs."""
    text = " ".join(text.split())
    return re.sub(r"(?<=[\d.A-Za-z])-(?=[A-Za-z])", " ", text)


def parse_money(text: str, context: str | None = None) -> ParsedMoney:
    """`RMB 13.6 billion` -> 1.36e10 CNY; `approximately 11.59 billion U.S. dollars` -> USD.

    `context` is the document the mention comes from: it settles ambiguous markers that the
    document names elsewhere (`Sh` -> UGX when it says "Ugandan shillings", `P` -> PHP in a
    Philippine release; see `currency.AMBIGUOUS`). Without it, the default reading is used."""
    try:
        approx, rest = _split_approximator(_prepare(text))
        rest = re.sub(r"^between\s+", "", rest, flags=re.IGNORECASE).strip()
        marker, rest = _match_currency(rest, at_start=True)
        rest = rest.strip()
        low, high, tail = _number_or_range(rest)
        if low is None:
            currency = currency_of(marker, context) if marker else None
            return ParsedMoney(
                None, currency, approximator=approx, reason=f"no amount found in {_q(text)}"
            )
        tail = tail.strip().rstrip(".")
        if tail:
            tail_marker, leftover = _match_currency(tail, at_start=False)
            if tail_marker is None or leftover.strip():
                currency = currency_of(marker, context) if marker else None
                return ParsedMoney(
                    None,
                    currency,
                    approximator=approx,
                    reason=f"unknown currency or words {_q(tail)} in {_q(text)}",
                )
            if marker is not None:
                first, second = currency_of(marker, context), currency_of(tail_marker, context)
                if first is not None and second is not None and first != second:
                    return ParsedMoney(
                        None, None, approximator=approx, reason=f"two currencies in {_q(text)}"
                    )
            if marker is None or currency_of(marker, context) is None:
                marker = tail_marker
        amount = float(low)
        amount_max = None if high is None else float(high)
        currency = currency_of(marker, context) if marker else None
        reason = None
        if marker and currency is None:
            reason = (
                f"currency {marker!r} in {_q(text)} is ambiguous "
                f"({' or '.join(readings(marker))}) and the document does not say which"
            )
        return ParsedMoney(amount, currency, amount_max, approx, reason)
    except (ValueError, OverflowError, AttributeError, ArithmeticError) as exc:  # never crash
        return ParsedMoney(None, None, reason=f"unreadable amount {_q(text)} ({exc})")
