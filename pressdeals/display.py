"""`--html`: a displaCy page with entities and relation arcs, one section per document."""

from __future__ import annotations

import html
from typing import Any, TextIO

from spacy import displacy

from pressdeals.pipeline.text import sentence_spans

COLORS = {
    "MONEY": "#b5e48c",
    "COUNT": "#ffd166",
    "EVENT": "#f4a3c0",
    "ORG": "#a0c4ff",
    "GPE": "#caffbf",
}


def _ent_html(record: dict[str, Any]) -> str:
    data = {
        "text": record["text"],
        "title": None,
        "ents": [
            {"start": e["start"], "end": e["end"], "label": e["label"]} for e in record["entities"]
        ],
    }
    return displacy.render(data, style="ent", manual=True, page=False, options={"colors": COLORS})


def _arcs_html(record: dict[str, Any]) -> list[str]:
    """One arc diagram per sentence with relations: entity spans are the 'words'."""
    text, out = record["text"], []
    for s, e in sentence_spans(text):
        rels = [r for r in record["relations"] if s <= r["head"]["start"] < e]
        if not rels:
            continue
        ents = sorted(
            {(x["start"], x["end"], x["label"]) for r in rels for x in (r["head"], r["tail"])}
        )
        words, index, pos = [], {}, s
        for start, end, label in ents:
            gap = " ".join(text[pos:start].split())
            if gap:
                words.append(
                    {"text": gap if len(gap) < 40 else gap[:18] + " … " + gap[-18:], "tag": ""}
                )
            index[(start, end)] = len(words)
            words.append({"text": " ".join(text[start:end].split()), "tag": label})
            pos = end
        arcs = []
        for r in rels:
            h, t = (
                index[(r["head"]["start"], r["head"]["end"])],
                index[(r["tail"]["start"], r["tail"]["end"])],
            )
            label = f"{r['label']} {r['score']:.2f}" if r.get("score") is not None else r["label"]
            arcs.append(
                {
                    "start": min(h, t),
                    "end": max(h, t),
                    "label": label,
                    "dir": "right" if h < t else "left",
                }
            )
        out.append(
            displacy.render(
                {"words": words, "arcs": arcs},
                style="dep",
                manual=True,
                page=False,
                options={"compact": True, "distance": 140},
            )
        )
    return out


class HtmlPage:
    def __init__(self, fh: TextIO, title: str = "pressdeals") -> None:
        self.fh = fh
        fh.write(
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
            "</title><style>body{font-family:sans-serif;margin:2em}section{border-top:1px solid"
            " #ccc;padding:1em 0}table{border-collapse:collapse}td,th{border:1px solid #ddd;"
            "padding:2px 6px;font-size:90%}</style></head><body>\n"
        )

    def add(self, record: dict[str, Any]) -> None:
        self.fh.write(
            f"<section><h2>{html.escape(record['id'])}</h2>"
            f"<p><small>{html.escape(record['source'])}</small></p>\n"
        )
        self.fh.write(_ent_html(record))
        for svg in _arcs_html(record):
            self.fh.write(f"<div style='overflow-x:auto'>{svg}</div>\n")
        if record["deals"]:
            self.fh.write(
                "<table><tr><th>count</th><th>amount</th><th>currency</th><th>event</th></tr>"
            )
            for d in record["deals"]:
                v, ev = d.get("value") or {}, d.get("event") or {}
                event = html.escape(" ".join(ev.get("text", "").split()))
                if ev.get("inferred"):
                    event += " <i>(inferred)</i>"
                self.fh.write(
                    f"<tr><td>{d.get('count') or ''}</td><td>{v.get('amount') or ''}</td>"
                    f"<td>{v.get('currency') or ''}</td><td>{event}</td></tr>"
                )
            self.fh.write("</table>")
        self.fh.write("</section>\n")

    def error(self, record: dict[str, Any]) -> None:
        self.fh.write(
            f"<section><h2>{html.escape(record['id'])}</h2><p style='color:#a00'>"
            f"error: {html.escape(record['error'])}</p></section>\n"
        )

    def close(self) -> None:
        self.fh.write("</body></html>\n")
        self.fh.close()
