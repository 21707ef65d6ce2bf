"""Upload policy and the confirmation of a file after the browser has put it in object storage.

The browser posts documents straight to object storage, so nothing the browser declared (file name,
Content-Type) is trusted: the confirmation reads the stored bytes, sniffs what they are, and decodes them
with Pillow before the document counts. What is kept is a clean copy re-encoded from the decoded pixels:
no metadata (Exif, GPS, ICC, text chunks), no comments, nothing after the image's end. When the policy asks,
the decoded pixels are also measured (`measure`) and judged (`check_quality`): too dark, washed out, blurred or
nearly grey, against the thresholds of icp.rules.IMAGE_QUALITY.
"""

import io
import math
import warnings
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import field

from icp.records import record
from icp.rules import _  # the one marker pybabel extracts; translated where shown


MIB = 1024 * 1024

# how many leading bytes sniffing looks at
HEAD_BYTES = 32

# the types confirmation can decode, with the formats Pillow reports for them (phone cameras save
# multi-picture JPEGs, which Pillow opens as MPO) and the extension the stored document gets
_DECODABLE = {
    "image/jpeg": (("JPEG", "MPO"), "jpg"),
    "image/png": (("PNG",), "png"),
}


@record
class UploadPolicy:
    """What an uploaded document must be (DOMAIN.md §4; the defaults are the seed's rules)."""

    max_bytes: int = 5 * MIB
    content_types: tuple[str, ...] = ("image/jpeg", "image/png")
    min_width: int = 500
    min_height: int = 300
    max_width: int = 5000
    max_height: int = 5000
    # greyscale and black-and-white modes; documents must be in colour
    refuse_modes: tuple[str, ...] = ("1", "L", "LA", "I", "F", "I;16")
    # how the clean copy is written and where the decompression-bomb guard stands (icp.rules.CLEAN_COPY says why)
    jpeg_quality: int = 90
    jpeg_subsampling: int = 0
    max_decoded_pixels: int | None = None  # None: twice max_width × max_height
    # how the image is measured for darkness, brightness, blur and colour (icp.rules.IMAGE_QUALITY); None: not
    quality: object | None = None

    def __post_init__(self):
        unknown = set(self.content_types) - set(_DECODABLE)
        if unknown:
            raise ValueError(f"cannot confirm uploads of {sorted(unknown)}; only {sorted(_DECODABLE)}")


@record
class ConfirmedImage:
    """The facts about an upload that passed confirmation, taken from its content."""

    content_type: str
    size: int
    width: int
    height: int
    mode: str
    extension: str
    # the clean copy to store: re-encoded pixels, upright, without metadata, comments or trailing bytes
    clean: bytes = field(default=b"", compare=False, repr=False)
    # what the pixels measure, when the policy asks (check_quality judges them)
    measures: "ImageMeasures | None" = field(default=None, compare=False, repr=False)


@record
class ImageMeasures:
    """What a machine sees in a document image, on luminance 0-255 (icp.rules.IMAGE_QUALITY defines each)."""

    paper: int      # the level the brightest pixels reach
    ink: int        # the level the darkest pixels stay under
    edges: int      # the edge strength the strongest edge pixels reach
    chroma: float   # the spread of colour; near 0 is grey


class UploadRefused(Exception):
    """An upload that does not count; `message` is an untranslated instruction with `%(name)s` params."""

    def __init__(self, code, message, **params):
        super().__init__(code, message, params)
        self.code = code
        self.message = message
        self.params = params

    def __str__(self):
        return self.message % self.params


