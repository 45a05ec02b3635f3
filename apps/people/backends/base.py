"""The face backend interface: what the pipeline, clustering and the API may rely on."""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DetectedFace:
    box: tuple[int, int, int, int]  # x, y, width, height in pixels of the image given to detect()
    landmarks: tuple[tuple[float, float], ...]  # 5 points: right eye, left eye, nose, mouth corners
    score: float


class FaceBackend:
    """Subclasses load their models once (in __init__) and are kept per process by `get_backend`."""

    name: str = ""
    dimension: int = 0  # length of the unit vectors embed() returns

    def detect(self, image: np.ndarray) -> list[DetectedFace]:
        """Faces in an RGB uint8 image (H x W x 3), best score first."""
        raise NotImplementedError

    def embed(self, image: np.ndarray, face: DetectedFace) -> np.ndarray:
        """A unit-length float32 vector for one face of `image`, aligned on its landmarks."""
        raise NotImplementedError

    def model_files(self) -> list[str]:
        return []


def unit(vector) -> np.ndarray:
    vector = np.asarray(vector, dtype=np.float32).reshape(-1)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector
