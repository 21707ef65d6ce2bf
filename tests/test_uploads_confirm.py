"""Confirmation of an upload after the browser has put it in object storage."""

import dataclasses
import subprocess
import sys

import pytest

from icp.uploads import (
    ConfirmedImage,
    UploadPolicy,
    UploadRefused,
    confirm_image,
    describe,
    sniff_content_type,
)
from tests import images

MIB = 1024 * 1024

WRONG_TYPE = "Upload a photo or scan saved as JPEG or PNG."
UNREADABLE = "The image could not be read: it may be damaged or incomplete. Save it again and upload it."
GREYSCALE = "The image is black and white. Upload a colour photo or scan."


class StoredObject:
    """A stored upload as confirmation sees it: its size and a reader that records what was read."""

    def __init__(self, data):
        self.data = data
        self.reads = []

    def read(self, n):
        self.reads.append(n)
        return self.data if n is None else self.data[:n]


def confirm(data, policy=UploadPolicy()):
    stored = StoredObject(data)
    return confirm_image(len(data), stored.read, policy), stored


def refusal(data, policy=UploadPolicy()):
    stored = StoredObject(data)
    with pytest.raises(UploadRefused) as caught:
        confirm_image(len(data), stored.read, policy)
    return caught.value, stored


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (images.jpeg_bytes(800, 600), ConfirmedImage("image/jpeg", 0, 800, 600, "RGB", "jpg")),
        (images.png_bytes(1024, 768), ConfirmedImage("image/png", 0, 1024, 768, "RGB", "png")),
        (images.png_bytes(800, 600, mode="RGBA"), ConfirmedImage("image/png", 0, 800, 600, "RGBA", "png")),
        (images.png_bytes(800, 600, mode="P"), ConfirmedImage("image/png", 0, 800, 600, "P", "png")),
        (images.jpeg_bytes(800, 600, mode="CMYK"), ConfirmedImage("image/jpeg", 0, 800, 600, "CMYK", "jpg")),
        (images.multi_picture_jpeg(800, 600), ConfirmedImage("image/jpeg", 0, 800, 600, "RGB", "jpg")),
        (images.jpeg_bytes(1600, 1200, noisy=True), ConfirmedImage("image/jpeg", 0, 1600, 1200, "RGB", "jpg")),
        (images.png_bytes(500, 300), ConfirmedImage("image/png", 0, 500, 300, "RGB", "png")),
        (images.jpeg_bytes(5000, 5000), ConfirmedImage("image/jpeg", 0, 5000, 5000, "RGB", "jpg")),
        (images.padded_jpeg(5 * MIB), ConfirmedImage("image/jpeg", 0, 1600, 1200, "RGB", "jpg")),
    ],
    ids=["jpeg", "png", "png-alpha", "png-palette", "jpeg-cmyk", "phone-multi-picture-jpeg", "noisy-photo",
         "smallest-allowed", "largest-allowed", "exactly-5-mib"],
)
def test_colour_jpeg_and_png_are_confirmed_with_facts_from_their_content(data, expected):
    confirmed, stored = confirm(data)
    assert confirmed == dataclasses.replace(expected, size=len(data))
    assert stored.reads == [32, None]


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (images.pdf_bytes(), "wrong_type", "The file is a PDF document. " + WRONG_TYPE),
        (images.html_bytes(), "wrong_type", "The file is a web page (HTML), not an image. " + WRONG_TYPE),
        (b"\xef\xbb\xbf\n  <html><body>x</body></html>", "wrong_type",
         "The file is a web page (HTML), not an image. " + WRONG_TYPE),
        (images.gif_bytes(), "wrong_type", "The file is a GIF image. " + WRONG_TYPE),
        (images.webp_bytes(), "wrong_type", "The file is a WebP image. " + WRONG_TYPE),
        (images.heic_head(), "wrong_type", "The file is a HEIC photo (the iPhone format). " + WRONG_TYPE),
        (images.bmp_bytes(), "wrong_type", "The file is a BMP image. " + WRONG_TYPE),
        (images.tiff_bytes(), "wrong_type", "The file is a TIFF image. " + WRONG_TYPE),
        (images.zip_bytes(), "wrong_type",
         "The file is a ZIP archive or an Office document such as Word. "
         "Upload the photo or scan itself, saved as JPEG or PNG."),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "wrong_type", "The file is an SVG drawing. " + WRONG_TYPE),
        (b"Name,ID number\nZhang San,110105\n", "wrong_type",
         "The file is not a JPEG or PNG image. " + WRONG_TYPE),
    ],
    ids=["pdf-named-jpg", "html-named-jpg", "html-with-bom", "gif", "webp", "heic", "bmp", "tiff", "word-docx",
         "svg", "text"],
)
def test_other_types_are_refused_by_content_naming_what_they_are_without_reading_the_body(data, code, message):
    refused, stored = refusal(data)
    assert (refused.code, str(refused)) == (code, message)
    assert stored.reads == [32]


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (images.truncated_jpeg(), "unreadable", UNREADABLE),
        (images.truncated_png(), "unreadable", UNREADABLE),
        (images.polyglot_jpeg(), "unreadable", UNREADABLE),
        (images.jpeg_bytes(100, 100), "too_small",
         "The image is 100 × 100 pixels. It must be at least 500 × 300 pixels."),
        (images.png_bytes(499, 300), "too_small",
         "The image is 499 × 300 pixels. It must be at least 500 × 300 pixels."),
        (images.png_bytes(500, 299), "too_small",
         "The image is 500 × 299 pixels. It must be at least 500 × 300 pixels."),
        (images.jpeg_bytes(6000, 6000), "too_large",
         "The image is 6000 × 6000 pixels. It must be at most 5000 × 5000 pixels."),
        (images.png_bytes(5001, 300), "too_large",
         "The image is 5001 × 300 pixels. It must be at most 5000 × 5000 pixels."),
        (images.png_declaring(8000, 8000), "too_large",
         "The image is too large. It must be at most 5000 × 5000 pixels."),
        (images.png_declaring(100_000, 100_000), "too_large",
         "The image is too large. It must be at most 5000 × 5000 pixels."),
        (images.greyscale_jpeg(), "greyscale", GREYSCALE),
        (images.greyscale_png(), "greyscale", GREYSCALE),
        (images.black_and_white_png(), "greyscale", GREYSCALE),
        (images.png_bytes(800, 600, mode="LA"), "greyscale", GREYSCALE),
    ],
    ids=["truncated-jpeg", "truncated-png", "jpeg-magic-then-html", "100x100", "499x300", "500x299",
         "6000x6000", "5001x300", "bomb-warning-size", "bomb-error-size", "greyscale-jpeg", "greyscale-png",
         "1-bit-png", "greyscale-alpha-png"],
)
def test_images_that_do_not_decode_or_meet_the_policy_are_refused(data, code, message):
    refused, _ = refusal(data)
    assert (refused.code, str(refused)) == (code, message)