# content type -> (human name, what the person reads when they upload it)
_KINDS = {
    "image/jpeg": (_("a JPEG image"), None),
    "image/png": (_("a PNG image"), None),
    "application/pdf": (
        _("a PDF document"),
        _("The file is a PDF document. Upload a photo or scan saved as JPEG or PNG."),
    ),
    "text/html": (
        _("a web page (HTML)"),
        _("The file is a web page (HTML), not an image. Upload a photo or scan saved as JPEG or PNG."),
    ),
    "image/svg+xml": (
        _("an SVG drawing"),
        _("The file is an SVG drawing. Upload a photo or scan saved as JPEG or PNG."),
    ),
    "image/gif": (
        _("a GIF image"),
        _("The file is a GIF image. Upload a photo or scan saved as JPEG or PNG."),
    ),
    "image/webp": (
        _("a WebP image"),
        _("The file is a WebP image. Upload a photo or scan saved as JPEG or PNG."),
    ),
    "image/heic": (
        _("a HEIC photo"),
        _("The file is a HEIC photo (the iPhone format). Upload a photo or scan saved as JPEG or PNG."),
    ),
    "image/avif": (
        _("an AVIF image"),
        _("The file is an AVIF image. Upload a photo or scan saved as JPEG or PNG."),
    ),
    "image/bmp": (
        _("a BMP image"),
        _("The file is a BMP image. Upload a photo or scan saved as JPEG or PNG."),
    ),
    "image/tiff": (
        _("a TIFF image"),
        _("The file is a TIFF image. Upload a photo or scan saved as JPEG or PNG."),
    ),
    "application/zip": (
        _("a ZIP archive or Office document"),
        _(
            "The file is a ZIP archive or an Office document such as Word. "
            "Upload the photo or scan itself, saved as JPEG or PNG."
        ),
    ),
}
_UNKNOWN_KIND = _("a file of unknown type")
_UNKNOWN_MESSAGE = _("The file is not a JPEG or PNG image. Upload a photo or scan saved as JPEG or PNG.")

# ISO base media file brands (the ftyp box at offset 4) of HEIF photos and AVIF images
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}

# openings that mark a web page, after optional byte-order mark and white space (WHATWG MIME sniffing)
_HTML_OPENINGS = (
    b"<!doctype html", b"<html", b"<head", b"<script", b"<iframe", b"<h1", b"<div", b"<font", b"<table",
    b"<a", b"<style", b"<title", b"<b", b"<body", b"<br", b"<p", b"<!--", b"<meta",
)


