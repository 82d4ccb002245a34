"""The currency table: one list of markers that the normaliser reads (`normalize.py`), the
tokenizer splits off glued amounts (`tokenizer.py`) and the rule baseline matches
(`evaluation/baselines.py`), so that the three cannot drift apart.

Markers are kept as releases write them. The normaliser matches them ignoring case; the
tokenizer and the baseline's prefix pattern match them as written. A marker maps to its ISO
4217 code; an ambiguous one maps to its default reading (or None) and has a rule in
`AMBIGUOUS` that picks another reading when the document itself names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# ISO 4217 codes the table knows; each is a marker of its own currency, before the amount
# ("JPY300bn", "LKR 294 billion") or after it ("2 billion USD").
ISO_CODES: tuple[str, ...] = (
    "USD", "CAD", "AUD", "NZD", "SGD", "HKD", "TWD", "BRL", "MXN", "COP", "CLP", "PEN", "ARS",
    "CNY", "JPY", "KRW", "MOP", "EUR", "GBP", "CHF", "PLN", "CZK", "SEK", "NOK", "DKK", "RON",
    "GEL", "AMD", "BAM", "INR", "LKR", "PKR", "NPR", "BDT", "BTN", "MVR", "AED", "SAR", "QAR",
    "OMR", "BHD", "KWD", "JOD", "IQD", "NGN", "KES", "UGX", "TZS", "RWF", "ETB", "ZAR", "ZMW",
    "EGP", "GHS", "MAD", "XOF", "XAF", "AOA", "BWP", "VND", "MYR", "THB", "IDR", "PHP", "KHR",
    "MMK", "PGK", "RUB", "KZT", "UZS", "KGS", "AZN", "MNT", "TRY",
)

# Symbols and abbreviations written before the amount, glued or after a space
# ("US$17.6 billion", "KSh 3bn", "Tk 410 crore", "₦26billion"). None: ambiguous, no default.
SYMBOLS: dict[str, str | None] = {
    # dollars and other "$" currencies; a bare "$" stays USD (decision 16)
    "$": "USD",
    "US$": "USD",
    "U.S.$": "USD",
    "C$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "NZ$": "NZD",
    "S$": "SGD",
    "HK$": "HKD",
    "NT$": "TWD",
    "R$": "BRL",
    "Mex$": "MXN",
    "MOP$": "MOP",
    "S/": "PEN",
    "S/.": "PEN",
    # East Asia; a bare "¥" is CNY unless the document names only yen
    "RMB": "CNY",
    "CN¥": "CNY",
    "¥": "CNY",
    "JP¥": "JPY",
    "₩": "KRW",
    # Europe
    "€": "EUR",
    "£": "GBP",
    "zł": "PLN",
    "Kč": "CZK",
    "₾": "GEL",
    # South Asia; "Rs" is INR unless the document names another rupee
    "Rs": "INR",
    "Rs.": "INR",
    "₹": "INR",
    "Tk": "BDT",
    "Tk.": "BDT",
    "৳": "BDT",
    "Nu": "BTN",
    "Nu.": "BTN",
    # Gulf and Levant
    "Dh": "AED",
    "Dhs": "AED",
    "SR": "SAR",
    "QR": "QAR",
    "RO": "OMR",
    "BD": "BHD",
    "KD": "KWD",
    "JD": "JOD",
    # Africa; "Sh" is KES unless the document names Uganda or Tanzania shillings
    "₦": "NGN",
    "KSh": "KES",
    "Sh": "KES",
    "USh": "UGX",
    "TSh": "TZS",
    "Rwf": "RWF",
    "FRw": "RWF",
    "Br": "ETB",
    "E£": "EGP",
    "LE": "EGP",
    "GH₵": "GHS",
    "GH¢": "GHS",
    "Kz": "AOA",
    "FCFA": None,
    "CFAF": None,
    "CFA": None,
    # South-East Asia
    "RM": "MYR",
    "Rp": "IDR",
    "Bt": "THB",
    "฿": "THB",
    "₱": "PHP",
    "₫": "VND",
    "៛": "KHR",
    # Russia, Central Asia, Caucasus, Turkey
    "₽": "RUB",
    "₸": "KZT",
    "₼": "AZN",
    "₮": "MNT",
    "₺": "TRY",
    "TL": "TRY",
}

# Single letters are a currency only when glued to the amount ("R2.5 billion", "N50bn",
# "P98 billion", "K1.3 billion"); the tokenizer leaves them glued ("N95", "P2P", "K9").
GLUED_ONLY: dict[str, str | None] = {"R": "ZAR", "N": "NGN", "P": None, "K": None}

# Currency words, written apart from the amount, mostly after it ("84.48 billion yuan").
WORDS: dict[str, str | None] = {
    "dollars": "USD",
    "dollar": "USD",
    "U.S. dollars": "USD",
    "U.S. dollar": "USD",
    "US dollars": "USD",
    "US dollar": "USD",
    "Canadian dollars": "CAD",
    "Australian dollars": "AUD",
    "New Zealand dollars": "NZD",
    "Singapore dollars": "SGD",
    "Hong Kong dollars": "HKD",
    "New Taiwan dollars": "TWD",
    "Taiwan dollars": "TWD",
    "reais": "BRL",
    "real": "BRL",
    "Brazilian reais": "BRL",
    "pesos": None,
    "peso": None,
    "Mexican pesos": "MXN",
    "Colombian pesos": "COP",
    "Chilean pesos": "CLP",
    "Argentine pesos": "ARS",
    "Philippine pesos": "PHP",
    "soles": "PEN",
    "Peruvian soles": "PEN",
    "yuan": "CNY",
    "renminbi": "CNY",
    "yuan renminbi": "CNY",
    "yen": "JPY",
    "Japanese yen": "JPY",
    "won": "KRW",
    "Korean won": "KRW",
    "South Korean won": "KRW",
    "patacas": "MOP",
    "pataca": "MOP",
    "euro": "EUR",
    "euros": "EUR",
    "pounds": "GBP",
    "pound sterling": "GBP",
    "pounds sterling": "GBP",
    "sterling": "GBP",
    "Swiss francs": "CHF",
    "złoty": "PLN",
    "zloty": "PLN",
    "złotys": "PLN",
    "zlotys": "PLN",
    "koruna": "CZK",
    "korunas": "CZK",
    "Czech crowns": "CZK",
    "Czech korunas": "CZK",
    "kronor": "SEK",
    "Swedish crowns": "SEK",
    "Swedish kronor": "SEK",
    "Norwegian crowns": "NOK",
    "Norwegian kroner": "NOK",
    "Danish crowns": "DKK",
    "Danish kroner": "DKK",
    "crowns": None,
    "kroner": None,
    "lei": "RON",
    "Romanian lei": "RON",
    "lari": "GEL",
    "Georgian lari": "GEL",
    "drams": "AMD",
    "Armenian drams": "AMD",
    "convertible marks": "BAM",
    "rupees": "INR",
    "rupee": "INR",
    "Indian rupees": "INR",
    "Sri Lankan rupees": "LKR",
    "Pakistani rupees": "PKR",
    "Nepalese rupees": "NPR",
    "Nepali rupees": "NPR",
    "taka": "BDT",
    "ngultrum": "BTN",
    "rufiyaa": "MVR",
    "dirhams": "AED",
    "dirham": "AED",
    "UAE dirhams": "AED",
    "Moroccan dirhams": "MAD",
    "riyals": "SAR",
    "riyal": "SAR",
    "Saudi riyals": "SAR",
    "Qatari riyals": "QAR",
    "rials": "OMR",
    "Omani rials": "OMR",
    "dinars": None,
    "Jordanian dinars": "JOD",
    "Iraqi dinars": "IQD",
    "Kuwaiti dinars": "KWD",
    "Bahraini dinars": "BHD",
    "naira": "NGN",
    "shillings": "KES",
    "shilling": "KES",
    "Kenyan shillings": "KES",
    "Ugandan shillings": "UGX",
    "Uganda shillings": "UGX",
    "Tanzanian shillings": "TZS",
    "Tanzania shillings": "TZS",
    "rand": "ZAR",
    "Egyptian pounds": "EGP",
    "cedis": "GHS",
    "cedi": "GHS",
    "birr": "ETB",
    "Rwandan francs": "RWF",
    "CFA francs": None,
    "CFA franc": None,
    "kwacha": None,
    "Zambian kwacha": "ZMW",
    "kina": "PGK",
    "kwanzas": "AOA",
    "kwanza": "AOA",
    "pula": "BWP",
    "dong": "VND",
    "ringgit": "MYR",
    "baht": "THB",
    "rupiah": "IDR",
    "riels": "KHR",
    "riel": "KHR",
    "kyats": "MMK",
    "kyat": "MMK",
    "rubles": "RUB",
    "ruble": "RUB",
    "roubles": "RUB",
    "rouble": "RUB",
    "Russian rubles": "RUB",
    "tenge": "KZT",
    "Kazakh tenge": "KZT",
    "sum": "UZS",
    "soum": "UZS",
    "soums": "UZS",
    "so'm": "UZS",
    "Uzbek sum": "UZS",
    "Uzbek soum": "UZS",
    "Uzbek soums": "UZS",
    "som": "KGS",
    "soms": "KGS",
    "Kyrgyz som": "KGS",
    "manat": "AZN",
    "Azerbaijani manat": "AZN",
    "tugrik": "MNT",
    "tugriks": "MNT",
    "togrog": "MNT",
    "Mongolian tugriks": "MNT",
    "lira": "TRY",
    "liras": "TRY",
    "Turkish lira": "TRY",
    "Turkish liras": "TRY",
}

# Codes that are also the start of names glued to a short number ("COP28", the climate
# conference): the tokenizer splits them only before an amount that cannot be such a name.
NAME_LIKE_CODES = frozenset({"COP"})


@dataclass(frozen=True)
class Ambiguity:
    """An ambiguous marker: its reading when the document gives no cue (None: no reading),
    and for each reading the cues (a regex) by which a document names it.

    A document that names exactly one reading gets that one; no cue, or cues for several,
    give the default. The default reading's cues include its country, so that a release from
    that country keeps the default even when it quotes another currency; other readings are
    named by their currency only (a Kenyan release "on the road to Uganda" keeps KES). Rules
    without a default name every reading by its country too."""

    default: str | None
    cues: dict[str, str]


def _cue(codes: str = "", names: str = "") -> str:
    """A cue: codes and symbols as written (`codes`, a regex), and names, whole words matched
    ignoring case (datelines write "NAIROBI")."""
    parts = [rf"(?:{codes})"] if codes else []
    if names:
        parts.append(rf"(?i:\b(?:{names})\b)")
    return "|".join(parts)


_PHILIPPINES = _cue(r"\bPHP\b|₱", r"philippines?|philippine|filipinos?|manila")
_KWACHA = {
    "ZMW": _cue(r"\bZMW\b", "zambian?|lusaka"),
    "MWK": _cue(r"\bMWK\b", "malawian?|lilongwe"),
}
_RULES: dict[str, Ambiguity] = {
    # "Sh" is UGX or TZS only where the text says Uganda or Tanzania shillings
    "shilling": Ambiguity(
        "KES",
        {
            "KES": _cue(r"\bKES\b|\bKSh", r"kenyan?|nairobi"),
            "UGX": _cue(r"\bUGX\b|\bUSh\d|\bUSh\b", r"ugandan? shillings?"),
            "TZS": _cue(r"\bTZS\b|\bTSh\d|\bTSh\b", r"tanzanian? shillings?"),
        },
    ),
    "rupee": Ambiguity(
        "INR",
        {
            "INR": _cue(r"\bINR\b|₹", "india|indian"),
            "LKR": _cue(r"\bLKR\b", "sri lankan rupees?"),
            "PKR": _cue(r"\bPKR\b", "pakistani rupees?"),
            "NPR": _cue(r"\bNPR\b", "nepal(?:ese|i) rupees?"),
        },
    ),
    # "¥" is named by its currency only: Japanese releases often name China, and the reverse
    "yen sign": Ambiguity(
        "CNY",
        {
            "CNY": _cue(r"\bRMB|\bCNY\b|CN¥", "yuan|renminbi"),
            "JPY": _cue(r"\bJPY\b|JP¥", "yen"),
        },
    ),
    "riyal": Ambiguity(
        "SAR",
        {
            "SAR": _cue(r"\bSAR\b|\bSR ?\d|\bKSA\b", "saudi|riyadh|jeddah"),
            "QAR": _cue(r"\bQAR\b|\bQR ?\d", "qatari? riyals?"),
        },
    ),
    "dirham": Ambiguity(
        "AED",
        {
            "AED": _cue(r"\bAED\b|\bUAE\b", "emirates|emirati|dubai|abu dhabi|sharjah"),
            "MAD": _cue(r"\bMAD ?\d", "moroccan dirhams?"),
        },
    ),
    # "P": the Philippine peso in Philippine releases, the Botswana pula in Botswanan ones
    "P": Ambiguity(
        None, {"PHP": _PHILIPPINES, "BWP": _cue(r"\bBWP\b", "botswana|gaborone|pula")}
    ),
    "K": Ambiguity(
        None,
        {
            "PGK": _cue(r"\bPGK\b", "papua new guinea|port moresby|kina"),
            "MMK": _cue(r"\bMMK\b", "myanmar|yangon|naypyitaw|kyats?"),
            **_KWACHA,
        },
    ),
    "kwacha": Ambiguity(None, _KWACHA),
    "peso": Ambiguity(
        None,
        {
            "PHP": _PHILIPPINES,
            "MXN": _cue(r"\bMXN\b|Mex\$", "mexico|mexican"),
            "COP": _cue(r"\bCOP ?\d", "colombian?|bogot[aá]"),
            "CLP": _cue(r"\bCLP\b", "chile|chilean|santiago de chile"),
            "ARS": _cue(r"\bARS\b", "argentina|argentine|buenos aires"),
        },
    ),
    "crown": Ambiguity(
        None,
        {
            "SEK": _cue(r"\bSEK\b", "sweden|swedish|stockholm"),
            "NOK": _cue(r"\bNOK\b", "norway|norwegian|oslo"),
            "DKK": _cue(r"\bDKK\b", "denmark|danish|copenhagen"),
            "CZK": _cue(r"\bCZK\b|Kč", "czech|czechia|prague"),
        },
    ),
    "dinar": Ambiguity(
        None,
        {
            "JOD": _cue(r"\bJOD\b|\bJD ?\d", "jordan|jordanian|amman"),
            "IQD": _cue(r"\bIQD\b", "iraqi?|baghdad|erbil"),
            "KWD": _cue(r"\bKWD\b|\bKD ?\d", "kuwaiti?"),
            "BHD": _cue(r"\bBHD\b|\bBD ?\d", "bahraini?|manama"),
            "DZD": _cue(r"\bDZD\b", "algerian?|algiers"),
            "TND": _cue(r"\bTND\b", "tunisian?|tunis"),
            "RSD": _cue(r"\bRSD\b", "serbian?|belgrade"),
        },
    ),
    # the two CFA francs are different currencies (XOF, XAF); the country decides
    "CFA": Ambiguity(
        None,
        {
            "XOF": _cue(
                r"\bXOF\b|\bUEMOA\b|\bWAEMU\b|\bBCEAO\b",
                r"west african|senegal|senegalese|dakar|c[ôo]te d['’]ivoire|ivory coast|ivorian"
                r"|abidjan|mali|malian|bamako|burkina faso|ouagadougou|niamey|benin|beninese"
                r"|cotonou|togo|togolese|lom[ée]|guinea-bissau",
            ),
            "XAF": _cue(
                r"\bXAF\b|\bCEMAC\b|\bBEAC\b",
                r"central african|cameroon|cameroonian|douala|yaound[ée]|gabon|gabonese"
                r"|libreville|chadian|n'djamena|brazzaville|equatorial guinea|malabo",
            ),
        },
    ),
    "lei": Ambiguity(
        "RON",
        {
            "RON": _cue(r"\bRON\b", "romania|romanian|bucharest"),
            "MDL": _cue(r"\bMDL\b", "moldovan? lei"),
        },
    ),
    "som": Ambiguity(
        "KGS",
        {
            "KGS": _cue(r"\bKGS\b", "kyrgyz|kyrgyzstan|bishkek"),
            "UZS": _cue(r"\bUZS\b", "uzbek|uzbekistan|tashkent|soums?|so['’]m"),
        },
    ),
    "Br": Ambiguity(
        "ETB",
        {
            "ETB": _cue(r"\bETB\b", "ethiopia|ethiopian|addis ababa|birr"),
            "BYN": _cue(r"\bBYN\b", "belarus|belarusian|minsk"),
        },
    ),
}
# marker (lower case) -> the rule that reads it
AMBIGUOUS: dict[str, str] = {
    **dict.fromkeys(("sh", "shillings", "shilling"), "shilling"),
    **dict.fromkeys(("rs", "rs.", "rupees", "rupee"), "rupee"),
    "¥": "yen sign",
    **dict.fromkeys(("riyals", "riyal"), "riyal"),
    **dict.fromkeys(("dirhams", "dirham", "dh", "dhs"), "dirham"),
    "p": "P",
    "k": "K",
    "kwacha": "kwacha",
    **dict.fromkeys(("pesos", "peso"), "peso"),
    **dict.fromkeys(("crowns", "kroner"), "crown"),
    "dinars": "dinar",
    **dict.fromkeys(("fcfa", "cfaf", "cfa", "cfa francs", "cfa franc"), "CFA"),
    "lei": "lei",
    **dict.fromkeys(("som", "soms"), "som"),
    "br": "Br",
}
_CUES = {
    name: {code: re.compile(cue) for code, cue in rule.cues.items()}
    for name, rule in _RULES.items()
}

# every marker, lower case -> ISO code (or None); longest first when matched
MARKERS: dict[str, str | None] = {}
for _table in ({c: c for c in ISO_CODES}, SYMBOLS, GLUED_ONLY, WORDS):
    for _marker, _code in _table.items():
        _key = _marker.lower()
        assert MARKERS.get(_key, _code) == _code, f"{_marker!r} read two ways"
        MARKERS[_key] = _code
assert set(AMBIGUOUS) <= set(MARKERS), set(AMBIGUOUS) - set(MARKERS)
assert all(MARKERS[m] == _RULES[r].default for m, r in AMBIGUOUS.items())
GLUED_ONLY_KEYS = frozenset(m.lower() for m in GLUED_ONLY)


@lru_cache(maxsize=32)
def _document_readings(context: str) -> dict[str, str | None]:
    """The reading of each ambiguity rule in one document: the one reading it names, else the
    rule's default (no cue, or cues for several readings)."""
    found = {}
    for name, cues in _CUES.items():
        named = [code for code, cue in cues.items() if cue.search(context)]
        found[name] = named[0] if len(named) == 1 else _RULES[name].default
    return found


