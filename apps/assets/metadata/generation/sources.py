"""Where AI tools leave their parameters: PNG text chunks, EXIF UserComment (JPEG, WebP), XMP.

PNG chunks are walked here rather than taken from Pillow's `info`: Pillow only has the chunks before
the image data until the pixels are decoded (the metadata stage reads tags only), it refuses a whole
file over one oversized zTXt, and it reads every text chunk. This walk reads only the keys a parser
wants, each at most MAX_CHUNK bytes (after decompression), skipping the image data by seeking.
"""

import io
import struct
import zlib

from PIL import Image

MAX_CHUNK = 8 * 1024 * 1024  # a big ComfyUI workflow is a few hundred KB; this bounds a hostile one
MAX_TOTAL = 24 * 1024 * 1024
MAX_CHUNKS = 100_000  # a file of millions of empty chunks must not spin
MAX_COMMENT = 4 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WANTED = frozenset({
    "parameters", "prompt", "workflow", "invokeai_metadata", "sd-metadata", "Dream", "Software",
    "Description", "Comment", "Source", "fooocus_scheme", "Fooocus", "Title",
})
_TEXT_CHUNKS = {b"tEXt", b"zTXt", b"iTXt"}
_USER_COMMENT, _EXIF_IFD = 0x9286, 0x8769
_IMAGE_DESCRIPTION, _MAKE, _MODEL = 0x010E, 0x010F, 0x0110


def png_texts(path) -> dict[str, str]:
    """{keyword: text} of the wanted tEXt/zTXt/iTXt chunks; a broken chunk ends the walk, keeping what was read."""
    found: dict[str, str] = {}
    total = 0
    with open(path, "rb") as fh:
        if fh.read(8) != PNG_SIGNATURE:
            return found
        for _ in range(MAX_CHUNKS):
            header = fh.read(8)
            if len(header) < 8:
                break
            length, kind = struct.unpack(">I4s", header)
            if kind == b"IEND":
                break
            if kind not in _TEXT_CHUNKS or length > MAX_CHUNK or total + length > MAX_TOTAL:
                fh.seek(length + 4, io.SEEK_CUR)  # data and CRC
                continue
            data = fh.read(length)
            fh.seek(4, io.SEEK_CUR)
            if len(data) < length:
                break
            total += length
            keyword, value = _text_chunk(kind, data)
            if keyword in WANTED and value is not None:
                found.setdefault(keyword, value)
    return found


def _text_chunk(kind: bytes, data: bytes) -> tuple[str, str | None]:
    keyword, _, rest = data.partition(b"\x00")
    keyword = keyword.decode("latin-1")
    if keyword not in WANTED:
        return keyword, None
    if kind == b"tEXt":
        return keyword, _decode(rest, "latin-1")
    if kind == b"zTXt":
        return keyword, _decode(_inflate(rest[1:]), "latin-1")
    # iTXt: compression flag, method, language\0, translated keyword\0, UTF-8 text
    if len(rest) < 2:
        return keyword, None
    compressed, body = rest[0], rest[2:]
    parts = body.split(b"\x00", 2)
    if len(parts) < 3:
        return keyword, None
    value = _inflate(parts[2]) if compressed else parts[2]
    return keyword, _decode(value, "utf-8")


def _inflate(data: bytes) -> bytes | None:
    """zlib with a ceiling on the output: a zip bomb stops at MAX_CHUNK instead of filling memory."""
    try:
        inflater = zlib.decompressobj()
        out = inflater.decompress(data, MAX_CHUNK)
    except zlib.error:
        return None
    return None if inflater.unconsumed_tail else out


def _decode(value: bytes | None, encoding: str) -> str | None:
    """Text as written; bytes that are not valid in the chunk's encoding become U+FFFD, never an error.
    tEXt is Latin-1 by the PNG spec, but every AI tool writes UTF-8 there: try that first."""
    if value is None:
        return None
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode(encoding, "replace")


def decode_user_comment(raw, big_endian: bool = False) -> str:
    """EXIF UserComment: an 8-byte character code, then the text.

    'UNICODE\\0' is UTF-16, in either byte order whatever the spec says: A1111 (through piexif) writes
    big-endian, other tools follow the TIFF header's order. A BOM decides, else the side the zero
    bytes of ASCII fall on, else the TIFF byte order.
    """
    if isinstance(raw, str):
        return raw.replace("\x00", "").strip()
    if not isinstance(raw, bytes | bytearray) or not raw:
        return ""
    raw = bytes(raw[:MAX_COMMENT])
    code, body = raw[:8], raw[8:]
    if code == b"UNICODE\x00":
        return _utf16(body, big_endian).replace("\x00", "").strip()
    if code in (b"ASCII\x00\x00\x00", b"\x00" * 8, b"JIS\x00\x00\x00\x00\x00"):
        # Undefined (all zeros) is in practice UTF-8; JIS is too rare to carry a decoder for.
        return body.decode("utf-8", "replace").replace("\x00", "").strip()
    return raw.decode("utf-8", "replace").replace("\x00", "").strip()  # no character code at all


def _utf16(body: bytes, big_endian: bool) -> str:
    if body[:2] in (b"\xfe\xff", b"\xff\xfe"):
        return body.decode("utf-16", "replace")  # the BOM picks the order
    sample = body[:512]
    even_zeros = sum(1 for b in sample[0::2] if b == 0)
    odd_zeros = sum(1 for b in sample[1::2] if b == 0)
    if even_zeros != odd_zeros:
        big_endian = even_zeros > odd_zeros  # 'A' is 00 41 big-endian, 41 00 little-endian
    return body[: len(body) // 2 * 2].decode("utf-16-be" if big_endian else "utf-16-le", "replace")


def exif_texts(tiff: bytes | None) -> dict[str, str]:
    """UserComment, and the IFD0 strings ComfyUI's WebP saver uses ('prompt:{...}' in Model,
    'workflow:{...}' in Make), from a TIFF-structured EXIF block. A malformed block gives {}."""
    if not tiff:
        return {}
    try:
        exif = Image.Exif()
        exif.load(tiff)
        found = {}
        for tag, name in ((_MAKE, "Make"), (_MODEL, "Model"), (_IMAGE_DESCRIPTION, "ImageDescription")):
            value = exif.get(tag)
            if isinstance(value, str) and value:
                found[name] = value[:MAX_CHUNK]
        comment = decode_user_comment(exif.get_ifd(_EXIF_IFD).get(_USER_COMMENT), exif.endian == ">")
    except Exception:  # noqa: BLE001 - Pillow raises anything from struct.error to KeyError on bad IFDs
        return {}
    if comment:
        found["UserComment"] = comment
    return found
