"""``microcomm ingest``: export (and survey answer) files into the store."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from microcomm.config import Config
from microcomm.errors import InputError
from microcomm.ingest import IngestResult, ingest_files, load_mapping
from microcomm.progress import ProgressCallback
from microcomm.store import Store


@dataclass
class IngestRunResult(IngestResult):
    """What one ingest did, with the survey answers it added."""

    answers_added: int = 0


def run_ingest(
    paths: list[str | Path],
    *,
    store: Store,
    config: Config | None = None,
    mapping: str | Path | None = None,
    progress: ProgressCallback | None = None,
    survey: list[str | Path] | None = None,
) -> IngestRunResult:
    """Read export files (and survey answer files) into the store.

    Each write is atomic and re-ingesting changes nothing. Survey files are read and checked
    before any export is ingested, so a bad survey file leaves the store as it was.
    """
    from microcomm.survey import read_answers, write_answers

    config = config or Config()
    survey = list(survey or [])
    if not paths and not survey:
        raise InputError(
            "nothing to ingest", hint="give export files, or a survey with --survey FILE"
        )
    for path in survey:  # validate first: fail before anything is written
        read_answers(path)
    loaded = load_mapping(mapping) if mapping else None
    result = (
        ingest_files(paths, store, config=config.ingest, mapping=loaded, progress=progress)
        if paths
        else IngestResult(store=str(store.root))
    )
    if paths:
        _require_readable(paths, result)
    answers = (
        write_answers(survey, store, pseudonymize=config.ingest.pseudonymize) if survey else 0
    )
    return IngestRunResult(**result.__dict__, answers_added=answers)


def _require_readable(paths: list[str | Path], result: IngestResult) -> None:
    """An empty folder, or one with nothing microcomm can read, is an error, not "0 events
    added" (issue 13): nothing was written."""
    from microcomm.errors import InputError

    named = ", ".join(str(p) for p in paths[:3]) + (" …" if len(paths) > 3 else "")
    if not result.files:
        raise InputError(
            f"{named}: no file to read (empty folder?)",
            hint="point at the exports themselves: files, folders or ZIP archives",
        )
    if all(f.status == "unrecognised" for f in result.files):
        n = len(result.files)
        raise InputError(
            f"{named}: nothing readable ({n} file{'' if n == 1 else 's'}, e.g. "
            f"{result.files[0].path}, none an export microcomm knows)",
            hint="see the supported exports in the README, or map other columns with --mapping",
        )
