"""An Android APK's characteristic information for the app filing (DOMAIN.md §13), read with ranged reads.

The filing asks, per Android app, for the package name, the public key (the modulus of the signing
certificate's RSA key) and the signature MD5 (the signing certificate's MD5 fingerprint). Applicants dig these
out by hand and mistype them; here they are read from the release APK itself. Only what is needed is fetched,
never the whole file (an APK may be gigabytes): the ZIP end-of-central-directory record from the tail, the
central directory, the APK Signing Block just before it (schemes v2 and v3), each META-INF/*.RSA|DSA|EC block
(scheme v1) and AndroidManifest.xml.

Who reads what: the standard library's zipfile reads the ZIP structure through a file object that fetches
ranges (it looks for the end record only in the last 64 KiB and reads the central directory in one read);
apkInspector decodes the binary manifest; asn1crypto reads the PKCS#7 blocks and certificates (pure Python,
small for the Lambda package). The APK Signing Block is read here: no small library reads it, and its format
is short and documented (source.android.com/docs/security/features/apksigning/v2 and v3).

Signatures are not verified: the facts are what the APK declares, for the applicant to confirm. Someone who
uploads a forged APK only misleads their own filing, which the administration checks against the app itself.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile
from collections.abc import Callable

from icp.records import record
from icp import rules
from icp.rules import _  # the one marker pybabel extracts; translated where shown
from icp.uploads import UploadRefused

# the ZIP end-of-central-directory record: its signature, its fixed size, and the longest comment after it
_END_RECORD = b"PK\x05\x06"
_END_RECORD_SIZE = 22
_MAX_COMMENT = 0xFFFF
_LOCAL_HEADER = b"PK\x03\x04"

# the APK Signing Block ends with its size (8 bytes) and this magic, right before the central directory
_SIGNING_BLOCK_MAGIC = b"APK Sig Block 42"
# the IDs of the signature schemes' entries in the block (v3.1 carries a rotated key for newer Android versions)
_SCHEME_IDS = {0x7109871A: "v2", 0xF05368C0: "v3", 0x1B93AD61: "v3.1"}
_SCHEMES = ("v1", "v2", "v3", "v3.1")  # oldest first

# v1 (JAR) signature blocks: META-INF/<name>.RSA, .DSA or .EC, directly in META-INF
_V1_BLOCK = re.compile(r"META-INF/[^/]+\.(RSA|DSA|EC)", re.IGNORECASE)

# Android's debug certificate, which the SDK makes for every developer's machine: never a release
DEBUG_SUBJECT = {"common_name": "Android Debug", "organization_name": "Android", "country_name": "US"}

# a Java package name as Android accepts it: two or more dot-separated names of letters, digits and underscores
_PACKAGE = re.compile(r"[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+")

# ranged reads fetch at least this much, so the small things near each other (a local header and its file,
# the signing block and the central directory) come in one request
READ_AHEAD = 16 * 1024

_AXML_NO_NAMESPACE = 0xFFFFFFFF

MESSAGES = {
    "not_apk": _("The file is not an Android app (APK). Upload the release APK your build produced: its name "
                 "ends in .apk."),
    "damaged": _("The APK is damaged or incomplete. Build or download the release APK again and upload it."),
    "app_bundle": _("The file is an Android App Bundle (.aab). Upload an APK signed with your release key: "
                    "build it with Build > Generate Signed Bundle / APK and choose APK."),
    "no_manifest": _("The file is a ZIP archive but not an app: it has no AndroidManifest.xml. Upload the "
                     "release APK your build produced."),
    "bad_manifest": _("The APK's AndroidManifest.xml cannot be read. Build the release APK again and upload it."),
    "no_package": _("The APK's AndroidManifest.xml names no package. Build the release APK again (the package "
                    "name comes from applicationId) and upload it."),
    "unsigned": _("The APK is not signed. Sign it with your release key (Android Studio: Build > Generate "
                  "Signed Bundle / APK) and upload the signed APK."),
    "debug_signed": _("The APK is signed with Android's debug certificate, which identifies no one. Build the "
                      "release variant signed with your release key and upload that APK."),
    "several_signers": _("The APK is signed by %(count)s different certificates. The filing takes one signing "
                         "certificate: sign the release APK with your release key alone and upload it."),
    "schemes_differ": _("The APK's v1 (JAR) signature and its v2/v3 signature use different certificates. Sign "
                        "the APK again with your release key alone (apksigner signs every scheme with the same "
                        "key) and upload it."),
    "key_rotated": _("The APK's signing key was rotated, so it carries two certificates: the original one for "
                     "Android 8 and earlier and the new one for Android 9 and later. Type in the public key and "
                     "signature MD5 of the certificate you file instead of uploading the APK."),
    "bad_certificate": _("The APK's signing certificate cannot be read. Sign the APK again with your release key "
                         "and upload it."),
}

# code too_large: one sentence per bounded part (a part's name inside a sentence would not be translated)
_TOO_LARGE = {
    "central_directory": _("The APK's list of files is larger than %(max_size)s MB, more than any app has. Upload "
                           "the release APK your build produced."),
    "signing_block": _("The APK's signing block is larger than %(max_size)s MB, more than any signature needs. Sign "
                       "the APK again with your release key and upload it."),
    "manifest": _("The APK's AndroidManifest.xml is larger than %(max_size)s MB, more than any app needs. Build the "
                  "release APK again and upload it."),
    "v1_signature": _("The APK's v1 signature is larger than %(max_size)s MB, more than any signature needs. Sign "
                      "the APK again with your release key and upload it."),
    "read": _("Reading the APK's signatures and manifest would take more than %(max_size)s MB, more than any app "
              "needs. Upload the release APK your build produced."),
}


class ApkRefused(UploadRefused):
    """An APK whose facts cannot be read or must not be filed; `message` is an instruction with `%(name)s` params."""


def _refused(code: str, **params) -> ApkRefused:
    return ApkRefused(code, MESSAGES[code], **params)


def _too_large(part: str, limit: int) -> ApkRefused:
    return ApkRefused("too_large", _TOO_LARGE[part], max_size=max(1, limit // (1024 * 1024)))


@record
class ApkFacts:
    """What the app filing asks of an Android app, as read from its release APK."""

    package: str
    public_key: str               # hex: the RSA modulus; for EC the uncompressed public point; for DSA y
    public_key_algorithm: str     # "RSA", "EC" or "DSA"
    md5: str                      # the certificate's MD5 fingerprint as keytool prints it: "AB:CD:..."
    sha1: str                     # the same for SHA-1
    sha256: str                   # and for SHA-256
    schemes: tuple[str, ...]      # the signature schemes found: "v1", "v2", "v3", "v3.1"
    debug: bool                   # signed with Android's debug certificate
    subject: str                  # the certificate's subject, for the applicant to recognise
    bytes_read: int               # how many bytes of the APK were fetched
    size: int                     # the APK's whole size

    @property
    def md5_hex(self) -> str:
        """The MD5 fingerprint as plain lower-case hex (as apksigner and md5sum print it)."""
        return self.md5.replace(":", "").lower()


def read_apk(read: Callable[[int, int], bytes], size: int, *, allow_debug: bool = False) -> ApkFacts:
    """Read an APK's package, signing certificate and public key through `read(start, length)`.

    Raises ApkRefused with an instruction for the applicant; a debug-signed APK is refused unless allow_debug.
    """
    policy = rules.APK_POLICY
    ranges = _Ranges(read, size, policy.max_read)
    end_offset, directory_size, directory_offset = _end_record(ranges)
    if directory_size > policy.max_central_directory:
        raise _too_large("central_directory", policy.max_central_directory)
    if directory_offset + directory_size > end_offset:
        raise _refused("damaged")
    archive = _open_zip(ranges)
    names = set(archive.namelist())
    if "AndroidManifest.xml" not in names:
        if "base/manifest/AndroidManifest.xml" in names:
            raise _refused("app_bundle")
        raise _refused("no_manifest")

    certificates = _signing_block_certificates(ranges, directory_offset)
    v1 = [_v1_certificates(archive, name) for name in sorted(names) if _V1_BLOCK.fullmatch(name)]
    if v1:
        certificates["v1"] = [der for block in v1 for der in block]
    if not certificates:
        raise _refused("unsigned")
    distinct = {der for ders in certificates.values() for der in ders}
    if any(len(set(ders)) > 1 for ders in certificates.values()):
        raise _refused("several_signers", count=len(distinct))
    order = [scheme for scheme in _SCHEMES if scheme in certificates]
    changes = [scheme for before, scheme in zip(order, order[1:])
               if set(certificates[before]) != set(certificates[scheme])]
    if changes == ["v3"] or changes == ["v3.1"]:
        # key rotation: the schemes older Android reads hold the original certificate, v3 (or v3.1) the new one
        raise _refused("key_rotated")
    if changes:
        raise _refused("schemes_differ")
    (der,) = distinct
    facts = _certificate_facts(der)
    if facts["debug"] and not allow_debug:
        raise _refused("debug_signed")
    package = _package(_read_member(archive, "AndroidManifest.xml", policy.max_manifest, "manifest"))
    return ApkFacts(package=package, schemes=tuple(order),
                    bytes_read=ranges.bytes_read, size=size, **facts)


class _Ranges:
    """The APK seen through ranged reads: each read fetched once (at least READ_AHEAD), kept, and counted."""

    def __init__(self, read: Callable[[int, int], bytes], size: int, limit: int):
        self._read = read
        self.size = size
        self.limit = limit
        self.bytes_read = 0
        self.requests = 0
        self._windows: list[tuple[int, bytes]] = []

    def get(self, start: int, length: int) -> bytes:
        """The bytes [start, start + length) of the APK (fewer at its end)."""
        end = min(start + length, self.size)
        if start < 0 or start >= end:
            return b""
        for window_start, window in self._windows:
            if window_start <= start and end <= window_start + len(window):
                return window[start - window_start:end - window_start]
        fetch = min(self.size, max(end, start + READ_AHEAD)) - start
        if self.bytes_read + fetch > self.limit:
            raise _too_large("read", self.limit)
        data = self._read(start, fetch)
        self.bytes_read += len(data)
        self.requests += 1
        if len(data) != fetch:
            raise _refused("damaged")  # storage holds less than its size said: the object changed under us
        self._windows.append((start, data))
        return data[:end - start]


class _RangedFile(io.RawIOBase):
    """A read-only, seekable file over _Ranges, for zipfile."""

    def __init__(self, ranges: _Ranges):
        super().__init__()
        self._ranges = ranges
        self._position = 0

    def readable(self) -> bool:
        """Always readable."""
        return True

    def seekable(self) -> bool:
        """Always seekable."""
        return True

    def tell(self) -> int:
        """The current position."""
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Move the position as a file does."""
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._ranges.size}[whence]
        if base + offset < 0:
            raise OSError("negative seek position")
        self._position = base + offset
        return self._position

    def read(self, size: int | None = -1) -> bytes:
        """Up to `size` bytes from the position (to the end when size is negative or None)."""
        if size is None or size < 0:
            size = self._ranges.size - self._position
        data = self._ranges.get(self._position, size)
        self._position += len(data)
        return data

    def readinto(self, buffer) -> int:
        """Read into a buffer, as RawIOBase asks."""
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def _end_record(ranges: _Ranges) -> tuple[int, int, int]:
    """(offset of the end record, central directory size, central directory offset), or ApkRefused."""
    if ranges.size >= _END_RECORD_SIZE:
        # the end record is 22 bytes plus a comment of at most 64 KiB: look in the tail, the short one first,
        # then in the rest of the longest (without fetching the short tail again)
        tail = b""
        for tail_length in (READ_AHEAD, _END_RECORD_SIZE + _MAX_COMMENT):
            tail_length = min(tail_length, ranges.size)
            tail_start = ranges.size - tail_length
            tail = ranges.get(tail_start, tail_length - len(tail)) + tail
            at = tail.rfind(_END_RECORD)
            while at >= 0:
                if at + _END_RECORD_SIZE <= len(tail):
                    *_, directory_size, directory_offset, comment_length = struct.unpack_from("<4s4HLLH", tail, at)
                    if at + _END_RECORD_SIZE + comment_length == len(tail):
                        return tail_start + at, directory_size, directory_offset
                at = tail.rfind(_END_RECORD, 0, at)
            if tail_length == ranges.size:
                break
    # a ZIP that starts as one but has no end was cut short (an interrupted download or copy)
    if ranges.get(0, 4) == _LOCAL_HEADER:
        raise _refused("damaged")
    raise _refused("not_apk")


