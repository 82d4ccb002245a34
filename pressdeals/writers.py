"""Output writers for `pressdeals tag`.

Every writer works on a `.partial` twin of its output and renames it into place only when
the run finishes, so a partial output never looks complete; `--resume` reads what the partial
(or finished) output already holds and appends the rest. Around that:

- `Output` checks the paths before anything is tagged: an existing output (or partial) must
  be a previous pressdeals output, never a user's file or folder, and a suffix must match
  `--format`; an `OUT.lock` keeps a second run off the same output.
- Nothing is deleted that pressdeals did not write: replacing a brat folder removes only the
  files its marker lists, and any other file in it is kept.
- brat file names are derived from ids safely (`brat.safe_stem`): one flat folder, no separators,
  unique even on case-insensitive disks; the manifest maps every id to its file.
- CSV cells that a spreadsheet would run as a formula are neutralised (`csv_cell`);
  numbers a reader cannot hold exactly become null with a reason (`clean_numbers`).
"""

from __future__ import annotations

import contextlib
import csv
import html
import json
import math
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from pressdeals.brat import UniqueNames, write_brat
from pressdeals.display import ERROR_MARK, PAGE_END, SECTION_START, HtmlPage
from pressdeals.document import AnnotatedDoc
from pressdeals.inputs import (
    OUTPUT_MARKER,
    PAGE_START,
    PARQUET_MARKER,
    is_output_jsonl,
    is_output_record,
)
from pressdeals.jsonl import json_line
from pressdeals.pipeline.deals import FACT_FIELDS, FACT_TYPES

try:  # POSIX; elsewhere the lock file is created exclusively
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]


class OutputError(Exception):
    """A problem with an output path that the user must fix; the message names the file and
    says what to do."""


class ResumeMismatch(OutputError):
    """`--resume` on an output that another model, schema or input text produced."""


FORMAT_SUFFIX = {"jsonl": ".jsonl", "csv": ".csv", "parquet": ".parquet", "brat": ""}
DEFAULT_OUT = {
    "jsonl": "tagged.jsonl",
    "brat": "tagged",
    "csv": "tagged.csv",
    "parquet": "tagged.parquet",
}
_SUFFIX_FORMAT = {".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet"}
_OTHER_KNOWN = {".html", ".htm", ".txt", ".md", ".ann", ".spacy", ".json"}
PAGE_HEADER = PAGE_START.decode()
PAGE_FOOTER = PAGE_END
LOCK_TEXT = "pressdeals lock"

# one row per deal fact: the fact's own fields (`pipeline.deals.DealFact`) between the
# document's id and source and the model that made it
DEAL_COLUMNS = ["id", "source", *FACT_FIELDS, "model"]


