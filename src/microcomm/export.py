"""Export stage: member lists, community tables and the co-engagement graph, for the tools people
use next (an ads tool, a spreadsheet, Gephi).

Inputs: the frames of one run (:class:`~microcomm.report.ReportInputs`) and its report data
(for labels and roles, so an export says what the report says); outputs: polars frames and a
networkx graph (``build_*``, pure) and files (``write_*``), the format picked by the extension:

- members and communities: ``.csv`` (cells starting with ``= + - @`` prefixed with ``'`` so a
  spreadsheet never runs them as formulas), ``.parquet``, ``.json``;
- graph: ``.gexf`` (GEXF 1.3) and ``.graphml``, every edge weight written (1.0 included), node
  attributes ``community_<level>`` for every level, ``label`` (the handle), ``community_label``
  and ``size`` (members of its micro community); unplaced accounts have community -1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import polars as pl

from microcomm.outputs import format_for, write_atomic
from microcomm.report.inputs import ReportInputs

TABLE_FORMATS = ("csv", "parquet", "json")
GRAPH_FORMATS = ("gexf", "graphml")
# role → the community entry's list naming it (the people lists are issue 11's)
_ROLE_KEYS = {
    "core": "members",
    "creator": "creators",
    "bridge": "bridges",
    "organic_influencer": "influencers",
    "paid_partner": "paid_partners",
    "ugc_creator": "ugc_creators",
    "advocate": "advocates",
}
ROLES = tuple(_ROLE_KEYS)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _levels(communities: pl.DataFrame) -> list[int]:
    return sorted(int(x) for x in communities["level"].unique().to_list())


def _community_columns(communities: pl.DataFrame) -> pl.DataFrame:
    """``actor, community_0, community_1, …``: one column per level (-1 = not placed)."""
    wide = communities.select("actor").unique().sort("actor")
    for level in _levels(communities):
        at = communities.filter(pl.col("level") == level).select(
            "actor", pl.col("community").alias(f"community_{level}")
        )
        wide = wide.join(at, on="actor", how="left")
    return wide.fill_null(-1)


def build_members(inputs: ReportInputs, report: dict[str, Any]) -> pl.DataFrame:
    """One row per placed account: ``actor, community_<level>…, label, strength, confidence,
    role`` where ``role`` joins ``core``, ``creator``, ``bridge``, ``organic_influencer``,
    ``paid_partner``, ``ugc_creator``, ``advocate`` (as the report names them) or is ``member``.

    Examples
    --------
    >>> from microcomm.report.inputs import ReportInputs
    >>> c = pl.DataFrame({"actor": ["a", "b", "z"], "community": [0, 0, -1], "level": [0, 0, 0],
    ...                   "strength": [0.9, 0.5, 0.0], "confidence": [1.0, 0.8, 0.0]})
    >>> rep = {"communities": [{"id": 0, "label": "#x", "members": [{"actor": "a"}],
    ...                         "creators": [], "bridges": [{"actor": "b"}]}]}
    >>> inputs = ReportInputs({}, c, *(pl.DataFrame() for _ in range(6)))
    >>> build_members(inputs, rep).select("actor", "community_0", "role").rows()
    [('a', 0, 'core'), ('b', 0, 'bridge')]
    """
    comms = inputs.communities
    roles: dict[str, list[str]] = {}
    for c in report["communities"]:
        for role, key in _ROLE_KEYS.items():
            for row in c.get(key) or []:
                if role not in roles.setdefault(row["actor"], []):
                    roles[row["actor"]].append(role)
    labels = pl.DataFrame(
        {
            "community_0": [c["id"] for c in report["communities"]],
            "label": [c["label"] for c in report["communities"]],
        },
        schema={"community_0": pl.Int64, "label": pl.String},
    )
    micro = comms.filter(pl.col("level") == 0)
    extra = [c for c in ("strength", "confidence") if c in micro.columns]
    role_of = pl.DataFrame(
        {
            "actor": list(roles),
            "role": ["+".join(sorted(r, key=ROLES.index)) for r in roles.values()],
        },
        schema={"actor": pl.String, "role": pl.String},
    )
    return (
        _community_columns(comms)
        .filter(pl.col("community_0") >= 0)
        .join(labels, on="community_0", how="left")
        .join(micro.select("actor", *extra), on="actor", how="left")
        .join(role_of, on="actor", how="left")
        .with_columns(pl.col("role").fill_null("member"))
        .sort(["community_0", "actor"])
    )


def build_communities(report: dict[str, Any], *, top: int = 5) -> pl.DataFrame:
    """One row per community shown: ``id, label, size, stability, flags, top_interests,
    peak, timezone, main_platform, macro`` (interests joined with ``; ``)."""
    rows = []
    for c in report["communities"]:
        act = c.get("activity") or {}
        plat = (c.get("platforms") or [None])[0]
        rows.append(
            {
                "id": c["id"],
                "label": c["label"],
                "size": c["size"],
                "stability": c.get("stability"),
                "flags": ", ".join(c.get("flags") or []),
                "top_interests": "; ".join(
                    {"hashtag": "#", "mention": "@"}.get(i["type"], "") + i["value"]
                    for i in c["interests"][:top]
                ),
                "peak": (act.get("peak") or {}).get("label"),
                "timezone": act.get("timezone"),
                "main_platform": plat["platform"] if plat else None,
                "macro": c.get("macro"),
            }
        )
    schema = {
        "id": pl.Int64, "label": pl.String, "size": pl.Int64, "stability": pl.Float64,
        "flags": pl.String, "top_interests": pl.String, "peak": pl.String,
        "timezone": pl.String, "main_platform": pl.String, "macro": pl.Int64,
    }  # fmt: skip
    return pl.DataFrame(rows, schema=schema)


def build_graph(inputs: ReportInputs, report: dict[str, Any]) -> nx.Graph:
    """The run's co-engagement graph with every edge's weight and each account's communities."""
    g = nx.Graph()
    wide = _community_columns(inputs.communities)
    label = {c["id"]: c["label"] for c in report["communities"]}
    sizes = dict(
        inputs.communities.filter(pl.col("level") == 0)
        .group_by("community")
        .agg(pl.len())
        .iter_rows()
    )
    for row in wide.iter_rows(named=True):  # one node per account, attributes from its row
        actor = row.pop("actor")
        cid = row["community_0"]
        g.add_node(
            actor,
            label=actor,
            **{k: int(v) for k, v in row.items()},
            community_label=label.get(cid, "" if cid < 0 else f"community {cid}"),
            size=int(sizes.get(cid, 0)) if cid >= 0 else 0,
        )
    edges = inputs.edges.sort(["source", "target"])
    g.add_weighted_edges_from(
        (s, t, float(w)) for s, t, w in edges.select("source", "target", "weight").iter_rows()
    )
    return g


