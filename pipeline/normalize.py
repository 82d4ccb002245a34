"""Parsers for the numbers in COUNT and MONEY mentions.

Both never raise: a mention they cannot read comes back with `value`/`amount` None and a
`reason` a person can act on, so that nothing is dropped or guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    + "|".join(re.escape(a) for a in sorted(APPROXIMATORS, key=len, reverse=True))
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
    "ten thousand": 10**4,  # "88,000 ten-thousand yuan": the Chinese wan, translated
    "crore": 10**7,
    "crores": 10**7,
    "cr": 10**7,
    "billion": 10**9,
    "billions": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
    "trn": 10**12,
}
# Indian grouping ("1,18,420 crore") first, then thousands separators, then plain digits
_DIGITS = (
    r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
)
_NUMBER_WORD = "|".join(
    sorted(list(_UNITS) + ["hundred", "thousand", "and"], key=len, reverse=True)
)

# Currency markers -> ISO 4217, longest first when matched. Symbols and codes may be glued
# to the number ("US$17.6", "₹500"); words stand apart ("84.48 billion yuan").
CURRENCIES: dict[str, str] = {
    "us$": "USD",
    "u.s.$": "USD",
    "usd": "USD",
    "$": "USD",
    "u.s. dollars": "USD",
    "us dollars": "USD",
    "u.s. dollar": "USD",
    "us dollar": "USD",
    "dollars": "USD",
    "dollar": "USD",
    "c$": "CAD",
    "cad": "CAD",
    "canadian dollars": "CAD",
    "a$": "AUD",
    "aud": "AUD",
    "australian dollars": "AUD",
    "s$": "SGD",
    "sgd": "SGD",
    "singapore dollars": "SGD",
    "hk$": "HKD",
    "hkd": "HKD",
    "r$": "BRL",
    "brl": "BRL",
    "reais": "BRL",
    "real": "BRL",
    "mxn": "MXN",
    "mex$": "MXN",
    "mexican pesos": "MXN",
    "yuan": "CNY",
    "rmb": "CNY",
    "renminbi": "CNY",
    "cny": "CNY",
    "cn¥": "CNY",
    "¥": "CNY",
    "yuan renminbi": "CNY",
    "yen": "JPY",
    "jpy": "JPY",
    "jp¥": "JPY",
    "won": "KRW",
    "krw": "KRW",
    "₩": "KRW",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pounds sterling": "GBP",
    "pound sterling": "GBP",
    "pounds": "GBP",
    "sterling": "GBP",
    "chf": "CHF",
    "swiss francs": "CHF",
    "pln": "PLN",
    "złoty": "PLN",
    "zloty": "PLN",
    "zł": "PLN",
    "rs": "INR",
    "rs.": "INR",
    "inr": "INR",
    "₹": "INR",
    "rupees": "INR",
    "rupee": "INR",
    "aed": "AED",
    "dh": "AED",
    "dhs": "AED",
    "dirhams": "AED",
    "dirham": "AED",
    "uae dirhams": "AED",
    "sar": "SAR",
    "sr": "SAR",
    "riyals": "SAR",
    "riyal": "SAR",
    "saudi riyals": "SAR",
    "qar": "QAR",
    "qr": "QAR",
    "qatari riyals": "QAR",
    "omr": "OMR",
    "omani rials": "OMR",
    "ro": "OMR",
    "rials": "OMR",
    "bhd": "BHD",
    "bd": "BHD",
    "kwd": "KWD",
    "kd": "KWD",
    "₦": "NGN",
    "ngn": "NGN",
    "naira": "NGN",
    "n": "NGN",
    "ksh": "KES",
    "kes": "KES",
    "kenyan shillings": "KES",
    "sh": "KES",
    "shillings": "KES",
    "ugx": "UGX",
    "ush": "UGX",
    "ugandan shillings": "UGX",
    "tsh": "TZS",
    "tzs": "TZS",
    "tanzanian shillings": "TZS",
    "r": "ZAR",
    "zar": "ZAR",
    "rand": "ZAR",
    "egp": "EGP",
    "e£": "EGP",
    "egyptian pounds": "EGP",
    "le": "EGP",
    "ghs": "GHS",
    "gh₵": "GHS",
    "gh¢": "GHS",
    "cedis": "GHS",
    "cedi": "GHS",
    "mad": "MAD",
    "moroccan dirhams": "MAD",
    "vnd": "VND",
    "dong": "VND",
    "₫": "VND",
    "rm": "MYR",
    "myr": "MYR",
    "ringgit": "MYR",
    "thb": "THB",
    "baht": "THB",
    "฿": "THB",
    "idr": "IDR",
    "rp": "IDR",
    "rupiah": "IDR",
    "php": "PHP",
    "₱": "PHP",
    "philippine pesos": "PHP",
    "npr": "NPR",
    "nepalese rupees": "NPR",
    "nepali rupees": "NPR",
    "pkr": "PKR",
    "pakistani rupees": "PKR",
    "bdt": "BDT",
    "taka": "BDT",
    "rub": "RUB",
    "₽": "RUB",
    "rubles": "RUB",
    "ruble": "RUB",
    "roubles": "RUB",
    "rouble": "RUB",
    "kzt": "KZT",
    "₸": "KZT",
    "tenge": "KZT",
    "uzs": "UZS",
    "sum": "UZS",
    "soum": "UZS",
    "so'm": "UZS",
    "azn": "AZN",
    "₼": "AZN",
    "manat": "AZN",
    "mnt": "MNT",
    "₮": "MNT",
    "tugrik": "MNT",
    "tugriks": "MNT",
    "togrog": "MNT",
    "try": "TRY",
    "₺": "TRY",
    "tl": "TRY",
    "lira": "TRY",
    "liras": "TRY",
    "turkish lira": "TRY",
    "turkish liras": "TRY",
    "russian rubles": "RUB",
    "kazakh tenge": "KZT",
    "uzbek sum": "UZS",
    "uzbek soum": "UZS",
    "azerbaijani manat": "AZN",
    "mongolian tugriks": "MNT",
}
# single letters only count as currency when glued to the number ("R2.5 billion", "N50bn")
_GLUED_ONLY = {"r", "n"}
_SYMBOLS = sorted(CURRENCIES, key=len, reverse=True)


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


def _number_prefix(text: str) -> tuple[float | None, float, str]:
    """Read a leading number and its scale words: returns (number, scale, rest of text)."""
    text = text.strip()
    m = re.match(_DIGITS, text)
    if m:
        value = float(m.group(0).replace(",", ""))
        rest = text[m.end() :]
    else:
        m = re.match(rf"(?:(?:{_NUMBER_WORD})(?:[\s-]+|$))+", text, re.IGNORECASE)
        if not m:
            return None, 1.0, text
        words = [w for w in re.split(r"[\s-]+", m.group(0).lower()) if w]
        while words and words[-1] == "and":
            words.pop()
        parsed = _parse_words(words)
        if parsed is None:
            return None, 1.0, text
        value, rest = float(parsed), text[m.end() :]
    scale = 1.0
    # scale words, possibly stacked: "1.2 lakh crore", "3.2bn", "500 million"
    while sm := re.match(r"\s*(ten\s+thousand|[A-Za-z]+)\b", rest, re.IGNORECASE):
        word = " ".join(sm.group(1).lower().split())
        if word not in _SCALES or word in _UNITS:
            break
        scale *= _SCALES[word]
        rest = rest[sm.end() :]
    return value, scale, rest


def _number_or_range(text: str) -> tuple[float | None, float | None, str]:
    """A number or a range ("2-3 billion", "40 to 50"); the second's scale applies to both."""
    low, low_scale, rest = _number_prefix(text)
    if low is None:
        return None, None, text
    rm = re.match(r"\s*(?:-|–|to|and)\s*", rest)
    if rm:
        after = rest[rm.end() :]
        currency, after_symbol = _match_currency(after, at_start=True)
        high, high_scale, rest2 = _number_prefix(after_symbol if currency else after)
        if high is not None:
            if low_scale == 1.0:
                low_scale = high_scale
            return low * low_scale, high * high_scale, rest2
    return low * low_scale, None, rest


