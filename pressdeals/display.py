"""The analyst's view of tagged records: the `pressdeals tag --html` page and a displaCy helper.

- `to_displacy(record)`: a JSONL record as displaCy's manual "ent" input, so that
  `displacy.render(to_displacy(json.loads(line)), style="ent", manual=True)` shows it (in a
  notebook, or `displacy.serve`).
- `HtmlPage`: one self-contained, offline HTML page (no scripts, no CDN), one section per
  document: its deal facts as a table (amounts as `241.54 billion CNY`, inferred currencies and
  events marked), its event alias groups, the text with displaCy's entity marks, and one
  relation diagram per group of linked entities (own SVG: nodes are the entity spans, arcs
  are stacked so that no arc label covers another label or an entity).

Everything that comes from a record (text, ids, sources, labels, names) is HTML-escaped.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from spacy import displacy

from pressdeals.document import Entity
from pressdeals.pipeline.deals import canonical_name
from pressdeals.pipeline.text import unwrap

COLORS = {
    "MONEY": "#b5e48c",
    "COUNT": "#ffd166",
    "EVENT": "#f4a3c0",
    "ORG": "#a0c4ff",
    "GPE": "#caffbf",
}
RELATION_COLORS = {"VALUE": "#2b7a3d", "SIGNED_AT": "#6a3d9a"}
_OTHER_COLOR = "#ddd"
_OTHER_ARC = "#555"

INFERRED_CURRENCY = "no currency in the mention: the document's most frequent currency"
INFERRED_EVENT = "no SIGNED_AT relation: the document's main event"


def _e(value: Any) -> str:
    """HTML-escaped text of any value (None as empty)."""
    return "" if value is None else html.escape(str(value), quote=True)


# --- displaCy -------------------------------------------------------------------------------


def to_displacy(
    record: dict[str, Any], title: str | None = None, unwrap_text: bool = False
) -> dict[str, Any]:
    """displaCy's manual "ent" input for a tagged record (a line of `pressdeals tag` JSONL):
    `{"text", "ents": [{"start", "end", "label"}], "title"}`, entities in text order and the
    title from the record's id (or `title`).

    displaCy escapes the text itself but inserts the title and labels as they are, so those
    two are HTML-escaped here. `unwrap_text` shows the soft wraps of hard-wrapped text as
    spaces (same length, so offsets hold; `pipeline.text.unwrap`). Raises ValueError for a
    record without text (tagged with `--no-text`) or an error record."""
    if "error" in record:
        raise ValueError(f"{record.get('id')}: an error record has nothing to show")
    if record.get("text") is None:
        raise ValueError(f"{record.get('id')}: the record has no text (tagged with --no-text?)")
    ents = sorted(record.get("entities", []), key=lambda e: (e["start"], e["end"]))
    return {
        "text": unwrap(record["text"]) if unwrap_text else record["text"],
        "ents": [{"start": e["start"], "end": e["end"], "label": _e(e["label"])} for e in ents],
        "title": _e(record.get("id") if title is None else title),
    }


_BLANK_LINES = re.compile(r"(?:</?br\s*/?>[ \t\r\f\v]*){3,}")


def _ent_html(record: dict[str, Any]) -> str:
    """displaCy's entity view of the text: soft wraps shown as spaces, runs of blank lines
    as one (displaCy writes a line break per newline and never one inside an entity)."""
    data = {**to_displacy(record, unwrap_text=True), "title": None}
    markup = displacy.render(data, style="ent", manual=True, page=False, options={"colors": COLORS})
    return _BLANK_LINES.sub("<br><br>", markup)


# --- numbers --------------------------------------------------------------------------------

_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))


def format_number(value: float, decimals: int = 2) -> str:
    """Thousands separators and at most `decimals` decimals, trailing zeros dropped:
    `4500.0` -> `4,500`, `13.2800` -> `13.28`."""
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _scaled(value: float) -> tuple[str, str]:
    for factor, name in _SCALES:
        if abs(value) >= factor:
            return format_number(value / factor), name
    return format_number(value), ""


def format_amount(
    amount: float | None,
    amount_max: float | None = None,
    currency: str | None = None,
    approximator: str | None = None,
) -> str:
    """An amount as an analyst reads it: `241537000000.0, CNY` -> `241.54 billion CNY`;
    million/billion/trillion from a million up, thousands separators below; ranges
    (`1.2–1.5 billion USD`) and approximators (`more than 240 billion CNY`) kept. Empty for
    no amount."""
    if amount is None:
        return ""
    low, low_scale = _scaled(amount)
    if amount_max is not None and amount_max != amount:
        high, high_scale = _scaled(amount_max)
        if high_scale == low_scale:
            text = f"{low}–{high} {low_scale}".strip()
        else:
            text = f"{low} {low_scale}".strip() + "–" + f"{high} {high_scale}".strip()
    else:
        text = f"{low} {low_scale}".strip()
    return " ".join(part for part in (approximator, text, currency) if part)


def format_count(
    count: int | None, count_max: int | None = None, approximator: str | None = None
) -> str:
    """`1050, approximator 'about'` -> `about 1,050`; ranges as `10–12`; empty for none."""
    if count is None:
        return ""
    text = f"{count:,}"
    if count_max is not None and count_max != count:
        text += f"–{count_max:,}"
    return f"{approximator} {text}" if approximator else text


def _exact(amount: float | None, amount_max: float | None, currency: str | None) -> str:
    if amount is None:
        return ""
    text = format_number(amount)
    if amount_max is not None and amount_max != amount:
        text += "–" + format_number(amount_max)
    return f"{text} {currency or ''}".strip()


# --- tables ---------------------------------------------------------------------------------


def _badge(text: str, title: str) -> str:
    return f"<span class='inferred' title='{_e(title)}'>{_e(text)}</span>"


def _surface(text: str | None, start: int, end: int) -> str:
    if text is None:
        return f"{start}–{end}"
    return " ".join(text[start:end].split())


def _mention_spans(fact: dict[str, Any]) -> list[tuple[int, int]]:
    spans = fact.get("mention_spans") or "[]"
    try:
        return [
            (int(s), int(e)) for s, e in (json.loads(spans) if isinstance(spans, str) else spans)
        ]
    except (TypeError, ValueError):
        return []


def _facts_table(record: dict[str, Any]) -> str:
    facts = record.get("facts") or []
    if not facts:
        return "<p class='muted'>No deal facts.</p>"
    text = record.get("text")
    rows = [
        "<div class='table-wrap'><table class='facts'>"
        "<caption>Deal facts (one row per deal)</caption><thead><tr>"
        "<th>fact</th><th>count</th><th>amount</th><th>currency</th><th>event</th>"
        "<th>mentions</th><th>part of</th><th>as written</th></tr></thead><tbody>"
    ]
    for f in facts:
        currency = f.get("currency")
        amount = format_amount(
            f.get("amount"), f.get("amount_max"), None, f.get("value_approximator")
        )
        if amount:
            cur_html = _e(currency or "")
            if currency and f.get("currency_inferred"):
                cur_html = f"<span class='inferred-text'>{cur_html}</span>"
            amount_cell = (
                f"<span title='{_e(_exact(f.get('amount'), f.get('amount_max'), currency))}'>"
                f"{_e(amount)}</span> {cur_html}"
            )
        else:
            reason = f.get("value_reason")
            amount_cell = "<span class='muted'>–</span>" + (
                f" <small class='muted'>{_e(reason)}</small>" if reason else ""
            )
        currency_cell = _e(currency or "")
        if currency and f.get("currency_inferred"):
            currency_cell += " " + _badge("inferred", INFERRED_CURRENCY)
        event_cell = _e(f.get("event") or "")
        if f.get("event") and f.get("event_inferred"):
            event_cell += " " + _badge("inferred", INFERRED_EVENT)
        spans = _mention_spans(f)
        quoted = ", ".join(f"“{_e(_surface(text, s, e))}”" for s, e in spans)
        mentions_cell = f"{_e(f.get('mentions', len(spans)))}" + (
            f" <small>{quoted}</small>" if quoted else ""
        )
        part_of = f.get("part_of")
        part_cell = "" if part_of is None else f"⤷ {_e(part_of)}"
        count = format_count(f.get("count"), f.get("count_max"), f.get("count_approximator"))
        row_class = " class='part'" if part_of is not None else ""
        rows.append(
            f"<tr{row_class}><td class='num'>{_e(f.get('fact'))}</td>"
            f"<td class='num'>{_e(count) or '<span class=muted>–</span>'}</td>"
            f"<td class='num'>{amount_cell}</td><td class='nowrap'>{currency_cell}</td>"
            f"<td class='event'>{event_cell}</td>"
            f"<td>{mentions_cell}</td><td class='num'>{part_cell}</td>"
            f"<td><small>{_e(f.get('value_text') or '')}</small></td></tr>"
        )
    rows.append("</tbody></table></div>")
    return "".join(rows)


def _alias_html(record: dict[str, Any]) -> str:
    """The event alias groups: canonical name (schema v2's rule) with its mentions."""
    groups = [g for g in record.get("aliases") or [] if len(g) > 1]
    if not groups:
        return "<p class='muted'>Event alias groups: none.</p>"
    text = record.get("text")
    items = []
    for group in groups:
        if text is not None:
            ents = tuple(Entity(m["start"], m["end"], m.get("label", "EVENT")) for m in group)
            name = canonical_name(ents, text)
        else:
            name = " ".join(str(group[0].get("text", "")).split())
        surfaces = Counter(
            " ".join(str(m.get("text") or _surface(text, m["start"], m["end"])).split())
            for m in group
        )
        mentions = ", ".join(
            f"“{_e(surface)}”" + (f" ×{n}" if n > 1 else "") for surface, n in surfaces.items()
        )
        items.append(
            f"<li><b>{_e(name)}</b> <span class='muted'>({len(group)} mentions)</span>: "
            f"{mentions}</li>"
        )
    return (
        "<div class='aliases'><b>Event alias groups</b> (canonical name: its mentions)<ul>"
        + "".join(items)
        + "</ul></div>"
    )


def _records_html(record: dict[str, Any]) -> str:
    deals = record.get("deals") or []
    if not deals:
        return ""
    rows = []
    for d in deals:
        v, ev = d.get("value") or {}, d.get("event") or {}
        event = _e(" ".join(str(ev.get("text", "")).split()))
        if ev.get("inferred"):
            event += " " + _badge("inferred", INFERRED_EVENT)
        conversions = ", ".join(
            _e(format_amount(c.get("amount"), c.get("amount_max"), c.get("currency")))
            for c in d.get("conversions") or []
        )
        rows.append(
            f"<tr><td>{_e(' '.join(str((d.get('head') or {}).get('text', '')).split()))}</td>"
            f"<td>{_e(' '.join(str(v.get('text', '')).split()))}</td>"
            f"<td>{_e(format_amount(v.get('amount'), v.get('amount_max'), v.get('currency')))}"
            f"{' ' + _badge('inferred', INFERRED_CURRENCY) if v.get('currency_inferred') else ''}"
            f"</td><td>{conversions}</td><td>{event}</td></tr>"
        )
    return (
        f"<details><summary>{len(deals)} deal records (one per head mention)</summary>"
        "<div class='table-wrap'><table class='records'><thead><tr><th>head</th>"
        "<th>value as written</th><th>value</th>"
        "<th>conversions</th><th>event mention</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div></details>"
    )


# --- relation diagrams ----------------------------------------------------------------------

FONT = 13  # px, monospace: every character is CHAR_W wide, so the layout is exact
CHAR_W = 0.61 * FONT
LINE_H = 17
LABEL_FONT = 11
LABEL_CHAR_W = 0.62 * LABEL_FONT
ENT_CHARS = 22  # characters per line inside an entity node
ENT_LINES = 4
GAP_CHARS = 16  # characters per line of the text between two nodes
PAD = 6
NODE_GAP = 10
LEVEL_H = 26
MARGIN = 8


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.x + other.w
            and other.x < self.x + self.w
            and self.y < other.y + other.h
            and other.y < self.y + self.h
        )


