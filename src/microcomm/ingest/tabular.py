"""Raw tabular batches: CSV / TSV, JSON Lines, JSON arrays and Parquet → polars frames.

Shared by the generic reader (which then applies a column mapping) and the readers of
tabular platform exports (Reddit's data-request CSVs, Pushshift dumps). Files are read in
batches of ``ctx.batch_size`` records, so a large CSV, JSON Lines, Parquet file, bare JSON
array or JSON object holding the records (under data / events / items / records) is never
loaded whole.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import polars as pl

from microcomm.errors import InputError
from microcomm.ingest._common import iter_js_array
from microcomm.ingest.base import (
    ReadContext,
    compression_of,
    head_text,
    load_json,
    open_binary,
    read_head,
)
from microcomm.ingest.jsonstream import record_chunks


def raw_batches(
    path: Path, fmt: str, ctx: ReadContext, *, separator: str = ","
) -> Iterator[pl.DataFrame]:
    """Frames of at most ``ctx.batch_size`` records of a ``csv``/``tsv``/``jsonl``/``json``/
    ``parquet`` file, columns as the file has them."""
    if fmt in ("csv", "tsv"):
        yield from csv_batches(path, ctx, separator=separator)
    elif fmt == "jsonl":
        yield from ndjson_batches(path, ctx)
    elif fmt == "json":
        yield from _json_batches(path, ctx)
    else:
        try:
            lf = pl.scan_parquet(path, glob=False)  # a literal path, never a pattern
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
            glob=False,  # 'export [1].csv' is that file, not a pattern
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
    data: Iterable[Any]
    if head_text(read_head(path, 4096)).startswith("["):
        data = iter_js_array(path, label="records")  # a bare array: streamed record by record
    else:
        data = _keyed_records(path, ctx)
    records: list[dict[str, Any]] = []
    numbers: list[int] = []
    for i, rec in enumerate(data, start=1):
        if not isinstance(rec, dict):
            ctx.skip(f"record {i}", "not a JSON object")
            continue
        records.append(rec)
        numbers.append(i)
        if len(records) >= ctx.batch_size:
            yield _records_frame(records, numbers)
            records, numbers = [], []
    if records:
        yield _records_frame(records, numbers)


def _keyed_records(path: Path, ctx: ReadContext) -> Iterator[Any]:
    """The records of a JSON object holding them under data / events / items / records,
    streamed; an object of another shape is read whole (and refused by :func:`_records_of`)."""
    keys = ("data", "events", "items", "records")
    chunks = record_chunks(path, [f"{k}.item" for k in keys], size=ctx.batch_size)
    found = False
    for _prefix, records in chunks:
        found = True
        yield from records
    if not found:
        yield from _records_of(load_json(path), ctx)


def _records_of(doc: Any, ctx: ReadContext) -> list[Any]:
    """The records array of a JSON document: the document itself, or its data / events /
    items / records list."""
    if isinstance(doc, dict):
        doc = next(
            (
                v
                for k, v in doc.items()
                if isinstance(v, list) and k in ("data", "events", "items", "records")
            ),
            None,
        )
    if not isinstance(doc, list):
        raise InputError(
            f"{ctx.display}: expected a JSON array of records",
            hint="give one JSON object per record, in an array or as JSON Lines",
        )
    return doc


def _records_frame(records: list[dict[str, Any]], numbers: list[int]) -> pl.DataFrame:
    frame = pl.from_dicts(records, infer_schema_length=None, strict=False)
    return frame.with_columns(pl.Series("_line", numbers, dtype=pl.UInt32))
