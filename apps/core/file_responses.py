"""Files as HTTP responses: validators (ETag, Last-Modified), 304s, byte ranges, downloads.

Django's FileResponse streams a whole file; video seeking needs single byte ranges (206),
which browsers ask for on every <video> and <audio> element.
"""

import hashlib
import re
from pathlib import Path
from urllib.parse import quote

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe

CHUNK = 256 * 1024
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def etag_for(path_stat, key: str) -> str:
    """Strong: changes with the rendition's bytes (size, mtime) and with the asset's identity and kind."""
    digest = hashlib.blake2b(f"{key}:{path_stat.st_size}:{path_stat.st_mtime_ns}".encode(), digest_size=16)
    return f'"{digest.hexdigest()}"'


def content_disposition(filename: str, attachment: bool = True) -> str:
    """Both forms: `filename=` (ASCII fallback) for old clients and RFC 5987 `filename*=` for the real name."""
    fallback = (
        filename.encode("ascii", "replace").decode().replace('"', "").replace("\\", "").replace("?", "_")
    )
    # A newline or tab in a file name would split the header (Django refuses: BadHeaderError).
    fallback = "".join("_" if ord(c) < 32 or ord(c) == 127 else c for c in fallback)
    disposition = "attachment" if attachment else "inline"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _requested_range(request, size: int, etag: str, last_modified: int) -> tuple[int, int] | None | str:
    """(start, end) inclusive; None to send the whole file; "unsatisfiable" for a 416."""
    header = request.META.get("HTTP_RANGE", "").strip()
    if not header:
        return None
    if_range = request.META.get("HTTP_IF_RANGE", "").strip()
    if if_range and if_range != etag and parse_http_date_safe(if_range) != last_modified:
        return None  # the client's copy is stale: it gets the whole new file
    match = RANGE.match(header)
    if not match or match.groups() == ("", ""):
        return None  # several ranges or a bad header: the whole file is a valid answer (RFC 9110 14.2)
    first, last = match.groups()
    if first == "":
        start, end = max(0, size - int(last)), size - 1  # the last N bytes
    else:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
        if last and int(last) < start:
            return None
    if start >= size or size == 0:
        return "unsatisfiable"
    return start, end


def _read(path: Path, start: int, length: int):
    with open(path, "rb") as handle:
        handle.seek(start)
        while length > 0:
            chunk = handle.read(min(CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk


def file_response(
    request,
    path: Path,
    *,
    content_type: str,
    etag_key: str,
    cache_control: str,
    download_name: str | None = None,
    ranges: bool = False,
) -> HttpResponse:
    stat = path.stat()
    etag = etag_for(stat, etag_key)
    last_modified = int(stat.st_mtime)
    validators = {"ETag": etag, "Last-Modified": http_date(last_modified), "Cache-Control": cache_control}

    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:  # 304, or 412 for a failed If-Match
        for header, value in validators.items():
            not_modified.headers[header] = value
        return not_modified

    wanted = _requested_range(request, stat.st_size, etag, last_modified) if ranges else None
    if wanted == "unsatisfiable":
        response = HttpResponse(status=416)
        response.headers["Content-Range"] = f"bytes */{stat.st_size}"
    elif wanted is not None:
        start, end = wanted
        length = end - start + 1
        response = StreamingHttpResponse(_read(path, start, length), status=206, content_type=content_type)
        response.headers["Content-Range"] = f"bytes {start}-{end}/{stat.st_size}"
        response.headers["Content-Length"] = str(length)
    else:
        response = FileResponse(open(path, "rb"), content_type=content_type)  # noqa: SIM115 - FileResponse closes it
    for header, value in validators.items():
        response.headers[header] = value
    if ranges:
        response.headers["Accept-Ranges"] = "bytes"
    if download_name:
        response.headers["Content-Disposition"] = content_disposition(download_name)
    return response
