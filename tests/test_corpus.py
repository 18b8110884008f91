"""align corpus build/export/stats/consistency: real CLI runs over small real pairs.

The pairs are cut from tests/data/tico19_06_PubMed_10 (CC0), three lines each, so a build stays fast.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import align.corpus.build
import align.embed
from align.cli import main
from align.corpus import BuildConfig, CorpusStore, build_corpus
from align.embed import CachedEncoder
from align.errors import CorpusError
from align.io import find_pairs
from benchmarks.corpus_speed import stored_pairs

DATA = Path(__file__).parent / "data"
SOURCE = "tico19_06_PubMed_10"
ROOT = Path(__file__).resolve().parents[1]


def make_pairs(folder: Path, count: int, lines: int = 3) -> Path:
    """``count`` pairs named p00, p01, … of ``lines`` consecutive lines of the TICO-19 sample each."""
    en = (DATA / f"{SOURCE}.en.txt").read_text(encoding="utf-8").splitlines()
    ar = (DATA / f"{SOURCE}.ar.txt").read_text(encoding="utf-8").splitlines()
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(count):
        start = (k * lines) % (len(en) - lines)
        (folder / f"p{k:02d}.en.txt").write_text("\n".join(en[start:start + lines]) + "\n", encoding="utf-8")
        (folder / f"p{k:02d}.ar.txt").write_text("\n".join(ar[start:start + lines]) + "\n", encoding="utf-8")
    return folder


def contents(db: Path) -> list[tuple[Any, ...]]:
    with CorpusStore.open(db) as store:
        return list(store.contents())


def db_pairs(db: Path, only_1to1: bool = False) -> list[tuple[str, str]]:
    """(English, Arabic) of every bead with both sides, straight from the database's tables."""
    connection = sqlite3.connect(db)
    out = []
    for pair_id, en_ids, ar_ids, kind in connection.execute(
            "SELECT b.pair_id, b.en, b.ar, b.kind FROM beads b JOIN pairs p ON p.id=b.pair_id"
            " ORDER BY p.name, b.position"):
        if en_ids == "[]" or ar_ids == "[]" or (only_1to1 and kind != "1-1"):
            continue
        texts = []
        for side, ids in (("en", en_ids), ("ar", ar_ids)):
            texts.append(" ".join(connection.execute(
                "SELECT text FROM segments WHERE pair_id=? AND side=? AND id=?", (pair_id, side, i)).fetchone()[0]
                for i in json.loads(ids)))
        out.append((texts[0], texts[1]))
    connection.close()
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, use_encoder: CachedEncoder) -> Path:
    """A corpus of six small pairs, built once for the export and stats tests."""
    folder = make_pairs(tmp_path_factory.mktemp("corpus") / "pairs", 6)
    db = folder.parent / "corpus.sqlite"
    patch = pytest.MonkeyPatch()
    patch.setattr(align.embed, "load_encoder", lambda spec="use-m3", device="auto": use_encoder)
    try:
        result = CliRunner().invoke(main, ["corpus", "build", str(folder), "--db", str(db), "--workers", "1"])
    finally:
        patch.undo()
    assert result.exit_code == 0, result.output
    return db


def test_build_stores_every_pair_and_a_rerun_skips_them(runner: CliRunner, tmp_path: Path) -> None:
    folder = make_pairs(tmp_path / "pairs", 3)
    (folder / "broken.en.txt").write_bytes(b"\x00\x01binary")
    (folder / "broken.ar.txt").write_text("نص عربي قصير.\n", encoding="utf-8")
    db = tmp_path / "c.sqlite"
    first = runner.invoke(main, ["corpus", "build", str(folder), "--db", str(db), "--workers", "1"])
    assert first.exit_code == 2, first.output  # a pair failed, the others were stored
    assert "3 pairs built, 0 already stored (skipped), 1 failed" in first.output
    assert "failed: broken: " in first.output and "binary data" in first.output
    with CorpusStore.open(db) as store:
        assert [r[0] for r in store.db.execute("SELECT name FROM pairs ORDER BY name")] == ["p00", "p01", "p02"]
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        documents = store.db.execute("SELECT side, sha256, encoding FROM documents").fetchall()
        assert len(documents) == 6 and all(len(h) == 64 and enc == "text/utf-8" for _, h, enc in documents)
        assert store.failures()[0][0] == "broken"
    before = contents(db)
    second = runner.invoke(main, ["corpus", "build", str(folder), "--db", str(db), "--workers", "1"])
    assert "0 pairs built, 3 already stored (skipped), 1 failed" in second.output
    assert contents(db) == before


