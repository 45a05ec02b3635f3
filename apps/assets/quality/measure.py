"""Photo quality from the stored preview, in numpy alone (OpenCV is in the optional ML stack only).

The preview is decoded once, to grey, at reduced scale (JPEG DCT scaling through Pillow's draft(),
so a 1600 px preview costs a 800 px decode), to at most ANALYSIS_SIZE px on its long side. All the
measures are taken on that one array, so they compare across photos whatever their resolution.

Measures (each stored per asset, apps/assets/models/quality.py):
- sharpness: variance of the 4-neighbour Laplacian of the whole frame (grey levels 0-255);
- face_sharpness: the same inside the largest face's box (when the faces stage found one and the box
  is at least MIN_FACE_PX px at analysis scale);
- highlights / shadows: the fractions of pixels at or above 250, at or below 5 (clipped);
- noise: Immerkaer's fast estimate of the standard deviation of Gaussian noise (grey levels), from
  the Laplacian-difference kernel [[1,-2,1],[-2,4,-2],[1,-2,1]] (J. Immerkaer, "Fast noise variance
  estimation", CVIU 1996); texture raises it a little, so the noise weight is small;
- face_size: the largest face's height over the frame's short side;
- frontal: 1 - 2 * |the nose's offset from the eyes' midpoint, along the eye line| / the eye distance,
  from the detector's five landmarks (1 facing the camera, 0 in profile), clipped to 0-1.

The score (0-100, an integer) combines them:

    sharp(v)  = clip((ln(1 + v) - ln(1 + BLUR)) / (ln(1 + SHARP) - ln(1 + BLUR)), 0, 1)
                with BLUR = BLUR_VARIANCE (5) and SHARP = SHARP_VARIANCE (500)
    exposure  = clip(1 - max(0, highlights - 0.02) / 0.20 - max(0, shadows - 0.10) / 0.40, 0, 1)
    clean     = clip(1 - max(0, noise - 2) / 10, 0, 1)
    no face:    score = 100 * (0.55 sharp(sharpness) + 0.30 exposure + 0.15 clean)
    with a face:
        face  = 0.6 sharp(face_sharpness or sharpness) + 0.2 clip(face_size / 0.15, 0, 1) + 0.2 frontal
                (frontal 0.5 when the backend gave no landmarks)
        score = 100 * (0.30 sharp(sharpness) + 0.25 exposure + 0.10 clean + 0.35 face)

Sharpness carries the most weight because it is what a burst's shots differ by, and what no edit
can repair; a few clipped pixels (a light, a specular highlight) cost nothing. Two flags come with
it: `blurry`, the subject (the largest face, else the frame) under BLURRY_VARIANCE (60), and
`badly_exposed`, an exposure term under 0.5 (over a fifth of the frame burnt out, over half of it
crushed to black, or a mix of both).
"""

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image

ANALYSIS_SIZE = 800  # px on the long side: enough for focus at a glance, 4x fewer pixels than the preview
MIN_FACE_PX = 24  # a face box smaller than this (at analysis scale) is too small to judge focus in
BLUR_VARIANCE = 5.0  # Laplacian variance at or under which a frame reads as blurred through (sharp term 0)
SHARP_VARIANCE = 500.0  # at or over which it reads as crisp (sharp term 1); log scale between
BLURRY_VARIANCE = 60.0  # the `blurry` flag: the subject's Laplacian variance under this
HIGHLIGHT, SHADOW = 250, 5  # grey levels counted as clipped
VERSION = 1  # bumped when a formula changes: `run_stages --stage quality --force` recomputes


@dataclass
class FaceBox:
    """A face in the coordinates of the image it was found in (the stored preview)."""

    x: float
    y: float
    width: float
    height: float
    landmarks: list  # 5 (x, y): right eye, left eye, nose, mouth corners; may be empty
    image_width: int
    image_height: int


@dataclass
class Measures:
    sharpness: float
    highlights: float
    shadows: float
    noise: float
    face_sharpness: float | None = None
    face_size: float | None = None
    frontal: float | None = None
    faces: int = 0
    score: int = 0
    blurry: bool = False
    badly_exposed: bool = False


def load_grey(path) -> np.ndarray:
    """The image at `path` as float32 grey, at most ANALYSIS_SIZE px long, decoded once."""
    with Image.open(path) as image:
        # JPEG: decoded at 1/2, 1/4 or 1/8 scale, the smallest that still covers the analysis size.
        # draft() keeps both sides at or above the size it is given, so it gets the image's own shape.
        shrink = ANALYSIS_SIZE / max(image.size)
        image.draft("L", (max(1, int(image.width * shrink)), max(1, int(image.height * shrink))))
        grey = image.convert("L")
    long_side = max(grey.size)
    if long_side > ANALYSIS_SIZE:
        scale = ANALYSIS_SIZE / long_side
        size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
        grey = grey.resize(size, Image.BILINEAR)
    return np.asarray(grey, dtype=np.float32)