def parse_count(text: str) -> ParsedCount:
    """`more than 700 representatives` -> 700 with approximator `more than`."""
    try:
        approx, rest = _split_approximator(text.strip())
        rest = re.sub(r"^between\s+", "", rest, flags=re.IGNORECASE)
        low, high, _ = _number_or_range(rest)
        if low is None:
            return ParsedCount(None, reason=f"no number found in {_q(text)}")
        if low != int(low) or (high is not None and high != int(high)):
            return ParsedCount(None, reason=f"count is not a whole number in {_q(text)}")
        return ParsedCount(int(low), None if high is None else int(high), approx)
    except (ValueError, OverflowError, AttributeError) as exc:  # defensive: never crash
        return ParsedCount(None, reason=f"unreadable count {_q(text)} ({exc})")


def _match_currency(text: str, at_start: bool) -> tuple[str | None, str]:
    low = text.lower()
    for sym in _SYMBOLS:
        if at_start and low.startswith(sym):
            nxt = text[len(sym) : len(sym) + 1]
            glued = nxt[:1].isdigit() or nxt == "."
            if sym[-1].isalpha() and not (glued or nxt in (" ", "\xa0")):
                continue
            if sym in _GLUED_ONLY and not glued:
                continue
            return CURRENCIES[sym], text[len(sym) :]
        if not at_start and low.endswith(sym):
            before = text[: len(text) - len(sym)]
            if sym[0].isalpha() and before and before[-1].isalpha():
                continue
            if sym in _GLUED_ONLY:
                continue
            return CURRENCIES[sym], before
    return None, text


def _prepare(text: str) -> str:
    """Compound hyphens read as spaces ("6.5-billion-yuan", "Rs 600-crore"); ranges keep theirs."""
    return re.sub(r"(?<=[\d.A-Za-z])-(?=[A-Za-z])", " ", text.strip())


def parse_money(text: str) -> ParsedMoney:
    """`RMB 13.6 billion` -> 1.36e10 CNY; `approximately 11.59 billion U.S. dollars` -> USD."""
    try:
        approx, rest = _split_approximator(_prepare(text))
        rest = re.sub(r"^between\s+", "", rest, flags=re.IGNORECASE).strip()
        currency, rest = _match_currency(rest, at_start=True)
        rest = rest.strip()
        low, high, tail = _number_or_range(rest)
        if low is None:
            return ParsedMoney(
                None, currency, approximator=approx, reason=f"no amount found in {_q(text)}"
            )
        tail = tail.strip().rstrip(".")
        if tail:
            tail_currency, leftover = _match_currency(tail, at_start=False)
            if tail_currency is None or leftover.strip():
                return ParsedMoney(
                    None,
                    currency,
                    approximator=approx,
                    reason=f"unknown currency or words {_q(tail)} in {_q(text)}",
                )
            if currency is not None and currency != tail_currency:
                return ParsedMoney(
                    None, None, approximator=approx, reason=f"two currencies in {_q(text)}"
                )
            currency = tail_currency
        return ParsedMoney(low, currency, high, approx)
    except (ValueError, OverflowError, AttributeError) as exc:  # defensive: never crash
        return ParsedMoney(None, None, reason=f"unreadable amount {_q(text)} ({exc})")
