"""The signature every delivery carries, as Stripe signs its webhooks:

    MediaHub-Signature: t=1767225600,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd

`t` is the Unix time of the attempt; `v1` is the hex HMAC-SHA256, keyed with the hook's secret, of
`t`, a full stop and the request body's exact bytes. A receiver recomputes it over the body as
received (before parsing the JSON), compares in constant time, and refuses a `t` older than a few
minutes, so a captured delivery cannot be replayed later. Each attempt is signed afresh.
"""

import hashlib
import hmac
import time

HEADER = "MediaHub-Signature"
TOLERANCE = 300  # seconds a receiver should accept a signature for


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(
    secret: str, value: str, body: bytes, tolerance: int = TOLERANCE, now: float | None = None
) -> bool:
    """What a receiver does: the header's `v1` matches and its `t` is recent."""
    parts = dict(part.split("=", 1) for part in value.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(parts.get("v1", ""), signature(secret, timestamp, body))