def sniff_content_type(head: bytes) -> str | None:
    """Return the content type that the first bytes of a file show, or None if they are not recognised."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        if head[8:12] in _AVIF_BRANDS:
            return "image/avif"
        if head[8:12] in _HEIF_BRANDS:
            return "image/heic"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return "application/zip"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    if head.startswith(b"BM"):
        return "image/bmp"
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n\x0c").lower()
    if text.startswith(b"<svg"):
        return "image/svg+xml"
    for opening in _HTML_OPENINGS:
        # a tag name ends at white space or ">"; "<!--" needs no terminator
        rest = text[len(opening):len(opening) + 1]
        if text.startswith(opening) and (opening == b"<!--" or rest in (b" ", b">", b"\t", b"\n", b"\r")):
            return "text/html"
    return None


def describe(content_type: str | None) -> str:
    """Return the human name of a content type, as messages name it ("a PDF document")."""
    return _KINDS.get(content_type, (_UNKNOWN_KIND, None))[0]


def _megabytes(size, *, round_up):
    """Return a size in MB as messages show it: one decimal, never rounding a too-large file down."""
    tenths = size * 10 / MIB
    tenths = math.ceil(tenths) if round_up else math.floor(tenths)
    return f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths / 10:.1f}"


@contextmanager
def _pillow_guarded(policy):
    """Run Pillow with its decompression-bomb guard set from the policy and its warnings kept in."""
    from PIL import Image, ImageFile

    saved = Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES
    # twice the largest allowed image warns (and four times raises), so an image slightly too large is
    # told its dimensions while a header declaring billions of pixels never gets decoded; Lambda serves one
    # request per process, so setting these module globals for the duration does not race
    Image.MAX_IMAGE_PIXELS = policy.max_decoded_pixels or policy.max_width * policy.max_height * 2
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            # Pillow warns about oddities of untrusted files (malformed MPO, invalid APNG) and still
            # decodes them: those are the applicant's file, not our code, so they are not ours to raise
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield Image
    finally:
        Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES = saved


def _unreadable():
    return UploadRefused(
        "unreadable",
        _("The image could not be read: it may be damaged or incomplete. Save it again and upload it."),
    )


def confirm_image(
    size: int | None,
    read: Callable[[int | None], bytes],
    policy: UploadPolicy = UploadPolicy(),
) -> ConfirmedImage:
    """Check a stored upload against the policy and return its facts, or raise UploadRefused.

    `size` is the stored object's size (None when the object is missing); `read(n)` returns its first n
    bytes, `read(None)` all of them. The body is only read once the size and the first bytes pass.
    """
    if size is None:
        raise UploadRefused("missing", _("The upload did not arrive. Choose the file and upload it again."))
    if size == 0:
        raise UploadRefused("empty", _("The file is empty. Choose the file again and upload it."))
    if size > policy.max_bytes:
        raise _too_big(size, policy)

    content_type = sniff_content_type(read(HEAD_BYTES))
    if content_type not in policy.content_types:
        name, message = _KINDS.get(content_type, (_UNKNOWN_KIND, None))
        raise UploadRefused(
            "wrong_type", message or _UNKNOWN_MESSAGE, content_type=content_type or "", kind=name
        )

    data = read(None)
    # the object may have been replaced since its size was taken; judge the bytes actually read
    if not data:
        raise UploadRefused("empty", _("The file is empty. Choose the file again and upload it."))
    if len(data) > policy.max_bytes:
        raise _too_big(len(data), policy)
    if sniff_content_type(data[:HEAD_BYTES]) != content_type:
        raise _unreadable()

    width, height, mode, clean, measures = _decode(data, content_type, policy)
    return ConfirmedImage(
        content_type=content_type,
        size=len(data),
        width=width,
        height=height,
        mode=mode,
        extension=_DECODABLE[content_type][1],
        clean=clean,
        measures=measures,
    )


def _too_big(size, policy):
    return UploadRefused(
        "too_big",
        _("The file is %(size)s MB. Upload a file of %(max_size)s MB or less."),
        size=_megabytes(size, round_up=True),
        max_size=_megabytes(policy.max_bytes, round_up=False),
    )


def _decode(data, content_type, policy):
    """Decode the image fully, check its format, dimensions and colour; return width, height, mode, clean copy
    and, when the policy asks, its measures."""
    formats = _DECODABLE[content_type][0]
    with _pillow_guarded(policy) as Image:
        try:
            # only the sniffed format's decoder is offered the bytes
            with Image.open(io.BytesIO(data), formats=[formats[0]]) as image:
                image.verify()
            # verify() checks structure (PNG chunk checksums) but not that the pixel data is complete,
            # and leaves the image unusable: open again to read the header, then decode
            with Image.open(io.BytesIO(data), formats=[formats[0]]) as image:
                if image.format not in formats:
                    raise _unreadable()
                (width, height), mode = image.size, image.mode
                _check_dimensions(width, height, policy)
                if mode in policy.refuse_modes:
                    raise UploadRefused(
                        "greyscale", _("The image is black and white. Upload a colour photo or scan.")
                    )
                # every pixel is decoded (truncation is caught here) because the clean copy is made of them
                image.load()
                clean = _clean_copy(image, policy)
                width, height = image.size  # upright, as the clean copy is
                measures = measure(image, policy.quality) if policy.quality else None
        except UploadRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as bomb:
            raise UploadRefused(
                "too_large",
                _("The image is too large. It must be at most %(max_width)s × %(max_height)s pixels."),
                max_width=policy.max_width,
                max_height=policy.max_height,
            ) from bomb
        except Exception as error:
            # a decoder fed untrusted bytes can fail in many ways (OSError, SyntaxError, ValueError,
            # struct.error, EOFError...); to the applicant they all mean the same thing
            raise _unreadable() from error
    return width, height, mode, clean, measures


def _level(histogram, share):
    """The level (0-255) that the lowest `share` of a 256-bin histogram's pixels stay at or under."""
    wanted, seen = share * sum(histogram), 0
    for level, count in enumerate(histogram):
        seen += count
        if seen >= wanted:
            return level
    return len(histogram) - 1


