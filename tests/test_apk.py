"""Reading a release APK's facts from real signed APKs (apksigner, keytool), with ranged reads only."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from icp import rules
from tests import apk_factory
from tests.apk_factory import PACKAGE, apksigner_verify, fingerprints
from tests.store_fixtures import aws_credentials, local_settings  # noqa: F401

pytestmark = pytest.mark.apk


@pytest.fixture(scope="session")
def apks(tmp_path_factory) -> dict[str, Path]:
    """Every APK variant, built once per session (about half a minute: apksigner starts a JVM each time)."""
    missing = apk_factory.missing_tools()
    if missing:
        pytest.skip(f"building test APKs needs {', '.join(missing)} "
                    "(apt-get install apksigner zipalign default-jre-headless; pip install -r requirements-dev.txt)")
    return apk_factory.build(tmp_path_factory.mktemp("apks"))


@pytest.fixture(scope="session")
def certificates(apks) -> dict[str, bytes]:
    """Each key's DER certificate as keytool exports it."""
    factory = apk_factory.Factory(apks["unsigned"].parent)
    return {alias: factory.certificate(alias) for alias in apk_factory.KEYS}


class Reader:
    """read(start, length) over a file, counting requests and bytes, as a ranged store would serve them."""

    def __init__(self, path: Path):
        self.data = path.read_bytes()
        self.requests: list[tuple[int, int]] = []

    def __call__(self, start: int, length: int) -> bytes:
        self.requests.append((start, length))
        return self.data[start:start + length]

    @property
    def served(self) -> int:
        """Bytes handed over in all."""
        return sum(len(self.data[s:s + n]) for s, n in self.requests)


def read(path: Path, **options):
    """read_apk over a file, with its Reader."""
    from icp.apk import read_apk

    reader = Reader(path)
    return read_apk(reader, len(reader.data), **options), reader


