"""Rich renderings of result dataclasses and report data (terminal only)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from microcomm.cli.render_people import audience_people_terminal, community_people_lines
from microcomm.textsafe import plain

if TYPE_CHECKING:  # types only: rendering must not load polars or the readers for --help
    from microcomm.ingest import IngestResult
    from microcomm.pipeline import DetectResult, IngestRunResult

_PREFIX = {"hashtag": "#", "mention": "@"}


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
        table.add_row(
            Text(f.path),
            f.reader,
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
                    "reader": f.reader,
                    "rows_read": f.rows_read,
                    "rows_added": f.rows_added,
                    "rows_skipped": f.rows_skipped,
                    "duplicates": f.duplicates,
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


def detect_summary(console: Console, r: DetectResult) -> None:
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
        f"{r.unplaced:,} accounts in groups under detect.min_size tied to no larger community",
    )
    if r.stability is not None:
        table.add_row(
            "stability",
            f"median {r.stability:.0%} of a community's members stay together in perturbed re-runs",
        )
    table.add_row("method", f"{r.method} on {r.engine}, resolution {r.resolution}, seed {r.seed}")
    table.add_row(
        "time",
        ", ".join(f"{k} {v:.1f} s" for k, v in r.seconds.items())
        + f" (total {sum(r.seconds.values()):.1f} s)",
    )
    console.print(table)
    console.print(
        f"[ok]run {r.run_id} saved[/ok] — next: [hint]microcomm report[/hint]", highlight=False
    )


def detect_json(r: DetectResult) -> str:
    return json.dumps(r.__dict__, indent=2, default=float)


def _clean(value: Any) -> Any:
    """Every string of the report data without control characters or escape sequences."""
    if isinstance(value, str):
        return plain(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def summary_terminal(console: Console, summary: dict[str, Any]) -> None:
    """The one-page summary: brand, period, audience, one line per community to act on."""
    from microcomm.report.summary import SUMMARY_LINES  # not at import: it loads polars

    s = _clean(summary)
    period = s.get("period") or {}
    span = f"{period['first'][:10]} → {period['last'][:10]}" if period.get("first") else "no dates"
    who = f"Audience of {s['brand']}" if s.get("brand") else "Audience"
    console.print(
        Text.assemble(
            (who, "head"),
            f" · {span} · {s['accounts']:,} accounts · {s['events']:,} events · "
            f"{s['communities']} communities",
        )
    )
    table = Table(header_style="dim", show_lines=False, title_justify="left")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("who they are", overflow="fold")
    table.add_column("what sets them apart", overflow="fold")
    table.add_column("when and where", overflow="fold")
    table.add_column("what they ask", overflow="fold")
    for ln in s["lines"][:SUMMARY_LINES]:
        table.add_row(
            str(ln["id"]),
            Text.assemble((ln["label"], "head"), "\n" + ln["who"]),
            Text(ln["apart"]),
            Text(ln["when_where"]),
            Text(ln["ask"]),
        )
    console.print(table)
    more = len(s["lines"]) - SUMMARY_LINES
    if more > 0:
        console.print(f"[dim]…and {more} more communities (microcomm report)[/dim]")


def report_terminal(console: Console, report: dict[str, Any]) -> None:
    """The report on the terminal: summary first, then one block per community."""
    report = _clean(report)
    if report.get("summary"):
        summary_terminal(console, report["summary"])
        console.print()
    aud = report["audience"]
    console.print(
        f"[head]{aud['communities']} communities[/head] in an audience of {aud['accounts']:,} accounts "
        f"({aud['events']:,} events) — run {report['run']['run_id']}",
        highlight=False,
    )
    if aud.get("unplaced"):
        console.print(
            f"[dim]{aud['unplaced']:,} accounts unplaced: in groups under detect.min_size "
            "tied to no larger community[/dim]",
            highlight=False,
        )
    stab = report.get("stability") or {}
    if stab:
        low = stab.get("median") is not None and stab["median"] < stab["bar"]
        style = "warn" if low or not stab.get("measured") or stab.get("unstable") else "ok"
        console.print(Text(stab["verdict"], style=style))
    for c in report["communities"]:
        _community_terminal(console, c)
    audience_people_terminal(console, report)
    hidden = report["hidden"]
    if hidden["smaller_than_min_size"]:
        console.print(
            f"[dim]{hidden['smaller_than_min_size']} groups under {hidden['min_size']} members not shown (--min-size)[/dim]"
        )
    if hidden.get("larger_than_max_size"):
        console.print(
            f"[dim]{hidden['larger_than_max_size']} communities over {hidden['max_size']} members not shown (--max-size)[/dim]"
        )
    for note in report.get("notes", []):
        console.print(Text(note, style="dim"))


def _community_terminal(console: Console, c: dict[str, Any]) -> None:
    title = f"{c['id']}. {c['label']}  ({c['size']} members"
    if c.get("stability") is not None:
        title += f", stability {c['stability']:.0%}"
    if c.get("confidence") is not None:
        title += f", median confidence {c['confidence']:.0%}"
    title += ")"
    if "unstable" in c.get("flags", []):
        title += "  ⚠ UNSTABLE — tentative group"
    if "diffuse" in c.get("flags", []):
        title += "  ⚠ DIFFUSE — no shared interest"
    table = Table(title=title, title_justify="left", title_style="head", header_style="dim")
    table.add_column("interest")
    table.add_column("type", style="dim")
    table.add_column("score", justify="right")
    table.add_column("members", justify="right")
    table.add_column("inside", justify="right")
    table.add_column("outside", justify="right")
    for i in c["interests"]:
        table.add_row(
            Text(_PREFIX.get(i["type"], "") + i["value"]),
            i["type"],
            f"{i['score']:.1f}",
            str(i["members"]),
            f"{i['share_in']:.0%}",
            f"{i['share_out']:.1%}",
        )
    console.print(table)

    def line(label: str, text: str) -> None:
        if text:
            console.print(Text.assemble(("  " + label + ": ", "head"), text))

    line(
        "core",
        ", ".join(
            "@" + m["actor"] + ("" if m.get("confidence") is None else f" ({m['confidence']:.0%})")
            for m in c["members"]
        ),
    )
    line("creators", ", ".join(f"@{a['actor']} ({a['members']})" for a in c.get("creators", [])))
    line(
        "bridges",
        ", ".join(
            f"@{b['actor']} → {b['to']} ({b['own']}/{b['other']})" for b in c.get("bridges", [])
        ),
    )
    line(
        "follows",
        ", ".join(f"@{a['actor']} ({a['members']})" for a in c.get("outside_accounts", [])),
    )
    peak = (c.get("activity") or {}).get("peak")
    if peak:
        line(
            "active",
            f"{peak['label']} {c['activity']['timezone']} — {peak['share_in']:.0%} of members "
            f"vs {peak['share_all']:.0%} of audience",
        )
    line("places", ", ".join(f"{p['value']} ({p['members']})" for p in c.get("locations", [])))
    line(
        "platforms",
        ", ".join(
            f"{p['platform']} {p['share_in']:.0%} ({p['share_all']:.0%})"
            for p in c.get("platforms", [])[:4]
        ),
    )
    v = c.get("voice") or {}
    if v.get("messages"):
        line(
            "tone",
            f"{v['messages']:,} messages: {v['positive']:.0%} positive, {v['negative']:.0%} negative; "
            f"{_n(v['questions'], 'question')}, {_n(v['requests'], 'request')}",
        )
        for e in v.get("examples", []):
            if e["category"] in ("request", "question", "complaint"):
                console.print(Text(f"    {e['category']}: “{e['text']}”", style="dim"))
    for q in c.get("answers") or []:
        top = [a for a in q["answers"] if a["distinctive"]] or q["answers"][:1]
        line(
            "answered",
            f"{q['question']} → "
            + ", ".join(
                f"{a['answer']} {a['share_in']:.0%} (audience {a['share_all']:.0%})" for a in top
            ),
        )
    line(
        "polls",
        "; ".join(
            f"{p['question'] or p['poll_id']} ({p['total_votes'] if p['total_votes'] is not None else '?'}"
            f" votes, whole poll; {p['members']} members, {p['share']:.0%} of engagers)"
            for p in c.get("polls") or []
        ),
    )
    for label, text in community_people_lines(c):
        line(label, text)


def explain_terminal(console: Console, ex: Any) -> None:
    """Why an account is in its community (an :class:`microcomm.explain.Explanation`)."""
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
    if ex.confidence is not None:
        console.print(
            f"  Confidence {ex.confidence:.0%}: the share of perturbed re-runs that put it with "
            "its community's core.",
            highlight=False,
        )
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


def _n(count: int, word: str) -> str:
    """``1 question``, ``2 questions``: counts agree in number."""
    return f"{count:,} {word}" + ("" if count == 1 else "s")