def measure(image, quality) -> ImageMeasures:
    """Measure brightness, sharpness and colour on a copy of the decoded image `quality.long_side` pixels long."""
    from PIL import Image, ImageFilter, ImageStat

    scale = quality.long_side / max(image.size)
    if scale < 1:
        # averaging boxes of pixels: fast, and a sharp edge stays as sharp at the size measured
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.BOX)
    colour = image.convert("RGB")
    luminance = colour.convert("L")
    levels = luminance.histogram()
    # Pillow copies a 3 × 3 filter's outermost pixels unfiltered: leave that frame out, or it counts as edges
    found = luminance.filter(ImageFilter.FIND_EDGES)
    edges = found.crop((1, 1, found.width - 1, found.height - 1)).histogram() if min(found.size) > 2 else [1]
    _y, cb, cr = colour.convert("YCbCr").split()
    return ImageMeasures(
        paper=_level(levels, 1 - quality.paper_share),
        ink=_level(levels, quality.ink_share),
        edges=_level(edges, 1 - quality.edge_share),
        chroma=round(max(ImageStat.Stat(cb).stddev[0], ImageStat.Stat(cr).stddev[0]), 1),
    )


TOO_DARK = _("The image is too dark to read. Take the photo again in daylight or under a lamp, without flash glare.")
TOO_BRIGHT = _("The image is too bright: the writing is washed out. Take the photo again out of direct light and "
               "without flash, or scan the document.")
BLURRED = _("The image is too blurred to read. Hold the phone steady, let it focus and take the photo again, or "
            "scan the document.")
NEARLY_GREYSCALE = _("The image is a black-and-white copy saved in colour. Upload a colour photo or scan of the "
                     "original.")


def check_quality(measures: ImageMeasures, quality, *, colour: bool) -> None:
    """Refuse an image too dark, too bright or too blurred to read, or (`colour`) nearly greyscale."""
    if measures.paper < quality.min_paper:
        raise UploadRefused("too_dark", TOO_DARK)
    # blur lightens thin print too, so it is named before brightness: the cause, not its effect
    if measures.edges < quality.min_edges:
        raise UploadRefused("blurred", BLURRED)
    if measures.ink > quality.max_ink:
        raise UploadRefused("too_bright", TOO_BRIGHT)
    if colour and measures.chroma < quality.min_chroma:
        raise UploadRefused("greyscale", NEARLY_GREYSCALE)


def _clean_copy(image, policy) -> bytes:
    """Re-encode the decoded pixels in the upload's format, upright, with no metadata, comment or trailing byte.

    Only pixels are carried over: Exif (with GPS positions), XMP, ICC profiles, JPEG comments and application
    segments, PNG text chunks, the further pictures of a multi-picture JPEG and anything after the image's end
    are all left behind, and so is the sniffable text a polyglot file hides in them.
    """
    from PIL import ImageOps

    if image.format in ("JPEG", "MPO"):
        wanted = "RGB"
        options = {"format": "JPEG", "quality": policy.jpeg_quality, "subsampling": policy.jpeg_subsampling}
    else:
        wanted = "RGBA" if "A" in image.mode or "transparency" in image.info else "RGB"
        options = {"format": "PNG"}
    # the Exif orientation goes with the metadata, so turn the pixels the way the photo is meant to be seen
    # (in place: a 5000 × 5000 photo is 75 MB of pixels, and Lambda has 512 MB)
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except Exception:  # noqa: BLE001 - a damaged Exif block only costs its orientation; it is dropped anyway
        pass
    picture = image if image.mode == wanted else image.convert(wanted)
    # Pillow writes parts of `info` back when saving (a PNG's ICC profile, a JPEG's Exif): keep none of it
    picture.info = {}
    buffer = io.BytesIO()
    picture.save(buffer, **options)
    return buffer.getvalue()


def _check_dimensions(width, height, policy):
    """Refuse an image outside the policy's pixel bounds, saying its own size and the bound it misses."""
    if width < policy.min_width or height < policy.min_height:
        raise UploadRefused(
            "too_small",
            _("The image is %(width)s × %(height)s pixels. It must be at least %(min_width)s × "
              "%(min_height)s pixels."),
            width=width,
            height=height,
            min_width=policy.min_width,
            min_height=policy.min_height,
        )
    if width > policy.max_width or height > policy.max_height:
        raise UploadRefused(
            "too_large",
            _("The image is %(width)s × %(height)s pixels. It must be at most %(max_width)s × "
              "%(max_height)s pixels."),
            width=width,
            height=height,
            max_width=policy.max_width,
            max_height=policy.max_height,
        )
