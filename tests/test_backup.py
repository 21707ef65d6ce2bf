"""`flask icp backup` and `flask icp restore` on the embedded backend: a backup taken while the store is written to,
a wiped store restored from it, and the demo journey carried on after logging in again."""
from __future__ import annotations

import json
import shutil
import sqlite3
import threading
from contextlib import closing

from icp import filing as f
from icp.store import Put, sqlite_path
from icp.store.sqlite import SQLiteTable
from tests.conftest import AuthActions, make_app
from tests.journey import ready_for_documents, submit, upload, upload_required
from tests.images import jpeg_bytes


def _noise_in(path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT COUNT(*) FROM items WHERE pk LIKE 'NOISE#%'").fetchone()[0]


def _fresh_app(tmp_path, clock):
    """The app started again on the same data folder (what a restart after a restore is), without seeding."""
    from app import create_app

    return create_app({"data_dir": str(tmp_path / "data"), "secret_key": "test-secret-key-" + "x" * 32,
                       "TESTING": True, "ICP_CLOCK": clock})


def test_backup_during_writes_then_wipe_restore_log_in_and_submit(tmp_path, clock):
    app = make_app("local", tmp_path, clock)
    settings = app.config["ICP_SETTINGS"]
    client, filing_id = ready_for_documents(app)
    response = upload(client, app, filing_id, "leader_id_front", jpeg_bytes(800, 600))
    assert response.status_code == 302

    # another connection writes all the time the backup runs, as a serving process would
    written, stop, started = [0], threading.Event(), threading.Event()

    def writer():
        table = SQLiteTable(sqlite_path(settings))
        while not stop.is_set():
            table.write([Put({"pk": f"NOISE#{written[0]}", "sk": "META", "version": 1})])
            written[0] += 1
            if written[0] >= 20:
                started.set()

    thread = threading.Thread(target=writer)
    thread.start()
    assert started.wait(30)
    before = written[0]
    result = app.test_cli_runner().invoke(args=["icp", "backup", str(tmp_path / "backup")])
    after = written[0]
    stop.set()
    thread.join()
    assert result.exit_code == 0, result.output
    assert after > before, "the writer kept writing while the backup ran"

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    noise = _noise_in(tmp_path / "backup" / "icp.sqlite3")
    assert before <= noise <= after  # one moment's snapshot, taken while the writes went on
    assert manifest["table"]["items"] == sum(1 for _ in _items(tmp_path / "backup" / "icp.sqlite3"))
    (document,) = [name for name in manifest["documents"]["sha256"] if "/leader_id_front/" in name]
    assert document.startswith(f"documents/{filing_id}/")
    assert manifest["documents"]["count"] == 1 and manifest["documents_missing"] == []
    assert f"backed up {manifest['table']['items']} items and 1 documents" in result.output

    # the data folder is lost
    shutil.rmtree(tmp_path / "data")

    restarted = _fresh_app(tmp_path, clock)
    result = restarted.test_cli_runner().invoke(args=["icp", "restore", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    assert f"restored {manifest['table']['items']} items and 1 documents" in result.output

    # the applicant logs in again (the sessions of before are in the backup, but a new browser has none) and goes on
    client = restarted.test_client()
    AuthActions(client).login()
    listing = client.get(f"/filings/{filing_id}/documents").get_data(as_text=True)
    assert "leader_id_front" in listing
    upload_required(client, restarted, filing_id)
    response = submit(client, filing_id)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    stored = restarted.extensions["icp_table"].get(*f.filing_key(filing_id))
    assert stored["status"] == f.PROVIDER_REVIEW


def _items(path):
    with closing(sqlite3.connect(path)) as conn:
        yield from conn.execute("SELECT pk FROM items")


def test_restore_refuses_a_damaged_backup_and_a_store_with_data_unless_forced(tmp_path, clock):
    app = make_app("local", tmp_path, clock)
    client, filing_id = ready_for_documents(app)
    upload(client, app, filing_id, "leader_id_front", jpeg_bytes(800, 600))
    runner = app.test_cli_runner()
    assert runner.invoke(args=["icp", "backup", str(tmp_path / "b")]).exit_code == 0

    # a backup into a folder that holds something is refused (it could mix two backups)
    again = runner.invoke(args=["icp", "backup", str(tmp_path / "b")])
    assert again.exit_code != 0 and "not empty" in again.output

    # the store holds the demo data: refused without --force
    refused = runner.invoke(args=["icp", "restore", str(tmp_path / "b")])
    assert refused.exit_code != 0 and "--force" in refused.output

    # a document changed after the backup: refused, even with --force, and the store is left as it was
    shutil.copytree(tmp_path / "b", tmp_path / "damaged")
    (document,) = (tmp_path / "damaged" / "blobs").rglob("*.jpg")
    document.write_bytes(document.read_bytes()[:-10])
    damaged = runner.invoke(args=["icp", "restore", str(tmp_path / "damaged"), "--force"])
    assert damaged.exit_code != 0 and "checksum" in damaged.output
    # a document added to the backup folder: refused too
    shutil.copytree(tmp_path / "b", tmp_path / "extra")
    (tmp_path / "extra" / "blobs" / "stray.jpg").write_bytes(b"x")
    extra = runner.invoke(args=["icp", "restore", str(tmp_path / "extra"), "--force"])
    assert extra.exit_code != 0 and "incomplete or was changed" in extra.output
    assert app.extensions["icp_table"].get(*f.filing_key(filing_id)) is not None

    # with --force the store is replaced by the backup: an order started after it is gone
    AuthActions(client)
    from tests.journey import start

    later = start(client, domain="yunfan-cloud.cn", province="guangdong", certificate_number="91440101MA5CX8T10J")
    forced = runner.invoke(args=["icp", "restore", str(tmp_path / "b"), "--force"])
    assert forced.exit_code == 0, forced.output
    fresh = _fresh_app(tmp_path, clock).extensions["icp_table"]
    assert fresh.get(*f.filing_key(later)) is None
    assert fresh.get(*f.filing_key(filing_id)) is not None


def test_backup_and_restore_are_for_the_local_backend_only(tmp_path, clock):
    from moto import mock_aws

    with mock_aws():
        app = make_app("aws", tmp_path, clock)
        result = app.test_cli_runner().invoke(args=["icp", "backup", str(tmp_path / "b")])
    assert result.exit_code != 0 and "point-in-time recovery" in result.output
