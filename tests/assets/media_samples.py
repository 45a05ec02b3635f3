"""Real media made on the spot for derivative and media tests: patterns, EXIF, ICC, ffmpeg clips."""

import json
import struct
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image

from tests.factories import AssetFactory, LibraryFactory

# A landscape pattern whose quadrants tell every rotation and mirror apart.
RED, GREEN, BLUE, WHITE = (230, 20, 20), (20, 200, 20), (20, 20, 230), (245, 245, 245)


def quadrant_pattern(width: int = 600, height: int = 400) -> Image.Image:
    """As the viewer must see it: red top-left, green top-right, blue bottom-left, white bottom-right."""
    image = Image.new("RGB", (width, height), WHITE)
    image.paste(RED, (0, 0, width // 2, height // 2))
    image.paste(GREEN, (width // 2, 0, width, height // 2))
    image.paste(BLUE, (0, height // 2, width // 2, height))
    return image


def quadrant_colours(image: Image.Image) -> list[tuple]:
    """Colours at the centres of the four quadrants, top-left, top-right, bottom-left, bottom-right."""
    w, h = image.size
    rgb = image.convert("RGB")
    return [rgb.getpixel((x, y)) for y in (h // 4, 3 * h // 4) for x in (w // 4, 3 * w // 4)]


def close(colour, expected, tolerance=30) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def stored_for_orientation(display: Image.Image, orientation: int) -> Image.Image:
    """The pixels a camera stores so that EXIF `orientation` (per the EXIF spec) displays `display`."""
    d = np.asarray(display)
    stored = {
        1: d,
        2: d[:, ::-1],  # mirrored horizontally
        3: d[::-1, ::-1],  # rotated 180
        4: d[::-1, :],  # mirrored vertically
        5: d.transpose(1, 0, 2),  # mirror + rotate: transpose is its own inverse
        6: np.rot90(d, 1),  # displayed after a 90 degree clockwise turn: stored turned counter-clockwise
        7: np.rot90(d, 2).transpose(1, 0, 2),  # transverse
        8: np.rot90(d, -1),  # displayed after a 90 degree counter-clockwise turn
    }[orientation]
    return Image.fromarray(np.ascontiguousarray(stored))


def exif_with_orientation(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(x, y, z) -> bytes:
    return b"XYZ \0\0\0\0" + _s15(x) + _s15(y) + _s15(z)


# Display P3 colorants adapted to the D50 connection space, as in Apple's profile.
P3_PRIMARIES = (
    (0.515102, 0.241182, -0.001050),
    (0.291965, 0.692236, 0.041882),
    (0.157153, 0.066582, 0.784073),
)
D50 = (0.964203, 1.0, 0.824905)


def display_p3_profile(gamma: float = 2.2) -> bytes:
    """A minimal ICC v2 RGB matrix/TRC profile with Display P3 primaries (LittleCMS reads it)."""
    desc_text = b"Test Display P3\0"
    desc = (
        b"desc\0\0\0\0" + struct.pack(">I", len(desc_text)) + desc_text + b"\0" * 4 + b"\0" * 4 + b"\0" * 70
    )
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(gamma * 256)) + b"\0\0"
    tags = [
        (b"desc", desc),
        (b"cprt", b"text\0\0\0\0public domain test profile\0"),
        (b"wtpt", _xyz(*D50)),
        (b"rXYZ", _xyz(*P3_PRIMARIES[0])),
        (b"gXYZ", _xyz(*P3_PRIMARIES[1])),
        (b"bXYZ", _xyz(*P3_PRIMARIES[2])),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = (
        struct.pack(">I", size)
        + b"lcms"
        + struct.pack(">I", 0x02100000)
        + b"mntrRGB XYZ "
        + struct.pack(">6H", 2024, 1, 1, 0, 0, 0)
        + b"acsp"
        + b"\0" * 24
        + struct.pack(">I", 0)
        + _s15(D50[0])
        + _s15(D50[1])
        + _s15(D50[2])
        + b"\0" * 48
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + data


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *args], check=True, timeout=60)


def make_clip(
    path: Path,
    *,
    video_codec="libx264",
    audio_codec="aac",
    seconds=1,
    size="160x120",
    black_first_second=False,
    rotate: int | None = None,
) -> Path:
    """A tiny test clip. `black_first_second`: 1 s of black, then red (a fade-in a poster must skip)."""
    if black_first_second:
        inputs = [
            "-f",
            "lavfi",
            "-i",
            f"color=c=black:s={size}:r=10:d=1",
            "-f",
            "lavfi",
            "-i",
            f"color=c=red:s={size}:r=10:d={seconds}",
        ]
        graph = ["-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0[v]", "-map", "[v]"]
    else:
        inputs = ["-f", "lavfi", "-i", f"testsrc=size={size}:rate=10:duration={seconds}"]
        graph = ["-map", "0:v"]
    if audio_codec:
        inputs += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
        graph += ["-map", f"{inputs.count('-i') - 1}:a", "-c:a", audio_codec]
    codec = ["-c:v", video_codec, "-pix_fmt", "yuv420p" if video_codec != "mjpeg" else "yuvj420p"]
    if video_codec == "libx265":
        codec += ["-x265-params", "log-level=error", "-tag:v", "hvc1"]
    ffmpeg(*inputs, *graph, *codec, str(path))
    if rotate is not None:
        # ffmpeg 5 only writes a display matrix when copying streams, as phones' files carry one.
        unrotated = path.with_name(f"unrotated-{path.name}")
        path.rename(unrotated)
        ffmpeg("-i", str(unrotated), "-c", "copy", "-metadata:s:v:0", f"rotate={rotate}", str(path))
        unrotated.unlink()
    return path


def probe(path: Path) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)],
        check=True,
        capture_output=True,
        timeout=30,
    ).stdout
    return json.loads(out)


def library_at(root: Path, owner) -> "LibraryFactory":
    return LibraryFactory(owner=owner, root_path=str(root))


def asset_for(library, relative: str, **fields):
    """An Asset row for a file made under the library root."""
    path = Path(library.root_path) / relative
    defaults = {
        "size": path.stat().st_size if path.exists() else 0,
        "content_hash": f"{abs(hash(relative)):016x}",
    }
    return AssetFactory(
        library=library, path=relative, filename=Path(relative).name, **{**defaults, **fields}
    )