def test_an_edited_document_is_rebuilt_alone_and_replaces_its_old_rows(runner: CliRunner, tmp_path: Path) -> None:
    folder = make_pairs(tmp_path / "pairs", 3)
    db = tmp_path / "c.sqlite"
    assert runner.invoke(main, ["corpus", "build", str(folder), "--db", str(db), "--workers", "1"]).exit_code == 0
    edited = folder / "p01.en.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "One more sentence was added here.\n", encoding="utf-8")
    again = runner.invoke(main, ["corpus", "build", str(folder), "--db", str(db), "--workers", "1"])
    assert "1 pairs built, 2 already stored (skipped), 0 failed" in again.output
    with CorpusStore.open(db) as store:
        assert store.db.execute("SELECT count(*) FROM pairs").fetchone()[0] == 3
        assert store.db.execute("SELECT count(*) FROM documents").fetchone()[0] == 6
        texts = [r[0] for r in store.db.execute(
            "SELECT g.text FROM segments g JOIN pairs p ON p.id=g.pair_id WHERE p.name='p01' AND g.side='en'")]
    assert texts[-1] == "One more sentence was added here."


def test_another_signature_rebuilds_every_pair(runner: CliRunner, tmp_path: Path) -> None:
    folder = make_pairs(tmp_path / "pairs", 2)
    db = tmp_path / "c.sqlite"
    assert runner.invoke(main, ["corpus", "build", str(folder), "--db", str(db), "--workers", "1"]).exit_code == 0
    again = runner.invoke(main, ["corpus", "build", str(folder), "--db", str(db), "--workers", "1", "--split", "lines"])
    assert "2 pairs built, 0 already stored" in again.output
    with CorpusStore.open(db) as store:
        assert store.signatures() and all("split:lines/" in s for s in store.signatures())


def test_tmx_is_read_back_by_translate_toolkit(built: Path, runner: CliRunner, tmp_path: Path) -> None:
    from translate.storage import tmx

    out = tmp_path / "corpus.tmx"
    result = runner.invoke(main, ["corpus", "export", "--db", str(built), "--format", "tmx", "-o", str(out),
                                  "--exclude-flags", ""])
    assert result.exit_code == 0, result.output
    store = tmx.tmxfile.parsefile(str(out))
    units = [(u.source, u.target) for u in store.units]
    expected = db_pairs(built)
    assert len(units) == len(expected) > 10
    assert units == expected
    root = ET.parse(out).getroot()
    header = root.find("header")
    assert header is not None
    for attribute in ("srclang", "adminlang", "o-tmf", "datatype", "creationtool", "creationtoolversion", "segtype"):
        assert header.get(attribute), attribute
    signature = header.find("prop[@type='x-signature']")
    assert signature is not None and (signature.text or "").startswith("muqabala:")
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    first = root.find("body/tu")
    assert first is not None
    assert [tuv.get(lang) for tuv in first.findall("tuv")] == ["en", "ar"]
    assert {p.get("type") for p in first.findall("prop")} >= {"x-document", "x-score"}


def test_tsv_jsonl_and_moses_hold_the_same_filtered_pairs(built: Path, runner: CliRunner, tmp_path: Path) -> None:
    expected = db_pairs(built, only_1to1=True)
    for fmt in ("tsv", "jsonl", "moses"):
        result = runner.invoke(main, ["corpus", "export", "--db", str(built), "--format", fmt, "-o",
                                      str(tmp_path / f"c.{fmt}"), "--only-1to1", "--exclude-flags", ""])
        assert result.exit_code == 0, result.output
    tsv = (tmp_path / "c.tsv").read_text(encoding="utf-8").splitlines()
    assert tsv[0].split("\t") == ["document", "bead", "kind", "score", "flags", "en", "ar"]
    assert [tuple(line.split("\t")[5:]) for line in tsv[1:]] == expected
    rows = [json.loads(line) for line in (tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["translation"]["en"], r["translation"]["ar"]) for r in rows] == expected
    assert all(r["kind"] == "1-1" and r["signature"].startswith("muqabala:") for r in rows)
    en = (tmp_path / "c.moses.en").read_text(encoding="utf-8").splitlines()
    ar = (tmp_path / "c.moses.ar").read_text(encoding="utf-8").splitlines()
    assert list(zip(en, ar, strict=True)) == expected


