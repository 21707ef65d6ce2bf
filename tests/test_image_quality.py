"""What a machine sees in a document image before a reviewer does: too dark, washed out, blurred, a grey copy."""

import dataclasses
import io

import pytest
from PIL import Image

from icp import rules
from icp.uploads import ImageMeasures, UploadRefused, check_quality, measure
from icp.workflow import documents as workflow
from tests import images
from tests.conftest import field_error
from tests.document_uploads import make_ready_filing, parts, upload

TOO_DARK = "The image is too dark to read. Take the photo again in daylight or under a lamp, without flash glare."
TOO_BRIGHT = ("The image is too bright: the writing is washed out. Take the photo again out of direct light and "
              "without flash, or scan the document.")
BLURRED = ("The image is too blurred to read. Hold the phone steady, let it focus and take the photo again, or "
           "scan the document.")
GREY_COPY = "The image is a black-and-white copy saved in colour. Upload a colour photo or scan of the original."

SCAN = images.scan(1600, 1200)


def measured(picture: Image.Image) -> ImageMeasures:
    """The measures of a picture as the confirmation takes them: saved as a JPEG, decoded, measured."""
    with Image.open(io.BytesIO(images.encoded(picture))) as decoded:
        decoded.load()
        return measure(decoded, rules.IMAGE_QUALITY)


@pytest.fixture
def applicant(client, auth):
    """The demo applicant, logged in."""
    auth.login()
    return client


# ---------------------------------------------------------------- the measures on the samples (rules.py records them)

@pytest.mark.parametrize(("picture", "name", "low", "high"), [
    (SCAN, "paper", 215, 240),
    (images.darkened(SCAN, 0.45), "paper", 95, 110),
    (images.darkened(SCAN, 0.35), "paper", 70, 88),
    (SCAN, "ink", 15, 35),
    (images.washed_out(SCAN, 0.5), "ink", 130, 148),
    (images.washed_out(SCAN, 0.6), "ink", 155, 170),
    (SCAN, "edges", 250, 255),
    (images.blurred(SCAN, 2), "edges", 140, 175),
    (images.blurred(SCAN, 3), "edges", 70, 95),
    (SCAN, "chroma", 10, 16),
    (images.desaturated(SCAN, 0.2), "chroma", 2.2, 3),
    (images.desaturated(SCAN, 0.1), "chroma", 0.8, 1.8),
    (images.grey_copy(SCAN), "chroma", 0, 0.5),
], ids=["scan-paper", "dark-0.45", "dark-0.35", "scan-ink", "washed-0.5", "washed-0.6", "scan-edges", "blur-2",
        "blur-3", "scan-chroma", "colour-0.2", "colour-0.1", "grey-copy"])
def test_each_measure_reads_as_recorded_beside_the_thresholds(picture, name, low, high):
    assert low <= getattr(measured(picture), name) <= high


def test_a_tint_is_not_colour_and_white_paper_is_not_too_bright():
    grey_copy, white_paper = measured(images.grey_copy(SCAN)), measured(images.scan(1600, 1200, background=(252,) * 3))
    assert grey_copy.chroma < rules.IMAGE_QUALITY.min_chroma
    check_quality(white_paper, rules.IMAGE_QUALITY, colour=True)


@pytest.mark.parametrize(("picture", "code"), [
    (SCAN, None),
    (images.scan(800, 600), None),
    (images.scan(4000, 3000), None),
    (images.darkened(SCAN, 0.45), None),
    (images.darkened(SCAN, 0.35), "too_dark"),
    (images.washed_out(SCAN, 0.5), None),
    (images.washed_out(SCAN, 0.6), "too_bright"),
    (images.blurred(SCAN, 2), None),
    (images.blurred(SCAN, 3), "blurred"),
    (images.blurred(images.scan(800, 600), 2), "blurred"),
    (images.desaturated(SCAN, 0.2), None),
    (images.desaturated(SCAN, 0.1), "greyscale"),
    (images.grey_copy(SCAN), "greyscale"),
], ids=["scan", "scan-800", "scan-12-megapixel", "dark-0.45", "dark-0.35", "washed-0.5", "washed-0.6", "blur-2",
        "blur-3", "blur-2-at-800", "colour-0.2", "colour-0.1", "grey-copy"])