def test_a_missing_object_is_refused_without_reading():
    stored = StoredObject(b"")
    with pytest.raises(UploadRefused) as caught:
        confirm_image(None, stored.read)
    assert str(caught.value) == "The upload did not arrive. Choose the file and upload it again."
    assert stored.reads == []


def test_an_empty_file_is_refused_without_reading():
    refused, stored = refusal(images.empty_bytes())
    assert (refused.code, str(refused)) == ("empty", "The file is empty. Choose the file again and upload it.")
    assert stored.reads == []


@pytest.mark.parametrize(
    ("over_by", "shown"),
    [(1, "5.1"), (int(1.15 * MIB), "6.2"), (5 * MIB, "10")],
)
def test_a_file_over_5_mb_is_refused_from_its_size_without_reading_the_body(over_by, shown):
    refused, stored = refusal(images.oversized_jpeg(over_by=over_by))
    assert refused.code == "too_big"
    assert str(refused) == f"The file is {shown} MB. Upload a file of 5 MB or less."
    assert stored.reads == []


def test_the_bytes_read_are_judged_when_the_object_changed_after_its_size_was_taken():
    stored = StoredObject(images.oversized_jpeg())
    with pytest.raises(UploadRefused) as caught:
        confirm_image(1000, stored.read)
    assert caught.value.code == "too_big"