def test_filters_leave_pairs_out_and_say_so(built: Path, runner: CliRunner, tmp_path: Path) -> None:
    everything = len(db_pairs(built))
    scores = [r[0] for r in sqlite3.connect(built).execute("SELECT score FROM beads WHERE en!='[]' AND ar!='[]'")]
    threshold = sorted(scores)[len(scores) // 2]
    out = tmp_path / "c.jsonl"
    result = runner.invoke(main, ["corpus", "export", "--db", str(built), "--format", "jsonl", "-o", str(out),
                                  "--min-score", str(threshold)])
    kept = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(kept) == sum(s >= threshold for s in scores) < everything
    assert all(r["score"] >= threshold for r in kept)
    assert "below min score" in result.output
    flagged = runner.invoke(main, ["corpus", "export", "--db", str(built), "--format", "jsonl", "-o", str(out),
                                   "--exclude-flags", "unmatched,partial,number,divergent,name,punctuation"])
    assert flagged.exit_code == 0
    left = [f for line in out.read_text(encoding="utf-8").splitlines() for f in json.loads(line)["flags"]]
    assert all(f["severity"] == "info" for f in left if f["type"] in {"partial", "number", "name", "punctuation"})
    with_findings = sqlite3.connect(built).execute(
        "SELECT count(DISTINCT f.pair_id || ':' || f.bead) FROM flags f JOIN beads b ON b.pair_id=f.pair_id"
        " AND b.position=f.bead WHERE b.en!='[]' AND b.ar!='[]' AND f.severity IN ('error', 'warning')"
        " AND f.type IN ('partial', 'number', 'divergent', 'name', 'punctuation')").fetchone()[0]
    assert len(out.read_text(encoding="utf-8").splitlines()) == everything - with_findings
    wrong = runner.invoke(main, ["corpus", "export", "--db", str(built), "--format", "tsv", "-o", str(out),
                                 "--exclude-flags", "partail"])
    assert wrong.exit_code == 2 and "unknown flag type partail" in wrong.output


def test_dedup_keeps_identical_pairs_once(runner: CliRunner, tmp_path: Path) -> None:
    folder = make_pairs(tmp_path / "pairs", 2)
    for side in ("en", "ar"):  # the same document under a second name, spelled with other white space
        text = (folder / f"p00.{side}.txt").read_text(encoding="utf-8")
        (folder / f"copy.{side}.txt").write_text(text.replace(" ", "  "), encoding="utf-8")
    db = tmp_path / "c.sqlite"
    assert runner.invoke(main, ["corpus", "build", str(folder), "--db", str(db), "--workers", "1"]).exit_code == 0
    out = tmp_path / "c.tsv"
    plain = runner.invoke(main, ["corpus", "export", "--db", str(db), "--format", "tsv", "-o", str(out)])
    total = len(out.read_text(encoding="utf-8").splitlines()) - 1
    deduped = runner.invoke(main, ["corpus", "export", "--db", str(db), "--format", "tsv", "-o", str(out), "--dedup"])
    exact_copies = len(db_pairs(db)) - len(set(db_pairs(db)))  # none: the copy differs in white space only
    assert plain.exit_code == deduped.exit_code == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) - 1 == total - 3 > 0
    assert "3 duplicate" in deduped.output and exact_copies == 0


def test_export_never_overwrites_an_input_or_the_database(built: Path, runner: CliRunner, tmp_path: Path) -> None:
    before = built.read_bytes()
    result = runner.invoke(main, ["corpus", "export", "--db", str(built), "--format", "tsv", "-o", str(built)])
    assert result.exit_code == 2 and "is an input file" in result.output
    assert built.read_bytes() == before
    en_input = Path(sqlite3.connect(built).execute("SELECT path FROM documents WHERE side='en'").fetchone()[0])
    text = en_input.read_text(encoding="utf-8")
    result = runner.invoke(main, ["corpus", "export", "--db", str(built), "--format", "jsonl", "-o", str(en_input)])
    assert result.exit_code == 2 and "is an input file" in result.output
    assert en_input.read_text(encoding="utf-8") == text
    renamed = tmp_path / "corpus.ar"  # moses -o corpus would write corpus.en and corpus.ar, the database
    renamed.write_bytes(before)
    result = runner.invoke(main, ["corpus", "export", "--db", str(renamed), "--format", "moses", "-o",
                                  str(tmp_path / "corpus")])
    assert result.exit_code == 2 and "is an input file" in result.output
    assert renamed.read_bytes() == before and not (tmp_path / "corpus.en").exists()