def partial_path(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


def manifest_path(out: Path) -> Path:
    return out.with_name(out.name + ".documents.jsonl")


def rows_path(out: Path) -> Path:
    return out.with_name(out.name + ".rows.jsonl")


# --- numbers ---------------------------------------------------------------------------------

MAX_EXACT = 2**53  # beyond this a float (and JavaScript, and many JSON readers) loses digits


def _out_of_range(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return not math.isfinite(value) or abs(value) > MAX_EXACT
    return isinstance(value, int) and abs(value) > MAX_EXACT


def clean_numbers(value: Any) -> Any:
    """`value` with every number no reader can hold exactly (not finite, or beyond 2^53,
    where a count parsed through a float has already lost digits) set to null, and the
    reason said beside it: `count_reason` for counts, `reason` otherwise. In place."""
    if isinstance(value, list):
        for item in value:
            clean_numbers(item)
    elif isinstance(value, dict):
        for key, item in list(value.items()):
            if _out_of_range(item):
                value[key] = None
                reason_key = "count_reason" if key in ("count", "count_max") else "reason"
                # the value itself is not shown: past 2^53 its digits are already wrong
                note = f"{key} out of range (not finite, or beyond 2^53): not stored"
                old = value.get(reason_key)
                value[reason_key] = f"{old}; {note}" if old else note
            else:
                clean_numbers(item)
    return value


def dumps(record: dict[str, Any]) -> str:
    """One JSON line: strict JSON (no NaN/Infinity), UTF-8 text kept readable."""
    line = json_line(record)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate slipped through: escape, never crash
        line = json_line(record, ensure_ascii=True)
    return line


# --- CSV -------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula (it starts with = + - @, a tab
    or a carriage return, after any spaces) gets a leading apostrophe, as OWASP recommends
    against CSV injection; numbers are left alone."""
    if isinstance(value, str) and (
        value.startswith(_FORMULA_START) or value.lstrip().startswith(_FORMULA_START)
    ):
        return "'" + value
    return value


# --- the output paths ------------------------------------------------------------------------


def _is_empty_file(path: Path) -> bool:
    try:
        return path.stat().st_size == 0
    except OSError:
        return False


def _marker(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / OUTPUT_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("pressdeals") else None


def _is_page(path: Path) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read(len(PAGE_HEADER)) == PAGE_HEADER
    except OSError:
        return False


class Output:
    """The paths one `pressdeals tag` run writes, checked before tagging starts.

    `out` and `html` are resolved (so `root/sub/..` is `root`); every path the run will
    replace or delete must be absent or a previous pressdeals output of the same kind.
    """

    def __init__(self, out: Path, fmt: str, html_page: Path | None = None) -> None:
        self.given = out
        self.fmt = fmt
        self.out = self._resolve(out, "--out")
        self.html = None if html_page is None else self._resolve(html_page, "--html")
        self._lock_fd: int | None = None
        self.lock_path = self.out.with_name(self.out.name + ".lock")

    @staticmethod
    def _resolve(path: Path, option: str) -> Path:
        try:
            resolved = Path(path).expanduser().resolve()
        except (OSError, RuntimeError) as exc:
            raise OutputError(f"{option} {path}: cannot resolve the path ({exc})") from exc
        if resolved == resolved.parent or not resolved.name:
            raise OutputError(f"{option} {path}: is the root folder; give a file or folder name")
        return resolved

    def paths(self) -> set[Path]:
        """Every path this run may write (never read back as input)."""
        out = self.out
        found = {out, partial_path(out), self.lock_path}
        if self.fmt != "jsonl":
            found |= {manifest_path(out), partial_path(manifest_path(out))}
        if self.fmt == "parquet":
            found |= {partial_path(rows_path(out))}
        if self.html is not None:
            found |= {self.html, partial_path(self.html)}
        return found

    def check(self, resume: bool) -> None:
        """Refuse, with what to do, anything this run should not write over."""
        out, given = self.out, self.given
        if not out.parent.is_dir():
            raise OutputError(
                f"--out {given}: folder {out.parent} does not exist; create it first "
                "or choose another --out"
            )
        suffix = out.suffix.lower()
        if self.fmt == "brat":
            if suffix in _SUFFIX_FORMAT or suffix in _OTHER_KNOWN:
                raise OutputError(
                    f"--out {given}: --format brat writes a folder, not a {suffix} file; "
                    "give a folder name (e.g. --out tagged) or another --format"
                )
        else:
            named = _SUFFIX_FORMAT.get(suffix)
            if (named and named != self.fmt) or suffix in _OTHER_KNOWN:
                hint = f"--format {named}" if named else f"--out with {FORMAT_SUFFIX[self.fmt]}"
                raise OutputError(
                    f"--out {given}: a {suffix} name, but --format is {self.fmt}; use {hint}"
                )
        if self.html is not None:
            if self.html in self.paths() - {self.html, partial_path(self.html)}:
                raise OutputError(f"--html {self.html}: is one of the run's other outputs")
            if not self.html.parent.is_dir():
                raise OutputError(
                    f"--html {self.html}: folder {self.html.parent} does not exist; "
                    "create it first or choose another --html"
                )
            self._check_file(self.html, "--html", _is_page, "a pressdeals HTML page")
            self._check_file(partial_path(self.html), "--html", _is_page, "a pressdeals page")
        if self.fmt == "brat":
            self._check_folder(out, "--out")
            self._check_folder(partial_path(out), "--out")
        elif self.fmt == "jsonl":
            self._check_file(out, "--out", is_output_jsonl, "a pressdeals JSONL output")
            # --resume reads the partial line by line and names any line it cannot use
            partial_ours = (lambda p: True) if resume else is_output_jsonl
            self._check_file(partial_path(out), "--out", partial_ours, "pressdeals output")
        else:
            ours = self._manifest_is_ours()
            self._check_file(
                out, "--out", lambda p: ours or self._carries_marker(p), "a pressdeals output"
            )
            self._check_file(partial_path(out), "--out", lambda p: ours, "a pressdeals output")
        if self.fmt != "jsonl":
            for path in (manifest_path(out), partial_path(manifest_path(out))):
                self._check_file(path, "--out", is_output_jsonl, "a pressdeals manifest")
        if self.fmt == "parquet":
            ours = self._manifest_is_ours()
            staged = partial_path(rows_path(out))
            self._check_file(staged, "--out", lambda p: ours, "pressdeals' staged rows")

    def _manifest_is_ours(self) -> bool:
        return any(
            p.exists() and is_output_jsonl(p)
            for p in (manifest_path(self.out), partial_path(manifest_path(self.out)))
        )

    def _carries_marker(self, path: Path) -> bool:
        if self.fmt != "parquet":
            return False
        try:
            import pyarrow.parquet as pq

            return PARQUET_MARKER in (pq.read_schema(path).metadata or {})
        except Exception:  # unreadable: not ours to replace
            return False

    def _check_file(
        self, path: Path, option: str, ours: Callable[[Path], bool], what: str
    ) -> None:
        try:
            mode = path.lstat().st_mode
        except FileNotFoundError:
            return
        except OSError as exc:
            raise OutputError(f"{option} {path}: cannot check it ({exc.strerror})") from exc
        if stat.S_ISDIR(mode):
            name = "page.html" if option == "--html" else DEFAULT_OUT[self.fmt]
            raise OutputError(
                f"{option} {path}: is a folder; give a file name such as {path / name}"
            )
        if stat.S_ISLNK(mode) or not stat.S_ISREG(mode):
            raise OutputError(
                f"{option} {path}: exists and is not a regular file (a link, FIFO or device); "
                "choose another path"
            )
        if not _is_empty_file(path) and not ours(path):
            raise OutputError(
                f"{option} {path}: exists and is not {what}; pressdeals will not overwrite it: "
                "move it away or choose another path"
            )

    @staticmethod
    def _check_folder(path: Path, option: str) -> None:
        try:
            mode = path.lstat().st_mode
        except FileNotFoundError:
            return
        if not stat.S_ISDIR(mode):
            raise OutputError(
                f"{option} {path}: exists and is not a folder; --format brat writes a folder: "
                "choose another --out"
            )
        if any(path.iterdir()) and _marker(path) is None:
            raise OutputError(
                f"{option} {path}: is a folder with files that pressdeals did not write; it "
                "will not replace it: choose an empty or new folder"
            )

    # --- lock ----------------------------------------------------------------------------

    def lock(self) -> None:
        """Hold `OUT.lock` for the run; refuse when another run holds it."""
        path = self.lock_path
        if path.exists() and not path.is_file():
            raise OutputError(f"{path}: exists and is not a lock file; remove it")
        while True:
            flags = os.O_RDWR | os.O_CREAT | (0 if fcntl else os.O_EXCL)
            try:
                fd = os.open(path, flags, 0o644)
            except FileExistsError as exc:  # pragma: no cover (no fcntl)
                raise OutputError(
                    f"{self.given}: {path} exists: another run writes this output, or one "
                    "was killed: remove the lock if no run is going"
                ) from exc
            except OSError as exc:
                raise OutputError(f"{path}: cannot create the lock ({exc.strerror})") from exc
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError as exc:
                    holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
                    os.close(fd)
                    raise OutputError(
                        f"--out {self.given}: another pressdeals run is writing it ({holder}); "
                        "wait for it to finish or choose another --out"
                    ) from exc
                try:  # the run before us may have removed the file just before we locked it
                    same = os.stat(path).st_ino == os.fstat(fd).st_ino
                except FileNotFoundError:
                    same = False
                if not same:
                    os.close(fd)
                    continue
            old = os.pread(fd, 200, 0).decode("utf-8", "replace")
            if old and not old.startswith(LOCK_TEXT):
                os.close(fd)
                raise OutputError(f"{path}: exists and is not a pressdeals lock; move it away")
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{LOCK_TEXT}: pid {os.getpid()}\n".encode(), 0)
            self._lock_fd = fd
            return

    def unlock(self) -> None:
        if self._lock_fd is None:
            return
        # unlink while holding the lock: a run waiting on it then locks a fresh file
        with contextlib.suppress(OSError):
            os.unlink(self.lock_path)
        os.close(self._lock_fd)
        self._lock_fd = None


# --- logs ------------------------------------------------------------------------------------


def _read_log(path: Path, model: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The ids of a JSONL log with their `input_sha256` and `file` (error records are dropped
    from the file, so that their inputs are tried again); a torn last line is cut off.
    Refuses lines that are not pressdeals records and records another model or schema
    wrote."""
    if not path.exists():
        return {}
    done: dict[str, dict[str, Any]] = {}
    drop: set[int] = set()  # error records, and a last line torn by a kill
    with open(path, "rb") as fh:  # line by line: the output may be far larger than memory
        for number, line in enumerate(fh, start=1):
            if not line.endswith(b"\n"):
                drop.add(number)
                break
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (ValueError, RecursionError) as exc:
                raise OutputError(
                    f"{path}:{number}: not JSON ({exc}); --resume needs an intact output: "
                    "remove the line, or rerun without --resume to start afresh"
                ) from exc
            if not is_output_record(record):
                raise OutputError(
                    f"{path}:{number}: not a pressdeals record (no id or source); remove the "
                    "line, or rerun without --resume to start afresh"
                )
            theirs = record.get("model")
            if theirs is not None and _identity(theirs) != _identity(model):
                raise ResumeMismatch(
                    f"{path}: written by model {_shown(theirs)}, this run uses "
                    f"{_shown(model)}; --resume only continues the same model: rerun without "
                    "--resume (starts afresh) or with the model that wrote it"
                )
            if "error" in record:
                drop.add(number)
                continue
            # what resuming needs, not the record
            done[record["id"]] = {k: record[k] for k in ("input_sha256", "file") if k in record}
    if drop:
        tmp = path.with_name(path.name + ".tmp")
        with open(path, "rb") as src, open(tmp, "wb") as dst:
            for number, line in enumerate(src, start=1):
                if number not in drop and line.endswith(b"\n"):
                    dst.write(line)
        os.replace(tmp, path)
    return done


def _identity(model: Any) -> tuple:
    if not isinstance(model, dict):
        return (repr(model),)
    return (model.get("name"), model.get("version"), model.get("schema_version"))


def _shown(model: Any) -> str:
    if not isinstance(model, dict):
        return repr(model)
    name, version, schema = _identity(model)
    return f"{name} {version} (schema {schema})"


class JsonlLog:
    """Append-only JSONL file written through a .partial twin."""

    def __init__(self, path: Path, resume: bool, model: dict[str, Any]) -> None:
        self.path, self.partial = path, partial_path(path)
        if resume and not self.partial.exists() and path.exists():
            shutil.copyfile(path, self.partial)
        self.done = _read_log(self.partial, model) if resume else {}
        self.fh = open(self.partial, "a" if resume else "w", encoding="utf-8")

    def write(self, record: dict[str, Any]) -> None:
        self.fh.write(dumps(record) + "\n")
        self.fh.flush()

    def close(self, complete: bool) -> None:
        if not self.fh.closed:
            self.fh.close()
        if complete:
            os.replace(self.partial, self.path)


def _input_hash(record: dict[str, Any]) -> str | None:
    value = record.get("input_sha256")
    return value if isinstance(value, str) else None


class _Writer:
    """What every writer offers the tagger."""

    done: dict[str, str | None]  # id -> input hash of what the output already holds

    def write(self, record: dict[str, Any], doc: AnnotatedDoc) -> None:
        raise NotImplementedError

    def error(self, record: dict[str, Any]) -> None:
        raise NotImplementedError

    def close(self, complete: bool) -> list[Path]:
        raise NotImplementedError


class JsonlWriter(_Writer):
    """One JSON record per document (or error), in one file."""

    def __init__(self, output: Output, resume: bool, model: dict[str, Any]) -> None:
        self.log = JsonlLog(output.out, resume, model)
        self.done = {k: _input_hash(v) for k, v in self.log.done.items()}

    def write(self, record: dict[str, Any], doc: AnnotatedDoc) -> None:
        self.log.write(record)

    def error(self, record: dict[str, Any]) -> None:
        self.log.write(record)

    def close(self, complete: bool) -> list[Path]:
        self.log.close(complete)
        return [self.log.path]


class _ManifestWriter(_Writer):
    """Base for formats whose main output is not one record per document: a manifest
    `<out>.documents.jsonl` lists every input with its outcome (nothing is lost)."""

    def __init__(self, output: Output, resume: bool, model: dict[str, Any]) -> None:
        self.out = output.out
        self.model = model
        self.manifest = JsonlLog(manifest_path(self.out), resume, model)
        self.done = {k: _input_hash(v) for k, v in self.manifest.done.items()}

    def _note(self, record: dict[str, Any], **extra: Any) -> None:
        line = {"id": record["id"], "source": record["source"], **extra}
        line |= {
            "entities": len(record["entities"]),
            "relations": len(record["relations"]),
            "deals": len(record["deals"]),
            "facts": len(record["facts"]),
        }
        for key in ("input_id", "input_sha256", "model"):
            if key in record:
                line[key] = record[key]
        self.manifest.write(line)

    def error(self, record: dict[str, Any]) -> None:
        self.manifest.write(record)


class BratWriter(_ManifestWriter):
    """A flat folder of NAME.txt/NAME.ann, ready for correction in brat or INCEpTION; the
    manifest's `file` says which NAME.txt holds which id."""

    def __init__(self, output: Output, resume: bool, model: dict[str, Any]) -> None:
        super().__init__(output, resume, model)
        self.partial = partial_path(self.out)
        self.names = UniqueNames()
        self.kept: list[Path] = []  # an old folder kept for files pressdeals did not write
        if resume:
            if not self.partial.exists() and self.out.exists():
                self._copy_ours(self.out, self.partial)
            for record in self.manifest.done.values():
                if isinstance(record.get("file"), str):
                    self.names.add(Path(record["file"]).stem)
        elif self.partial.exists():  # a stale partial folder (checked: pressdeals wrote it)
            shutil.rmtree(self.partial)
        self.partial.mkdir(exist_ok=True)
        self._write_marker(self.partial)

    @staticmethod
    def _copy_ours(src: Path, dst: Path) -> None:
        dst.mkdir()
        for name in (_marker(src) or {}).get("files", []):
            if (src / name).is_file():
                shutil.copy2(src / name, dst / name)

    def _write_marker(self, folder: Path) -> None:
        files = sorted(p.name for p in folder.iterdir() if p.name != OUTPUT_MARKER)
        marker = {"pressdeals": 1, "model": self.model, "files": files}
        (folder / OUTPUT_MARKER).write_text(json.dumps(marker, ensure_ascii=False) + "\n")

    def write(self, record: dict[str, Any], doc: AnnotatedDoc) -> None:
        stem = self.names.take(doc.id)
        named = AnnotatedDoc(stem, doc.text, doc.entities, doc.relations, doc.aliases)
        write_brat(named, self.partial)
        self._note(record, file=f"{stem}.txt")

    def close(self, complete: bool) -> list[Path]:
        if not complete:
            self.manifest.close(False)
            return [self.partial, self.manifest.partial]
        self._write_marker(self.partial)
        self.kept = _replace_folder(self.partial, self.out)
        self.manifest.close(True)
        return [self.out, self.manifest.path]


def _replace_folder(new: Path, out: Path) -> list[Path]:
    """Move `new` to `out`. A previous output there loses only the files its marker lists;
    files someone else put there move into the new folder, or, when a name is taken, stay
    in the old folder, renamed `OUT.previous-N` (returned)."""
    if not out.exists():
        os.replace(new, out)
        return []
    n = 1
    while (old := out.with_name(f"{out.name}.previous-{n}")).exists():
        n += 1
    os.replace(out, old)
    os.replace(new, out)
    listed = set((_marker(old) or {}).get("files", [])) | {OUTPUT_MARKER}
    for entry in list(old.iterdir()):
        if entry.name in listed and entry.is_file() and not entry.is_symlink():
            entry.unlink()
        elif not (out / entry.name).exists():
            os.replace(entry, out / entry.name)
    try:
        old.rmdir()
    except OSError:
        return [old]
    return []


def deal_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The table rows of one record: one per deal fact."""
    model = f"{record['model']['name']}-{record['model']['version']}"
    return [
        {"id": record["id"], "source": record["source"], **fact, "model": model}
        for fact in record["facts"]
    ]


class CsvWriter(_ManifestWriter):
    """One CSV row per deal fact; formula-like text cells are neutralised (`csv_cell`)."""

    def __init__(self, output: Output, resume: bool, model: dict[str, Any]) -> None:
        super().__init__(output, resume, model)
        self.partial = partial_path(self.out)
        if resume and not self.partial.exists() and self.out.exists():
            shutil.copyfile(self.out, self.partial)
        new = not resume or not self.partial.exists() or self.partial.stat().st_size == 0
        if not new:
            _drop_rows_of_unfinished(self.partial, set(self.done))
        self.fh = open(self.partial, "w" if new else "a", encoding="utf-8", newline="")
        self.csv = csv.DictWriter(self.fh, fieldnames=DEAL_COLUMNS)
        if new:
            self.csv.writeheader()

    def write(self, record: dict[str, Any], doc: AnnotatedDoc) -> None:
        self.csv.writerows(
            {k: csv_cell(v) for k, v in row.items()} for row in deal_rows(record)
        )
        self.fh.flush()
        self._note(record)

    def close(self, complete: bool) -> list[Path]:
        self.fh.close()
        if complete:
            os.replace(self.partial, self.out)
        self.manifest.close(complete)
        return [self.out, self.manifest.path] if complete else [self.partial]


def _drop_rows_of_unfinished(path: Path, done: set[str]) -> None:
    """Rows written for a document whose manifest line never made it are written again."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        with (
            open(path, encoding="utf-8", newline="") as src,
            open(tmp, "w", encoding="utf-8", newline="") as dst,
        ):
            reader = csv.reader(src)
            if next(reader, None) != DEAL_COLUMNS:
                raise OutputError(
                    f"{path}: its columns are not this version's; --resume cannot append to "
                    "it: rerun without --resume"
                )
            writer = csv.writer(dst)
            writer.writerow(DEAL_COLUMNS)
            writer.writerows(r for r in reader if r and _csv_id(r[0]) in done)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _csv_id(cell: str) -> str:
    """The id a CSV cell holds (without the apostrophe `csv_cell` may have added)."""
    return cell[1:] if cell.startswith("'") and csv_cell(cell[1:]) == cell else cell