def test_good_and_bad_samples_separate_at_the_thresholds(picture, code):
    if code is None:
        check_quality(measured(picture), rules.IMAGE_QUALITY, colour=True)
    else:
        with pytest.raises(UploadRefused) as refused:
            check_quality(measured(picture), rules.IMAGE_QUALITY, colour=True)
        assert refused.value.code == code


@pytest.mark.parametrize("lines", [4, 12])
def test_a_page_of_sparse_print_passes_although_its_darkest_percent_is_paper(lines):
    page = measured(images.printed_page(lines))
    check_quality(page, rules.IMAGE_QUALITY, colour=False)
    with pytest.raises(UploadRefused) as refused:
        check_quality(measured(images.blurred(images.printed_page(lines), 1.5)), rules.IMAGE_QUALITY, colour=False)
    assert refused.value.code == "blurred"
    with pytest.raises(UploadRefused) as refused:
        check_quality(measured(images.washed_out(images.printed_page(lines), 0.7)), rules.IMAGE_QUALITY, colour=False)
    assert refused.value.code == "too_bright"


def test_random_pixels_and_the_grey_check_only_where_asked():
    noisy = measured(Image.open(io.BytesIO(images.jpeg_bytes(1600, 1200, noisy=True))))
    check_quality(noisy, rules.IMAGE_QUALITY, colour=True)
    check_quality(measured(images.grey_copy(SCAN)), rules.IMAGE_QUALITY, colour=False)


def test_which_documents_are_checked_for_what():
    quality = rules.IMAGE_QUALITY
    assert set(quality.colour_kinds) <= set(rules.DOCUMENT_KINDS)
    assert "administrator_photo" not in quality.colour_kinds and "app_icon" in quality.unchecked_kinds
    assert workflow.ICON_CONFIRM_POLICY.quality is None, "the icon has its own path, not measured"


# ---------------------------------------------------------------- refusals reach the upload page


@pytest.mark.parametrize(("picture", "message"), [
    (images.darkened(images.scan(), 0.3), TOO_DARK),
    (images.washed_out(images.scan(), 0.7), TOO_BRIGHT),
    (images.blurred(images.scan(), 3), BLURRED),
    (images.grey_copy(images.scan()), GREY_COPY),
], ids=["too-dark", "too-bright", "blurred", "grey-copy"])
def test_a_refused_image_is_explained_next_to_its_file_field(app, applicant, picture, message):
    filing = make_ready_filing(app)
    soup, key = upload(applicant, filing, "leader_id_front", images.encoded(picture))
    assert field_error(soup, "file-leader_id_front") == message
    assert soup.title.string.startswith("Error: ")
    assert app.extensions["icp_blobs"].size(key) is None, "the refused upload is deleted"
    assert parts(app, filing)[1] == {}


def test_a_good_scan_is_accepted_and_a_grey_copy_of_a_signed_letter_too(app, applicant):
    filing = make_ready_filing(app)
    upload(applicant, filing, "leader_id_front", images.jpeg_bytes(800, 600))
    upload(applicant, filing, "authenticity_statement", images.encoded(images.grey_copy(images.scan())))
    assert set(parts(app, filing)[1]) == {"leader_id_front", "authenticity_statement"}


def test_the_thresholds_are_read_from_the_rules(app, applicant, monkeypatch):
    filing = make_ready_filing(app)
    monkeypatch.setattr(rules, "IMAGE_QUALITY", dataclasses.replace(rules.IMAGE_QUALITY, min_edges=256))
    soup, _key = upload(applicant, filing, "leader_id_front", images.jpeg_bytes(800, 600))
    assert field_error(soup, "file-leader_id_front") == BLURRED
    monkeypatch.setattr(rules, "IMAGE_QUALITY", dataclasses.replace(rules.IMAGE_QUALITY, min_edges=0, max_ink=255,
                                                                     min_paper=0, min_chroma=0))
    soup, _key = upload(applicant, filing, "leader_id_front", images.encoded(images.blurred(images.scan(), 3)))
    assert field_error(soup, "file-leader_id_front") is None
    assert set(parts(app, filing)[1]) == {"leader_id_front"}
