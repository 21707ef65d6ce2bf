"""Back up and restore the embedded backend (SQLite file + documents folder) while it serves.

The table is copied with SQLite's online backup API (`Connection.backup`): it reads one consistent snapshot while
other connections keep writing (the file is in WAL mode), so `flask icp backup` needs no downtime. The documents
folder is copied after the snapshot, and a manifest records the counts and a SHA-256 of every file, so a restore
can refuse a backup that was damaged or changed since. The aws backend has its own: point-in-time recovery and
bucket versioning (README, "Backups and recovery").
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any

from .store import blobs_dir, require_aware, sqlite_path

MANIFEST = "manifest.json"
TABLE_FILE = "icp.sqlite3"
DOCUMENTS_DIR = "blobs"
FORMAT = 1
_CHUNK = 1 << 20


class BackupRefused(Exception):
    """A backup or restore that would lose or corrupt data; the message says why and what to do."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _files(root: Path) -> list[Path]:
    """Every file under root, sorted, as paths relative to it."""
    if not root.is_dir():
        return []
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def _count_items(path: Path) -> int:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return conn.execute("SELECT COUNT(*) FROM items").fetchone()[0]


def _document_keys(path: Path) -> list[str]:
    """The storage keys the table's documents point at (items whose sort key starts DOC#)."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        rows = conn.execute("SELECT body FROM items WHERE sk LIKE 'DOC#%'").fetchall()
    return sorted({json.loads(body).get("key") for (body,) in rows} - {None})


def backup(settings: Any, target: str, *, now: datetime) -> dict:
    """Copy the table (online) and the documents into the empty or new folder `target`; return the manifest."""
    source = Path(sqlite_path(settings))
    if not source.is_file():
        raise BackupRefused(f"there is no database at {source}: nothing to back up")
    folder = Path(target)
    if folder.exists() and any(folder.iterdir()):
        raise BackupRefused(f"{folder} is not empty: back up into a new or empty folder")
    folder.mkdir(parents=True, exist_ok=True)

    table_copy = folder / TABLE_FILE
    with closing(sqlite3.connect(source, timeout=30)) as live, closing(sqlite3.connect(table_copy)) as copy:
        # one step (pages=-1): a single read transaction, so the copy is one moment's snapshot; in WAL mode the
        # server's writers go on meanwhile
        live.backup(copy)

    documents_root = Path(blobs_dir(settings))
    files = {}
    for relative in _files(documents_root):
        destination = folder / DOCUMENTS_DIR / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(documents_root / relative, destination)
        except FileNotFoundError:
            continue  # deleted since it was listed (a replaced document): the snapshot may not need it
        files[relative.as_posix()] = _sha256(destination)

    # a document replaced between the snapshot and the copy is referenced but gone: say so rather than hide it
    missing = [key for key in _document_keys(table_copy) if key not in files]
    manifest = {
        "format": FORMAT,
        "created_at": require_aware(now).isoformat(timespec="seconds"),
        "table": {"file": TABLE_FILE, "items": _count_items(table_copy), "sha256": _sha256(table_copy)},
        "documents": {"folder": DOCUMENTS_DIR, "count": len(files),
                      "bytes": sum((folder / DOCUMENTS_DIR / name).stat().st_size for name in files),
                      "sha256": files},
        "documents_missing": missing,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return manifest


def verify(source: str) -> dict:
    """The backup's manifest, after checking every file against it; raises BackupRefused on any difference."""
    folder = Path(source)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupRefused(f"{folder} holds no readable {MANIFEST}: not a backup of this service") from error
    if manifest.get("format") != FORMAT:
        raise BackupRefused(f"{folder}: backup format {manifest.get('format')!r}, this version reads {FORMAT}")
    table = folder / manifest["table"]["file"]
    if not table.is_file() or _sha256(table) != manifest["table"]["sha256"]:
        raise BackupRefused(f"{table} does not match its checksum in the manifest: the backup is damaged")
    if _count_items(table) != manifest["table"]["items"]:
        raise BackupRefused(f"{table} holds another number of items than the manifest says")
    documents = folder / manifest["documents"]["folder"]
    expected = manifest["documents"]["sha256"]
    present = {p.as_posix() for p in _files(documents)}
    if present != set(expected):
        raise BackupRefused(f"{documents} holds {len(present)} files, the manifest lists {len(expected)}: "
                            "the backup is incomplete or was changed")
    for name, digest in expected.items():
        if _sha256(documents / name) != digest:
            raise BackupRefused(f"{documents / name} does not match its checksum in the manifest")
    return manifest


def _store_is_empty(settings: Any) -> bool:
    database = Path(sqlite_path(settings))
    if database.is_file():
        with closing(sqlite3.connect(database, timeout=30)) as conn:
            exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'items'").fetchone()
            if exists and conn.execute("SELECT 1 FROM items LIMIT 1").fetchone():
                return False
    return not _files(Path(blobs_dir(settings)))


def restore(settings: Any, source: str, *, force: bool = False) -> dict:
    """Put a verified backup in place of the store; refuses a non-empty store unless `force`. Returns the manifest.

    Stop the server first: a restore replaces what it would be serving.
    """
    manifest = verify(source)
    if not force and not _store_is_empty(settings):
        raise BackupRefused("the store is not empty: restoring would replace what it holds; stop the server and "
                            "give --force to replace it")
    folder = Path(source)
    database = Path(sqlite_path(settings))
    database.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(f"file:{folder / manifest['table']['file']}?mode=ro", uri=True)) as backup_db, \
            closing(sqlite3.connect(database, timeout=30)) as live:
        # through the backup API too, so a WAL file beside the old database can never be replayed over the copy
        backup_db.backup(live)
        live.execute("PRAGMA journal_mode=WAL")

    documents_root = Path(blobs_dir(settings))
    if documents_root.exists():
        shutil.rmtree(documents_root)
    saved = folder / manifest["documents"]["folder"]
    if saved.is_dir():
        shutil.copytree(saved, documents_root)
    os.makedirs(documents_root, exist_ok=True)
    return manifest