def _neutralise(df: pl.DataFrame) -> pl.DataFrame:
    """Prefix ``'`` to text cells a spreadsheet would read as a formula (CSV injection, OWASP).

    Examples
    --------
    >>> _neutralise(pl.DataFrame({"a": ["=1+1", "@x", "ok", None], "n": [-1, 2, 3, 4]})).rows()
    [("'=1+1", -1), ("'@x", 2), ('ok', 3), (None, 4)]
    """
    text = [c for c, t in df.schema.items() if t == pl.String]
    return df.with_columns(
        pl.when(_starts(c)).then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c)
        for c in text
    )


def _starts(column: str) -> pl.Expr:
    return pl.any_horizontal(pl.col(column).str.starts_with(p) for p in _FORMULA_START).fill_null(
        False
    )


def write_table(df: pl.DataFrame, path: Path, *, fmt: str | None = None) -> str:
    """Write ``df`` as CSV (neutralised), Parquet or JSON (records), by ``path``'s extension."""
    chosen = format_for(path, fmt, allowed=TABLE_FORMATS, what="table") or "csv"
    if chosen == "csv":
        write_atomic(path, lambda tmp: _neutralise(df).write_csv(tmp))
    elif chosen == "parquet":
        write_atomic(path, lambda tmp: df.write_parquet(tmp))
    else:
        text = json.dumps(df.to_dicts(), ensure_ascii=False, indent=1, default=str) + "\n"
        write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return chosen


def write_graph(g: nx.Graph, path: Path, *, fmt: str | None = None) -> str:
    """Write ``g`` as GEXF 1.3 or GraphML, by ``path``'s extension."""
    chosen = format_for(path, fmt, allowed=GRAPH_FORMATS, what="graph") or "gexf"
    if chosen == "gexf":
        write_atomic(path, lambda tmp: _write_gexf(g, tmp))
    else:
        write_atomic(path, lambda tmp: nx.write_graphml(g, tmp, infer_numeric_types=True))
    return chosen


def _write_gexf(g: nx.Graph, path: Path) -> None:
    nx.write_gexf(g, path, version="1.3")
    # networkx names the XML Schema instance namespace without "www."; fix it so validators
    # that check the namespace (Gephi does not) accept the file.
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('xmlns:xsi="http://w3.org/2001/', 'xmlns:xsi="http://www.w3.org/2001/', 1),
        encoding="utf-8",
    )


KINDS = ("members", "communities", "graph")


def check_target(what: str, path: Path) -> str:
    """The format ``path`` asks for, checked before any work (an error names the fix)."""
    if what not in KINDS:
        raise ValueError(f"unknown export {what!r}; one of {KINDS}")
    allowed = GRAPH_FORMATS if what == "graph" else TABLE_FORMATS
    return format_for(path, None, allowed=allowed, what=what) or allowed[0]


def export(what: str, inputs: ReportInputs, report: dict[str, Any], path: Path) -> dict[str, Any]:
    """Write export ``what`` (members, communities or graph) to ``path``; what was written."""
    fmt = check_target(what, path)
    if what == "graph":
        g = build_graph(inputs, report)
        write_graph(g, path, fmt=fmt)
        return {"what": what, "path": str(path), "format": fmt, "nodes": len(g), "edges": g.size()}
    df = build_members(inputs, report) if what == "members" else build_communities(report)
    write_table(df, path, fmt=fmt)
    return {"what": what, "path": str(path), "format": fmt, "rows": df.height}