def currency_of(marker: str, context: str | None = None) -> str | None:
    """The ISO code of a marker of the table; `context` (the document) settles ambiguous ones."""
    key = marker.lower()
    rule = AMBIGUOUS.get(key)
    if rule is None or not context:
        return MARKERS[key]
    return _document_readings(context)[rule]


def readings(marker: str) -> tuple[str, ...]:
    """Every code an ambiguous marker can be read as (for a reason a person can act on)."""
    rule = _RULES[AMBIGUOUS[marker.lower()]]
    return tuple(dict.fromkeys([c for c in (rule.default, *rule.cues) if c]))


def prefix_markers() -> list[str]:
    """Symbols and codes written before an amount and split off a glued one by the tokenizer:
    everything but words and single letters, longest first."""
    markers = set(ISO_CODES) | set(SYMBOLS)
    return sorted(markers, key=lambda m: (-len(m), m))


def glued_prefix_pattern() -> str:
    """The tokenizer's prefix regex: a marker directly before a digit ("JPY300bn")."""
    markers = prefix_markers()
    plain = [re.escape(m) for m in markers if m not in NAME_LIKE_CODES]
    name_like = [re.escape(m) for m in sorted(NAME_LIKE_CODES)]
    longest = max(len(m) for m in markers)
    # the lookahead first: most tokens have no digit within a marker's length of their start
    # and fail there at once, instead of trying every marker (a tenth of tagging otherwise);
    # one group, so spaCy's `^` anchors both alternatives
    return (
        rf"(?=[^\d\s]{{1,{longest}}}\d)(?:(?:{'|'.join(plain)})(?=\d)"
        # "COP800m", "COP1.1tn" split; "COP28" stays one token
        + rf"|(?:{'|'.join(name_like)})(?=\d+[.,]\d|\d{{3}}))"
    )
