"""Rich renderings of result dataclasses and report data (terminal only)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

# The report's renderings live in render_report; these names stay importable from here.
from microcomm.cli.render_report import report_terminal, summary_terminal  # noqa: F401

if TYPE_CHECKING:  # types only: rendering must not load polars or the readers for --help
    from microcomm.ingest import IngestResult
    from microcomm.pipeline import DetectResult, IngestRunResult


def ingest_summary(console: Console, result: IngestResult) -> None:
    table = Table(title="Coverage", title_justify="left", header_style="head")
    table.add_column("file", overflow="fold", min_width=16)
    table.add_column("reader", overflow="fold")
    for col in ("read", "added", "skipped", "accounts"):
        table.add_column(col, justify="right", no_wrap=True)
    table.add_column("span", overflow="fold")
    for f in result.files:
        if f.status in ("unchanged", "unrecognised"):
            what = "already ingested" if f.status == "unchanged" else "not an export, skipped"
            table.add_row(Text(f.path), f"[dim]{what}[/dim]", "", "0", "", "", "")
            continue
        span = f"{(f.first or '')[:10]} → {(f.last or '')[:10]}" if f.first else ""
        if f.implausible_dates:  # issue 9: a wrong date column or epoch unit shows here
            span += f" [warn]({f.implausible_dates:,} implausible)[/warn]"
        table.add_row(
            Text(f.path),
            f.reader + (" [warn](cut)[/warn]" if f.cut else ""),
            f"{f.rows_read:,}",
            f"{f.rows_added:,}",
            f"[warn]{f.rows_skipped:,}[/warn]" if f.rows_skipped else "0",
            f"{f.accounts:,}",
            span,
        )
    console.print(table)
    for f in result.files:
        for reason, n in f.skip_reasons.most_common():
            console.print(
                f"[warn]skipped[/warn] {n:,} records of {f.path}: {reason}", highlight=False
            )
        for loc in f.bad_locations:
            console.print(f"  [dim]at {loc}[/dim]", highlight=False)
        for note in f.notes:
            console.print(f"[hint]note[/hint] {f.path}: {note}", highlight=False)
        _bad_values(console, f)
    if result.added.height:
        # One row per platform with its mix of kinds: fits a narrow terminal.
        added = Table(title="Added events", title_justify="left", header_style="head")
        added.add_column("platform", no_wrap=True)
        added.add_column("events", justify="right", no_wrap=True)
        added.add_column("by kind", overflow="fold")
        mix: dict[str, list[tuple[int, str]]] = {}
        for platform, kind, n in result.added.iter_rows():  # a few dozen rows at most
            mix.setdefault(platform, []).append((n, kind))
        for platform, kinds in sorted(mix.items(), key=lambda kv: -sum(n for n, _ in kv[1])):
            parts = ", ".join(f"{kind} {n:,}" for n, kind in sorted(kinds, reverse=True))
            added.add_row(platform, f"{sum(n for n, _ in kinds):,}", parts)
        console.print(added)
    console.print(
        f"[ok]{result.events_added:,} events[/ok] and {result.entities_added:,} entities added to "
        f"{result.store} in {result.seconds:.1f} s",
        highlight=False,
    )


def _bad_values(console: Console, f: Any) -> None:
    """Implausible dates and look-alike handles of one file (issue 9), one line each."""
    from microcomm.ingest.finalize import plausible_years

    if f.implausible_dates:
        first, last = plausible_years()
        console.print(
            Text.assemble(
                ("dates", "warn"),
                f" {f.implausible_dates:,} events of {f.path} are dated before {first} or after "
                f"{last}: check its date column and epoch unit",
            ),
            highlight=False,
        )
    if f.mixed_scripts:
        shown = ", ".join(f.mixed_scripts[:3]) + (", …" if len(f.mixed_scripts) > 3 else "")
        console.print(
            Text.assemble(
                ("handles", "warn"),
                f" {len(f.mixed_scripts):,} in {f.path} mix Latin, Cyrillic or Greek look-alike "
                f"letters ({shown}): `microcomm explain HANDLE` shows which",
            ),
            highlight=False,
        )


def lookalikes(console: Console, actor: str, letters: list[dict[str, str]] | None) -> None:
    """Warn that a handle mixes look-alike scripts, naming the odd letters (issue 9)."""
    if letters:
        odd = ", ".join(f"{x['char']} {x['code']} {x['name'].lower()}" for x in letters)
        console.print(
            Text.assemble(
                ("look-alike", "warn"),
                f" @{actor} mixes scripts ({odd}): it may pass for another account",
            )
        )


def ingest_line(console: Console, result: IngestRunResult) -> None:
    """One line for ``run`` / ``demo``: what the ingest step added."""
    answers = f" and {result.answers_added:,} survey answers" if result.answers_added else ""
    console.print(
        f"[ok]ingested[/ok] {result.events_added:,} new events{answers} from {len(result.files)} files",
        highlight=False,
    )


def ingest_json(result: IngestResult) -> str:
    return json.dumps(
        {
            "store": result.store,
            "events_added": result.events_added,
            "entities_added": result.entities_added,
            "seconds": round(result.seconds, 3),
            "added": result.added.to_dicts(),
            "files": [
                {
                    "path": f.path,
                    "status": f.status,
                    "cut": f.cut,
                    "reader": f.reader,
                    "rows_read": f.rows_read,
                    "rows_added": f.rows_added,
                    "rows_skipped": f.rows_skipped,
                    "duplicates": f.duplicates,
                    "implausible_dates": f.implausible_dates,
                    "mixed_script_handles": f.mixed_scripts,
                    "skip_reasons": dict(f.skip_reasons),
                    "bad_locations": f.bad_locations,
                    "notes": f.notes,
                    "first": f.first,
                    "last": f.last,
                    "accounts": f.accounts,
                }
                for f in result.files
            ],
        },
        indent=2,
        ensure_ascii=False,
    )


def detect_summary(console: Console, r: DetectResult, *, hint: bool = True) -> None:
    sizes = r.sizes
    median = sizes[len(sizes) // 2] if sizes else 0
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="head")
    table.add_column()
    table.add_row(
        "communities",
        f"{r.communities:,} (micro level; levels: {' → '.join(str(n) for n in r.levels)})",
    )
    table.add_row(
        "sizes",
        f"largest {sizes[0] if sizes else 0:,}, median {median:,}, smallest {sizes[-1] if sizes else 0:,}",
    )
    table.add_row(
        "modularity", f"{r.modularity:.3f}" if r.modularity is not None else "n/a (clustering)"
    )
    table.add_row(
        "coverage", f"{r.coverage:.1%} of {r.accounts:,} accounts in communities shown by report"
    )
    table.add_row(
        "graph",
        f"{int(r.graph.get('edges', 0)):,} ties among {int(r.graph.get('accounts', 0)):,} accounts; {int(r.graph.get('busy_contexts', 0)):,} busy contexts weighted in",
    )
    table.add_row(
        "unplaced",
        f"{r.unplaced:,} accounts in groups under detect.min_size tied to no larger community"
        + (", or receive-only without a clear community" if r.receivers > r.receivers_placed else ""),
    )
    if r.receivers:
        table.add_row(
            "receive-only",
            f"{r.receivers:,} accounts only receive (DMs, follows, mentions): "
            f"{r.receivers_placed:,} placed where most of their senders are (DM recipients "
            "become members; followed or mentioned accounts stay interests)",
        )
    if r.stability is not None:
        table.add_row(
            "stability",
            f"median {r.stability:.0%} of a community's members stay together in perturbed re-runs",
        )
    if r.filtered:
        table.add_row(
            "filtered",
            f"{r.filtered['events']:,} spam events set aside ({r.filtered['accounts']:,} accounts "
            "flagged whole); see `microcomm export filtered`",
        )
    table.add_row("method", f"{r.method} on {r.engine}, resolution {r.resolution:.3g}, seed {r.seed}")
    table.add_row(
        "time",
        ", ".join(f"{k} {v:.1f} s" for k, v in r.seconds.items())
        + f" (total {sum(r.seconds.values()):.1f} s)",
    )
    if console.is_terminal:
        console.print(table)
    else:  # a pipe or file: no grid padding after the values (no trailing spaces)
        key_width = max(len(str(row)) for row in table.columns[0].cells)
        for key, value in zip(table.columns[0].cells, table.columns[1].cells, strict=True):
            console.print(Text.assemble((f"{key:<{key_width}}", "head"), "  ", str(value)))
    console.print(
        f"[ok]run {r.run_id} saved[/ok]"
        + (" — next: [hint]microcomm report[/hint]" if hint else ""),
        highlight=False,
    )


def detect_json(r: DetectResult) -> str:
    return json.dumps(r.__dict__, indent=2, default=float)


def explain_terminal(console: Console, ex: Any) -> None:
    """Why an account is in its community (an :class:`microcomm.explain.Explanation`)."""
    lookalikes(console, ex.actor, ex.extra.get("lookalike_letters"))
    if ex.community < 0:  # in no community, but a role to tell (issue 11)
        console.print(Text.assemble(("@" + ex.actor, "head"), f": {ex.extra.get('unplaced')}."))
        for r in ex.extra.get("roles", []):
            console.print(Text(f"  It is {r['text']}.", style="ok"))
        return
    console.print(
        Text.assemble(
            ("@" + ex.actor, "head"),
            f" is in community {ex.community} ({ex.size} members): "
            f"{ex.ties_inside} of its {ex.ties} ties are to fellow members "
            f"({ex.strength:.0%} of its tie weight).",
        )
    )
    if ex.extra.get("receive_only"):  # placed by the people who reach it (issue 12)
        console.print(Text(f"  {ex.extra['receive_only']}."), highlight=False)
    if ex.confidence is not None:
        why = ("its senders' tie weight in this community" if ex.extra.get("receive_only")
               else "perturbed re-runs that put it with its community's core")  # fmt: skip
        console.print(f"  Confidence {ex.confidence:.0%}: the share of {why}.", highlight=False)
    if ex.other_community is not None:
        console.print(f"  Its next community is {ex.other_community}.", highlight=False)
    for r in ex.extra.get("roles", []):
        console.print(Text(f"  It is {r['text']}.", style="ok"))
    table = Table(title="Shared with fellow members", title_justify="left", header_style="dim")
    table.add_column("context")
    table.add_column("kind", style="dim")
    table.add_column("fellow members", justify="right")
    table.add_column("of community", justify="right")
    table.add_column("others", justify="right")
    table.add_column("users inside", justify="right")
    for r in ex.contexts.iter_rows(named=True):
        table.add_row(
            Text(r["context"]),
            r["kind"],
            str(r["fellow_members"]),
            f"{r['share_of_community']:.0%}",
            str(r["others"]),
            f"{r['inside_share']:.0%}",
        )
    console.print(table)
    if ex.neighbours.height:
        console.print(
            "  closest fellow members: "
            + ", ".join(f"@{a} ({w:.2f})" for a, w in ex.neighbours.iter_rows()),
            highlight=False,
        )