def _open_zip(ranges: _Ranges) -> zipfile.ZipFile:
    """The APK as a ZipFile reading through ranges, or ApkRefused."""
    try:
        return zipfile.ZipFile(_RangedFile(ranges))
    except ApkRefused:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error, UnicodeDecodeError):
        raise _refused("damaged") from None


def _read_member(archive: zipfile.ZipFile, name: str, limit: int, part: str) -> bytes:
    """One member's bytes (decompressed, CRC checked), refused when larger than limit."""
    info = archive.getinfo(name)
    if info.file_size > limit or info.compress_size > limit:
        raise _too_large(part, limit)
    try:
        return archive.read(info)
    except ApkRefused:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError, struct.error):
        # RuntimeError: an encrypted member; NotImplementedError: a compression Android does not use
        raise _refused("damaged") from None


# ---- APK Signing Block (v2, v3) ----


class _Malformed(Exception):
    """A length in the signing block points past its end."""


def _prefixed(data: bytes, position: int) -> tuple[bytes, int]:
    """The uint32-length-prefixed item at position, and the position after it."""
    if position + 4 > len(data):
        raise _Malformed
    (length,) = struct.unpack_from("<I", data, position)
    position += 4
    if position + length > len(data):
        raise _Malformed
    return data[position:position + length], position + length


