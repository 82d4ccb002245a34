"""Convert inline-markup documents to brat: `python -m pressdeals.training.import_inline SRC DEST`.

Every document is checked on the way (markup, labels, token alignment with the project's
tokenizer); nothing is written for a folder that has problems.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pressdeals.brat import write_brat
from pressdeals.inline import InlineError, read_inline
from pressdeals.pipeline.tokenizer import blank_nlp
from pressdeals.spacy_docs import AlignmentError, to_spacy


def main(source: str, target: str) -> int:
    nlp = blank_nlp()
    docs, problems = [], []
    for path in sorted(Path(source).glob("*.txt")):
        try:
            doc = read_inline(path)
            to_spacy(doc, nlp)
            docs.append(doc)
        except (InlineError, AlignmentError) as err:
            problems.append(f"{path}: {err}")
    for p in problems:
        print(p)
    if problems:
        return 1
    for doc in docs:
        write_brat(doc, Path(target))
    print(f"wrote {len(docs)} documents to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
