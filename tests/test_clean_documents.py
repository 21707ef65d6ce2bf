"""What is kept of an upload: a clean re-encoded image, read once, written once, the upload deleted once."""
from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops, ImageStat

from icp import filing as f
from icp import rules
from icp.uploads import UploadRefused
from icp.workflow import documents as workflow
from icp.workflow import load_filing_with_parts
from icp.workflow.common import changed, put_changed
from tests import images
from tests.document_uploads import make_ready_filing

REDIRECT = "http://localhost/filings/x/documents/leader_id_front/confirm"


def pending(blobs, filing, clock, data, kind="leader_id_front"):
    """Put data where the browser's upload of `kind` lands; return the key."""
    key = workflow.upload_form(blobs, filing, kind, now=clock(), redirect_url=REDIRECT)["fields"]["key"]
    blobs.put(key, data, "image/jpeg")
    return key


def stored_document(app, clock, data, kind="leader_id_front"):
    """Confirm data as a document of a new order; return (document item, the bytes stored for it)."""
    table, blobs = app.extensions["icp_table"], app.extensions["icp_blobs"]
    filing = make_ready_filing(app, nature="individual")
    key = pending(blobs, filing, clock, data, kind)
    document = workflow.confirm_upload(table, blobs, filing, kind, key, now=clock())
    assert blobs.size(key) is None, "the upload itself is deleted"
    return document, blobs.read(document["key"])


def segments(jpeg: bytes) -> list[int]:
    """The markers of a JPEG's segments up to the start of scan."""
    markers, at = [], 2
    while at < len(jpeg) and jpeg[at] == 0xFF and jpeg[at + 1] != 0xDA:
        markers.append(jpeg[at + 1])
        at += 2 + int.from_bytes(jpeg[at + 2:at + 4], "big")
    return markers


def png_chunks(png: bytes) -> list[bytes]:
    """The chunk types of a PNG, in order."""
    chunks, at = [], 8
    while at < len(png):
        length = int.from_bytes(png[at:at + 4], "big")
        chunks.append(png[at + 4:at + 8])
        at += 12 + length
    return chunks


def assert_clean_jpeg(data: bytes):
    """Only the segments a decoder needs: no Exif/XMP/ICC (APPn but JFIF's APP0), no comment, nothing after EOI."""
    assert data.startswith(b"\xff\xd8") and data.endswith(b"\xff\xd9")
    assert data.count(b"\xff\xd9") == 1 or data.rindex(b"\xff\xd9") == len(data) - 2
    markers = segments(data)
    assert 0xFE not in markers, "no comment"
    assert not [m for m in markers if 0xE1 <= m <= 0xEF], "no application segment but JFIF"
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif() and "icc_profile" not in image.info and "comment" not in image.info
    for text in (b"<script", b"<html", b"Exif", b"GPS", b"PhoneMaker"):
        assert text not in data


HOSTILE_JPEGS = {
    "comment-holds-html": images.jpeg_with_comment,
    "html-after-the-image": images.jpeg_with_trailing_html,
    "60-exif-segments-3.7-mb": images.jpeg_with_exif_segments,
    "phone-photo-with-gps": images.jpeg_with_exif,
    "multi-picture": images.multi_picture_jpeg,
}


@pytest.mark.parametrize("make", HOSTILE_JPEGS.values(), ids=HOSTILE_JPEGS.keys())
def test_a_jpeg_is_stored_as_a_clean_copy_on_each_backend(any_app, clock, make):
    data = make()
    document, kept = stored_document(any_app, clock, data)
    assert_clean_jpeg(kept)
    assert document["size"] == len(kept) and document["content_type"] == "image/jpeg"
    assert document["key"].endswith(".jpg")
    with Image.open(io.BytesIO(kept)) as image, Image.open(io.BytesIO(data)) as original:
        assert (image.format, image.size, image.mode) == ("JPEG", original.size, "RGB")
        assert (document["width"], document["height"]) == original.size


def test_the_3_7_mb_of_exif_do_not_reach_storage(app, clock):
    data = images.jpeg_with_exif_segments()
    assert len(data) > 3.6 * 1024 * 1024 and segments(data).count(0xE1) == 60
    _document, kept = stored_document(app, clock, data)
    # the 800 × 600 scan itself re-encodes to about 115 KB
    assert len(kept) < 200 * 1024


def test_a_png_keeps_its_pixels_and_loses_its_text_profile_and_trailing_bytes(any_app, clock):
    data = images.png_with_text()
    assert b"tEXt" in data and b"iCCP" in data and b"<script" in data
    document, kept = stored_document(any_app, clock, data)
    assert png_chunks(kept) == [b"IHDR"] + [b"IDAT"] * (len(png_chunks(kept)) - 2) + [b"IEND"]
    assert kept.endswith(b"IEND\xaeB`\x82") and b"<script" not in kept and b"xmpmeta" not in kept
    with Image.open(io.BytesIO(kept)) as image, Image.open(io.BytesIO(data)) as original:
        assert image.format == "PNG" and document["content_type"] == "image/png"
        assert ImageChops.difference(image.convert("RGB"), original.convert("RGB")).getbbox() is None, "lossless"


def test_a_photo_turned_by_its_exif_is_stored_upright(app, clock):
    # orientation 6: the camera was held upright, the pixels are stored on their side
    document, kept = stored_document(app, clock, images.jpeg_with_exif(orientation=6, width=800, height=600))
    with Image.open(io.BytesIO(kept)) as image:
        assert image.size == (600, 800) and not image.getexif()
    assert (document["width"], document["height"]) == (600, 800)