def _sequence(data: bytes) -> list[bytes]:
    """A sequence of uint32-length-prefixed items filling data."""
    items, position = [], 0
    while position < len(data):
        item, position = _prefixed(data, position)
        items.append(item)
    return items


def _signing_block_certificates(ranges: _Ranges, directory_offset: int) -> dict[str, list[bytes]]:
    """Each scheme in the APK Signing Block (v2, v3, v3.1) with its signers' certificates (DER), first per signer."""
    if directory_offset < 32:
        return {}
    footer = ranges.get(directory_offset - 24, 24)
    if footer[8:] != _SIGNING_BLOCK_MAGIC:
        return {}  # no signing block: v1 only, or unsigned
    (block_size,) = struct.unpack_from("<Q", footer)
    if block_size > rules.APK_POLICY.max_signing_block:
        raise _too_large("signing_block", rules.APK_POLICY.max_signing_block)
    start = directory_offset - block_size - 8
    if block_size < 24 or start < 0:
        raise _refused("damaged")
    block = ranges.get(start, block_size + 8)
    if struct.unpack_from("<Q", block)[0] != block_size:
        raise _refused("damaged")
    pairs, position, found = block[8:-24], 0, {}
    try:
        while position < len(pairs):
            if position + 12 > len(pairs):
                raise _Malformed
            length, entry_id = struct.unpack_from("<QI", pairs, position)
            if length < 4 or position + 8 + length > len(pairs):
                raise _Malformed
            scheme = _SCHEME_IDS.get(entry_id)
            if scheme:
                found[scheme] = _scheme_certificates(pairs[position + 12:position + 8 + length])
            position += 8 + length
    except _Malformed:
        raise _refused("damaged") from None
    return found


