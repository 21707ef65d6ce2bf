"""Build the files applicants really upload, in memory, for tests of the upload confirmation."""

import io
import random
import struct
import zipfile
import zlib

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

MIB = 1024 * 1024


def _photo(width, height, mode="RGB", seed=1):
    """Return a noisy image, so that encoders produce realistic sizes and truncation hits pixel data."""
    rng = random.Random(seed)
    bands = len(Image.new(mode, (1, 1)).getbands())
    return Image.frombytes(mode, (width, height), rng.randbytes(width * height * bands))


def _flat(width, height, mode="RGB", colour=(200, 80, 40)):
    """Return a single-colour image: cheap to encode at any size."""
    image = Image.new("RGB", (width, height), colour)
    return image if mode == "RGB" else image.convert(mode)


def scan(width=800, height=600, mode="RGB", seed=1, background=(214, 226, 240)):
    """Return a sharp colour "scan": rows of dark text-like strokes on a pale blue card, a skin-toned portrait
    and a red seal, as a photo of an ID card or a certificate looks to the quality checks."""
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    unit = max(1, min(width, height) // 60)  # the height of a stroke, as a line of print scales with the page
    ink = (25, 25, 35)
    draw.rectangle([width * 0.65, height * 0.15, width * 0.9, height * 0.7], fill=(222, 184, 160))
    draw.ellipse([width * 0.05, height * 0.6, width * 0.3, height * 0.6 + width * 0.25], outline=(200, 30, 40),
                 width=max(2, unit))
    y = int(height * 0.1)
    while y < height * 0.9:
        x = int(width * 0.05)
        while x < width * 0.6:
            word = rng.randint(3, 8) * unit
            for i in range(0, word, unit):
                draw.line([x + i, y, x + i + rng.randint(0, unit), y + 2 * unit], fill=ink, width=max(1, unit // 3))
            draw.line([x, y + unit, x + word, y + unit], fill=ink, width=max(1, unit // 3))
            x += word + 2 * unit
        y += 4 * unit
    return image if mode == "RGB" else image.convert(mode)


def printed_page(lines=12, width=1200, height=900):
    """Return a white page with a few lines of small black print (Pillow's own font), as a short signed letter."""
    page = Image.new("RGB", (width, height), (250, 248, 240))
    draw = ImageDraw.Draw(page)
    for row in range(40, 40 + 14 * lines, 14):
        draw.text((30, row), "统一社会信用代码 91110108MA01ABCD0B", fill=(20, 20, 20))
    return page


def darkened(image, factor):
    """Return the image with its brightness times factor, as a photo taken in a dim room."""
    return ImageEnhance.Brightness(image).enhance(factor)


def washed_out(image, share):
    """Return the image blended with white by share, as glare or overexposure washes the print out."""
    return Image.blend(image, Image.new("RGB", image.size, (255, 255, 255)), share)


def blurred(image, radius):
    """Return the image blurred by a Gaussian of radius pixels, as a shaken or unfocused phone takes it."""
    return image.filter(ImageFilter.GaussianBlur(radius))


def desaturated(image, factor):
    """Return the image with its colour times factor (0: grey), as a colour scan of a black-and-white copy."""
    return ImageEnhance.Color(image).enhance(factor)


def grey_copy(image, tint=(240, 230, 200)):
    """Return a grey copy on tinted paper, scanned in colour: a cast, but no colour spread."""
    return Image.blend(desaturated(image, 0), Image.new("RGB", image.size, tint), 0.2)


def encoded(image, format="JPEG", **options):
    """Return the image's bytes as a file of that format."""
    return _encode(image, format, **({"quality": 90} if format == "JPEG" else {}) | options)


def _encode(image, format, **options):
    buffer = io.BytesIO()
    image.save(buffer, format, **options)
    return buffer.getvalue()


def jpeg_bytes(width=800, height=600, *, mode="RGB", noisy=False, quality=85):
    """Return a colour JPEG photo of the given size: a sharp scan (noisy: random pixels)."""
    image = _photo(width, height, mode) if noisy else scan(width, height, mode)
    return _encode(image, "JPEG", quality=quality)


def png_bytes(width=800, height=600, *, mode="RGB", noisy=False):
    """Return a colour PNG scan of the given size: a sharp scan (noisy: random pixels)."""
    image = _photo(width, height, mode) if noisy else scan(width, height, mode)
    return _encode(image, "PNG")


def greyscale_jpeg(width=800, height=600):
    """Return a greyscale (mode L) JPEG, as a scanner set to black and white saves it."""
    return jpeg_bytes(width, height, mode="L")


def greyscale_png(width=800, height=600):
    """Return a greyscale (mode L) PNG."""
    return png_bytes(width, height, mode="L")


def black_and_white_png(width=800, height=600):
    """Return a 1-bit PNG, as a fax-style scan saves it."""
    return png_bytes(width, height, mode="1")


def multi_picture_jpeg(width=800, height=600):
    """Return a JPEG carrying a second picture (MPO), as many phone cameras save photos."""
    first, second = scan(width, height), _flat(width // 2, height // 2, colour=(10, 90, 200))
    return _encode(first, "MPO", save_all=True, append_images=[second])


def truncated_jpeg(width=800, height=600, keep=0.5):
    """Return the first part of a JPEG photo, as an interrupted upload or copy leaves it."""
    whole = jpeg_bytes(width, height, noisy=True)
    return whole[: int(len(whole) * keep)]


def truncated_png(width=800, height=600, keep=0.5):
    """Return the first part of a PNG scan."""
    whole = png_bytes(width, height, noisy=True)
    return whole[: int(len(whole) * keep)]


def padded_jpeg(total_bytes):
    """Return a valid colour JPEG of exactly total_bytes bytes.

    Phones append auxiliary data (depth maps, gain maps, previews) after the end-of-image marker; here it is
    incompressible filler, so the file really is as large as it says.
    """
    photo = jpeg_bytes(1600, 1200)
    return photo + random.Random(2).randbytes(total_bytes - len(photo))


def oversized_jpeg(max_bytes=5 * MIB, over_by=1):
    """Return a valid colour JPEG over_by bytes larger than max_bytes."""
    return padded_jpeg(max_bytes + over_by)


def polyglot_jpeg():
    """Return a file that starts like a JPEG and continues as a web page (a classic content-sniffing trick)."""
    return b"\xff\xd8\xff\xe0" + html_bytes() + random.Random(3).randbytes(2048)


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width, height):
    """Return a tiny, well-formed PNG whose header declares width × height RGB pixels (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + _png_chunk(b"IEND", b"")
    )


def pdf_bytes():
    """Return a scan saved as a PDF document (what a scanner's "Save as PDF" writes)."""
    return _encode(_flat(800, 600), "PDF")


def html_bytes():
    """Return a web page, as a browser saves a log-in or error page that was meant to be an image."""
    return (
        b"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in</title></head>"
        b"<body><script>alert(document.cookie)</script><p>Session expired.</p></body></html>\n"
    )


def gif_bytes(width=800, height=600):
    """Return a GIF image."""
    return _encode(_flat(width, height), "GIF")


def webp_bytes(width=800, height=600):
    """Return a WebP image, as browsers save images from web pages."""
    return _encode(_flat(width, height), "WEBP")


def bmp_bytes(width=800, height=600):
    """Return a BMP image."""
    return _encode(_flat(width, height), "BMP")


def tiff_bytes(width=800, height=600):
    """Return a TIFF image, as some scanners save."""
    return _encode(_flat(width, height), "TIFF")


def heic_head():
    """Return the opening of an iPhone HEIC photo: the ftyp box is all that sniffing looks at."""
    ftyp = b"ftypheic" + b"\x00\x00\x00\x00" + b"mif1heic"
    return struct.pack(">I", 4 + len(ftyp)) + ftyp + b"\x00\x00\x00\x00meta" + bytes(64)


def empty_bytes():
    """Return an empty file, as a failed or cancelled upload leaves it."""
    return b""


# ---------------------------------------------------------------- files that carry more than an image

SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"


def jpeg_with_comment(comment=SCRIPT, width=800, height=600):
    """Return a colour JPEG whose comment segment (COM) holds a web page."""
    return _encode(scan(width, height), "JPEG", quality=85, comment=comment)


def jpeg_with_trailing_html(width=800, height=600):
    """Return a colour JPEG followed, after its end-of-image marker, by a web page."""
    return jpeg_bytes(width, height) + SCRIPT


def _exif(orientation=None, gps=True, padding=0):
    """Return an Exif block (the APP1 payload after "Exif\\0\\0") with a GPS position and an orientation."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if orientation:
        exif[0x0112] = orientation
    if gps:
        # GPS IFD: 39.9042 N, 116.4074 E (Tiananmen Square)
        exif[0x8825] = {1: "N", 2: (39.0, 54.0, 15.12), 3: "E", 4: (116.0, 24.0, 26.64)}
    return exif.tobytes() + bytes(padding)


def _segment(marker, payload):
    return marker + struct.pack(">H", len(payload) + 2) + payload


def jpeg_with_exif(orientation=None, width=800, height=600):
    """Return a colour phone-style JPEG carrying Exif with a GPS position (and an orientation when given)."""
    return _encode(scan(width, height), "JPEG", quality=85, exif=_exif(orientation))


def jpeg_with_exif_segments(segments=60, total_bytes=int(3.7 * MIB)):
    """Return a colour JPEG of about total_bytes carrying that many Exif (APP1) segments, GPS in each."""
    photo = jpeg_bytes(800, 600)
    each = (total_bytes - len(photo)) // segments
    padding = min(each, 65533) - len(b"Exif\x00\x00" + _exif())
    block = _segment(b"\xff\xe1", b"Exif\x00\x00" + _exif(padding=padding))
    return photo[:2] + block * segments + photo[2:]


def png_with_text(text=SCRIPT, width=800, height=600):
    """Return a colour PNG carrying a text chunk and an ICC profile, as editors and screenshot tools save."""
    from PIL import ImageCms, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text.decode())
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS 39.9042 N</x:xmpmeta>")
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return _encode(scan(width, height), "PNG", pnginfo=info, icc_profile=profile) + SCRIPT


def jpeg_declaring(width, height):
    """Return a tiny JPEG whose frame header declares width × height pixels (a decompression bomb)."""
    photo = bytearray(jpeg_bytes(16, 16))
    sof = photo.index(b"\xff\xc0")
    photo[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(photo)


def zip_bytes() -> bytes:
    """A Word document (a ZIP archive), as applicants who paste a scan into Word upload it.

    Its entries carry a fixed time: the bytes (and so the ids pytest makes of them) are the same in every
    process, or xdist's workers would collect different tests.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in (("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>")):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()
