"""Bytes to text: encoding detection for press releases as analysts collect them.

UTF-8 (with or without BOM), UTF-16 (BOM or NUL-byte pattern) and GB18030/GBK are
recognised; the encoding used is reported so that it can be recorded. Binary data and
bytes no supported encoding reads are refused with a reason instead of being guessed.
"""

from __future__ import annotations

import codecs


class DecodeError(ValueError):
    pass


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return b"\x00" in sample or controls > len(sample) * 0.05


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raises DecodeError with a reason a person understands."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8"), "utf-8-sig"
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _strict(data[2:], name), "utf-16"
    if len(data) >= 4 and data[1::2].count(0) > len(data) // 4 and not data[0::2].count(0):
        return _strict(data, "utf-16-le"), "utf-16-le"
    if len(data) >= 4 and data[0::2].count(0) > len(data) // 4 and not data[1::2].count(0):
        return _strict(data, "utf-16-be"), "utf-16-be"
    if _looks_binary(data):
        raise DecodeError("binary data (NUL or control bytes), not a text document")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise DecodeError(f"not decodable as UTF-8, UTF-16 or GB18030 ({exc.reason})") from exc
    # GB18030 maps almost any byte pair; accept only text that is mostly CJK or ASCII
    odd = sum(
        1
        for ch in text
        if not (ch.isascii() or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    )
    if odd > max(3, len(text) * 0.02):
        raise DecodeError("not UTF-8, and as GB18030 it reads as garbage: unknown encoding")
    return text, "gb18030"


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"invalid {encoding} ({exc.reason} at byte {exc.start})") from exc
