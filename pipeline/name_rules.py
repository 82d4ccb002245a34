"""Spans the NER tags ORG, GPE or EVENT that the schema says name no organisation, place or
event: persons with Chinese names among officials, lowercase descriptions (`municipal Party
committee`), facilities (`... Pavilion`, `... Industry Park`), generic references (`Int'l
trade fair`), the themes of events and regions (`NE China`) (guidelines 91-95, 98). The
`entity_filter` applies them."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# common Chinese surnames; left out: those that also begin two-word place names of the
# region (`Hong Kong`, `Dong Nai`, `Long An`, `Wan Chai`, `Ma On Shan`) and `Pan Ocean`
SURNAMES = _words(
    """Li Wang Zhang Liu Chen Yang Zhao Huang Zhou Wu Xu Sun Hu Zhu Gao Lin He Guo Luo Liang
    Song Zheng Xie Han Tang Feng Yu Xiao Cheng Cao Yuan Deng Fu Shen Zeng Peng Su Lu Jiang
    Cai Jia Ding Wei Xue Ye Yan Du Dai Xia Zhong Tian Ren Fan Fang Shi Yao Tan Liao Zou
    Xiong Jin Hao Kong Bai Cui Kang Mao Qiu Qin Gu Hou Shao Meng Duan Lei Qian Yin Yi
    Chang Qiao Lai Gong Wen Ni Ouyang Zhai Niu Yue Geng Xing Chai Bao Mu Zhan Ji Lou Tao
    Ge Rao"""
)
# a given name in pinyin: one or more syllables (initial + final), no tone marks
PINYIN = re.compile(
    r"^(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|"
    r"ua|uo|ue|ui|er|a|o|e|i|u|v))+$"
)
# words before a person's name, or in the role after `<name>,`
TITLES = _words(
    """Mr Mr. Ms Ms. Mrs Mrs. Dr Dr. Minister Governor Mayor Secretary Chairman Chairwoman
    President Premier Director Vice Deputy Ambassador Consul Councillor Commissioner"""
)
ROLES = _words(
    """vice deputy secretary director mayor governor minister chairman chairwoman president
    head chief ceo founder spokesperson spokesman spokeswoman member executive"""
)


LIST_SEPARATORS = frozenset((",", "and"))


def _name_shaped(tokens: list[Token]) -> bool:
    """`Chen Qiufa`, `Tan Zuojun`, `Li Xi`: a surname and a pinyin given name."""
    if not 2 <= len(tokens) <= 3 or tokens[0].text not in SURNAMES:
        return False
    return all(t.is_title and PINYIN.match(t.lower_.replace("-", "")) for t in tokens[1:])


def _list_neighbour(span: Span) -> bool:
    """Another name-shaped item next to `span` in a list (`Li Xi, Chen Qiufa and ...`)."""
    doc = span.doc
    after, before = span.end, span.start
    while after < len(doc) and doc[after].text in LIST_SEPARATORS:
        after += 1
    while before > 0 and doc[before - 1].text in LIST_SEPARATORS:
        before -= 1
    right = after > span.end and any(_name_shaped(list(doc[after : after + n])) for n in (2, 3))
    left = before < span.start and any(
        _name_shaped(list(doc[max(0, before - n) : before])) for n in (2, 3)
    )
    return right or left


def _role_next_to(span: Span) -> bool:
    """A title before the name (`Vice Minister Chen Qiufa`) or a role after it
    (`Yang Guiyang, vice governor of Guizhou`)."""
    doc = span.doc
    if span.start > 0 and doc[span.start - 1].text in TITLES:
        return True
    if span.end < len(doc) and doc[span.end].text == ",":
        return any(t.lower_ in ROLES for t in doc[span.end + 1 : span.end + 4])
    return False


def is_chinese_person(span: Span) -> bool:
    """A person named in Chinese among officials: name-shaped, and in a list of such names
    or next to a title or role (guidelines 91)."""
    tokens = list(span)
    return _name_shaped(tokens) and (_list_neighbour(span) or _role_next_to(span))


# names of days and months, and their abbreviations
CALENDAR = _words(
    """Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
    May June July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep
    Sept Oct Nov Dec"""
)

# lowercase words that make an organisation's name a description (`the municipal government`)
DESCRIPTIONS = _words(
    """municipal provincial national local regional state city county district prefectural
    central federal"""
)


def without_description(span: Span) -> Span | None:
    """An ORG after a lowercase descriptive word: the capitalised title without it
    (`municipal [Department of Industry and Trade]`); nothing when what is left is no name
    either (`municipal Party committee`) (guidelines 92)."""
    if span.label_ != "ORG" or len(span) < 2 or span[0].text not in DESCRIPTIONS:
        return span
    rest = span[1:]
    if rest[-1].text[:1].islower():
        return None
    return Span(span.doc, rest.start, rest.end, label="ORG")


# head nouns of facilities, which the schema keeps out of ORG (guidelines 93)
FACILITY_HEADS = frozenset(("Pavilion", "Pavilions", "Park", "Hotel", "Stadium", "Square"))

# an EVENT of these words alone with a lowercase one is a generic reference (guidelines 94)
GENERIC_EVENT_WORDS = _words(
    """international int'l intl trade investment economic annual fair expo exposition summit
    forum conference show exhibition meet business global world"""
)

# the theme of an event, quoted after `themed` / `theme:` or followed by `as its theme`
THEME_BEFORE = re.compile(
    r"(?:\bthemed(?:\s+(?:on|with|as|around|under))?|\btheme(?:\s+(?:of|was|is))?\s*:?)"
    r"\s*[\"“‘'`]\s*$",
    re.IGNORECASE,
)
THEME_AFTER = re.compile(r"^\s*[\"”’'`]?,?\s+as\s+(?:its|the|their)\s+(?:theme|motto|slogan)\b")


def _is_theme(span: Span) -> bool:
    # the text a few tokens either side (`doc.text` would rebuild the whole document)
    doc = span.doc
    before = doc[max(0, span.start - 6) : span.start].text_with_ws
    after = span[-1].whitespace_ + doc[span.end : span.end + 6].text_with_ws
    return bool(THEME_BEFORE.search(before) or THEME_AFTER.search(after))


# a compass word before a continent or a large country names a region, not a political
# unit (schema: `Northeast China`, `Northeast Asia`); `South Africa` is a country
COMPASS = _words(
    """north south east west central northeast northwest southeast southwest ne nw se sw
    northern southern eastern western"""
)
REGIONS_OF = _words("China Asia Africa Europe India America")


def is_region(span: Span) -> bool:
    words = span.text.split()
    return (
        len(words) == 2
        and words[0].lower() in COMPASS
        and words[1] in REGIONS_OF
        and span.text != "South Africa"
    )


def names_nothing(span: Span) -> bool:
    """True when the ORG, GPE or EVENT `span` names no organisation, place or event."""
    if span.label_ not in ("ORG", "GPE", "EVENT"):
        return False
    if is_chinese_person(span):
        return True
    if span.label_ == "ORG":
        return span[-1].text in FACILITY_HEADS
    if span.label_ == "GPE":
        return is_region(span)
    if span.label_ == "EVENT":
        generic = all(t.lower_ in GENERIC_EVENT_WORDS for t in span)
        return (generic and any(t.is_lower for t in span)) or _is_theme(span)
    return False


_NAME_JOINERS = frozenset(("of", "and", "for", "the", "&", "on", "in", "de", "-"))


def _initials_match(tokens: list[Token], acronym: str) -> bool:
    letters = [c for c in acronym if c.isupper()]
    initials = [t.text[0] for t in tokens if t.text not in _NAME_JOINERS]
    return len(letters) >= 2 and initials == letters


def defined_organisations(ents: list[Span]) -> list[Span]:
    """ORG names defined by the acronym after them that the NER left out: `African
    Development Bank (AfDB)` where only `AfDB` is an ORG (guidelines 101). The name is the
    shortest run of capitalised words (with `of`, `and` ... between them) right before the
    bracket whose initials are the acronym's capitals, taken only where no entity is."""
    if not ents:
        return []
    doc = ents[0].doc
    taken = {i for e in ents for i in range(e.start, e.end)}
    found = []
    for ent in ents:
        if ent.label_ != "ORG" or len(ent) != 1 or ent.start < 3:
            continue
        if doc[ent.start - 1].text != "(" or not ent.text[:1].isupper():
            continue
        end = ent.start - 1
        for start in range(end - 1, max(end - 9, -1), -1):
            token = doc[start]
            if start in taken or not (token.text[:1].isupper() or token.text in _NAME_JOINERS):
                break
            if token.text[:1].isupper() and _initials_match(list(doc[start:end]), ent.text):
                found.append(Span(doc, start, end, label="ORG"))
                break
    return found
