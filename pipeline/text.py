"""Line-wrap and sentence rules shared by the validator and the pipeline.

Press releases arrive hard-wrapped (a newline, sometimes a blank line, every ~75
characters). `unwrap` replaces the newlines of such soft wraps with spaces, keeping the
length, so every offset into the unwrapped text is an offset into the original.
`sentence_spans` splits text into sentences the way the schema counts them: a title or
heading line is one sentence, and a soft wrap never ends one.
"""

from __future__ import annotations

import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable
from typing import TypeVar

_LINE = re.compile(r"[^\r\n]*")
_TERMINAL = re.compile(r"""[.!?]["'”’)\]]*$""")
_BODY_END = re.compile(r"""[.!?;,:]["'”’)\]]*$""")
# matched at the first non-blank character of a line (no `^`: it would not match at a `pos`)
_BULLET = re.compile(r"\s*(?:[-*•▪●–]|\d{1,2}[.)])\s")
_INDENT = re.compile(r"[ \t]*")
_FIRST_WORD = re.compile(r"\s*(\S*)")  # what `str.split(maxsplit=1)[0]` would give
_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.")
_WORD_BEFORE = re.compile(r"(?<![0-9A-Za-z])([A-Za-z][A-Za-z.]*)$")
_ABBREVIATIONS = {
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    # titles before a name (writers of batches ad-af found them ending sentences)
    "eng",
    "maj",
    "gen",
    "capt",
    "col",
    "lt",
    "hon",
    "amb",
    "sen",
    "st",
    "no",
    "nos",
    "co",
    "ltd",
    "inc",
    "corp",
    "dept",
    "govt",
    "gov",
    "approx",
    "est",
    "vs",
    "e.g",
    "i.e",
    "etc",
    "rs",
    "sh",
    "ksh",
    "jr",
    "sr",
    "u.s",
    "u.k",
    "u.a.e",
    "u.n",
    "mt",
    "op",
    "vol",
    "fig",
}
# a sentence-final full stop followed by what can start a sentence
_BOUNDARY = re.compile(r"""(?<=[.!?])["'”’)]*(?P<gap>\s+)(?=["'“‘(]?[A-Z0-9])""")
# characters of text each per-text cache holds: the pipeline and the record builder split the
# same text up to five times a document, 64 documents apart (a relation batch); a budget in
# characters, not documents, keeps memory flat whatever the documents' length
CACHE_CHARS = 1_000_000

_T = TypeVar("_T")
_caches: list[_PerText] = []


class _PerText:
    """The results of a pure function of one text for the texts seen last (LRU)."""

    def __init__(self, fn: Callable[[str], _T]) -> None:
        self.fn = fn
        self.held: OrderedDict[str, _T] = OrderedDict()
        self.chars = 0
        self.lock = threading.Lock()  # cluster workers tag in threads
        _caches.append(self)

    def __call__(self, text: str) -> _T:
        with self.lock:
            if text in self.held:
                self.held.move_to_end(text)
                return self.held[text]
        value = self.fn(text)
        if len(text) <= CACHE_CHARS:
            with self.lock:
                if text not in self.held:
                    self.held[text] = value
                    self.chars += len(text)
                while self.chars > CACHE_CHARS:
                    old, _ = self.held.popitem(last=False)
                    self.chars -= len(old)
        return value

    def clear(self) -> None:
        with self.lock:
            self.held.clear()
            self.chars = 0


