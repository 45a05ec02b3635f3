"""Resident memory (RSS) of a real web process before and after its first query by meaning.

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_clip_memory.py -s
            or  .venv/bin/python -m tests.benchmarks.bench_clip_memory [TREE]
TREE (default: this checkout) is the source tree the web process runs, so an older commit is measured
the same way:  git worktree add /tmp/mediahub-old <commit>; ... bench_clip_memory /tmp/mediahub-old
Goal: under 400 MB per web process with the text model loaded.

No model hub is reachable here, so the model is a randomly initialised CLIP with the real ViT-B/32
configuration (transformers CLIPConfig defaults and CLIP's 49,408-token vocabulary: 151 M parameters,
605 MB of float32), saved as the hub's sentence-transformers/clip-ViT-B-32 is laid out (modules.json
+ 0_CLIPModel/) in MEDIAHUB_MODELS_DIR/clip-ViT-B-32, where the loader finds the default model
offline. Random weights cost the same memory and time as trained ones.

gunicorn runs the production command (mediahub.wsgi, one worker, 4 threads) over a migrated data dir
kept in BENCH_CLIP_DIR (default /tmp/mediahub-bench-clip-memory). The worker's RSS is read (psutil)
after a words-only search, after the first search by meaning (search_type=semantic: the model
loads), and after 20 more.
"""

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil

DATA_DIR = Path(os.environ.get("BENCH_CLIP_DIR", "/tmp/mediahub-bench-clip-memory"))
MODEL = "clip-ViT-B-32"
HERE = Path(__file__).resolve().parents[2]
QUERIES = 20


def build_model(models_dir: Path) -> Path:
    root = models_dir / MODEL
    if (root / "modules.json").is_file():
        return root
    from tests.search.conftest import build_clip

    staging = models_dir / f".{MODEL}-building"
    shutil.rmtree(staging, ignore_errors=True)
    build_clip(staging / "0_CLIPModel", tiny=False)
    (staging / "modules.json").write_text(json.dumps([{"idx": 0, "name": "0", "path": "0_CLIPModel",
                                                       "type": "sentence_transformers.models.CLIPModel"}]))
    staging.rename(root)
    return root


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEDIAHUB_", "DATABASE_URL", "DJANGO_"))}
    env.update(MEDIAHUB_DATA_DIR=str(DATA_DIR), DJANGO_SETTINGS_MODULE="mediahub.settings",
               MEDIAHUB_CLIP_MODEL=MODEL, SECRET_KEY="bench-only-secret-key-" + "x" * 40)
    return env


def _manage(tree: Path, *args) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=tree, env=_env(),
                            capture_output=True, text=True, check=True)
    return result.stdout


def _token(tree: Path) -> str:
    _manage(tree, "migrate", "--noinput", "-v", "0")
    script = ("from django.contrib.auth import get_user_model; from apps.accounts.tokens import create_token; "
              "user, _ = get_user_model().objects.get_or_create(username='bench'); "
              "print(create_token(user, 'bench-' + str(__import__('time').time()))[1])")
    return _manage(tree, "shell", "-c", script).strip().splitlines()[-1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Web:
    def __init__(self, tree: Path):
        self.port = _free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "mediahub.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "1", "--threads", "4", "--timeout", "300"],
            cwd=tree, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            children = psutil.Process(self.process.pid).children()
            if children:
                try:
                    socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                    self.worker = children[0]
                    return
                except OSError:
                    pass
            time.sleep(0.2)  # polling a server start against a deadline, not timing anything
        raise RuntimeError("gunicorn did not start")

    def get(self, token: str, **params) -> tuple[float, dict]:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/api/search/?{urllib.parse.urlencode(params)}",
                                         headers={"Authorization": f"Token {token}"})
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=300) as response:
            body = json.loads(response.read())
        return (time.perf_counter() - start) * 1000, body

    def rss(self) -> float:
        return self.worker.memory_info().rss / 2 ** 20

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def measure(tree: Path = HERE, log=print) -> dict:
    start = time.perf_counter()
    build_model(DATA_DIR / "models")
    token = _token(tree)
    log(f"model and data dir ready in {time.perf_counter() - start:.0f} s ({DATA_DIR}); tree: {tree}")
    web = Web(tree)
    try:
        figures = {"started": web.rss()}
        web.get(token, q="beach", search_type="text")
        figures["words"] = web.rss()
        first, body = web.get(token, q="a dog on a beach", search_type="semantic")
        assert body.get("search_type") == "semantic", body
        figures["first"], figures["first_ms"] = web.rss(), first
        samples = sorted(web.get(token, q=f"a dog on a beach number {n}", search_type="semantic")[0]
                         for n in range(QUERIES))
        figures["more"], figures["p50_ms"] = web.rss(), statistics.median(samples)
    finally:
        web.stop()
    log(f"web worker RSS: started {figures['started']:.0f} MB, after a words-only search {figures['words']:.0f} MB, "
        f"after the first search by meaning {figures['first']:.0f} MB (that request: {figures['first_ms']:.0f} ms, "
        f"model load included), after {QUERIES} more {figures['more']:.0f} MB; "
        f"request p50 by meaning {figures['p50_ms']:.1f} ms (goal: < 400 MB with the text model loaded)")
    return figures


def test_web_process_memory_with_the_text_model_loaded():
    measure()


if __name__ == "__main__":
    measure(Path(sys.argv[1]).resolve() if sys.argv[1:] else HERE)
