"""Blobs adapter on one private S3 bucket: presigned POST for uploads, presigned GET for downloads."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable
from urllib.parse import urlsplit

from botocore.exceptions import ClientError

from . import check_prefix, content_disposition, require_aware
from .boto import LazyClient, boto_client
from .policy import decode_policy, default_content_type

__all__ = ["S3Blobs", "decode_policy"]

_MISSING = {"404", "NoSuchKey", "NotFound"}


class S3Blobs:
    """The Blobs port on S3; the client is created on first use (cold start stays cheap)."""

    def __init__(self, bucket: str, *, region: str | None = None, endpoint_url: str | None = None):
        self.bucket = bucket
        self.region = region
        self.endpoint_url = endpoint_url
        self._client = LazyClient(lambda: make_client(region, endpoint_url))

    @property
    def client(self) -> Any:
        """The boto3 S3 client, created once."""
        return self._client.get()

    @property
    def upload_origin(self) -> str:
        """The scheme://host browsers post uploads to (for the CSP form-action), computed without a client."""
        # Worked out by hand because app start-up needs it and creating a boto3 client costs ~50 ms;
        # a test checks it against botocore's presigned POST URL.
        if self.endpoint_url:
            parts = urlsplit(self.endpoint_url)
            return f"{parts.scheme}://{parts.netloc}"
        region = self.region or "us-east-1"
        suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
        host = "s3.amazonaws.com" if region == "us-east-1" else f"s3.{region}.{suffix}"
        # A dotted bucket name cannot be a TLS host name label, so botocore addresses it by path.
        return f"https://{host}" if "." in self.bucket else f"https://{self.bucket}.{host}"

    def presign_upload(
        self,
        key: str,
        *,
        max_bytes: int,
        content_type_prefix: str,
        redirect_url: str,
        now: datetime,
        expires_in: int = 900,
    ) -> dict:
        """Return the URL and fields of a presigned POST that lets the browser upload one file straight to S3."""
        # botocore signs with the wall clock, which is what S3 checks; `now` only has to be a real aware time.
        require_aware(now)
        post = self.client.generate_presigned_post(
            Bucket=self.bucket,
            Key=key,
            Fields={
                "Content-Type": default_content_type(content_type_prefix),
                "success_action_redirect": redirect_url,
            },
            # botocore adds {"bucket"}, {"key"} and its x-amz-* fields; every other posted field needs a condition.
            Conditions=[
                ["content-length-range", 1, max_bytes],
                ["starts-with", "$Content-Type", content_type_prefix],
                {"success_action_redirect": redirect_url},
            ],
            ExpiresIn=expires_in,
        )
        return {"url": post["url"], "fields": dict(post["fields"])}

    def size(self, key: str) -> int | None:
        """Return the object's size in bytes, or None if absent."""
        try:
            return self.client.head_object(Bucket=self.bucket, Key=key)["ContentLength"]
        except ClientError as error:
            if _code(error) in _MISSING:
                return None
            raise

    def read(self, key: str, max_bytes: int | None = None) -> bytes:
        """Return the object's first max_bytes bytes (all if None); KeyError if absent."""
        kwargs: dict[str, Any] = {"Bucket": self.bucket, "Key": key}
        if max_bytes is not None:
            if max_bytes <= 0:
                if self.size(key) is None:
                    raise KeyError(key)
                return b""
            # A ranged GET fetches only the bytes needed to sniff a file's type.
            kwargs["Range"] = f"bytes=0-{max_bytes - 1}"
        try:
            response = self.client.get_object(**kwargs)
        except ClientError as error:
            if _code(error) in _MISSING:
                raise KeyError(key) from None
            if _code(error) == "InvalidRange":
                return b""  # S3 refuses any range of an empty object
            raise
        with response["Body"] as body:
            return body.read()

    def read_range(self, key: str, start: int, length: int) -> bytes:
        """Return `length` bytes from `start` (fewer at the end), in one ranged GET; KeyError if absent."""
        if start < 0 or length < 0:
            raise ValueError(f"a range starts and runs at 0 or more bytes, got start={start}, length={length}")
        if length == 0:
            if self.size(key) is None:
                raise KeyError(key)
            return b""
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=key,
                                              Range=f"bytes={start}-{start + length - 1}")
        except ClientError as error:
            if _code(error) in _MISSING:
                raise KeyError(key) from None
            if _code(error) == "InvalidRange":
                return b""  # the range starts at or past the object's end
            raise
        with response["Body"] as body:
            return body.read()

    def fetch(self, key: str, max_bytes: int) -> tuple[bytes, int]:
        """Return the object's first max_bytes bytes and its whole size, in one GET; KeyError if absent."""
        try:
            # a ranged GET answers the whole size in Content-Range, so no HEAD is needed first
            response = self.client.get_object(Bucket=self.bucket, Key=key, Range=f"bytes=0-{max_bytes - 1}")
        except ClientError as error:
            if _code(error) in _MISSING:
                raise KeyError(key) from None
            if _code(error) == "InvalidRange":
                return b"", 0  # S3 refuses any range of an empty object
            raise
        with response["Body"] as body:
            data = body.read()
        content_range = response.get("ContentRange") or ""
        size = int(content_range.rpartition("/")[2]) if "/" in content_range else len(data)
        return data, size

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store data under key (the bucket's default encryption applies)."""
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)

    # S3 takes parts of at least 5 MiB (all but the last); 8 MiB keeps a multipart upload's memory small and its
    # number of parts far below the 10,000 allowed (80 GB)
    PART_BYTES = 8 * 1024 * 1024

    def put_stream(self, key: str, pieces: Iterable[bytes], content_type: str) -> int:
        """Store what `pieces` yields under key: one PUT if it fits in one part, else a multipart upload holding
        one part in memory at a time; a failure aborts the upload, so nothing half-written is left."""
        buffer, size, upload, parts = bytearray(), 0, None, []
        try:
            for piece in pieces:
                buffer += piece
                size += len(piece)
                while len(buffer) >= self.PART_BYTES:
                    if upload is None:
                        upload = self.client.create_multipart_upload(Bucket=self.bucket, Key=key,
                                                                     ContentType=content_type)["UploadId"]
                    part = bytes(memoryview(buffer)[:self.PART_BYTES])  # one copy: the part sent
                    del buffer[:self.PART_BYTES]
                    answer = self.client.upload_part(Bucket=self.bucket, Key=key, UploadId=upload,
                                                     PartNumber=len(parts) + 1, Body=part)
                    parts.append({"PartNumber": len(parts) + 1, "ETag": answer["ETag"]})
            if upload is None:
                self.put(key, bytes(buffer), content_type)
                return size
            if buffer:
                answer = self.client.upload_part(Bucket=self.bucket, Key=key, UploadId=upload,
                                                 PartNumber=len(parts) + 1, Body=bytes(buffer))
                parts.append({"PartNumber": len(parts) + 1, "ETag": answer["ETag"]})
            self.client.complete_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload,
                                                  MultipartUpload={"Parts": parts})
            return size
        except BaseException:
            if upload is not None:
                # the parts would otherwise be kept (and billed) until the bucket's abort rule, a day later
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload)
            raise

    def download_url(
        self,
        key: str,
        *,
        now: datetime,
        expires_in: int = 300,
        filename: str | None = None,
        content_type: str | None = None,
    ) -> str:
        """Return a short-lived presigned GET URL for the object."""
        require_aware(now)
        params: dict[str, Any] = {"Bucket": self.bucket, "Key": key}
        if filename is not None:
            params["ResponseContentDisposition"] = content_disposition(filename)
        if content_type is not None:
            params["ResponseContentType"] = content_type
        return self.client.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in)

    def copy(self, source_key: str, target_key: str) -> None:
        """Copy an object to another key within the bucket (KeyError if the source is absent)."""
        try:
            self.client.copy_object(Bucket=self.bucket, Key=target_key,
                                    CopySource={"Bucket": self.bucket, "Key": source_key})
        except ClientError as error:
            if _code(error) in _MISSING:
                raise KeyError(source_key) from None
            raise

    def delete(self, key: str) -> None:
        """Remove the object; absent is fine (S3 deletes are idempotent).

        In the versioned bucket this leaves the data as a noncurrent version, recoverable until the lifecycle
        rule expires it (rules.NONCURRENT_VERSION_DAYS); delete_prefix removes every version at once.
        """
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def delete_prefix(self, prefix: str) -> int:
        """Remove every version (and delete marker) of every object whose key starts with `prefix` (a folder:
        it ends in "/"), so nothing of it can be recovered; returns how many versions and markers went."""
        check_prefix(prefix)
        deleted = 0
        while True:
            # what is deleted leaves the listing, so each round lists from the start again (no markers to keep)
            page = self.client.list_object_versions(Bucket=self.bucket, Prefix=prefix, MaxKeys=1000)
            versions = [{"Key": v["Key"], "VersionId": v["VersionId"]}
                        for v in (*page.get("Versions", []), *page.get("DeleteMarkers", []))]
            if not versions:
                return deleted
            # a page holds at most 1,000 entries, which is what one DeleteObjects takes
            answer = self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": versions[:1000], "Quiet": True})
            if answer.get("Errors"):
                first = answer["Errors"][0]
                raise RuntimeError(f"S3 kept {len(answer['Errors'])} versions under {prefix}: {first.get('Code')} "
                                   f"{first.get('Message')}")
            deleted += len(versions[:1000])


def make_client(region: str | None, endpoint_url: str | None = None) -> Any:
    """Return an S3 client that presigns with SigV4 on the bucket's regional endpoint."""
    # SigV4 is required by every region opened since 2014. Virtual-hosted regional URLs avoid the 307
    # redirect a new bucket outside us-east-1 answers on the global endpoint (which would break a POST);
    # a custom endpoint (moto, MinIO) is addressed by path, as it has no per-bucket host names.
    style = "path" if endpoint_url else "virtual"
    return boto_client(
        "s3",
        region=region,
        endpoint_url=endpoint_url,
        signature_version="s3v4",
        s3={"addressing_style": style},
    )


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))