def test_a_refusal_keeps_its_message_untranslated_with_params_for_the_web_layer():
    refused, _ = refusal(images.jpeg_bytes(100, 100))
    assert refused.message == (
        "The image is %(width)s × %(height)s pixels. It must be at least %(min_width)s × %(min_height)s pixels."
    )
    assert refused.params == {"width": 100, "height": 100, "min_width": 500, "min_height": 300}


def test_a_policy_changes_the_bounds_and_types():
    policy = UploadPolicy(max_bytes=MIB, content_types=("image/png",), min_width=1000, min_height=1000)
    assert str(refusal(images.jpeg_bytes(1200, 1200), policy)[0]).startswith("The file is not a JPEG or PNG")
    assert str(refusal(images.png_bytes(999, 1000), policy)[0]) == (
        "The image is 999 × 1000 pixels. It must be at least 1000 × 1000 pixels."
    )
    assert str(refusal(images.oversized_jpeg(MIB), policy)[0]) == (
        "The file is 1.1 MB. Upload a file of 1 MB or less."
    )
    with pytest.raises(ValueError):
        UploadPolicy(content_types=("image/gif",))


def test_pillow_settings_are_restored_after_confirming():
    from PIL import Image, ImageFile

    before = Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES
    refusal(images.png_declaring(100_000, 100_000))
    confirm(images.jpeg_bytes())
    assert (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES) == before


@pytest.mark.parametrize(
    ("head", "content_type"),
    [
        (images.jpeg_bytes()[:32], "image/jpeg"),
        (images.png_bytes()[:32], "image/png"),
        (images.pdf_bytes()[:32], "application/pdf"),
        (images.html_bytes()[:32], "text/html"),
        (b"<!-- saved page -->", "text/html"),
        (b"<p>hello</p>", "text/html"),
        (b"<portrait.jpg>", None),
        (images.gif_bytes()[:32], "image/gif"),
        (images.webp_bytes()[:32], "image/webp"),
        (images.heic_head()[:32], "image/heic"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1", "image/avif"),
        (images.zip_bytes()[:32], "application/zip"),
        (images.bmp_bytes()[:32], "image/bmp"),
        (images.tiff_bytes()[:32], "image/tiff"),
        (b"", None),
        (b"\x00" * 32, None),
    ],
)
def test_sniffing_reads_the_magic_bytes(head, content_type):
    assert sniff_content_type(head) == content_type


@pytest.mark.parametrize(
    ("content_type", "name"),
    [("application/pdf", "a PDF document"), ("text/html", "a web page (HTML)"), ("image/jpeg", "a JPEG image"),
     (None, "a file of unknown type")],
)
def test_describe_names_the_type_as_messages_do(content_type, name):
    assert describe(content_type) == name


def test_importing_uploads_loads_neither_pillow_nor_flask():
    code = "import sys, icp.uploads; print(sorted(m for m in ('PIL', 'flask') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_zip_sample_is_the_same_bytes_at_any_time(monkeypatch):
    # pytest names parametrized cases by their bytes: a sample that changed with the clock made xdist's
    # workers collect different tests ("Different tests were collected between gw0 and gw1")
    import time

    made = []
    for moment in (1_700_000_000, 1_800_000_000):
        monkeypatch.setattr(time, "time", lambda moment=moment: moment)
        made.append(images.zip_bytes())
    assert made[0] == made[1]