def test_a_scan_stays_legible(app, clock):
    # fine black print on a pale page with a red seal: the detail a reviewer must read
    from PIL import ImageDraw

    page = Image.new("RGB", (1200, 900), (250, 248, 240))
    draw = ImageDraw.Draw(page)
    for row in range(40, 860, 14):
        draw.text((30, row), "统一社会信用代码 91110108MA01ABCD0B 0123456789 " * 3, fill=(20, 20, 20))
    draw.ellipse((800, 500, 1100, 800), outline=(220, 20, 30), width=8)
    buffer = io.BytesIO()
    page.save(buffer, "JPEG", quality=95)
    _document, kept = stored_document(app, clock, buffer.getvalue())
    with Image.open(io.BytesIO(kept)) as image:
        difference = ImageStat.Stat(ImageChops.difference(image, page)).mean
    assert max(difference) < 4, difference


@pytest.mark.parametrize("bomb", [images.jpeg_declaring(60_000, 60_000), images.png_declaring(60_000, 60_000),
                                  images.png_declaring(100_000, 100_000)], ids=["jpeg", "png", "png-huge"])
def test_a_decompression_bomb_is_refused_and_nothing_is_stored(any_app, clock, bomb):
    table, blobs = any_app.extensions["icp_table"], any_app.extensions["icp_blobs"]
    filing = make_ready_filing(any_app, nature="individual")
    key = pending(blobs, filing, clock, bomb)
    with pytest.raises(UploadRefused) as refused:
        workflow.confirm_upload(table, blobs, filing, "leader_id_front", key, now=clock())
    assert refused.value.code == "too_large"
    assert blobs.size(key) is None and load_filing_with_parts(table, filing["id"])[1] == {}


def test_the_administrator_photo_is_stored_clean_too(any_app, clock):
    table, blobs = any_app.extensions["icp_table"], any_app.extensions["icp_blobs"]
    draft = make_ready_filing(any_app, nature="individual")
    # a backdrop photo, once the backdrop is mailed (nobody can stand in front of it before)
    waiting = changed(draft, now=clock(), status=f.PHOTO_PENDING, backdrop={"mailed_at": clock().isoformat()})
    table.write([put_changed(draft, waiting)])
    photo = rules.ADMINISTRATOR_PHOTO.code
    key = pending(blobs, waiting, clock, images.jpeg_with_exif(width=800, height=1000) + images.SCRIPT, photo)
    document = workflow.confirm_upload(table, blobs, waiting, photo, key, now=clock())
    assert_clean_jpeg(blobs.read(document["key"]))
    assert load_filing_with_parts(table, draft["id"])[0]["status"] == f.PHOTO_REVIEW


# ---------------------------------------------------------------- storage calls per confirmation


class CountingBlobs:
    """A Blobs that records each call that reaches storage, around a real one."""

    CALLS = ("size", "read", "fetch", "put", "copy", "delete")

    def __init__(self, blobs):
        self.blobs, self.calls = blobs, []

    def __getattr__(self, name):
        method = getattr(self.blobs, name)
        if name not in self.CALLS:
            return method

        def counted(*args, **kwargs):
            self.calls.append(name)
            return method(*args, **kwargs)
        return counted


def s3_operations(blobs) -> list[str]:
    """Record the S3 API operations the client sends from now on."""
    sent: list[str] = []
    blobs.client.meta.events.register("before-call.s3.*",
                                      lambda model, **_: sent.append(model.name))
    return sent


def test_a_confirmation_reads_once_writes_once_and_deletes_once(any_app, clock):
    table, real = any_app.extensions["icp_table"], any_app.extensions["icp_blobs"]
    filing = make_ready_filing(any_app, nature="individual")
    key = pending(real, filing, clock, images.jpeg_with_exif())
    blobs = CountingBlobs(real)
    operations = s3_operations(real) if hasattr(real, "client") else None
    document = workflow.confirm_upload(table, blobs, filing, "leader_id_front", key, now=clock())
    assert blobs.calls == ["fetch", "put", "delete"]
    if operations is not None:
        assert operations == ["GetObject", "PutObject", "DeleteObject"]
    assert real.size(document["key"]) == document["size"]


def test_a_refused_upload_costs_one_read_and_one_delete(any_app, clock):
    table, real = any_app.extensions["icp_table"], any_app.extensions["icp_blobs"]
    filing = make_ready_filing(any_app, nature="individual")
    key = pending(real, filing, clock, images.html_bytes())
    blobs = CountingBlobs(real)
    with pytest.raises(UploadRefused):
        workflow.confirm_upload(table, blobs, filing, "leader_id_front", key, now=clock())
    assert blobs.calls == ["fetch", "delete"]


@pytest.mark.parametrize("data, expected", [
    (b"", (b"", 0)),
    (b"abc", (b"abc", 3)),
    (b"x" * 100, (b"x" * 10, 100)),
])
def test_fetch_gives_the_first_bytes_and_the_whole_size_on_each_backend(any_app, data, expected):
    blobs = any_app.extensions["icp_blobs"]
    blobs.put("pending/1/kind/abc", data, "image/jpeg")
    assert blobs.fetch("pending/1/kind/abc", 10) == expected
    with pytest.raises(KeyError):
        blobs.fetch("pending/1/kind/none", 10)
