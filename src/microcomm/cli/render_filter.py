"""Terminal rendering of the report's "What was filtered" section (issue 8)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text


def filtered_terminal(console: Console, section: dict[str, Any] | None) -> None:
    """Counts by reason, the accounts flagged whole and two examples; user text never markup."""
    if not section:
        return
    console.print(Text("\nWhat was filtered", style="head"))
    if not section["enabled"]:
        console.print(Text("nothing: the spam filter was off for this run (--keep-spam)"))
        return
    if not section["events"]:
        console.print(Text("nothing looked like spam in this audience"))
        return
    console.print(
        Text(
            f"{section['events']:,} events set aside before communities were found "
            f"({section['accounts']:,} accounts flagged whole): "
            + "; ".join(
                f"{r['label']} {r['events']:,} events / {r['accounts']:,} accounts"
                for r in section["by_reason"]
            )
        )
    )
    for a in section["accounts_flagged"][:5]:
        console.print(
            Text(f"  @{a['actor']} ({a['platform']}, {a['events']:,} events): {a['reason']}")
        )
    for e in section["examples"][:2]:
        console.print(Text(f"  e.g. @{e['actor']}: “{e['text']}” — {e['reason']}", style="dim"))
    console.print(
        Text(
            "audit: microcomm export filtered --output spam.csv · microcomm explain ACCOUNT",
            style="dim",
        )
    )


def filtered_account_terminal(console: Console, info: Any) -> None:
    """An account the filter set aside whole (a :class:`~microcomm.filter.audit.FilteredAccount`)."""
    console.print(
        Text.assemble(
            ("@" + info.actor, "head"),
            f" was filtered as spam: {info.account_reason}. "
            f"{info.events:,} of its {info.total:,} events were set aside; it is in no community.",
        )
    )
    _reasons_and_examples(console, info.to_dict())


def filtered_events_terminal(console: Console, info: dict[str, Any] | None) -> None:
    """Events of a community member that the filter set aside (from ``Explanation.extra``)."""
    if not info:
        return
    console.print(
        Text(
            f"  {info['events_filtered']:,} of its {info['events']:,} events were filtered "
            "(the account itself was not):"
        )
    )
    _reasons_and_examples(console, info)


def _reasons_and_examples(console: Console, info: dict[str, Any]) -> None:
    for r in info["reasons"]:
        console.print(Text(f"  {r['events']:>6,}  {r['reason']}"))
    for e in info["examples"]:
        console.print(Text(f"  e.g. {e['kind']} {e['event_id']}: “{e['text']}”", style="dim"))
    console.print(
        Text("  (microcomm export filtered --output spam.csv lists every one)", style="dim")
    )