@dataclass
class Node:
    lines: list[str]
    label: str | None  # None: the text between two entities
    full: str = ""  # the whole text, for the tooltip
    box: Box = field(default_factory=lambda: Box(0, 0, 0, 0))


@dataclass
class Arc:
    head: int  # node indices
    tail: int
    label: str
    title: str
    level: int = 0
    x_head: float = 0.0
    x_tail: float = 0.0
    y: float = 0.0  # height of the horizontal segment
    label_box: Box = field(default_factory=lambda: Box(0, 0, 0, 0))


@dataclass
class Diagram:
    nodes: list[Node]
    arcs: list[Arc]
    width: float = 0.0
    height: float = 0.0


def wrap(text: str, width: int, max_lines: int) -> list[str]:
    """Greedy word wrap into lines of at most `width` characters; a word longer than a line is
    cut; past `max_lines` the last line ends with an ellipsis."""
    lines: list[str] = []
    for word in text.split():
        while len(word) > width:
            lines.append(word[: width - 1] + "-")
            word = word[width - 1 :]
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


def _gap_lines(text: str, width: int = GAP_CHARS) -> list[str]:
    """The text between two nodes in at most two lines of `width`: whole when it fits, else
    its first and last words around an ellipsis."""
    words = text.split()
    if not words:
        return []
    joined = " ".join(words)
    if len(joined) <= 2 * width:
        return wrap(joined, width, 2)
    head, tail = "", ""
    for w in words:
        if len(head) + len(w) + 1 > width - 2:
            break
        head = f"{head} {w}".strip()
    for w in reversed(words):
        if len(tail) + len(w) + 1 > width - 2:
            break
        tail = f"{w} {tail}".strip()
    if not head:
        head = words[0] if len(words[0]) <= width else words[0][: width - 2]
    if not tail:
        tail = words[-1] if len(words[-1]) <= width else "…" + words[-1][1 - width :]
    return [head + " …", tail if tail.startswith("…") else "… " + tail]