def test_stats_count_what_the_database_holds(built: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["corpus", "stats", "--db", str(built), "--format", "json"])
    stats = json.loads(result.output)
    connection = sqlite3.connect(built)
    assert stats["pairs"] == 6
    assert stats["segments"]["en"] == connection.execute("SELECT count(*) FROM segments WHERE side='en'").fetchone()[0]
    assert sum(stats["bead_kinds"].values()) == stats["beads"] == connection.execute(
        "SELECT count(*) FROM beads").fetchone()[0]
    assert sum(stats["score_histogram"]) == stats["sentence_pairs"] == len(db_pairs(built))
    assert sum(n for by in stats["flags"].values() for n in by.values()) == connection.execute(
        "SELECT count(*) FROM flags").fetchone()[0]
    table = runner.invoke(main, ["corpus", "stats", "--db", str(built)])
    assert table.exit_code == 0 and "6 document pairs" in table.output and "bead kind" in table.output


def test_consistency_finds_one_sentence_translated_two_ways(runner: CliRunner, tmp_path: Path) -> None:
    folder = make_pairs(tmp_path / "pairs", 2)
    en = (folder / "p00.en.txt").read_text(encoding="utf-8").splitlines()
    ar = (folder / "p00.ar.txt").read_text(encoding="utf-8").splitlines()
    # The same three English lines, the first one translated with one word fewer.
    (folder / "variant.en.txt").write_text("\n".join(en) + "\n", encoding="utf-8")
    (folder / "variant.ar.txt").write_text("\n".join([ar[0].rsplit(" ", 1)[0] + ".", *ar[1:]]) + "\n",
                                           encoding="utf-8")
    db = tmp_path / "c.sqlite"
    assert runner.invoke(main, ["corpus", "build", str(folder), "--db", str(db), "--workers", "1"]).exit_code == 0
    result = runner.invoke(main, ["corpus", "consistency", "--db", str(db), "--format", "json"])
    found = json.loads(result.output)
    english = [item for item in found if item["side"] == "en"]
    assert [item["text"] for item in english] == [en[0]]
    assert sorted(t["documents"][0] for t in english[0]["translations"]) == ["p00", "variant"]
    table = runner.invoke(main, ["corpus", "consistency", "--db", str(db)])
    assert table.exit_code == 0 and "translated in more than one way" in table.output


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such corpus database"),
    (b"just some text\n", "not a corpus database"),
])
def test_a_missing_or_foreign_database_is_one_line_exit_2(runner: CliRunner, tmp_path: Path, content: bytes | None,
                                                          message: str) -> None:
    db = tmp_path / "c.sqlite"
    if content is not None:
        db.write_bytes(content)
    for command in (["stats"], ["consistency"], ["export", "--format", "tsv", "-o", str(tmp_path / "x.tsv")]):
        result = runner.invoke(main, ["corpus", *command, "--db", str(db)])
        assert result.exit_code == 2, command
        assert result.output.startswith("Error: ") and message in result.output and result.output.count("\n") == 1


def test_a_newer_schema_is_refused(built: Path, tmp_path: Path) -> None:
    copy = tmp_path / "newer.sqlite"
    copy.write_bytes(built.read_bytes())
    connection = sqlite3.connect(copy)
    connection.execute("PRAGMA user_version=99")
    connection.close()
    with pytest.raises(CorpusError, match="schema version 99"):
        CorpusStore.open(copy)
    plain = tmp_path / "plain.sqlite"
    sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(CorpusError, match="not a muqabala corpus"):
        CorpusStore.open_for_build(plain)


def _build_command(folder: Path, db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "align", "corpus", "build", str(folder), "--db", str(db), "--quiet", *extra]


