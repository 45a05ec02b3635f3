"""Content sniffing: the first bytes decide the format, the extension only breaks ties.

Files are often mislabelled (a JPEG saved as .png, a HEIC renamed .jpg), so the
reader is picked from magic bytes. The extension is used only where the bytes
cannot tell formats apart (TIFF-based RAW files all start like a TIFF).
"""

from dataclasses import dataclass
from pathlib import Path

HEAD_SIZE = 512

# ISO-BMFF brands (the `ftyp` box) -> (format, kind, mime)
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"mif2", b"MiHE"}
_AVIF_BRANDS = {b"avif", b"avis"}
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"F4A ", b"M4P "}

_TIFF_RAW_BY_EXTENSION = {
    ".dng": ("dng", "image/x-adobe-dng"),
    ".cr2": ("cr2", "image/x-canon-cr2"),
    ".nef": ("nef", "image/x-nikon-nef"),
    ".nrw": ("nef", "image/x-nikon-nrw"),
    ".arw": ("arw", "image/x-sony-arw"),
    ".srf": ("arw", "image/x-sony-srf"),
    ".sr2": ("arw", "image/x-sony-sr2"),
    ".pef": ("pef", "image/x-pentax-pef"),
    ".kdc": ("kdc", "image/x-kodak-kdc"),
    ".dcr": ("kdc", "image/x-kodak-dcr"),
    ".3fr": ("3fr", "image/x-hasselblad-3fr"),
    ".iiq": ("iiq", "image/x-phaseone-iiq"),
    ".erf": ("erf", "image/x-epson-erf"),
    ".mos": ("mos", "image/x-leaf-mos"),
    ".srw": ("srw", "image/x-samsung-srw"),
}


@dataclass(frozen=True)
class Sniffed:
    format: str  # jpeg, png, heif, avif, cr3, mp4, mov, ...
    kind: str  # photo, video, audio, other
    mime: str

    @property
    def is_raw(self) -> bool:
        return self.format in RAW_FORMATS


RAW_FORMATS = {fmt for fmt, _ in _TIFF_RAW_BY_EXTENSION.values()} | {"cr3", "raf", "rw2", "orf", "crw"}

# The MIME types a RAW asset is stored with: what sniffing gives (above), and what the extension
# gave before the metadata stage ran (apps/scanning/media_types.py names Fujifilm's "x-fuji-raf").
# The `raw` filter (apps/assets/camera_filters.py) matches these.
RAW_MIMES = frozenset({mime for _, mime in _TIFF_RAW_BY_EXTENSION.values()} | {
    "image/x-canon-cr2", "image/x-canon-cr3", "image/x-canon-crw", "image/x-fujifilm-raf", "image/x-fuji-raf",
    "image/x-olympus-orf", "image/x-panasonic-rw2",
})

# Extensions each format is normally saved with: anything else earns a warning.
_USUAL_EXTENSIONS = {
    "jpeg": {".jpg", ".jpeg", ".jpe", ".jfif"},
    "png": {".png"},
    "gif": {".gif"},
    "webp": {".webp"},
    "bmp": {".bmp", ".dib"},
    "tiff": {".tif", ".tiff"},
    "heif": {".heic", ".heif", ".hif"},
    "avif": {".avif"},
    "jxl": {".jxl"},
}


