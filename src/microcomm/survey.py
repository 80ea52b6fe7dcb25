"""Survey stage: poll or survey answer files → the ``answers`` table of the store.

A survey file joins what people answered to who they are: one row per (actor, question,
answer), with an optional ``platform``. CSV, TSV, JSON Lines, JSON (a list of records) and
parquet are read. ``parse_answers`` is pure (a frame in, a conformed frame out);
``read_answers`` touches the file system; ``write_answers`` stages the rows in one store
transaction, so a bad file leaves the store as it was and re-ingesting a file changes
nothing.

File format (CSV)::

    actor,question,answer,platform
    @sunnyfox12,What should Kestrel make next?,lighter tents,instagram
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from microcomm.errors import InputError, SchemaError
from microcomm.fileio import sha256_file
from microcomm.ingest.walk import shown_name
from microcomm.normalize import normalize_handle, normalize_platform
from microcomm.schema import ANSWERS, PLATFORMS, conform
from microcomm.store import Store

REQUIRED_COLUMNS = ("actor", "question", "answer")
# Other tools' column names for the same things (Typeform, Google Forms exports, polls).
SYNONYMS = {
    "account": "actor",
    "user": "actor",
    "username": "actor",
    "handle": "actor",
    "respondent": "actor",
    "poll": "question",
    "prompt": "question",
    "response": "answer",
    "choice": "answer",
    "option": "answer",
}


def parse_answers(df: pl.DataFrame, *, source: str = "survey") -> pl.DataFrame:
    """Check and normalise survey rows to the ``answers`` schema.

    Column names are matched case-insensitively (and a few common synonyms are accepted);
    handles are normalised like events' actors (lower-case, no ``@``), so answers join to the
    people in the store. Rows with an empty actor, question or answer are dropped; exact
    duplicates are kept once.

    Parameters
    ----------
    df
        Raw rows with at least ``actor``, ``question`` and ``answer``.
    source
        Where the rows come from (file name), written to ``source`` and used in messages.

    Returns
    -------
    DataFrame
        ``actor, platform, question, answer, source``.

    Raises
    ------
    SchemaError
        A required column is missing.
    InputError
        A platform is not one microcomm knows.

    Examples
    --------
    >>> raw = pl.DataFrame({"Actor": ["@Ann", "bob", ""], "question": ["Q"] * 3,
    ...                     "answer": [" tents ", "kids gear", "x"]})
    >>> parse_answers(raw, source="s.csv").select("actor", "answer").rows()
    [('ann', 'tents'), ('bob', 'kids gear')]
    """
    renamed: dict[str, str] = {}
    for col in df.columns:
        key = col.strip().lower()
        key = SYNONYMS.get(key, key)
        if key in ANSWERS and key not in renamed.values():
            renamed[col] = key
    df = df.rename(renamed).select(list(renamed.values()))
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        raise SchemaError(
            f"{source}: missing survey column(s) {', '.join(missing)}",
            hint="a survey file needs the columns actor, question, answer (platform is optional)",
        )
    out = conform(df.with_columns(pl.lit(source).alias("source")), ANSWERS).with_columns(
        normalize_handle(pl.col("actor")).alias("actor"),
        normalize_platform(pl.col("platform")).alias("platform"),
        pl.col("question").str.strip_chars(),
        pl.col("answer").str.strip_chars(),
    )
    bad = out.with_row_index("_row").filter(
        pl.col("platform").is_not_null() & ~pl.col("platform").is_in(PLATFORMS)
    )
    if bad.height:
        row = bad.row(0, named=True)
        raise InputError(
            f"{source}:row {row['_row'] + 1}: unknown platform {row['platform']!r}",
            hint=f"use one of {', '.join(PLATFORMS)}, or leave platform empty",
        )
    keep = (
        pl.col("actor").is_not_null()
        & (pl.col("question").str.len_chars() > 0)
        & (pl.col("answer").str.len_chars() > 0)
    )
    return out.filter(keep).unique(maintain_order=True)


def read_answers(path: str | Path) -> pl.DataFrame:
    """Read one survey file (CSV, TSV, JSONL, JSON or parquet) into the ``answers`` schema.

    Raises
    ------
    InputError
        The file is missing, of an unknown type or unreadable.
    SchemaError
        A required column is missing.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such survey file", hint="check the path given to --survey")
    suffix = "".join(p.suffixes[-2:]).lower() if p.suffix == ".gz" else p.suffix.lower()
    try:
        if suffix in (".csv", ".csv.gz"):
            raw = pl.read_csv(p, infer_schema=False, glob=False)
        elif suffix in (".tsv", ".tab"):
            raw = pl.read_csv(p, separator="\t", infer_schema=False, glob=False)
        elif suffix in (".jsonl", ".ndjson"):  # an open file: polars would glob a path
            with p.open("rb") as fh:
                raw = pl.read_ndjson(fh, infer_schema_length=None)
        elif suffix == ".json":
            raw = pl.read_json(p, infer_schema_length=None)
        elif suffix == ".parquet":
            raw = pl.read_parquet(p, glob=False)
        else:
            raise InputError(
                f"{p}: unknown survey file type {p.suffix!r}",
                hint="give a .csv, .tsv, .jsonl, .json or .parquet file",
            )
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"{p}: unreadable survey file ({str(exc).splitlines()[0][:120]})",
            hint="check that it is a CSV with a header row, or JSON Lines",
        ) from None
    return parse_answers(raw.with_columns(pl.all().cast(pl.String)), source=p.name)


class _NothingNew(Exception):
    """Every survey file was ingested before: leave the store untouched."""


def write_answers(paths: list[str | Path], store: Store, *, pseudonymize: bool = False) -> int:
    """Add the answers of survey files to ``store`` in one transaction; rows added.

    Every file is read and checked before anything is written, so a bad file leaves the store
    untouched. A file already ingested (same sha256) and rows already in the store are skipped.
    With ``pseudonymize`` respondents are stored as pseudonyms, as the events' actors are.
    """
    read = [(p, sha256_file(p) if p.is_file() else "", read_answers(p)) for p in map(Path, paths)]
    if not read:
        return 0
    # what the store holds is read under its lock, so a concurrent writer cannot slip in between
    try:
        with store.transaction() as txn:
            known = store.known_sha256() if store.exists() else set()
            pseudo = txn.pseudonymizer(pseudonymize)
            frames: list[pl.DataFrame] = []
            infos: list[dict[str, Any]] = []
            for p, sha, rows in read:
                if sha in known:
                    continue
                known.add(sha)
                frames.append(rows)
                infos.append(
                    {
                        "path": shown_name(p),
                        "sha256": sha,
                        "reader": "survey",
                        "rows_read": rows.height,
                    }
                )
            if not frames:
                raise _NothingNew
            keys = ["actor", "platform", "question", "answer"]
            new = pl.concat(frames)
            new = (pseudo.answers(new) if pseudo else new).unique(subset=keys, keep="first")
            if store.exists():
                new = new.join(store.read("answers", keys), on=keys, how="anti", nulls_equal=True)
            txn.add("answers", new)
            for info in infos:
                txn.record_file(
                    {
                        **info,
                        "rows_added": new.filter(
                            pl.col("source") == Path(str(info["path"])).name
                        ).height,
                    }
                )
    except _NothingNew:
        return 0
    return new.height