def _scheme_certificates(value: bytes) -> list[bytes]:
    """The first certificate of each signer of a v2/v3 block (the signing one; any others are its chain)."""
    signers, _end = _prefixed(value, 0)
    certificates = []
    for signer in _sequence(signers):
        signed_data, _after = _prefixed(signer, 0)
        _digests, position = _prefixed(signed_data, 0)
        encoded, _after = _prefixed(signed_data, position)
        chain = _sequence(encoded)
        if not chain:
            raise _Malformed
        certificates.append(chain[0])
    return certificates


# ---- v1 (JAR signing) ----


def _v1_certificates(archive: zipfile.ZipFile, name: str) -> list[bytes]:
    """The signing certificate (DER) of each signer in one META-INF PKCS#7 block."""
    from asn1crypto import cms

    data = _read_member(archive, name, rules.APK_POLICY.max_v1_signature, "v1_signature")
    # asn1crypto parses lazily and raises assorted errors on malformed DER, all of which mean the same here
    try:
        content = cms.ContentInfo.load(data)
        if content["content_type"].native != "signed_data":
            raise ValueError("not SignedData")
        signed = content["content"]
        certificates = [c.chosen for c in signed["certificates"] if c.name == "certificate"]
        found = []
        for signer in signed["signer_infos"]:
            sid = signer["sid"]
            if sid.name != "issuer_and_serial_number":
                raise ValueError("a v1 signer is named by its issuer and serial number")
            issuer, serial = sid.chosen["issuer"], sid.chosen["serial_number"].native
            match = next(c for c in certificates if c.issuer == issuer and c.serial_number == serial)
            found.append(match.dump())
    except Exception:
        raise _refused("bad_certificate") from None
    if not found:
        raise _refused("bad_certificate")
    return found