def sniff(path: str | Path, head: bytes) -> Sniffed | None:
    """The format of a file from its first bytes (and its extension where bytes are ambiguous)."""
    ext = Path(path).suffix.lower()
    if head.startswith(b"\xff\xd8"):  # SOI; a broken marker after it is still a (broken) JPEG
        return Sniffed("jpeg", "photo", "image/jpeg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("png", "photo", "image/png")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Sniffed("gif", "photo", "image/gif")
    if head.startswith(b"BM") and len(head) >= 26:
        return Sniffed("bmp", "photo", "image/bmp")
    if head.startswith(b"\xff\x0a") or head.startswith(b"\x00\x00\x00\x0cJXL \r\n\x87\n"):
        return Sniffed("jxl", "photo", "image/jxl")
    if head.startswith(b"FUJIFILMCCD-RAW"):
        return Sniffed("raf", "photo", "image/x-fujifilm-raf")
    if head[:4] in (b"IIRO", b"IIRS", b"MMOR"):
        return Sniffed("orf", "photo", "image/x-olympus-orf")
    if head[:4] == b"IIU\x00":
        return Sniffed("rw2", "photo", "image/x-panasonic-rw2")
    if head[6:14] == b"HEAPCCDR":
        return Sniffed("crw", "photo", "image/x-canon-crw")
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        if head[8:10] == b"CR":
            return Sniffed("cr2", "photo", "image/x-canon-cr2")
        if ext in _TIFF_RAW_BY_EXTENSION:
            fmt, mime = _TIFF_RAW_BY_EXTENSION[ext]
            return Sniffed(fmt, "photo", mime)
        return Sniffed("tiff", "photo", "image/tiff")
    if head[:4] == b"RIFF":
        riff_type = head[8:12]
        if riff_type == b"WEBP":
            return Sniffed("webp", "photo", "image/webp")
        if riff_type == b"AVI ":
            return Sniffed("avi", "video", "video/x-msvideo")
        if riff_type == b"WAVE":
            return Sniffed("wav", "audio", "audio/wav")
        return None
    if head[4:8] == b"ftyp":
        return _sniff_iso_bmff(head)
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"):
        return Sniffed("mov", "video", "video/quicktime")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        if b"webm" in head[:64]:
            return Sniffed("webm", "video", "video/webm")
        return Sniffed("mkv", "video", "video/x-matroska")
    if _is_mpeg_ts(head, 188, 0):
        return Sniffed("mts", "video", "video/mp2t")
    if _is_mpeg_ts(head, 192, 4):
        return Sniffed("mts", "video", "video/m2ts")
    if head.startswith(b"\x00\x00\x01\xba"):
        return Sniffed("mpeg", "video", "video/mpeg")
    if head.startswith(b"\x30\x26\xb2\x75\x8e\x66\xcf\x11"):
        return Sniffed("asf", "video", "video/x-ms-asf")
    if head.startswith(b"FLV\x01"):
        return Sniffed("flv", "video", "video/x-flv")
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        # MPEG audio frame sync; AAC ADTS (0xFFF1/0xFFF9) shares the first 12 bits.
        if len(head) > 1 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0:
            return Sniffed("aac", "audio", "audio/aac")
        return Sniffed("mp3", "audio", "audio/mpeg")
    if head.startswith(b"fLaC"):
        return Sniffed("flac", "audio", "audio/flac")
    if head.startswith(b"OggS"):
        if b"theora" in head[:128].lower():
            return Sniffed("ogv", "video", "video/ogg")
        return Sniffed("ogg", "audio", "audio/ogg")
    if head.startswith(b"#!AMR"):
        return Sniffed("amr", "audio", "audio/amr")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith((b"<?xpacket", b"<x:xmpmeta")) or (
        stripped.startswith(b"<?xml") and b"xmpmeta" in head
    ):
        return Sniffed("xmp", "other", "application/rdf+xml")
    return None


def _sniff_iso_bmff(head: bytes) -> Sniffed:
    major = head[8:12]
    box_size = int.from_bytes(head[0:4], "big")
    compatible = {head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
    brands = {major} | compatible
    if major == b"crx ":
        return Sniffed("cr3", "photo", "image/x-canon-cr3")
    if major in _AVIF_BRANDS or (
        major in _HEIF_BRANDS and brands & _AVIF_BRANDS and not brands & {b"heic", b"heix"}
    ):
        return Sniffed("avif", "photo", "image/avif")
    if major in _HEIF_BRANDS:
        mime = "image/heic" if brands & {b"heic", b"heix", b"heim", b"heis"} else "image/heif"
        return Sniffed("heif", "photo", mime)
    if major in _AUDIO_BRANDS:
        return Sniffed("m4a", "audio", "audio/mp4")
    if major == b"qt  ":
        return Sniffed("mov", "video", "video/quicktime")
    if major.startswith(b"3g2"):
        return Sniffed("3gp", "video", "video/3gpp2")
    if major.startswith(b"3gp") or major.startswith(b"3ge") or major.startswith(b"3gg"):
        return Sniffed("3gp", "video", "video/3gpp")
    if major == b"M4V ":
        return Sniffed("m4v", "video", "video/x-m4v")
    return Sniffed("mp4", "video", "video/mp4")


def _is_mpeg_ts(head: bytes, packet: int, start: int) -> bool:
    # Sync byte 0x47 at the start of two consecutive packets; one alone is too weak a signal.
    return len(head) > start + packet and head[start] == 0x47 and head[start + packet] == 0x47


def extension_warning(path: str | Path, sniffed: Sniffed) -> str | None:
    """A warning when an image's extension names a different format than its content."""
    usual = _USUAL_EXTENSIONS.get(sniffed.format)
    ext = Path(path).suffix.lower()
    if usual is None or ext in usual:
        return None
    return f"content is {sniffed.format.upper()} but the file extension is '{ext or '(none)'}'"
