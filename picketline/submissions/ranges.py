"""Serving a stored file with HTTP range requests, which browsers use to seek in a video (and
Safari needs to play one at all). One range per request; anything else gets the whole file.

The file is opened through Django's storage API, so it comes from local disk or from object
storage alike, always through our own origin (no visitor is sent to the storage's address).
An object in S3 is then read as a stream of only the bytes asked for (django-storages' file
would first copy the whole object to this machine to read any part of it)."""

from __future__ import annotations

import re

from django.core.files import File
from django.core.files.storage import Storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.http import http_date
from storages.backends.s3 import S3File

RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")


class _Slice:
    """A file object that reads only ``length`` bytes from ``start``."""

    def __init__(self, file: File, start: int, length: int) -> None:
        self.file = file
        self.file.seek(start)
        self.remaining = length

    def read(self, size: int = -1) -> bytes:
        if self.remaining <= 0:
            return b""
        if size < 0 or size > self.remaining:
            size = self.remaining
        data = self.file.read(size)
        self.remaining -= len(data)
        return data

    def close(self) -> None:
        self.file.close()


def _stream(file: File, start: int = 0, length: int | None = None) -> object:
    """What the response streams: ``length`` bytes from ``start``, or the whole file."""
    if isinstance(file, S3File):
        # The S3 file's boto3 object (its size known from a HEAD request): one GET, of these
        # bytes only, streamed as they arrive.
        wanted = {"Range": f"bytes={start}-{start + length - 1}"} if length is not None else {}
        body = file.obj.get(**wanted)["Body"]
        file.close()
        return body
    return file if length is None else _Slice(file, start, length)


def ranged_file_response(
    request: HttpRequest, storage: Storage, name: str, content_type: str
) -> HttpResponse:
    if not name:
        raise Http404("No file")
    try:
        file = storage.open(name, "rb")
        size = file.size
        # An S3 file knows it from the HEAD request that opened it: no second request.
        modified = (
            file.obj.last_modified if isinstance(file, S3File) else storage.get_modified_time(name)
        )
    except FileNotFoundError:
        raise Http404("File gone") from None
    header = request.headers.get("Range", "")
    match = RANGE_RE.match(header.strip()) if header else None
    if match and (match.group(1) or match.group(2)):
        first, last = match.groups()
        if first:
            start = int(first)
            end = min(int(last), size - 1) if last else size - 1
        else:  # the last N bytes
            start = max(0, size - int(last))
            end = size - 1
        if start >= size or start > end:
            file.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        length = end - start + 1
        response = FileResponse(_stream(file, start, length), status=206, content_type=content_type)
        response["Content-Length"] = str(length)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    else:
        response = FileResponse(_stream(file), content_type=content_type)
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    response["Last-Modified"] = http_date(modified.timestamp())
    # Short: a withdrawn video must stop being served soon, even from a browser's cache.
    response["Cache-Control"] = "public, max-age=300"
    return response
