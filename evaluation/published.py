"""Where benchmark results go: `evaluation/results/NAME.{json,md}` and the README section
between `<!-- NAME:start -->` and `<!-- NAME:end -->`."""

from __future__ import annotations

import json
import re
from typing import Any

from pressdeals.paths import README, RESULTS


def publish(name: str, results: Any, table: str) -> None:
    """Write the figures and their Markdown table, and put the table into the README."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / f"{name}.md").write_text(table)
    text = README.read_text(encoding="utf-8")
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    if start in text and end in text:
        text = re.sub(f"{start}.*?{end}", lambda _: f"{start}\n{table}{end}", text, flags=re.S)
        README.write_text(text, encoding="utf-8")
