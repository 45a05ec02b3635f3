"""Photos with words painted in them (Pillow + DejaVu Sans), for the OCR stage's tests and benchmark."""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def painted(path: Path, lines: list[tuple[str, tuple[int, int]]], size=(960, 540), font_size=64) -> Path:
    """A JPEG with each (text, (x, y)) line painted in dark ink on a pale, slightly textured ground."""
    image = Image.new("RGB", size, (236, 228, 210))
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], 24):  # a little texture, so the detector sees a photo, not a page
        draw.line([(x, 0), (x + size[1] // 3, size[1])], fill=(226, 218, 198), width=3)
    font = ImageFont.truetype(FONT, font_size)
    for text, position in lines:
        draw.text(position, text, fill=(30, 30, 60), font=font)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=90)
    return path
