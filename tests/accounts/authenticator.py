"""A software WebAuthn authenticator for tests: an EC P-256 key made with `cryptography`, attestation
'none' for registration and real ECDSA assertions, built byte by byte as the WebAuthn spec lays
them out (authenticatorData, clientDataJSON, COSE key), so the server's verification is the real one.

    authenticator = SoftAuthenticator(origin="http://testserver")
    credential = authenticator.create(options)  # options: the JSON the server gave for credentials.create
    assertion = authenticator.get(options)      # ... for credentials.get
"""

import hashlib
import json
import os
import struct

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

UP, UV, AT = 0x01, 0x04, 0x40  # authenticatorData flags: user present, user verified, attested data
AAGUID = bytes(16)  # an attestation 'none' authenticator may say zeros


def b64(data: bytes) -> str:
    return bytes_to_base64url(data)


class SoftAuthenticator:
    def __init__(self, origin: str = "http://testserver", *, user_verified: bool = True, counter: bool = True):
        self.origin = origin
        self.user_verified = user_verified
        self.counter = counter  # False: an authenticator that always reports 0, as many passkeys do
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.sign_count = 0
        self.user_handle: bytes | None = None
        self.rp_id: str | None = None

    def cose_public_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        # COSE_Key: kty EC2 (2), alg ES256 (-7), crv P-256 (1), x, y.
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})

    def _flags(self, extra: int = 0) -> int:
        return UP | (UV if self.user_verified else 0) | extra

    def _client_data(self, kind: str, challenge: str, origin: str | None = None) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": origin or self.origin, "crossOrigin": False}
        ).encode()

    def create(self, options: dict, *, origin: str | None = None, rp_id: str | None = None) -> dict:
        """navigator.credentials.create(): a new credential for options["user"] at options["rp"]."""
        self.rp_id = rp_id or options["rp"]["id"]
        self.user_handle = base64url_to_bytes(options["user"]["id"])
        auth_data = (
            hashlib.sha256(self.rp_id.encode()).digest()
            + bytes([self._flags(AT)])
            + struct.pack(">I", self.sign_count)
            + AAGUID
            + struct.pack(">H", len(self.credential_id))
            + self.credential_id
            + self.cose_public_key()
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        return {
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(client_data),
                "attestationObject": b64(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }

    def get(self, options: dict, *, origin: str | None = None, sign_count: int | None = None) -> dict:
        """navigator.credentials.get(): an assertion over the challenge, signed with the key."""
        allowed = [c["id"] for c in options.get("allowCredentials") or []]
        assert not allowed or b64(self.credential_id) in allowed, "the server did not ask for this passkey"
        if self.counter:
            self.sign_count += 1
        count = self.sign_count if sign_count is None else sign_count
        rp_id = options.get("rpId") or self.rp_id
        auth_data = hashlib.sha256(rp_id.encode()).digest() + bytes([self._flags()]) + struct.pack(">I", count)
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return {
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(client_data),
                "authenticatorData": b64(auth_data),
                "signature": b64(signature),
                "userHandle": b64(self.user_handle) if self.user_handle else None,
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }
