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

import io
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from microcomm.errors import ConfigError, InputError, SchemaError
from microcomm.ingest.base import (
    ReadContext,
    compression_of,
    head_text,
    load_json,
    open_binary,
)
from microcomm.ingest.registry import reader
from microcomm.schema import EVENTS, REQUIRED_EVENT_COLUMNS

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
        if target not in EVENTS or target == "source":
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


def _canonical_header(path: Path, head: bytes) -> set[str]:
    """Column names visible in the first bytes (CSV header or first JSON object's keys)."""
    fmt = file_format(path)
    text = head_text(head)
    if fmt in ("csv", "tsv"):
        first = text.splitlines()[0] if text else ""
        sep = "\t" if fmt == "tsv" else ","
        return {c.strip().strip('"') for c in first.split(sep)}
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
            return set(pl.read_parquet_schema(path))
        except Exception:
            return set()
    return set()


def sniff_canonical(path: Path, head: bytes) -> bool:
    """A tabular file whose header already has every required canonical column."""
    return set(REQUIRED_EVENT_COLUMNS) <= _canonical_header(path, head)


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
    for raw in _raw_batches(path, fmt, ctx, mapping):
        if "_line" not in raw.columns:
            raw = raw.with_row_index("_line", offset=offset + (2 if fmt in ("csv", "tsv") else 1))
        offset += raw.height
        yield apply_mapping(raw, mapping, where=ctx.display)


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


def _raw_batches(
    path: Path, fmt: str, ctx: ReadContext, mapping: dict[str, Any]
) -> Iterator[pl.DataFrame]:
    if fmt in ("csv", "tsv"):
        yield from csv_batches(
            path, ctx, separator=mapping.get("separator") or ("\t" if fmt == "tsv" else ",")
        )
    elif fmt == "jsonl":
        yield from ndjson_batches(path, ctx)
    elif fmt == "json":
        yield from _json_batches(path, ctx)
    else:
        try:
            lf = pl.scan_parquet(path)
            yield from lf.collect_batches(chunk_size=ctx.batch_size)
        except (pl.exceptions.PolarsError, OSError) as exc:
            raise InputError(f"{ctx.display}: not a readable Parquet file ({exc})") from None


def csv_batches(path: Path, ctx: ReadContext, *, separator: str) -> Iterator[pl.DataFrame]:
    """CSV rows as text columns in frames of ``ctx.batch_size`` (compressed files decompressed to disk)."""
    with open(path, "rb") as fh:
        compressed = compression_of(fh.read(4)) is not None
    tmpdir = None
    try:
        if compressed:
            # polars scans plain files only: decompress to disk first, memory stays flat.
            tmpdir = tempfile.mkdtemp(prefix="microcomm-")
            plain = Path(tmpdir) / "data.csv"
            with open_binary(path) as src, open(plain, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            path = plain
        lf = pl.scan_csv(
            path,
            separator=separator,
            infer_schema=False,
            encoding="utf8-lossy",
            truncate_ragged_lines=True,
        )
        try:
            yield from lf.collect_batches(chunk_size=ctx.batch_size)
        except (pl.exceptions.PolarsError, OSError) as exc:
            msg = str(exc).splitlines()[0]
            raise InputError(
                f"{ctx.display}: not a readable CSV file ({msg})",
                hint="check the separator and quoting",
            ) from None
    finally:
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)


def ndjson_batches(
    path: Path,
    ctx: ReadContext,
    *,
    lines_per_batch: int | None = None,
    schema: dict[str, pl.DataType] | None = None,
) -> Iterator[pl.DataFrame]:
    """JSON Lines in frames of ``lines_per_batch`` lines, with a ``_line`` column.

    Each chunk is parsed by polars at once; a chunk that fails is parsed line by line so that
    only its bad lines are skipped (and counted), never the whole file. With ``schema`` only
    those fields are read, cast to the given types (values of another type become text or
    null instead of failing the chunk): much faster on wide records such as Pushshift dumps.
    """
    size = lines_per_batch or ctx.batch_size
    buf: list[bytes] = []
    numbers: list[int] = []
    with open_binary(path) as fh:
        for lineno, raw in enumerate(fh, start=1):
            line = raw.strip()
            if not line:
                continue
            buf.append(line)
            numbers.append(lineno)
            if len(buf) >= size:
                yield from _parse_lines(buf, numbers, ctx, schema)
                buf, numbers = [], []
    if buf:
        yield from _parse_lines(buf, numbers, ctx, schema)


def _parse_lines(
    lines: list[bytes],
    numbers: list[int],
    ctx: ReadContext,
    schema: dict[str, pl.DataType] | None = None,
) -> Iterator[pl.DataFrame]:
    try:
        data = io.BytesIO(b"\n".join(lines))
        frame = (
            pl.read_ndjson(data, schema=schema)
            if schema
            else pl.read_ndjson(data, infer_schema_length=None)
        )
        if frame.height == len(lines):
            yield frame.with_columns(pl.Series("_line", numbers, dtype=pl.UInt32))
            return
    except (pl.exceptions.PolarsError, OSError):
        pass
    good: list[dict[str, Any]] = []
    good_numbers: list[int] = []
    for line, number in zip(lines, numbers, strict=True):
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
            ctx.skip(f"line {number}", "not valid JSON (truncated or corrupt line)")
            continue
        if not isinstance(obj, dict):
            ctx.skip(f"line {number}", "not a JSON object")
            continue
        good.append(obj)
        good_numbers.append(number)
    if good:
        if schema:
            good = [{k: _scalar_text(o.get(k), schema[k]) for k in schema} for o in good]
            frame = pl.from_dicts(good, schema=schema, strict=False)
        else:
            frame = pl.from_dicts(good, infer_schema_length=None, strict=False)
        yield frame.with_columns(pl.Series("_line", good_numbers, dtype=pl.UInt32))


def _scalar_text(value: Any, dtype: pl.DataType) -> Any:
    """A value fit for a ``schema`` column: text columns get text, nested values get JSON."""
    if value is None or dtype != pl.String:
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _json_batches(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    data = load_json(path)
    if isinstance(data, dict):
        data = next(
            (
                v
                for k, v in data.items()
                if isinstance(v, list) and k in ("data", "events", "items", "records")
            ),
            None,
        )
    if not isinstance(data, list):
        raise InputError(
            f"{ctx.display}: expected a JSON array of records",
            hint="give one JSON object per record, in an array or as JSON Lines",
        )
    records = []
    numbers = []
    for i, rec in enumerate(data, start=1):
        if isinstance(rec, dict):
            records.append(rec)
            numbers.append(i)
        else:
            ctx.skip(f"record {i}", "not a JSON object")
    for start in range(0, len(records), ctx.batch_size):
        chunk = records[start : start + ctx.batch_size]
        frame = pl.from_dicts(chunk, infer_schema_length=None, strict=False)
        yield frame.with_columns(
            pl.Series("_line", numbers[start : start + ctx.batch_size], dtype=pl.UInt32)
        )
