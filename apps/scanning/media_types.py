"""Which files are assets, and of what kind: decided by extension alone, so it costs no I/O."""

import mimetypes

PHOTO_EXTENSIONS = {
    "jpg",
    "jpeg",
    "jpe",
    "jfif",
    "png",
    "gif",
    "webp",
    "bmp",
    "tif",
    "tiff",
    "heic",
    "heif",
    "hif",
    "avif",
    "jxl",
    # RAW formats: metadata always, previews from the embedded JPEG.
    "dng",
    "cr2",
    "cr3",
    "crw",
    "nef",
    "nrw",
    "arw",
    "srf",
    "sr2",
    "raf",
    "rw2",
    "orf",
    "pef",
    "srw",
    "x3f",
    "3fr",
    "iiq",
    "rwl",
    "erf",
    "mrw",
    "kdc",
    "dcr",
}
VIDEO_EXTENSIONS = {
    "mp4",
    "m4v",
    "mov",
    "qt",
    "3gp",
    "3g2",
    "mts",
    "m2ts",
    "ts",
    "avi",
    "mkv",
    "webm",
    "wmv",
    "mpg",
    "mpeg",
    "flv",
    "ogv",
    "vob",
    "mxf",
}
AUDIO_EXTENSIONS = {"mp3", "m4a", "aac", "wav", "flac", "ogg", "oga", "opus", "wma", "aif", "aiff", "amr"}

# Extra MIME types the stdlib table lacks, so every asset gets a useful Content-Type.
_EXTRA_MIME = {
    "heic": "image/heic",
    "heif": "image/heif",
    "hif": "image/heif",
    "avif": "image/avif",
    "jxl": "image/jxl",
    "webp": "image/webp",
    "dng": "image/x-adobe-dng",
    "cr2": "image/x-canon-cr2",
    "cr3": "image/x-canon-cr3",
    "nef": "image/x-nikon-nef",
    "arw": "image/x-sony-arw",
    "raf": "image/x-fuji-raf",
    "rw2": "image/x-panasonic-rw2",
    "orf": "image/x-olympus-orf",
    "mts": "video/mp2t",
    "m2ts": "video/mp2t",
    "mkv": "video/x-matroska",
    "webm": "video/webm",
    "m4v": "video/x-m4v",
    "3gp": "video/3gpp",
    "mov": "video/quicktime",
    "m4a": "audio/mp4",
    "opus": "audio/opus",
    "flac": "audio/flac",
}


def extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot + 1 :].lower() if dot > 0 else ""


def classify(name: str) -> str | None:
    """'photo', 'video' or 'audio'; None for anything that is not an asset (sidecars, documents)."""
    ext = extension(name)
    if ext in PHOTO_EXTENSIONS:
        return "photo"
    if ext in VIDEO_EXTENSIONS:
        return "video"
    if ext in AUDIO_EXTENSIONS:
        return "audio"
    return None


def mime_type(name: str) -> str:
    ext = extension(name)
    return _EXTRA_MIME.get(ext) or mimetypes.guess_type("x." + ext)[0] or "application/octet-stream"