def clear_text_cache() -> None:
    """Forget every cached split (benchmarks time the rules themselves)."""
    for cache in _caches:
        cache.clear()


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, end excluding the line break."""
    spans, pos = [], 0
    while pos <= len(text):
        m = _LINE.match(text, pos)
        spans.append((pos, m.end()))
        pos = m.end()
        if pos >= len(text):
            break
        pos += 2 if text.startswith("\r\n", pos) else 1
    return spans


def wrap_width(text: str) -> int | None:
    """The column the text is hard-wrapped at, or None when it is not hard-wrapped."""
    lengths = [len(text[s:e].rstrip()) for s, e in _lines(text) if text[s:e].strip()]
    body = sorted(n for n in lengths if n >= 40)
    if len(body) < 4:
        return None
    width = body[int(0.9 * (len(body) - 1))]
    near = sum(1 for n in body if width * 0.7 <= n <= width + 2)
    return width if width <= 110 and near / len(body) >= 0.5 else None


def _soft_wraps(text: str) -> tuple[tuple[int, int], ...]:
    """Character ranges of the line breaks (blank lines included) that are soft wraps.

    A break is soft when the next line starts in lowercase, or when the text is hard-wrapped,
    the line does not end a sentence, the next line's first word would not have fitted on it
    (a wrapping program would have put it there otherwise) and the break has no more
    newlines than the text's wraps usually have (paragraph breaks have more).

    Linear in the length of the text: each break looks only at its two lines (no copy of
    the rest of the text per break, which made 20k short lines take minutes).
    """
    width = wrap_width(text)
    content = [(s, e) for s, e in _lines(text) if text[s:e].strip()]
    # (end of the line's text, start of the next line, the line, first non-blank of the next)
    breaks = []
    for (s1, e1), (s2, _) in zip(content, content[1:], strict=False):
        prev = text[s1:e1].rstrip()
        breaks.append((s1 + len(prev), s2, prev, _INDENT.match(text, s2).end()))
    newlines = [
        text.count("\n", a, b) for a, b, prev, _ in breaks if width and len(prev) >= width * 0.6
    ]
    # the most frequent count; ties go to the first in set order, as `max(set(...))` picks
    counts = Counter(newlines)
    usual = max(set(newlines), key=counts.__getitem__) if newlines else 1
    wraps = []
    for gap_start, s2, prev, nxt in breaks:
        if _BULLET.match(text, nxt):
            continue
        # a lowercase start continues the sentence even after "U.S." or "approx."
        lower_next = text[nxt : nxt + 1].islower()
        first_word = len(_FIRST_WORD.match(text, nxt)[1])
        wrapped_line = (
            width is not None
            and width * 0.6 <= len(prev) <= width * 1.1
            and len(prev) + 1 + first_word > width - 2
            and not (_TERMINAL.search(prev) and not _is_abbreviation(prev, len(prev) - 1))
            and text.count("\n", gap_start, s2) <= usual
        )
        if lower_next or wrapped_line:
            wraps.append((gap_start, nxt))
    return tuple(wraps)


_cached_wraps = _PerText(_soft_wraps)


def soft_wraps(text: str) -> list[tuple[int, int]]:
    """Character ranges of the line breaks (blank lines included) that are soft wraps (see
    `_soft_wraps`); a fresh list, computed once per text while it is cached."""
    return list(_cached_wraps(text))


def _unwrap(text: str) -> str:
    chars = list(text)
    for start, end in _cached_wraps(text):
        for i in range(start, end):
            if chars[i] in "\r\n":
                chars[i] = " "
    return "".join(chars)


_cached_unwrap = _PerText(_unwrap)


def unwrap(text: str) -> str:
    """`text` with every character of each soft wrap replaced by a space (same length)."""
    return _cached_unwrap(text)


def collapse_wraps(text: str) -> tuple[str, list[int]]:
    """`text` with each soft wrap (and the spaces around it) replaced by one space.

    Returns the new text and, for each of its positions plus one past the end, the
    position in `text` it came from, so spans found in the new text map back exactly.
    """
    parts: list[str] = []
    origin: list[int] = []
    pos = 0
    for start, end in _cached_wraps(text):
        while start > pos and text[start - 1] in " \t":
            start -= 1
        parts.append(text[pos:start] + " ")
        origin.extend(range(pos, start + 1))
        pos = end
    parts.append(text[pos:])
    origin.extend(range(pos, len(text) + 1))
    return "".join(parts), origin


def _is_abbreviation(text: str, dot: int) -> bool:
    # only the run of letters and dots before `dot` can be the word: looking at that run
    # alone (not at `text[:dot]`, a copy of everything before) keeps sentence splitting linear
    end = dot - 1 if dot > 0 and text[dot - 1] == "\n" else dot  # `$` matches before a final \n
    start = end
    while start > 0 and text[start - 1] in _WORD_CHARS:
        start -= 1
    word = _WORD_BEFORE.search(text[max(0, start - 1) : end])
    if not word:  # includes "£418.1m." where the letter is a scale after a number
        return False
    w = word.group(1).lower()
    return w in _ABBREVIATIONS or len(w) == 1 or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", w))


def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    flat = _cached_unwrap(text)
    spans = []
    for ls, le in _lines(flat):
        start = ls
        for m in _BOUNDARY.finditer(flat, ls, le):
            dot = m.start() - 1  # the lookbehind puts the [.!?] just before the match
            if flat[dot] == "." and _is_abbreviation(flat, dot):
                continue
            spans.append((start, m.start("gap")))
            start = m.end("gap")
        spans.append((start, le))
    result = []
    for s, e in spans:
        chunk = flat[s:e]
        if chunk.strip():
            s += len(chunk) - len(chunk.lstrip())
            e -= len(chunk) - len(chunk.rstrip())
            result.append((s, e))
    return tuple(result)


_cached_sentences = _PerText(_sentence_spans)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences as (start, end) offsets, trimmed of surrounding whitespace (a fresh list;
    the split itself is computed once per text while it is cached)."""
    return list(_cached_sentences(text))


def heading_flags(text: str, spans: list[tuple[int, int]]) -> list[bool]:
    """For each sentence of `sentence_spans(text)`, whether it is a title, heading or caption
    line: a whole line that is no bullet and does not end like body text (`.`, `!`, `?`, `;`
    `,` or `:`). Schema v2 never links such a line with the body."""
    flat = _cached_unwrap(text)
    flags = []
    for s, e in spans:
        while s > 0 and flat[s - 1] in " \t":
            s -= 1
        while e < len(flat) and flat[e] in " \t":
            e += 1
        whole_line = (s == 0 or flat[s - 1] in "\r\n") and (e == len(flat) or flat[e] in "\r\n")
        line = flat[s:e].rstrip()
        flags.append(whole_line and not _BODY_END.search(line) and not _BULLET.match(line))
    return flags


def sentence_index(text: str) -> list[int]:
    """For each character, the index of the sentence it belongs to (-1 between sentences)."""
    index = [-1] * len(text)
    for i, (s, e) in enumerate(sentence_spans(text)):
        for j in range(s, e):
            index[j] = i
    return index