class ParquetWriter(_ManifestWriter):
    """One Parquet row per deal fact; rows are staged as JSONL and converted at the end,
    before any file is renamed into place."""

    def __init__(self, output: Output, resume: bool, model: dict[str, Any]) -> None:
        super().__init__(output, resume, model)
        self.staged = partial_path(rows_path(self.out))
        if not resume or not self.staged.exists():
            self.staged.write_text("", encoding="utf-8")
            if resume and self.done and self.out.exists():  # a finished output's rows
                _parquet_to_jsonl(self.out, self.staged)
        _filter_jsonl(self.staged, set(self.done))
        self.fh = open(self.staged, "a", encoding="utf-8")

    def write(self, record: dict[str, Any], doc: AnnotatedDoc) -> None:
        for row in deal_rows(record):
            self.fh.write(dumps(row) + "\n")
        self.fh.flush()
        self._note(record)

    def close(self, complete: bool) -> list[Path]:
        self.fh.close()
        if not complete:
            self.manifest.close(False)
            return [self.staged, self.manifest.partial]
        tmp = partial_path(self.out)
        try:
            _jsonl_to_parquet(self.staged, tmp, self.model)
        except Exception as exc:  # keep every partial: a --resume run can finish the job
            raise OutputError(
                f"{self.out}: cannot write the Parquet file ({type(exc).__name__}: {exc}); "
                f"the staged rows are kept in {self.staged}: fix and rerun with --resume"
            ) from exc
        os.replace(tmp, self.out)
        self.manifest.close(True)
        self.staged.unlink()
        return [self.out, self.manifest.path]


