"""Generic reader: the canonical format (CSV, TSV, JSON Lines, JSON, Parquet), optionally
through a YAML column mapping so that any tool's export can come in.

Mapping file (see ``configs/mappings/``)::

    name: twarc-csv                 # shown in the coverage table
    columns:                        # canonical column: the file's column ("a.b" reaches into JSON)
      actor: author.username
      created_at: created_at
    values:                         # constants for canonical columns the file lacks
      platform: x
      kind: post
    kinds: {retweeted: share}       # the file's kind values → canonical kinds
    format: csv                     # optional; guessed from the file name otherwise
    separator: ","                  # optional, for CSV
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from microcomm.errors import ConfigError, InputError, SchemaError
from microcomm.ingest.base import ReadContext, head_text
from microcomm.ingest.registry import reader
from microcomm.ingest.tabular import raw_batches
from microcomm.schema import EVENTS, PLATFORM_SYNONYMS, REQUIRED_EVENT_COLUMNS

# Optional profile columns of the canonical format (issue 11): the actor's reach and bio go to
# the accounts table, never into events.
ACCOUNT_COLUMNS = {"actor_followers": "followers", "actor_bio": "bio", "actor_verified": "verified"}
MAPPING_KEYS = {"name", "description", "columns", "values", "kinds", "format", "separator"}
FORMATS = ("csv", "tsv", "jsonl", "json", "parquet")


def load_mapping(path: str | Path) -> dict[str, Any]:
    """Read and check a YAML mapping file.

    Raises
    ------
    ConfigError
        Missing file, not YAML, unknown key, or a target that is not a canonical column.
    """
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"{p}: mapping file not found", hint="check the path given to --mapping")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{p}: a mapping file must be a YAML mapping")
    for key in data:
        if key not in MAPPING_KEYS:
            raise ConfigError(
                f"{p}: unknown key {key!r}", hint=f"known keys: {', '.join(sorted(MAPPING_KEYS))}"
            )
    for section in ("columns", "values", "kinds"):
        if not isinstance(data.get(section) or {}, dict):
            raise ConfigError(f"{p}: {section} must be a mapping")
    for target in list(data.get("columns") or {}) + list(data.get("values") or {}):
        if (target not in EVENTS or target == "source") and target not in ACCOUNT_COLUMNS:
            raise ConfigError(
                f"{p}: {target!r} is not a canonical column",
                hint=f"map onto: {', '.join(c for c in EVENTS if c != 'source')}",
            )
    fmt = data.get("format")
    if fmt is not None and fmt not in FORMATS:
        raise ConfigError(f"{p}: format {fmt!r} is not one of {', '.join(FORMATS)}")
    data.setdefault("name", p.stem)
    return data


def file_format(path: Path, mapping: dict[str, Any] | None = None) -> str | None:
    """csv / tsv / jsonl / json / parquet from the mapping or the file name (compression aside)."""
    if mapping and mapping.get("format"):
        return str(mapping["format"])
    suffixes = [s.lower() for s in path.suffixes]
    while suffixes and suffixes[-1] in (".gz", ".zst", ".bz2"):
        suffixes.pop()
    ext = suffixes[-1] if suffixes else ""
    return {
        ".csv": "csv",
        ".tsv": "tsv",
        ".jsonl": "jsonl",
        ".ndjson": "jsonl",
        ".json": "json",
        ".parquet": "parquet",
    }.get(ext)


def header_name(name: str) -> str:
    """A header as a canonical column name: ``" Created At"`` → ``created_at``."""
    return "_".join(name.strip().strip('"').strip().lower().split())


def csv_separator(first_line: str, fmt: str) -> str:
    """``;`` for European spreadsheets' CSV (more semicolons than commas in the header)."""
    if fmt == "tsv":
        return "\t"
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _canonical_header(path: Path, head: bytes) -> set[str]:
    """Column names visible in the first bytes (CSV header or first JSON object's keys),
    normalised (:func:`header_name`): capitalised or spaced headers count."""
    fmt = file_format(path)
    text = head_text(head)
    if fmt in ("csv", "tsv"):
        first = text.splitlines()[0] if text else ""
        return {header_name(c) for c in first.split(csv_separator(first, fmt))}
    if fmt == "jsonl":
        first = text.splitlines()[0] if text else ""
        try:
            obj = json.loads(first)
        except json.JSONDecodeError:
            return set()
        return set(obj) if isinstance(obj, dict) else set()
    if fmt == "json":
        try:
            start = text.index("{")
            end = text.index("}", start)
            obj = json.loads(text[start : end + 1])
        except (ValueError, json.JSONDecodeError):
            return set()
        return set(obj) if isinstance(obj, dict) else set()
    if fmt == "parquet":
        try:
            return set(pl.scan_parquet(path, glob=False).collect_schema())  # literal path
        except Exception:
            return set()
    return set()


