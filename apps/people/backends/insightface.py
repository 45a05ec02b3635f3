"""insightface buffalo_l (SCRFD detector + ArcFace 512-d) on onnxruntime, CUDA when available.

Used when the pack is in MEDIAHUB_MODELS_DIR/models/buffalo_l or insightface may download it.
Not exercised by the test suite: no pack can be fetched on the build machines.
"""

from pathlib import Path

import numpy as np
from django.conf import settings

from .base import DetectedFace, FaceBackend, unit

PACK = "buffalo_l"


def pack_dir() -> Path:
    return Path(settings.MODELS_DIR) / "models" / PACK  # insightface's own layout under its root


class InsightFaceBackend(FaceBackend):
    name = "insightface"
    dimension = 512

    def __init__(self):
        import onnxruntime
        from insightface.app import FaceAnalysis

        providers = [
            p for p in ("CUDAExecutionProvider", "CPUExecutionProvider") if p in onnxruntime.get_available_providers()
        ]
        self._app = FaceAnalysis(
            name=PACK, root=str(settings.MODELS_DIR), providers=providers, allowed_modules=["detection", "recognition"]
        )
        self._app.prepare(ctx_id=0 if "CUDAExecutionProvider" in providers else -1, det_size=(640, 640))

    def detect(self, image: np.ndarray) -> list[DetectedFace]:
        found = self._app.get(np.ascontiguousarray(image[:, :, ::-1]))
        faces = []
        for face in found:
            x1, y1, x2, y2 = (int(round(v)) for v in face.bbox)
            faces.append(
                DetectedFace(
                    box=(x1, y1, x2 - x1, y2 - y1),
                    landmarks=tuple((float(x), float(y)) for x, y in face.kps),
                    score=float(face.det_score),
                )
            )
        return sorted(faces, key=lambda f: f.score, reverse=True)

    def embed(self, image: np.ndarray, face: DetectedFace) -> np.ndarray:
        from insightface.utils import face_align

        recognizer = self._app.models["recognition"]
        crop = face_align.norm_crop(np.ascontiguousarray(image[:, :, ::-1]), np.array(face.landmarks, np.float32))
        return unit(recognizer.get_feat(crop))

    def model_files(self) -> list[str]:
        return sorted(str(p) for p in pack_dir().glob("*.onnx"))
