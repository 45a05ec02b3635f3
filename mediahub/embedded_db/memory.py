"""Memory settings of the embedded server, sized from the machine (or the container's limit).

PostgreSQL's defaults (128 MB of shared buffers, a 4 GB effective_cache_size) are sized for a server
that must start anywhere. A photo library's hot data is larger: at 1,000,000 assets the HNSW index of
the image vectors alone is 2.6 GB, and with 128 MB every query by meaning read ~10,000 pages through
the kernel (tests/benchmarks/bench_hybrid.py: rare word p95 1,312 -> 607 ms with 3 GB at load 8-17).

Sizing: shared_buffers a quarter of the memory (PostgreSQL's usual advice), between 128 MB and 8 GB
(the workers, CLIP and ffmpeg need the rest), effective_cache_size half of it (a planner hint, nothing
is allocated). MEDIAHUB_DB_SHARED_BUFFERS / MEDIAHUB_DB_EFFECTIVE_CACHE_SIZE override either ("2GB",
"512MB"; "auto" is the sizing above). The values go to PGDATA/mediahub.conf, included at the end of
postgresql.conf and rewritten before every start; ALTER SYSTEM (postgresql.auto.conf, read last)
still wins, so an administrator's own tuning stays. shared_buffers applies from the server's next start.
"""

import re
from pathlib import Path

import psutil

MB = 1024 * 1024
MIN_SHARED_BUFFERS = 128 * MB
MAX_SHARED_BUFFERS = 8 * 1024 * MB
CONFIG_FILE = "mediahub.conf"
INCLUDE_LINE = f"include_if_exists = '{CONFIG_FILE}'  # MediaHub: memory sized from the machine"
_SIZE = re.compile(r"^\d+\s*(kB|MB|GB|TB)?$")
_CGROUP_LIMITS = ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")


def machine_memory() -> int:
    """Bytes of memory this install may use: the RAM, or a smaller cgroup (container) limit."""
    total = psutil.virtual_memory().total
    for path in _CGROUP_LIMITS:
        try:
            limit = Path(path).read_text().strip()
        except OSError:
            continue
        if limit.isdigit():  # "max" (cgroup v2) or a huge number (v1) means no limit
            total = min(total, int(limit))
    return total


def sized(total: int, shared_buffers: str = "auto", effective_cache_size: str = "auto") -> dict[str, str]:
    """The settings for a machine with `total` bytes; non-"auto" values are taken as given."""
    chosen = {
        "shared_buffers": f"{min(max(total // 4, MIN_SHARED_BUFFERS), MAX_SHARED_BUFFERS) // MB}MB",
        "effective_cache_size": f"{max(total // 2, MIN_SHARED_BUFFERS) // MB}MB",
    }
    for name, value in (("shared_buffers", shared_buffers), ("effective_cache_size", effective_cache_size)):
        value = (value or "auto").strip()
        if value == "auto":
            continue
        if not _SIZE.match(value):  # it is written into a config file: no quotes, no newlines
            raise ValueError(f"{name} must be a size like 512MB or 2GB, or auto, not {value!r}")
        chosen[name] = value
    return chosen


def write_config(pgdata: Path, values: dict[str, str]) -> None:
    """PGDATA/mediahub.conf holds `values`; postgresql.conf includes it (once)."""
    lines = "".join(f"{name} = '{value}'\n" for name, value in values.items())
    target = pgdata / CONFIG_FILE
    if not target.exists() or target.read_text() != lines:
        target.write_text(lines)
    main = pgdata / "postgresql.conf"
    text = main.read_text()
    if INCLUDE_LINE not in text:
        main.write_text(text + ("" if text.endswith("\n") else "\n") + INCLUDE_LINE + "\n")