def sniff_canonical(path: Path, head: bytes) -> bool:
    """A tabular file whose header has the required canonical columns, or all but one (an
    almost canonical file: read when the missing one is unambiguous, else a clear error)."""
    have = set(REQUIRED_EVENT_COLUMNS) & {header_name(c) for c in _canonical_header(path, head)}
    return len(have) >= len(REQUIRED_EVENT_COLUMNS) - 1


def sniff_tabular(path: Path, head: bytes) -> bool:
    return file_format(path) is not None


@reader(
    "canonical",
    platform="any",
    sniff=sniff_canonical,
    extensions=(".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet"),
    priority=100,
    guard=False,
)
def read_generic(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    """microcomm's canonical columns in CSV, TSV, JSON Lines, JSON or Parquet

    Yields canonical-column batches from a tabular file, applying ``ctx.mapping``.
    """
    mapping = ctx.mapping or {}
    fmt = file_format(path, mapping)
    if fmt is None:
        raise InputError(
            f"{ctx.display}: cannot tell the file type from its name",
            hint="use .csv, .tsv, .jsonl, .ndjson, .json or .parquet, or set format: in the mapping",
        )
    offset = 0
    separator = mapping.get("separator") or (
        csv_separator(_first_line(path), fmt) if fmt in ("csv", "tsv") else ","
    )
    for raw in raw_batches(path, fmt, ctx, separator=separator):
        if "_line" not in raw.columns:
            raw = raw.with_row_index("_line", offset=offset + (2 if fmt in ("csv", "tsv") else 1))
        offset += raw.height
        if not mapping:  # a mapping file says exactly which column is which
            raw = almost_canonical(raw, where=ctx.display)
        events = apply_mapping(raw, mapping, where=ctx.display)
        profiles = account_rows(raw, events, mapping)
        if profiles is not None:
            ctx.add_accounts(profiles)
        yield events


def account_rows(
    raw: pl.DataFrame, events: pl.DataFrame, mapping: dict[str, Any]
) -> pl.DataFrame | None:
    """``actor, platform, followers, bio, verified`` from the optional ``actor_followers``,
    ``actor_bio`` and ``actor_verified`` columns (or the columns mapped onto them); None when
    the file has none of them."""
    columns = mapping.get("columns") or {}
    present = {
        target: columns.get(canon, canon)
        for canon, target in ACCOUNT_COLUMNS.items()
        if columns.get(canon, canon) in raw.columns
    }
    if not present:
        return None
    exprs = []
    for target, src in present.items():
        col, dtype = pl.col(src), raw.schema[src]
        if target == "followers":
            col = col if dtype.is_numeric() else col.cast(pl.String).str.replace_all(r"[,\s]", "")
            col = col.cast(pl.Int64, strict=False)
        elif target == "verified":
            if dtype != pl.Boolean:
                col = col.cast(pl.String).str.to_lowercase().is_in(["true", "1", "yes", "y", "t"])
        else:
            col = col.cast(pl.String)
        exprs.append(col.alias(target))
    platform = pl.col("platform").str.to_lowercase().replace(PLATFORM_SYNONYMS)
    return pl.concat(
        [events.select("actor", platform), raw.select(exprs)], how="horizontal"
    ).filter(pl.col("actor").is_not_null() & pl.any_horizontal(pl.col(list(present)).is_not_null()))


def _first_line(path: Path) -> str:
    from microcomm.ingest.base import open_binary

    with open_binary(path) as fh:
        return head_text(fh.read(4096)).split("\n", 1)[0]


def almost_canonical(raw: pl.DataFrame, *, where: str) -> pl.DataFrame:
    """Headers renamed to canonical names when that is unambiguous: ``Actor`` → ``actor``,
    ``Created At`` → ``created_at``, and one missing required column taken from the one
    header close to its name (``created`` → ``created_at``). Otherwise the error names the
    missing column and the closest header found.
    """
    import difflib

    renamed = {c: header_name(c) for c in raw.columns if c != "_line"}
    if len(set(renamed.values())) == len(renamed):  # no two headers collapse into one name
        raw = raw.rename({c: n for c, n in renamed.items() if c != n})
    missing = [c for c in REQUIRED_EVENT_COLUMNS if c not in raw.columns]
    if len(missing) != 1:
        return raw
    spare = [
        c for c in raw.columns if c != "_line" and c not in EVENTS and c not in ACCOUNT_COLUMNS
    ]
    close = difflib.get_close_matches(missing[0], spare, n=2, cutoff=0.6)
    if len(close) == 1 or (close and _prefix_match(missing[0], close[0])):
        return raw.rename({close[0]: missing[0]})
    nearest = difflib.get_close_matches(missing[0], spare, n=1, cutoff=0.0)
    raise SchemaError(
        f"{where}: no column {missing[0]!r}"
        + (f"; the closest header is {nearest[0]!r}" if nearest else "")
        + f" (found: {', '.join(c for c in raw.columns if c != '_line')[:200]})",
        hint=f"rename that column to {missing[0]}, or map it with --mapping FILE.yaml "
        f"(columns: {{{missing[0]}: your_column}})",
    )


def _prefix_match(name: str, header: str) -> bool:
    return name.startswith(header) or header.startswith(name)


def apply_mapping(raw: pl.DataFrame, mapping: dict[str, Any], *, where: str) -> pl.DataFrame:
    """Rename / extract the mapped columns, add constants, translate kinds; check required ones."""
    columns: dict[str, str] = {**(mapping.get("columns") or {})}
    values: dict[str, Any] = mapping.get("values") or {}
    exprs: list[pl.Expr] = []
    have: set[str] = set()
    for canon in EVENTS:
        if canon == "source":
            continue
        src = columns.get(canon)
        if src is None and canon in raw.columns and canon not in values:
            src = canon
        if src is not None:
            expr = _column_expr(raw, src, canon=canon, where=where)
            exprs.append(expr.alias(canon))
            have.add(canon)
        elif canon in values:
            exprs.append(pl.lit(values[canon]).cast(pl.String).alias(canon))
            have.add(canon)
    missing = [c for c in REQUIRED_EVENT_COLUMNS if c not in have]
    if missing:
        found = ", ".join(c for c in raw.columns if c != "_line")[:300]
        raise SchemaError(
            f"{where}: missing required column(s) {', '.join(missing)} (found: {found})",
            hint="rename them in the file, or map them with --mapping FILE.yaml "
            "(columns: {" + missing[0] + ": your_column})",
        )
    out = raw.select(
        [
            *exprs,
            pl.concat_str([pl.lit(f"{where}:"), pl.col("_line").cast(pl.String)]).alias("source"),
        ]
    )
    kinds = mapping.get("kinds") or {}
    if kinds:
        out = out.with_columns(pl.col("kind").replace({str(k): str(v) for k, v in kinds.items()}))
    return out


def _column_expr(raw: pl.DataFrame, src: str, *, canon: str, where: str) -> pl.Expr:
    if src in raw.columns:
        expr = pl.col(src)
        dtype = raw.schema[src]
    else:
        head, *rest = src.split(".")
        if head not in raw.columns or not rest:
            raise SchemaError(
                f"{where}: the mapping names column {src!r} for {canon}, but the file has no such column",
                hint=f"the file's columns are: {', '.join(c for c in raw.columns if c != '_line')[:300]}",
            )
        expr = pl.col(head)
        dtype = raw.schema[head]
        for part in rest:
            if not isinstance(dtype, pl.Struct):
                raise SchemaError(f"{where}: cannot reach {src!r}: {head!r} is not an object")
            fields: dict[str, Any] = {f.name: f.dtype for f in dtype.fields}
            if part not in fields:
                raise SchemaError(f"{where}: the mapped field {src!r} does not exist")
            expr = expr.struct.field(part)
            dtype = fields[part]
    if canon == "created_at":
        if isinstance(dtype, pl.Datetime | pl.Date) or dtype.is_numeric():
            return expr
        return expr.cast(pl.String)
    if isinstance(dtype, pl.Struct):
        return expr.struct.json_encode()
    if isinstance(dtype, pl.List | pl.Array):
        return expr.cast(pl.List(pl.String), strict=False).list.join(" ")
    return expr.cast(pl.String)
