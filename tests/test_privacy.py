"""Privacy (issue 9 item 8): private store modes, pseudonyms, small-cell suppression of quotes,
stored paths relative to what the user named."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import polars as pl
import pytest

from microcomm.config import Config
from microcomm.errors import ConfigError, InputError
from microcomm.pipeline import run_detect, run_ingest
from microcomm.store import Store


def _modes(root: Path) -> dict[str, int]:
    return {
        str(p.relative_to(root)) or ".": stat.S_IMODE(p.lstat().st_mode)
        for p in [root, *root.rglob("*")]
    }


@pytest.mark.slow  # a detection run (its files must be private too)
def test_every_file_and_folder_the_store_writes_is_private(
    tiny_csv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With umask 0 (everything world-writable by default): a pseudonymised ingest (its salt
    too), a survey, a detect, and the temporary files renamed into place on the way, are all
    0600 / 0700 — also in a store folder the user made beforehand."""
    survey = tmp_path / "poll.csv"
    survey.write_text("actor,question,answer\ng0_m01,Next?,tents\n", encoding="utf-8")
    store_dir = tmp_path / "store"
    store_dir.mkdir(mode=0o777)
    renamed: dict[str, int] = {}
    real_replace = os.replace

    def spy(src, dst):  # type: ignore[no-untyped-def]
        renamed[Path(dst).name] = stat.S_IMODE(os.stat(src).st_mode)
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    old = os.umask(0)
    try:
        store = Store(store_dir)
        run_ingest([tiny_csv], store=store, survey=[survey], config=_pseudo_config())
        run_detect(store=store, config=Config().override("detect", stability_runs=0))
    finally:
        os.umask(old)
        monkeypatch.undo()
    modes = _modes(store_dir)
    folders = {k for k in modes if (store_dir / k).is_dir()}
    files = {k for k in modes if k not in folders}
    assert {"events", "answers", "communities"} <= folders
    assert {"manifest.json", ".lock", "salt"} <= files
    assert any(k.startswith("communities/run-") for k in files)
    assert {k: modes[k] for k in folders} == dict.fromkeys(folders, 0o700)
    assert {k: modes[k] for k in files} == dict.fromkeys(files, 0o600)
    assert {"manifest.json", "salt"} <= set(renamed) and any(k.startswith("run-") for k in renamed)
    assert renamed == dict.fromkeys(renamed, 0o600)


def _strings_of_store(root: Path) -> list[str]:
    """Every string a store holds: the manifest's text and each string cell of its parquet."""
    import polars as pl

    out = [(root / "manifest.json").read_text(encoding="utf-8")]
    for part in sorted(root.rglob("*.parquet")):
        df = pl.read_parquet(part, glob=False)
        out += [str(v) for c in df.columns if df.schema[c] == pl.String for v in df[c].drop_nulls()]
    return out


DM = "please call me at +33 6 12 34 56 78, I am Jane Doe, 12 rue X"
ALONE = "please open a store in Lyon, ask for Marie Curie at 0611223344"
SHARED = "please open a store in Lyon"
SPAM = "Marie Curie here, check my channel https://mariecurie-0611223344.example.com/v"
PRAISE = "@Kestrel love this tent, thank you"
PRIVATE = ("12 34 56 78", "Jane Doe", "Marie Curie", "0611223344", "rue X")


def _planted_export(folder: Path) -> Path:
    """Two planted groups (conftest) plus: a DM with a phone number and a name, a request only
    one account wrote, the same request from three accounts, and one account's link spam."""
    import polars as pl

    from conftest import planted_events

    rows = planted_events().with_columns(pl.lit(None, dtype=pl.String).alias("target_kind"))
    extra = [
        ("dm", "g0_m01", "kestrel", "account", DM),
        ("comment", "g0_m02", "post0_1", None, ALONE),
        *[("comment", f"g0_m0{i}", "post0_1", None, SHARED) for i in (3, 4, 5)],
        ("comment", "g1_m05", "post1_1", None, SPAM),
        *[("comment", f"g1_m0{i}", "post1_2", None, PRAISE) for i in (1, 2, 3, 4)],
    ]
    more = pl.DataFrame(
        [
            {"platform": "instagram", "kind": k, "actor": a, "target": t, "target_kind": tk,
             "text": text, "created_at": "2026-05-03T10:00:00Z"}
            for k, a, t, tk, text in extra
        ]
    )  # fmt: skip
    folder.mkdir(parents=True)
    path = folder / "comments.csv"
    pl.concat([rows, more.select(rows.columns)]).write_csv(path)
    return path


