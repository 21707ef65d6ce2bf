"""Download my data beyond one response: on the aws backend (Lambda answers at most 6 MB) and for any copy larger
than rules.EXPORT_STREAM_LIMIT, the ZIP is written to storage under exports/<random>/ and the applicant is sent (303)
to a signed link that works 15 minutes; one copy per account, deleted by the retention sweep once the link has
expired, by the account's deletion, and (S3) by the bucket's lifecycle rule on exports/."""
from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import requests

from icp import jobs, rules
from icp import filing as f
from icp.accounts import account_key
from icp.store import Put
from icp.store.s3 import S3Blobs
from icp.workflow import data_export
from tests.conftest import AuthActions
from tests.journey import post_form, ready_to_submit
from tests.moto_patches import moto_reads_secure_transport  # noqa: F401

PASSWORD = "demo-password"
APPLICANT = "applicant@example.com"
OTHER = "other@example.com"
KEY = re.compile(r"^exports/[0-9a-f]{32}/icp-filing-my-data-2026-11-27\.zip$")

pytestmark = pytest.mark.usefixtures("moto_reads_secure_transport")


def _versions(blobs, prefix: str) -> int:
    """Every stored version and delete marker under prefix (S3), or every file (the local folder)."""
    if isinstance(blobs, S3Blobs):
        page = blobs.client.list_object_versions(Bucket=blobs.bucket, Prefix=prefix)
        return len(page.get("Versions", [])) + len(page.get("DeleteMarkers", []))
    folder = blobs.root.joinpath(*prefix.strip("/").split("/"))
    return sum(1 for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0


def _fetch(client, location: str) -> requests.Response | object:
    """What following the link gives: the app's local stand-in through the test client, S3 through moto."""
    if location.startswith("/"):
        return client.get(location)
    return requests.get(location, timeout=10)  # moto answers requests to AWS hosts while mock_aws runs


def _body(response) -> bytes:
    return response.content if isinstance(response, requests.Response) else response.get_data()


@pytest.fixture
def aws_app(tmp_path, clock):
    """The app on the aws backend, under moto."""
    from moto import mock_aws

    from tests.conftest import make_app

    with mock_aws():
        yield make_app("aws", tmp_path, clock)


@pytest.fixture
def small_limit(monkeypatch):
    """A stream limit below any real copy, so the local backend takes the storage way too."""
    monkeypatch.setattr(rules, "EXPORT_STREAM_LIMIT", 0)


def _linked(app, client, clock):
    """Ask for the copy; it must answer 303 to a link. Returns (location, key, ZIP bytes fetched from the link)."""
    response = post_form(client, "/account/download", {"password": PASSWORD})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    location = response.location
    item = app.extensions["icp_table"].get(*data_export.export_key(APPLICANT))
    fetched = _fetch(client, location)
    assert fetched.status_code == 200
    return location, item["key"], _body(fetched), fetched


def test_on_aws_the_copy_goes_to_s3_and_the_user_to_a_15_minute_link(aws_app, clock):
    app = aws_app
    client, filing_id = ready_to_submit(app)
    location, key, body, fetched = _linked(app, client, clock)
    assert KEY.match(key)

    # the link: S3's, signed, 15 minutes, downloaded as an attachment with a clear name, as a ZIP
    query = parse_qs(urlsplit(location).query)
    assert urlsplit(location).hostname.startswith("icp-test-documents.s3.")
    assert unquote(urlsplit(location).path).endswith(key)
    assert query["X-Amz-Expires"] == [str(rules.EXPORT_LINK_MINUTES * 60)] == ["900"]
    assert query["response-content-disposition"] == ['attachment; filename="icp-filing-my-data-2026-11-27.zip"']
    assert query["response-content-type"] == ["application/zip"]
    assert fetched.headers["Content-Disposition"].startswith("attachment")

    # the object is the whole copy: data.json and every document, byte for byte
    blobs = app.extensions["icp_blobs"]
    assert blobs.read(key) == body
    archive = zipfile.ZipFile(io.BytesIO(body))
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == APPLICANT
    (order,) = [o for o in data["orders"] if o["id"] == filing_id]
    assert len(order["documents"]) >= 6
    parts = {p["sk"]: p for p in app.extensions["icp_table"].query(f.filing_partition(filing_id), f.DOCUMENT_PREFIX)}
    for document in order["documents"]:
        assert archive.read(document["file"]) == blobs.read(parts[f"DOC#{document['kind']}"]["key"])

    # the account's item says which copy it is and when it goes: when the link expires, in the deadline index
    item = app.extensions["icp_table"].get(*data_export.export_key(APPLICANT))
    assert item["due_key"] == "EXPORT" and item["due_at"] == (clock() + timedelta(minutes=15)).isoformat()
    assert [i["pk"] for i in app.extensions["icp_table"].query_index("deadline", "EXPORT")] == [f"ACCOUNT#{APPLICANT}"]


def test_the_link_stops_working_after_15_minutes_locally(app, clock, small_limit):
    client, _ = ready_to_submit(app)
    location, key, body, fetched = _linked(app, client, clock)
    assert location.startswith("/local-download/exports/") and KEY.match(key)
    assert fetched.headers["Content-Disposition"] == 'attachment; filename="icp-filing-my-data-2026-11-27.zip"'
    assert fetched.headers["Content-Type"] == "application/zip"
    assert "data.json" in zipfile.ZipFile(io.BytesIO(body)).namelist()
    clock.advance(minutes=15, seconds=1)
    assert client.get(location).status_code == 403


@pytest.mark.parametrize("backend", ["local", "aws"])
def test_a_second_copy_replaces_the_first_every_version_of_it(backend, tmp_path, clock, monkeypatch):
    from moto import mock_aws

    from tests.conftest import make_app

    monkeypatch.setattr(rules, "EXPORT_STREAM_LIMIT", 0)
    with mock_aws():
        app = make_app(backend, tmp_path, clock)
        client, _ = ready_to_submit(app)
        _, first, _, _ = _linked(app, client, clock)
        clock.advance(minutes=1)
        _, second, body, _ = _linked(app, client, clock)
        blobs = app.extensions["icp_blobs"]
        assert first != second
        assert _versions(blobs, first.rsplit("/", 1)[0] + "/") == 0
        assert _versions(blobs, data_export.EXPORTS_PREFIX) == 1
        assert blobs.read(second) == body


@pytest.mark.parametrize("backend", ["local", "aws"])
def test_another_account_gets_its_own_unguessable_copy_and_never_the_first_one(backend, tmp_path, clock, monkeypatch):
    from moto import mock_aws

    from tests.conftest import make_app

    monkeypatch.setattr(rules, "EXPORT_STREAM_LIMIT", 0)
    with mock_aws():
        app = make_app(backend, tmp_path, clock)
        client, _ = ready_to_submit(app)
        _, mine, _, _ = _linked(app, client, clock)

        other = app.test_client()
        AuthActions(other).register(email=OTHER, password="another-long-password", mobile="13912345670")
        response = post_form(other, "/account/download", {"password": "another-long-password"})
        assert response.status_code == 303
        theirs = app.extensions["icp_table"].get(*data_export.export_key(OTHER))["key"]
        # random folders: nothing in one account's key says where another's is, and each link is to its own copy
        assert theirs != mine and theirs.split("/")[1] != mine.split("/")[1]
        assert OTHER not in mine and APPLICANT not in mine
        assert theirs in unquote(response.location) and mine not in unquote(response.location)
        data = json.loads(zipfile.ZipFile(io.BytesIO(_body(_fetch(other, response.location)))).read("data.json"))
        assert data["account"]["email"] == OTHER and data["orders"] == []
        # the other account's copy did not replace or delete the first one
        assert app.extensions["icp_blobs"].size(mine) is not None
        # nobody logged out reaches the page that makes a copy, and staff get 404 (tests/test_account.py)
        assert "/log-in" in app.test_client().get("/account/download").location
        if backend == "local":
            # a link is good for its key only: the other account's signature on the first copy's key is refused
            forged = f"/local-download/{mine}?{urlsplit(response.location).query}"
            assert other.get(forged).status_code == 403


@pytest.mark.parametrize("backend", ["local", "aws"])
def test_the_sweep_deletes_the_copy_once_its_link_has_expired(backend, tmp_path, clock, monkeypatch):
    from moto import mock_aws

    from tests.conftest import make_app

    monkeypatch.setattr(rules, "EXPORT_STREAM_LIMIT", 0)
    with mock_aws():
        app = make_app(backend, tmp_path, clock)
        table, blobs = app.extensions["icp_table"], app.extensions["icp_blobs"]
        client, _ = ready_to_submit(app)
        _, key, _, _ = _linked(app, client, clock)
        folder = key.rsplit("/", 1)[0] + "/"

        before = jobs.run_retention(table, blobs, now=clock() + timedelta(minutes=14))
        assert "exports_deleted" not in before and blobs.size(key) is not None

        done = jobs.run_retention(table, blobs, now=clock() + timedelta(minutes=15))
        assert done["exports_deleted"] == 1 and done["exports_files_deleted"] == 1
        assert _versions(blobs, folder) == 0
        assert table.get(*data_export.export_key(APPLICANT)) is None
        assert "exports_deleted" not in jobs.run_retention(table, blobs, now=clock() + timedelta(hours=1))

        # the CLI's run-jobs runs the same sweep
        _linked(app, client, clock)
        result = app.test_cli_runner().invoke(args=["icp", "run-jobs", "--now",
                                                     (clock() + timedelta(minutes=20)).isoformat()])
        assert "'exports_deleted': 1" in result.output
        assert _versions(blobs, data_export.EXPORTS_PREFIX) == 0


def test_deleting_the_account_deletes_its_copy(app, clock, small_limit):
    client, _ = ready_to_submit(app)
    _, key, _, _ = _linked(app, client, clock)
    assert post_form(client, "/account/delete", {"password": PASSWORD}).status_code == 302
    assert app.extensions["icp_blobs"].size(key) is None
    assert app.extensions["icp_table"].get(*data_export.export_key(APPLICANT)) is None
    assert app.extensions["icp_table"].get(*account_key(APPLICANT)) is None


def test_a_small_copy_on_the_local_backend_is_still_streamed(app, clock):
    client, _ = ready_to_submit(app)
    response = post_form(client, "/account/download", {"password": PASSWORD})
    assert response.status_code == 200 and response.is_streamed and response.mimetype == "application/zip"
    assert app.extensions["icp_table"].get(*data_export.export_key(APPLICANT)) is None


def test_the_size_is_known_before_the_zip_is_made_and_never_underestimated(app, clock):
    ready_to_submit(app)
    table, blobs = app.extensions["icp_table"], app.extensions["icp_blobs"]
    export = data_export.gather(table, blobs, APPLICANT, now=clock())
    made = len(b"".join(data_export.zip_pieces(export, blobs)))
    # an upper bound, and a tight one: a few hundred bytes an entry (headers, and missing.txt's room)
    assert made <= export.size <= made + 400 * (len(export.files) + 2)
    assert data_export.needs_link("aws", export) and not data_export.needs_link("local", export)
    assert data_export.needs_link("local", data_export.Export(b"", [], rules.EXPORT_STREAM_LIMIT + 1))


def test_the_stream_limit_is_lambdas_6_mb_after_base64():
    # 6 MB of base64 carries 4.5 MiB of ZIP; the rest is kept for headers and the response's envelope
    assert rules.EXPORT_STREAM_LIMIT * 4 / 3 < 6 * 1024 * 1024
    assert rules.EXPORT_STREAM_LIMIT > 4 * 1024 * 1024


@pytest.mark.parametrize("language, link, kept", [
    ("en", "works for 15 minutes", "which works for 15 minutes; then it is deleted"),
    ("zh", "15分钟", "15分钟"),
])
def test_the_download_page_and_the_privacy_notice_say_how_long_the_link_and_the_copy_last(app, language, link, kept):
    from tests.conftest import page

    client = app.test_client()
    client.get(f"/language/{language}")
    AuthActions(client).login()
    text = page(client.get("/account/download")).select_one("main").get_text(" ", strip=True)
    assert link in text
    notice = " ".join(dl.get_text(" ", strip=True) for dl in page(client.get("/privacy")).select("main .summary-list"))
    assert kept in notice


def test_a_large_copy_goes_to_s3_in_parts_never_whole(aws_app, clock, monkeypatch):
    """What Lambda holds while writing the copy: one part (8 MiB) and one document, whatever the copy's size."""
    app = aws_app
    table, blobs = app.extensions["icp_table"], app.extensions["icp_blobs"]
    client, filing_id = ready_to_submit(app)
    # the order's documents made 3 MB each, as phone photos of seven pages are: 20+ MB in all
    big = bytes(range(256)) * (3 * 1024 * 1024 // 256)
    for item in table.query(f.filing_partition(filing_id), f.DOCUMENT_PREFIX):
        blobs.put(item["key"], big, "image/jpeg")
        table.write([Put({**item, "size": len(big), "version": item["version"] + 1},
                                     expect_version=item["version"])])
    sent, reads = [], []
    upload_part, put_object, read = blobs.client.upload_part, blobs.client.put_object, blobs.read
    monkeypatch.setattr(blobs.client, "upload_part", lambda **kw: sent.append(len(kw["Body"])) or upload_part(**kw))
    monkeypatch.setattr(blobs.client, "put_object", lambda **kw: sent.append(-len(kw["Body"])) or put_object(**kw))
    monkeypatch.setattr(blobs, "read", lambda key, max_bytes=None: reads.append(key) or read(key, max_bytes))

    _, key, body, _ = _linked(app, client, clock)
    assert len(body) > 2 * S3Blobs.PART_BYTES
    assert len(sent) >= 3 and all(0 < size <= S3Blobs.PART_BYTES for size in sent)  # parts only, no whole PUT
    assert sum(sent) == len(body) == blobs.size(key)
    assert len(reads) == len(set(reads))  # each document read once, one at a time (test_account checks the order)
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert sum(1 for name in archive.namelist() if archive.read(name) == big) == len(reads)


def test_two_copies_made_at_once_leave_one_and_both_links_reach_it(app, clock):
    ready_to_submit(app)
    table, blobs = app.extensions["icp_table"], app.extensions["icp_blobs"]
    export = data_export.gather(table, blobs, APPLICANT, now=clock())
    original = blobs.put_stream

    def meanwhile(key, pieces, content_type):
        # while this copy is written, another tab's copy is finished and recorded
        size = original(key, pieces, content_type)
        if not meanwhile.done:
            meanwhile.done = True
            meanwhile.other = data_export.store(table, blobs, APPLICANT, export, now=clock())
        return size
    meanwhile.done = False
    blobs.put_stream = meanwhile
    try:
        link = data_export.store(table, blobs, APPLICANT, export, now=clock())
    finally:
        del blobs.put_stream
    kept = table.get(*data_export.export_key(APPLICANT))["key"]
    assert kept in unquote(link) and kept in unquote(meanwhile.other)
    assert _versions(blobs, data_export.EXPORTS_PREFIX) == 1