def test_killed_build_resumes_to_the_same_database_as_a_clean_build(tmp_path: Path) -> None:
    """SIGKILL a build midway, run it again: the result equals a one-shot build (2 worker processes)."""
    folder = make_pairs(tmp_path / "pairs", 10, lines=2)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    killed = tmp_path / "killed.sqlite"
    process = subprocess.Popen(_build_command(folder, killed, "--workers", "1"), env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while stored_pairs(killed) < 3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    stored = stored_pairs(killed)
    assert 3 <= stored < 10, f"the build was not killed midway ({stored} pairs stored)"
    resumed = subprocess.run(_build_command(folder, killed, "--workers", "1"), env=env, capture_output=True,
                             text=True, timeout=600, check=False)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{10 - stored} pairs built, {stored} already stored" in resumed.stderr
    clean = tmp_path / "clean.sqlite"
    one_shot = subprocess.run(_build_command(folder, clean, "--workers", "2"), env=env, capture_output=True,
                              text=True, timeout=600, check=False)
    assert one_shot.returncode == 0, one_shot.stderr
    assert contents(killed) == contents(clean)
    connection = sqlite3.connect(killed)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert connection.execute("SELECT count(*) FROM pairs").fetchone()[0] == 10


def test_a_dask_local_cluster_builds_the_same_database(tmp_path: Path, use_encoder: CachedEncoder,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from distributed import LocalCluster

    monkeypatch.setattr(align.embed, "load_encoder", lambda spec="use-m3", device="auto": use_encoder)
    folder = make_pairs(tmp_path / "pairs", 4, lines=2)
    pairs = find_pairs(folder).pairs
    config = BuildConfig()
    local = tmp_path / "local.sqlite"
    assert build_corpus(pairs, local, config, workers=1).done == 4
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        remote = tmp_path / "dask.sqlite"
        summary = build_corpus(pairs, remote, config, dask_address=cluster.scheduler_address)
        assert (summary.done, summary.skipped) == (4, 0)
        assert build_corpus(pairs, remote, config, dask_address=cluster.scheduler_address).skipped == 4
    assert contents(remote) == contents(local)


def test_an_unreachable_dask_scheduler_is_a_one_line_error(runner: CliRunner, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(align.corpus.build, "DASK_CONNECT_TIMEOUT", 2)
    folder = make_pairs(tmp_path / "pairs", 1)
    result = runner.invoke(main, ["corpus", "build", str(folder), "--db", str(tmp_path / "c.sqlite"),
                                  "--dask", "tcp://127.0.0.1:9", "--quiet"])
    assert result.exit_code == 2 and result.output.startswith("Error: cannot reach the Dask scheduler")


def test_a_rebuild_with_a_cache_embeds_only_the_edited_text(tmp_path: Path, use_encoder: CachedEncoder,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_embed_cache import CountingEncoder

    counting = CountingEncoder(use_encoder)
    monkeypatch.setattr(align.embed, "load_encoder", lambda spec="use-m3", device="auto": counting)
    folder = make_pairs(tmp_path / "pairs", 3)
    config = BuildConfig(cache_dir=str(tmp_path / "cache"))
    assert build_corpus(find_pairs(folder).pairs, tmp_path / "c.sqlite", config, workers=1).done == 3
    assert counting.embedded
    edited = folder / "p02.en.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "This sentence was added later.\n", encoding="utf-8")
    counting.embedded.clear()
    summary = build_corpus(find_pairs(folder).pairs, tmp_path / "c.sqlite", config, workers=1)
    assert (summary.done, summary.skipped) == (1, 2)
    assert counting.embedded and all("added later" in text for text in counting.embedded), counting.embedded


@pytest.mark.parametrize("name", ["build", "export", "stats", "consistency"])
def test_every_corpus_command_and_option_has_help(runner: CliRunner, name: str) -> None:
    import click

    group = main.commands["corpus"]
    assert isinstance(group, click.Group)
    command = group.commands[name]
    assert command.help and command.help.strip()
    for option in command.params:
        if isinstance(option, click.Option):
            assert option.help and option.help.strip(), option.opts
    result = runner.invoke(main, ["corpus", name, "--help"])
    assert result.exit_code == 0 and "-h, --help" in result.output


def test_pairs_of_unrelated_documents_are_left_out_unless_asked_for(runner: CliRunner, tmp_path: Path,
                                                                     pairs_dir: Path) -> None:
    folder = make_pairs(tmp_path / "pairs", 1)
    (folder / "unrelated.en.txt").write_bytes((DATA / "unrelated_statement.en.txt").read_bytes())
    (folder / "unrelated.ar.txt").write_bytes((pairs_dir / "reference.ar.txt").read_bytes())
    db = tmp_path / "c.sqlite"
    assert runner.invoke(main, ["corpus", "build", str(folder), "--db", str(db), "--workers", "1"]).exit_code == 0
    likely = dict(sqlite3.connect(db).execute("SELECT name, likely_translation FROM pairs").fetchall())
    assert likely == {"p00": 1, "unrelated": 0}
    out = tmp_path / "c.jsonl"
    default = runner.invoke(main, ["corpus", "export", "--db", str(db), "--format", "jsonl", "-o", str(out),
                                   "--exclude-flags", "unmatched,partial,number,divergent"])
    documents = {json.loads(line)["document"] for line in out.read_text(encoding="utf-8").splitlines()}
    assert documents == {"p00"} and "document not a translation" in default.output
    runner.invoke(main, ["corpus", "export", "--db", str(db), "--format", "jsonl", "-o", str(out),
                         "--include-unrelated"])
    documents = {json.loads(line)["document"] for line in out.read_text(encoding="utf-8").splitlines()}
    assert documents == {"p00", "unrelated"}