def public_key(der: bytes) -> tuple[str, str]:
    """(algorithm, hex) of a certificate's public key, read with `cryptography` (not the library under test)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    key = x509.load_der_x509_certificate(der).public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", format(key.public_numbers().n, "x")
    assert isinstance(key, ec.EllipticCurvePublicKey)
    return "EC", key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint).hex()


# APK -> (signing key, schemes read, the Android API level from which apksigner verifies it)
SIGNED = {
    "v1_v2_v3": ("release", ("v1", "v2", "v3"), None),
    "v1_only": ("release", ("v1",), None),
    "v2_only": ("release", ("v2",), 24),
    "v3_only": ("release", ("v3",), 28),
    "ec": ("ec", ("v1", "v2", "v3"), None),
    "large": ("release", ("v1", "v2", "v3"), None),
}


@pytest.mark.parametrize("name", SIGNED)
def test_facts_match_apksigner_and_keytool(apks, certificates, name):
    alias, schemes, min_sdk = SIGNED[name]
    facts, _reader = read(apks[name])
    der = certificates[alias]
    md5, sha1, sha256 = fingerprints(der)
    assert facts.package == PACKAGE
    assert facts.schemes == schemes
    assert (facts.md5_hex, facts.sha1.replace(":", "").lower(), facts.sha256.replace(":", "").lower()) == (
        md5, sha1, sha256)
    # keytool's form: upper-case pairs joined by colons
    assert facts.md5 == ":".join(md5[i:i + 2] for i in range(0, 32, 2)).upper()
    assert (facts.public_key_algorithm, facts.public_key) == public_key(der)
    assert facts.debug is False
    assert facts.subject.startswith("Common Name: ")
    printed = apksigner_verify(apks[name], min_sdk)
    assert printed.verifies and printed.signers == 1
    assert (printed.md5, printed.sha1, printed.sha256) == (md5, sha1, sha256)
    assert printed.key_algorithm == facts.public_key_algorithm
    assert set(facts.schemes) >= printed.schemes


def test_keytool_prints_the_same_md5(apks):
    out = subprocess.run(["keytool", "-printcert", "-jarfile", str(apks["v1_v2_v3"])], capture_output=True,
                         text=True, check=True).stdout
    facts, _reader = read(apks["v1_v2_v3"])
    assert f"SHA256: {facts.sha256}" in out and f"SHA1: {facts.sha1}" in out


def test_a_large_apk_is_read_in_a_few_small_ranges(apks):
    facts, reader = read(apks["large"])
    size = apks["large"].stat().st_size
    assert size > 5_000_000 and facts.size == size
    assert facts.bytes_read == reader.served
    assert facts.bytes_read < size / 100, f"{facts.bytes_read} of {size} bytes read"
    assert len(reader.requests) <= 5
    assert max(n for _start, n in reader.requests) <= 64 * 1024


def test_debug_certificate_is_refused_unless_allowed(apks, certificates):
    from icp.apk import ApkRefused

    with pytest.raises(ApkRefused) as refused:
        read(apks["debug"])
    assert refused.value.code == "debug_signed"
    facts, _reader = read(apks["debug"], allow_debug=True)
    assert facts.debug is True and facts.md5_hex == fingerprints(certificates["debug"])[0]


# APK -> the refusal's code
REFUSED = {
    "unsigned": "unsigned",
    "two_signers": "several_signers",
    "schemes_differ": "schemes_differ",
    "rotated": "key_rotated",
    "text": "not_apk",
    "truncated": "damaged",
    "no_manifest": "no_manifest",
    "app_bundle": "app_bundle",
    "no_package": "no_package",
}


@pytest.mark.parametrize("name", REFUSED)
def test_refusals(apks, name):
    from icp.apk import ApkRefused

    with pytest.raises(ApkRefused) as refused:
        read(apks[name])
    assert refused.value.code == REFUSED[name]
    message = str(refused.value)
    assert message.endswith(".") and "%(" not in message
    assert "upload" in message.lower()  # every refusal tells the applicant what to upload instead


def test_a_rotated_key_is_told_apart_from_schemes_that_differ(apks, certificates):
    # apksigner accepts the rotation and names the new certificate; the APK holds the original one for v1 and v2
    printed = apksigner_verify(apks["rotated"])
    assert printed.verifies and printed.md5 == fingerprints(certificates["other"])[0]
    assert apksigner_verify(apks["schemes_differ"]).verifies is False  # put together: its v2 does not verify


def test_the_two_signers_are_counted(apks):
    from icp.apk import ApkRefused

    with pytest.raises(ApkRefused) as refused:
        read(apks["two_signers"])
    assert str(refused.value).startswith("The APK is signed by 2 different certificates.")


def test_a_truncated_or_text_file_is_not_read_whole(apks):
    from icp.apk import ApkRefused

    for name in ("truncated", "text"):
        reader = Reader(apks[name])
        with pytest.raises(ApkRefused):
            from icp.apk import read_apk

            read_apk(reader, len(reader.data))
        assert reader.served <= 64 * 1024 + 22 + 4 + 16 * 1024, name


@pytest.mark.parametrize("bound, code", [
    ("max_central_directory", "too_large"),
    ("max_signing_block", "too_large"),
    ("max_manifest", "too_large"),
    ("max_v1_signature", "too_large"),
    ("max_read", "too_large"),
])
def test_bounds(apks, monkeypatch, bound, code):
    from icp.apk import ApkRefused

    monkeypatch.setattr(rules, "APK_POLICY", replace(rules.APK_POLICY, **{bound: 100}))
    with pytest.raises(ApkRefused) as refused:
        read(apks["v1_v2_v3"])
    assert refused.value.code == code
    assert "larger than" in str(refused.value) or "more than" in str(refused.value)


def test_a_damaged_signing_block_is_refused(apks, tmp_path):
    from icp.apk import ApkRefused

    data = bytearray(apks["v2_only"].read_bytes())
    offset = int.from_bytes(data[-6:-2], "little")  # the central directory's offset in the end record
    block_start = offset - int.from_bytes(data[offset - 24:offset - 16], "little") - 8
    data[block_start + 8:block_start + 16] = (2 ** 40).to_bytes(8, "little")  # the first entry's length
    broken = tmp_path / "broken.apk"
    broken.write_bytes(bytes(data))
    with pytest.raises(ApkRefused) as refused:
        read(broken)
    assert refused.value.code == "damaged"


# ---- the use case, on both storage backends ----


def test_read_release_apk_locally_reads_ranges_and_deletes(apks, tmp_path):
    from icp.store import open_blobs
    from icp.workflow.apk import belongs, read_release_apk

    blobs = open_blobs(local_settings(tmp_path))
    key = "pending/F1/apk/" + "a" * 32
    assert belongs("F1", key) and not belongs("F2", key) and not belongs("F1", "pending/F1/apk/../x")
    blobs.put(key, apks["large"].read_bytes(), "application/vnd.android.package-archive")
    facts = read_release_apk(blobs, key)
    assert facts.package == PACKAGE and facts.bytes_read < facts.size / 100
    assert blobs.size(key) is None


def test_read_release_apk_deletes_a_refused_apk(apks, tmp_path):
    from icp.apk import ApkRefused
    from icp.store import open_blobs
    from icp.uploads import UploadRefused
    from icp.workflow.apk import read_release_apk

    blobs = open_blobs(local_settings(tmp_path))
    key = "pending/F1/apk/" + "b" * 32
    blobs.put(key, apks["debug"].read_bytes(), "application/octet-stream")
    with pytest.raises(ApkRefused):
        read_release_apk(blobs, key)
    assert blobs.size(key) is None
    with pytest.raises(UploadRefused) as refused:
        read_release_apk(blobs, key)  # nothing there now
    assert refused.value.code == "missing"


def test_read_release_apk_on_s3(apks, aws_credentials, tmp_path):
    import boto3
    from moto import mock_aws

    from icp.store.s3 import S3Blobs
    from icp.workflow.apk import read_release_apk

    with mock_aws():
        boto3.client("s3", region_name="eu-west-1").create_bucket(
            Bucket="apk-test", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        blobs = S3Blobs("apk-test", region="eu-west-1")
        ranges: list[str] = []
        blobs.client.meta.events.register("before-parameter-build.s3.GetObject",
                                          lambda params, **kw: ranges.append(params.get("Range")))
        key = "pending/F1/apk/" + "c" * 32
        blobs.put(key, apks["large"].read_bytes(), "application/vnd.android.package-archive")
        facts = read_release_apk(blobs, key)
        assert facts.md5 == read(apks["large"])[0].md5
        assert ranges and all(r and r.startswith("bytes=") for r in ranges)  # never a GET of the whole object
        assert blobs.size(key) is None


def test_upload_form_is_a_presigned_post_for_an_apk(tmp_path):
    from datetime import datetime, timezone

    from icp.store import open_blobs
    from icp.store.policy import decode_policy
    from icp.workflow.apk import belongs, upload_form

    blobs = open_blobs(local_settings(tmp_path))
    form = upload_form(blobs, "F1", redirect_url="http://localhost/apk/done",
                       now=datetime(2026, 3, 2, tzinfo=timezone.utc))
    assert belongs("F1", form["fields"]["key"])
    conditions = decode_policy(form["fields"])["conditions"]
    assert ["content-length-range", 1, rules.APK_POLICY.max_bytes] in conditions
    assert all(t.startswith(rules.APK_POLICY.content_type_prefix) for t in rules.APK_POLICY.content_types)


def test_importing_the_use_case_loads_no_parser():
    code = ("import sys, app, icp.workflow.apk; "
            "print(sorted(m for m in ('icp.apk', 'apkInspector', 'asn1crypto', 'zipfile') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).parent.parent)
    assert "icp.apk" not in result.stdout and "apkInspector" not in result.stdout
    assert "asn1crypto" not in result.stdout