def _label_text(rel: dict[str, Any]) -> str:
    score = rel.get("score")
    return f"{rel['label']} {score:.2f}" if isinstance(score, int | float) else str(rel["label"])


def _components(relations: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Relations grouped by the entities they connect (union-find), in text order."""
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(k: tuple[int, int]) -> tuple[int, int]:
        while parent.setdefault(k, k) != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for r in relations:
        a, b = (
            find((r["head"]["start"], r["head"]["end"])),
            find((r["tail"]["start"], r["tail"]["end"])),
        )
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for r in relations:
        groups.setdefault(find((r["head"]["start"], r["head"]["end"])), []).append(r)
    return [groups[k] for k in sorted(groups)]


def layout(
    text: str,
    relations: list[dict[str, Any]],
    ent_chars: int = ENT_CHARS,
    gap_chars: int = GAP_CHARS,
) -> Diagram:
    """Place the entities of one group of relations (text order, with the text between them,
    shortened) and stack the arcs: an arc sits one level above every arc it overlaps, each
    node spreads the arcs that touch it over its width, and nodes move apart until every arc
    is wider than its label."""
    spans = sorted(
        {(x["start"], x["end"], x["label"]) for r in relations for x in (r["head"], r["tail"])}
    )
    nodes: list[Node] = []
    index: dict[tuple[int, int], int] = {}
    pos = None
    for start, end, label in spans:
        if pos is not None:
            gap = _gap_lines(text[pos:start], gap_chars)
            nodes.append(Node(gap or [""], None))
        index[(start, end)] = len(nodes)
        surface = " ".join(text[start:end].split())
        lines = wrap(surface, ent_chars, -(-ENT_CHARS * ENT_LINES // ent_chars))
        nodes.append(Node(lines, label, surface))
        pos = end
    arcs = []
    for r in relations:
        h = index[(r["head"]["start"], r["head"]["end"])]
        t = index[(r["tail"]["start"], r["tail"]["end"])]
        head_text = " ".join(text[r["head"]["start"] : r["head"]["end"]].split())
        tail_text = " ".join(text[r["tail"]["start"] : r["tail"]["end"]].split())
        arcs.append(Arc(h, t, _label_text(r), f"{_label_text(r)}: {head_text} → {tail_text}"))

    # levels: shortest arcs first, each above every placed arc it overlaps
    def interval(a: Arc) -> tuple[int, int]:
        return min(a.head, a.tail), max(a.head, a.tail)

    placed: list[Arc] = []
    for arc in sorted(arcs, key=lambda a: (interval(a)[1] - interval(a)[0], interval(a))):
        lo, hi = interval(arc)
        below = [p.level for p in placed if interval(p)[0] < hi and lo < interval(p)[1]]
        arc.level = 1 + max(below, default=0)
        placed.append(arc)
    levels = max((a.level for a in arcs), default=0)

    # node sizes
    for node in nodes:
        chars = max((len(line) for line in node.lines), default=0)
        if node.label is None:
            node.box.w = max(chars * CHAR_W, 2 * CHAR_W)
            node.box.h = len(node.lines) * LINE_H
        else:
            label_w = len(node.label) * LABEL_CHAR_W
            node.box.w = max(chars * CHAR_W, label_w) + 2 * PAD
            node.box.h = len(node.lines) * LINE_H + LABEL_FONT + 3 * PAD
    # attachment points: fraction of the node's width for each arc end
    ends: dict[int, list[tuple[int, Arc, str]]] = {}
    for arc in arcs:
        ends.setdefault(arc.head, []).append((arc.tail, arc, "head"))
        ends.setdefault(arc.tail, []).append((arc.head, arc, "tail"))
    fraction: dict[tuple[int, str], float] = {}
    for i, lst in ends.items():
        # left to right: arcs to the left, nearest first, then arcs to the right, farthest
        # first; so an inner arc's horizontal never crosses an outer arc's vertical
        lst.sort(key=lambda e: (e[0] > i, -e[0], e[1].level if e[0] < i else -e[1].level))
        for k, (_, arc, side) in enumerate(lst):
            fraction[(id(arc), side)] = (k + 1) / (len(lst) + 1)

    def place(extra: list[float]) -> None:
        x = MARGIN
        for i, node in enumerate(nodes):
            x += extra[i]
            node.box.x = x
            x += node.box.w + NODE_GAP
        for arc in arcs:
            hb, tb = nodes[arc.head].box, nodes[arc.tail].box
            arc.x_head = hb.x + hb.w * fraction[(id(arc), "head")]
            arc.x_tail = tb.x + tb.w * fraction[(id(arc), "tail")]

    extra = [0.0] * len(nodes)
    place(extra)
    for arc in sorted(arcs, key=lambda a: interval(a)[1] - interval(a)[0]):
        need = len(arc.label) * LABEL_CHAR_W + 4 * PAD
        have = abs(arc.x_tail - arc.x_head)
        if have < need:
            extra[interval(arc)[1]] += need - have
            place(extra)

    top = MARGIN + levels * LEVEL_H + 6
    for node in nodes:
        node.box.y = top if node.label is not None else top + PAD
    label_h = LABEL_FONT + 6
    for arc in arcs:
        arc.y = top - arc.level * LEVEL_H
        w = len(arc.label) * LABEL_CHAR_W + 2 * PAD
        mid = (arc.x_head + arc.x_tail) / 2
        arc.label_box = Box(mid - w / 2, arc.y - label_h / 2, w, label_h)
    width = max((n.box.x + n.box.w for n in nodes), default=0) + MARGIN
    height = top + max((n.box.h for n in nodes), default=0) + MARGIN
    return Diagram(nodes, arcs, width, height)


# (entity, gap) characters per line, tried in turn until a diagram fits the page
_NARROWER = ((ENT_CHARS, GAP_CHARS), (18, 12), (14, 8))
MAX_WIDTH = 1080  # px: what a section of the page holds; wider diagrams shrink to fit
MIN_SCALE = 0.75  # but no smaller than this (13 px text at 10 px): beyond, their panel scrolls


def fit_layout(text: str, relations: list[dict[str, Any]], max_width: float = MAX_WIDTH) -> Diagram:
    """The widest-lined layout that fits `max_width` (the narrowest one if none fits)."""
    diagram = layout(text, relations)
    for ent_chars, gap_chars in _NARROWER[1:]:
        if diagram.width <= max_width:
            break
        diagram = layout(text, relations, ent_chars, gap_chars)
    return diagram


def render_svg(diagram: Diagram) -> str:
    """The diagram as inline SVG: nodes, then arc lines, then arc labels on white boxes (drawn
    last, so no line runs over a label); tooltips give full names and scores."""
    w, h = diagram.width, diagram.height
    # shrinks with the page down to MIN_SCALE, then its panel scrolls
    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='arcs' width='{w:.0f}' height='{h:.0f}' "
        f"viewBox='0 0 {w:.0f} {h:.0f}' style='width:100%;height:auto;max-width:{w:.0f}px;"
        f"min-width:{w * MIN_SCALE:.0f}px'>"
    ]
    for node in diagram.nodes:
        b = node.box
        is_ent = node.label is not None
        out.append(f"<g class='{'node' if is_ent else 'between'}'>")
        if is_ent:
            out.append(
                f"<title>{_e(node.full)} ({_e(node.label)})</title>"
                f"<rect x='{b.x:.1f}' y='{b.y:.1f}' width='{b.w:.1f}' height='{b.h:.1f}' "
                f"rx='5' fill='{COLORS.get(str(node.label), _OTHER_COLOR)}'/>"
            )
        x = b.x + (PAD if is_ent else 0)
        y = b.y + (PAD if is_ent else 0) + FONT
        tspans = "".join(
            f"<tspan x='{x:.1f}' y='{y + k * LINE_H:.1f}'>{_e(line)}</tspan>"
            for k, line in enumerate(node.lines)
        )
        out.append(f"<text class='{'ent' if is_ent else 'gap'}'>{tspans}</text>")
        if is_ent:
            ly = b.y + b.h - PAD
            out.append(f"<text class='lab' x='{x:.1f}' y='{ly:.1f}'>{_e(node.label)}</text>")
        out.append("</g>")
    for arc in diagram.arcs:
        color = _arc_color(arc)
        y_h = diagram.nodes[arc.head].box.y
        y_t = diagram.nodes[arc.tail].box.y - 2
        r = min(6.0, abs(arc.x_tail - arc.x_head) / 2)
        sign = 1 if arc.x_tail > arc.x_head else -1
        path = (
            f"M{arc.x_head:.1f},{y_h:.1f} V{arc.y + r:.1f} "
            f"Q{arc.x_head:.1f},{arc.y:.1f} {arc.x_head + sign * r:.1f},{arc.y:.1f} "
            f"H{arc.x_tail - sign * r:.1f} "
            f"Q{arc.x_tail:.1f},{arc.y:.1f} {arc.x_tail:.1f},{arc.y + r:.1f} V{y_t:.1f}"
        )
        out.append(
            f"<g class='arc'><title>{_e(arc.title)}</title>"
            f"<path d='{path}' fill='none' stroke='{color}' stroke-width='1.6'/>"
            f"<path d='M{arc.x_tail - 4:.1f},{y_t - 7:.1f} L{arc.x_tail + 4:.1f},{y_t - 7:.1f} "
            f"L{arc.x_tail:.1f},{y_t:.1f} Z' fill='{color}'/></g>"
        )
    for arc in diagram.arcs:
        color, lb = _arc_color(arc), arc.label_box
        out.append(
            f"<g class='arc-label'><title>{_e(arc.title)}</title>"
            f"<rect x='{lb.x:.1f}' y='{lb.y:.1f}' width='{lb.w:.1f}' height='{lb.h:.1f}' rx='3' "
            f"fill='#fff' stroke='{color}' stroke-width='0.8'/>"
            f"<text class='rl' x='{lb.x + lb.w / 2:.1f}' y='{lb.y + lb.h - 4:.1f}' "
            f"fill='{color}'>{_e(arc.label)}</text></g>"
        )
    out.append("</svg>")
    return "".join(out)


def _arc_color(arc: Arc) -> str:
    return RELATION_COLORS.get(arc.label.split(" ")[0], _OTHER_ARC)


def _arcs_html(record: dict[str, Any]) -> list[str]:
    """One diagram per group of linked entities, in text order."""
    text = record.get("text")
    if text is None:
        return []
    groups = _components(record.get("relations") or [])
    return [render_svg(fit_layout(text, group)) for group in groups]


# --- the page -------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:0;
 color:#222;background:#fafafa}
main{max-width:1200px;margin:0 auto;padding:1em 1.5em}
header.page{border-bottom:2px solid #ccc;margin-bottom:1em}
section.doc{background:#fff;border:1px solid #ddd;border-radius:8px;padding:0.8em 1.2em;
 margin:1.2em 0;overflow-wrap:anywhere}
section.doc h2{margin:0.2em 0;font-size:1.25em}
.meta,.muted{color:#777}
.meta{font-size:85%;margin:0 0 0.6em}
table{border-collapse:collapse;width:100%;margin:0.4em 0 0.8em;font-size:90%}
caption{text-align:left;font-weight:bold;padding:0.2em 0}
.table-wrap{overflow-x:auto;max-width:100%}
td,th{border:1px solid #ddd;padding:3px 6px;vertical-align:top;text-align:left;
 overflow-wrap:normal}
td.event{min-width:12em}
th{background:#f1f1f1;white-space:nowrap}
td.num{text-align:right;white-space:nowrap}
td.nowrap{white-space:nowrap}
tr.part td:first-child{padding-left:1.2em}
.inferred{display:inline-block;font-size:75%;font-weight:bold;color:#8a4b00;
 background:#ffe8c2;border:1px solid #e0a040;border-radius:3px;padding:0 4px}
.inferred-text{font-style:italic;color:#8a4b00;text-decoration:underline dotted}
.aliases ul{margin:0.2em 0 0.8em;padding-left:1.4em}
.text-panel{border:1px solid #e4e4e4;border-radius:6px;padding:0.3em 0.8em;margin:0.6em 0;
 background:#fff}
.diagrams{display:flex;flex-wrap:wrap;align-items:flex-start;gap:10px;margin:0.6em 0}
.diagram{max-width:100%;overflow-x:auto;border:1px solid #e4e4e4;border-radius:6px;
 background:#fff}
svg.arcs text{font-family:'DejaVu Sans Mono',Menlo,Consolas,'Liberation Mono',monospace;
 font-size:13px}
svg.arcs text.gap{fill:#777;font-style:italic}
svg.arcs text.lab{font-size:11px;font-weight:bold;fill:#333}
svg.arcs text.rl{font-size:11px;text-anchor:middle;font-weight:bold}
details{margin:0.4em 0}
.legend span.chip{display:inline-block;padding:0 6px;border-radius:4px;margin-right:4px;
 font-size:85%}
"""


def _legend() -> str:
    chips = "".join(
        f"<span class='chip' style='background:{color}'>{_e(label)}</span>"
        for label, color in COLORS.items()
    )
    arcs = "".join(
        f"<span class='chip' style='color:{color};border:1px solid {color}'>{_e(label)}</span>"
        for label, color in RELATION_COLORS.items()
    )
    return (
        f"<p class='legend'>Entities: {chips} Relations: {arcs} (score after the label) "
        f"{_badge('inferred', 'a value the pipeline filled in from the document')}: "
        "a currency or event the document implies, not the deal's own sentence. "
        "Hover an amount for its exact value.</p>"
    )


# the page's fixed parts, which `--resume` (pressdeals.writers) recognises and keeps
PAGE_START = "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
PAGE_END = "</main></body></html>\n"
SECTION_START = "<section class='doc'><h2>"
ERROR_MARK = "<p style='color:#a00'>error: "


class HtmlPage:
    """An HTML page written one document at a time (`add`, `error`, then `close`).

    Given a path, the page is written to `PATH.partial` and renamed into place by
    `close(complete=True)`, so an interrupted run never leaves a page that looks finished;
    given an open file, it writes there and `close` closes it."""

    def __init__(self, target: TextIO | str | os.PathLike[str], title: str = "pressdeals") -> None:
        self.path: Path | None = None
        if isinstance(target, str | os.PathLike):
            self.path = Path(target)
            self.partial = self.path.with_name(self.path.name + ".partial")
            self.partial.parent.mkdir(parents=True, exist_ok=True)
            self.fh: TextIO = open(self.partial, "w", encoding="utf-8")
        else:
            self.fh = target
        self.fh.write(
            PAGE_START + "<meta name='viewport' content='width=device-width,initial-scale=1'>"
            f"<title>{_e(title)}</title><style>{_CSS}</style></head><body><main>"
            f"<header class='page'><h1>{_e(title)}</h1>{_legend()}</header>\n"
        )

    def add(self, record: dict[str, Any]) -> None:
        """One document's section: header, deal facts, alias groups, text, relations."""
        model = record.get("model") or {}
        model_text = " ".join(str(model.get(k, "")) for k in ("name", "version")).strip()
        counts = (
            f"{len(record.get('entities') or [])} entities · "
            f"{len(record.get('relations') or [])} relations · "
            f"{len(record.get('facts') or [])} deal facts"
        )
        self.fh.write(
            f"{SECTION_START}{_e(record.get('id'))}</h2>"
            f"<p class='meta'>{_e(record.get('source'))} · {counts}"
            f"{' · model ' + _e(model_text) if model_text else ''}</p>\n"
        )
        self.fh.write(_facts_table(record))
        self.fh.write(_alias_html(record))
        if record.get("text") is not None:
            self.fh.write(f"<div class='text-panel'>{_ent_html(record)}</div>\n")
        diagrams = _arcs_html(record)
        if diagrams:
            self.fh.write(
                "<div class='diagrams'>"
                + "".join(f"<div class='diagram'>{svg}</div>" for svg in diagrams)
                + "</div>\n"
            )
        self.fh.write(_records_html(record))
        self.fh.write("</section>\n")

    def error(self, record: dict[str, Any]) -> None:
        self.fh.write(
            f"{SECTION_START}{_e(record.get('id'))}</h2><p class='meta'>"
            f"{_e(record.get('source'))}</p>{ERROR_MARK}"
            f"{_e(record.get('error'))}</p></section>\n"
        )

    def close(self, complete: bool = True) -> None:
        self.fh.write(PAGE_END)
        self.fh.close()
        if self.path is not None and complete:
            os.replace(self.partial, self.path)