def _filter_jsonl(path: Path, keep: set[str]) -> None:
    """Keep the staged rows of finished documents (streamed: the file may be large)."""
    tmp = path.with_name(path.name + ".tmp")
    with open(path, encoding="utf-8") as src, open(tmp, "w", encoding="utf-8") as dst:
        for line in src:
            try:
                if line.endswith("\n") and json.loads(line)["id"] in keep:
                    dst.write(line)
            except (ValueError, KeyError, TypeError):  # a torn staged row: written again
                continue
    os.replace(tmp, path)


def _parquet_schema(model: dict[str, Any]):
    """The table's schema: `id`, `source`, the `DealFact` columns with their types, `model`;
    the model that made it in the metadata (checked by `--resume`)."""
    import pyarrow as pa

    arrow = {int: pa.int64(), float: pa.float64(), str: pa.string(), bool: pa.bool_()}
    schema = pa.schema(
        [("id", pa.string()), ("source", pa.string())]
        + [(name, arrow[FACT_TYPES[name]]) for name in FACT_FIELDS]
        + [("model", pa.string())]
    )
    return schema.with_metadata({PARQUET_MARKER: json.dumps(model).encode("utf-8")})


def _jsonl_to_parquet(rows: Path, out: Path, model: dict[str, Any]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _parquet_schema(model)
    with pq.ParquetWriter(out, schema) as writer, open(rows, encoding="utf-8") as fh:
        batch: list[dict] = []
        for line in fh:
            batch.append(json.loads(line))
            if len(batch) >= 5000:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        writer.write_table(pa.Table.from_pylist(batch, schema=schema))


def _parquet_to_jsonl(parquet: Path, rows: Path) -> None:
    import pyarrow.parquet as pq

    with open(rows, "w", encoding="utf-8") as fh:
        for batch in pq.ParquetFile(parquet).iter_batches(batch_size=5000):
            for row in batch.to_pylist():
                fh.write(dumps(row) + "\n")


WRITERS: dict[str, type[_Writer]] = {
    "jsonl": JsonlWriter,
    "brat": BratWriter,
    "csv": CsvWriter,
    "parquet": ParquetWriter,
}


# --- the HTML page ---------------------------------------------------------------------------


class _Sink:
    """The file `HtmlPage` writes to: flushed after every write, so a killed run leaves whole
    sections; on resume the page's header is already there and is not written again."""

    def __init__(self, fh: TextIO, skip_header: bool) -> None:
        self.fh, self.skip = fh, skip_header

    def write(self, text: str) -> int:
        if self.skip:
            self.skip = False
            return len(text)
        n = self.fh.write(text)
        self.fh.flush()
        return n

    def close(self) -> None:
        self.fh.close()


_SECTION = SECTION_START


class PageWriter:
    """`--html`: written to PAGE.partial and renamed at the end, like the records; on resume
    it keeps the sections of the documents the output already holds."""

    def __init__(self, path: Path, resume: bool, done: set[str]) -> None:
        self.path, self.partial = path, partial_path(path)
        kept = None
        if resume:
            source = self.partial if self.partial.exists() else path
            if source.exists():
                kept = _page_sections(source.read_text(encoding="utf-8"), done)
        self.fh = open(self.partial, "w", encoding="utf-8")
        if kept is not None:
            self.fh.write(kept)
        self.page = HtmlPage(_Sink(self.fh, skip_header=kept is not None))  # type: ignore[arg-type]

    def add(self, record: dict[str, Any]) -> None:
        try:
            self.page.add(record)
        except Exception as exc:  # a page that cannot show one document still shows the rest
            self.page.error({**record, "error": f"cannot show this document ({exc})"})

    def error(self, record: dict[str, Any]) -> None:
        self.page.error(record)

    def close(self, complete: bool) -> list[Path]:
        if not complete:
            self.fh.close()
            return [self.partial]
        self.page.close()
        os.replace(self.partial, self.path)
        return [self.path]


def _page_sections(page: str, done: set[str]) -> str:
    """The header and the whole sections of documents in `done`, without the footer."""
    if page.endswith(PAGE_FOOTER):
        page = page[: -len(PAGE_FOOTER)]
    parts = page.split(_SECTION)
    kept = [parts[0]]
    for section in parts[1:]:
        doc_id = html.unescape(section.split("</h2>", 1)[0])
        body = section.split("</h2>", 1)[-1]
        failed = ERROR_MARK in body  # an error section: retried
        if section.endswith("</section>\n") and doc_id in done and not failed:
            kept.append(_SECTION + section)
    return "".join(kept)