@pytest.fixture(scope="module", params=[False, True], ids=["plain", "pseudonymised"])
def planted(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:  # type: ignore[type-arg]
    """A store ingested from an absolute path (plain, then pseudonymised), detected, and every
    report, export and explanation of it."""
    from typer.testing import CliRunner

    from microcomm.cli import app

    base = tmp_path_factory.mktemp("planted")
    home = base / "home" / "jane"
    _planted_export(home / "export")
    store = base / "store"
    runner = CliRunner()
    out: dict[str, str] = {}

    def run(name: str, *args: str) -> None:
        result = runner.invoke(app, [*args, "--store", str(store)], env={"NO_COLOR": "1"})
        assert result.exit_code == 0, (args, result.output)
        out[name] = result.output

    pseudo = ["--pseudonymize"] if request.param else []
    run("ingest", "ingest", str(home / "export"), *pseudo)
    run("detect", "detect")
    files = base / "out"
    files.mkdir()
    for fmt in ("terminal", "markdown", "json", "html"):
        run(f"report.{fmt}", "report", "--format", fmt, "--brand", "kestrel")
        run(f"summary.{fmt}", "report", "--format", fmt, "--summary", "--brand", "kestrel")
    run("report.full", "report", "--format", "markdown", "--full", "--brand", "kestrel")
    for what, ext in [("members", "csv"), ("communities", "json"), ("graph", "gexf"),
                      ("filtered", "csv"), ("filtered", "json"), ("tracking", "json")]:  # fmt: skip
        target = files / f"{what}.{ext}"
        run(f"export.{what}.{ext}", "export", what, "-o", str(target))
        out[f"file.{what}.{ext}"] = target.read_text(encoding="utf-8")
    for who in ("g0_m01", "g0_m02", "g1_m05"):
        run(f"explain.{who}", "explain", who, "--format", "json")
    return {"home": home, "store": store, "out": out, "pseudonymised": request.param}


def _as_stored(planted: dict, handle: str) -> str:  # type: ignore[type-arg]
    pseudo = Store(planted["store"]).pseudonymizer()
    return pseudo.handle(handle) if pseudo else handle


@pytest.mark.slow
def test_dms_and_one_senders_words_are_never_quoted(planted: dict) -> None:  # type: ignore[type-arg]
    """Small-cell suppression: the DM, the one-sender request and the one account's spam are
    in no report format, summary, export or explanation — yet they are counted; the request
    three accounts sent word for word is quoted."""
    import json

    out = planted["out"]
    leaks = {name: p for name, text in out.items() for p in PRIVATE if p in text}
    assert leaks == {}
    assert SHARED in out["report.json"] and SHARED in out["report.markdown"]
    assert "love this tent" in out["report.html"]  # four senders: quoted (with a pseudonym)
    report = json.loads(out["report.json"])
    # the same communities on the plain and the pseudonymised store (kestrel, DMed, is placed)
    assert sorted(c["size"] for c in report["communities"]) == [12, 13]
    voice = [c["voice"] for c in report["communities"]]
    assert sum(v["requests"] for v in voice) == 5  # the DM and the lone request counted too
    assert report["filtered"]["events"] >= 1  # the spam was set aside, counted, not quoted
    filtered = json.loads(out["file.filtered.json"])
    spammer = _as_stored(planted, "g1_m05")
    assert any(r["text"] is None and r["actor"] == spammer for r in filtered)


@pytest.mark.slow
def test_no_absolute_path_is_stored_or_reported(planted: dict) -> None:  # type: ignore[type-arg]
    """An export folder named by its absolute path is stored as ``export/comments.csv``:
    relative to what the user named, in the manifest, every table and every output."""
    home, store = planted["home"], planted["store"]
    strings = _strings_of_store(store)
    assert '"path": "export/comments.csv"' in strings[0]
    assert "export/comments.csv" in planted["out"]["ingest"]
    leaks = [s for s in strings + list(planted["out"].values()) if str(home) in s]
    assert leaks == []


def test_survey_paths_are_stored_relative(tmp_path: Path) -> None:
    survey = tmp_path / "home" / "poll.csv"
    survey.parent.mkdir()
    survey.write_text("actor,question,answer\nann,Next?,tents\n", encoding="utf-8")
    store = Store(tmp_path / "s")
    run_ingest([], store=store, survey=[survey])
    assert [f["path"] for f in store.manifest()["files"]] == ["poll.csv"]


# --- pseudonyms ---------------------------------------------------------------------------
READERS = Path(__file__).resolve().parent / "data" / "readers"
REAL = ("erin", "dana", "Erin E.", "ann@mastodon.social", "bea@eldritch.cafe", "mastodon.social/users")


def _pseudo_config(on: bool = True) -> Config:
    return Config().override("ingest", pseudonymize=on)


def test_pseudonyms_replace_handles_names_and_ids_before_anything_is_stored(
    tmp_path: Path,
) -> None:
    """X and Mastodon samples (profiles, @mentions, display names, ids that embed handles):
    no handle or name reaches any table; counts, times and hashtags stay; the salt is 0600."""
    store = Store(tmp_path / "s")
    files = [READERS / "x_v1.jsonl", READERS / "mastodon_statuses.json"]
    run_ingest(files, store=store, config=_pseudo_config())
    strings = "\n".join(_strings_of_store(store.root))
    leaks = [r for r in REAL if r.lower() in strings.lower()]
    assert leaks == []
    pseudo = store.pseudonymizer()
    assert pseudo is not None and store.manifest()["pseudonymized"] is True
    erin = pseudo.handle("@Erin")
    accounts = store.accounts()
    assert accounts.filter(pl.col("actor") == erin).select("followers", "bio").row(0) == (
        120,
        "make-up nerd",
    )
    events = store.read("events")
    assert f"@{pseudo.handle('dana')} which shade? #crueltyfree" in events["text"].to_list()
    mentions = store.read("entities").filter(pl.col("type") == "mention")["value"].to_list()
    assert pseudo.handle("dana") in mentions and "crueltyfree" in store.read("entities")["value"]
    assert events["created_at"].null_count() == 0
    assert stat.S_IMODE((store.root / "salt").stat().st_mode) == 0o600
    # ids still match the targets and parents that point at them, as in a plain store
    plain = Store(tmp_path / "plain")
    run_ingest(files, store=plain)

    def linked(ev: pl.DataFrame) -> tuple[int, int]:
        native = set(ev["event_id"].str.splitn(":", 2).struct.field("field_1"))
        return ev["parent"].is_in(native).sum(), ev["target"].is_in(native).sum()

    assert linked(events) == linked(plain.read("events")) != (0, 0)


def test_pseudonyms_are_stable_across_ingests_and_stores_never_mix(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    run_ingest([READERS / "x_v1.jsonl"], store=store, config=_pseudo_config())
    before = set(store.read("events")["actor"])
    again = tmp_path / "again.jsonl"  # the same rows in another file: deduplicated on the ids
    again.write_bytes((READERS / "x_v1.jsonl").read_bytes() + b"\n")
    assert run_ingest([again], store=store, config=_pseudo_config()).events_added == 0
    run_ingest([READERS / "x_archive"], store=store, config=_pseudo_config())
    after = store.read("events")
    assert before <= set(after["actor"]) and after["actor"].str.starts_with("p_").all()
    assert before == {store.pseudonymizer().handle(h) for h in ("erin", "fay", "gus")} & before  # type: ignore[union-attr]
    with pytest.raises(InputError) as err:
        run_ingest([READERS / "mastodon_statuses.json"], store=store)
    assert err.value.message == (
        f"{store.root}: this store is pseudonymised; a store is pseudonymised or not, never both"
    )
    assert err.value.hint == "add --pseudonymize (ingest.pseudonymize: true)"
    plain = Store(tmp_path / "plain")
    run_ingest([READERS / "x_v1.jsonl"], store=plain)
    with pytest.raises(InputError, match="this store holds real handles"):
        run_ingest([READERS / "mastodon_statuses.json"], store=plain, config=_pseudo_config())
    survey = tmp_path / "poll.csv"
    survey.write_text("actor,question,answer\n@Erin,Next?,tents\n", encoding="utf-8")
    run_ingest([], store=store, survey=[survey], config=_pseudo_config())
    assert store.read("answers")["actor"].to_list() == [store.pseudonymizer().handle("erin")]  # type: ignore[union-attr]


def test_pseudonyms_do_not_collide_on_a_realistic_set() -> None:
    """50 k handles shaped like real ones (names, digits, underscores, dots, instances):
    50 k distinct pseudonyms of the documented form. (64 bits: at 10 M accounts the expected
    number of colliding pairs is n²/2⁶⁵ ≈ 3·10⁻⁶.)"""
    import re

    import numpy as np

    from microcomm.pseudonym import Pseudonymizer

    rng = np.random.default_rng(0)
    stems = ["anna", "jo", "kestrel", "the_real_", "mr.", "birder", "x", "lea", "vegan.queen"]
    n = 50_000
    handles = pl.Series(
        [f"{stems[i % len(stems)]}{i}{'@mastodon.social' if i % 7 == 0 else ''}" for i in range(n)]
    ).sample(n, shuffle=True, seed=int(rng.integers(1 << 31)))
    out = Pseudonymizer(b"\x01" * 32).handles(handles)
    assert out.n_unique() == n
    assert all(re.fullmatch(r"p_[0-9a-f]{16}", v) for v in out.head(1000))


@pytest.mark.slow
def test_a_pseudonymised_store_reports_the_same_communities_under_pseudonyms(planted: dict) -> None:  # type: ignore[type-arg]
    """Reports and exports show pseudonyms only; communities, counts and the brand's
    mentions (``--brand kestrel`` hashed the same way) are the plain store's; ``explain``
    takes the handle or its pseudonym."""
    import json

    if not planted["pseudonymised"]:
        pytest.skip("the pseudonymised store is compared with the plain one")
    out = planted["out"]
    store = Store(planted["store"])
    pseudo = store.pseudonymizer()
    assert pseudo is not None
    handles = [f"g{g}_m{m:02d}" for g in (0, 1) for m in range(12)] + ["kestrel"]
    leaks = {n: h for n, t in out.items() for h in handles if h in t.lower()}
    assert leaks == {}
    report = json.loads(out["report.json"])
    assert f"@{pseudo.handle('kestrel')} love this tent, thank you" in out["report.html"]
    brand = report["brand_accounts"]
    assert brand["handles"] == [pseudo.handle("kestrel")] and brand["how"] == "given"
    mentions = sum(len(c.get("advocates") or []) for c in report["communities"])
    by_handle = json.loads(out["explain.g0_m01"])
    assert by_handle["actor"] == pseudo.handle("g0_m01")
    assert mentions >= 0 and by_handle.get("community") is not None


@pytest.mark.slow
def test_explain_takes_a_pseudonym_as_typed(planted: dict, runner) -> None:  # type: ignore[no-untyped-def,type-arg]
    from microcomm.cli import app

    if not planted["pseudonymised"]:
        pytest.skip("pseudonymised store only")
    pseudo = Store(planted["store"]).pseudonymizer()
    name = pseudo.handle("G0_M03")  # type: ignore[union-attr]
    result = runner.invoke(app, ["explain", f"@{name}", "-s", str(planted["store"]), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["actor"] == name


def test_look_alike_handles_are_caught_before_pseudonymising(tiny_csv: Path, tmp_path: Path) -> None:
    """The mixed-script check reads the real handle (a pseudonym mixes nothing) and lists the
    account under its pseudonym."""
    spoof = "g0_m\u043e1"  # Cyrillic о
    tiny_csv.write_text(tiny_csv.read_text(encoding="utf-8").replace("g0_m01", spoof), "utf-8")
    store = Store(tmp_path / "s")
    result = run_ingest([tiny_csv], store=store, config=_pseudo_config())
    assert result.files[0].mixed_scripts == [store.pseudonymizer().handle(spoof)]  # type: ignore[union-attr]


def test_privacy_settings_come_from_config_and_environment(tmp_path: Path) -> None:
    from microcomm.config import load_config

    env = {"MICROCOMM_INGEST_PSEUDONYMIZE": "1", "MICROCOMM_REPORT_MIN_QUOTE_SENDERS": "5"}
    cfg = load_config(None, environ=env)
    assert cfg.ingest.pseudonymize is True and cfg.report.min_quote_senders == 5
    defaults = load_config(None, environ={})
    assert defaults.ingest.pseudonymize is False and defaults.report.min_quote_senders == 3
    with pytest.raises(ConfigError, match="min_quote_senders"):
        load_config(None, environ={"MICROCOMM_REPORT_MIN_QUOTE_SENDERS": "0"})