# ---- the certificate and the manifest ----


def _colon_hex(digest: bytes) -> str:
    return ":".join(f"{byte:02X}" for byte in digest)


def _certificate_facts(der: bytes) -> dict:
    """Fingerprints, public key, subject and debug flag of one DER certificate."""
    from asn1crypto import x509

    try:
        certificate = x509.Certificate.load(der)
        key = certificate.public_key
        algorithm = key.algorithm
        if algorithm in ("rsa", "rsassa_pss"):
            public_key, name = format(key["public_key"].parsed["modulus"].native, "x"), "RSA"
        elif algorithm == "ec":
            public_key, name = key["public_key"].native.hex(), "EC"
        elif algorithm == "dsa":
            public_key, name = format(key["public_key"].parsed.native, "x"), "DSA"
        else:
            raise ValueError(f"unknown key algorithm {algorithm}")
        subject = certificate.subject
        facts = {"subject": subject.human_friendly, "debug": dict(subject.native) == DEBUG_SUBJECT}
    except Exception:  # malformed DER: see _v1_certificates
        raise _refused("bad_certificate") from None
    return {
        **facts,
        "public_key": public_key,
        "public_key_algorithm": name,
        "md5": _colon_hex(hashlib.md5(der, usedforsecurity=False).digest()),
        "sha1": _colon_hex(hashlib.sha1(der, usedforsecurity=False).digest()),
        "sha256": _colon_hex(hashlib.sha256(der).digest()),
    }


def _package(manifest: bytes) -> str:
    """The `package` attribute of the binary manifest's root <manifest> element, or ApkRefused."""
    from apkInspector.axml import ManifestStruct, XmlStartElement

    # apkInspector tolerates the tricks of tampered manifests and raises assorted errors on what it cannot read
    try:
        parsed = ManifestStruct.parse(io.BytesIO(manifest))
        strings = parsed.string_pool.string_list
        root = next(e for e in parsed.elements if isinstance(e, XmlStartElement))
    except Exception:
        raise _refused("bad_manifest") from None

    def string(index: int) -> str | None:
        return strings[index] if 0 <= index < len(strings) else None

    package = None
    if string(root.attrext[1]) == "manifest":
        for attribute in root.attributes:
            if attribute.full_namespace_index == _AXML_NO_NAMESPACE and string(attribute.name_index) == "package":
                package = string(attribute.raw_value_index)
                if package is None and attribute.typed_value_datatype == 3:  # a string value
                    package = string(attribute.typed_value_data)
    if not package or not _PACKAGE.fullmatch(package):
        raise _refused("no_package")
    return package