def laplacian_variance(grey: np.ndarray) -> float:
    if grey.shape[0] < 3 or grey.shape[1] < 3:
        return 0.0
    centre = grey[1:-1, 1:-1]
    laplacian = grey[:-2, 1:-1] + grey[2:, 1:-1] + grey[1:-1, :-2] + grey[1:-1, 2:] - 4 * centre
    return float(laplacian.var())


def noise_sigma(grey: np.ndarray) -> float:
    """Immerkaer's estimate: sqrt(pi/2) / (6 (W-2)(H-2)) * sum |grey (*) N|."""
    h, w = grey.shape
    if h < 3 or w < 3:
        return 0.0
    response = (
        grey[:-2, :-2] + grey[:-2, 2:] + grey[2:, :-2] + grey[2:, 2:]
        - 2 * (grey[:-2, 1:-1] + grey[2:, 1:-1] + grey[1:-1, :-2] + grey[1:-1, 2:])
        + 4 * grey[1:-1, 1:-1]
    )
    return float(math.sqrt(math.pi / 2) * np.abs(response).sum() / (6 * (w - 2) * (h - 2)))


def frontalness(landmarks) -> float | None:
    """1 when the nose sits midway between the eyes (along the eye line, so a tilted head is still
    frontal), 0 when it sits over one eye or beyond (a profile)."""
    if not landmarks or len(landmarks) < 3:
        return None
    right_eye, left_eye, nose = (np.asarray(p, dtype=np.float64) for p in landmarks[:3])
    axis = left_eye - right_eye
    distance = float(np.hypot(*axis))
    if distance < 1e-6:
        return None
    offset = float(np.dot(nose - (right_eye + left_eye) / 2, axis / distance))
    return float(np.clip(1 - 2 * abs(offset) / distance, 0, 1))


def _largest(faces: list[FaceBox]) -> FaceBox | None:
    return max(faces, key=lambda f: f.width * f.height, default=None)


def _face_measures(grey: np.ndarray, face: FaceBox, measures: Measures) -> None:
    h, w = grey.shape
    sx, sy = w / face.image_width, h / face.image_height
    x0, y0 = max(0, int(face.x * sx)), max(0, int(face.y * sy))
    x1 = min(w, int(math.ceil((face.x + face.width) * sx)))
    y1 = min(h, int(math.ceil((face.y + face.height) * sy)))
    if min(x1 - x0, y1 - y0) >= MIN_FACE_PX:
        measures.face_sharpness = laplacian_variance(grey[y0:y1, x0:x1])
    measures.face_size = float(min(1.0, face.height / min(face.image_width, face.image_height)))
    measures.frontal = frontalness(face.landmarks)


def measure(grey: np.ndarray, faces: list[FaceBox] = ()) -> Measures:
    """Every measure of one decoded image, and the score and flags made of them."""
    pixels = grey.size or 1
    measures = Measures(
        sharpness=laplacian_variance(grey),
        highlights=float(np.count_nonzero(grey >= HIGHLIGHT) / pixels),
        shadows=float(np.count_nonzero(grey <= SHADOW) / pixels),
        noise=noise_sigma(grey),
        faces=len(faces),
    )
    face = _largest(list(faces))
    if face is not None:
        _face_measures(grey, face, measures)
    measures.score, measures.blurry, measures.badly_exposed = score(measures)
    return measures


def sharp_term(variance: float) -> float:
    low, high = math.log1p(BLUR_VARIANCE), math.log1p(SHARP_VARIANCE)
    return float(np.clip((math.log1p(max(variance, 0.0)) - low) / (high - low), 0, 1))


def exposure_term(highlights: float, shadows: float) -> float:
    return float(np.clip(1 - max(0.0, highlights - 0.02) / 0.20 - max(0.0, shadows - 0.10) / 0.40, 0, 1))


def score(m: Measures) -> tuple[int, bool, bool]:
    """(score 0-100, blurry, badly_exposed): the formula of the module docstring."""
    sharp = sharp_term(m.sharpness)
    exposure = exposure_term(m.highlights, m.shadows)
    clean = float(np.clip(1 - max(0.0, m.noise - 2) / 10, 0, 1))
    subject = m.sharpness
    if m.faces:
        subject = m.face_sharpness if m.face_sharpness is not None else m.sharpness
        size = float(np.clip((m.face_size or 0) / 0.15, 0, 1))
        face = 0.6 * sharp_term(subject) + 0.2 * size + 0.2 * (m.frontal if m.frontal is not None else 0.5)
        total = 0.30 * sharp + 0.25 * exposure + 0.10 * clean + 0.35 * face
    else:
        total = 0.55 * sharp + 0.30 * exposure + 0.15 * clean
    return round(100 * total), subject < BLURRY_VARIANCE, exposure < 0.5
