"""Generate an ECDSA P-256 signing key pair (PKCS#8 private PEM + SubjectPublicKeyInfo PEM).

Used once to create keys/test/; production keys are generated and kept elsewhere (an HSM / offline
machine), never in this repository.
"""
from __future__ import annotations

import argparse
import os

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def generate(private_path: str, public_path: str) -> None:
    if os.path.exists(private_path):
        raise SystemExit(f"{private_path} exists; refusing to overwrite a key")
    key = ec.generate_private_key(ec.SECP256R1())
    with open(private_path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    with open(public_path, "wb") as f:
        f.write(key.public_key().public_bytes(serialization.Encoding.PEM,
                                              serialization.PublicFormat.SubjectPublicKeyInfo))


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("private_pem")
    ap.add_argument("public_pem")
    a = ap.parse_args()
    generate(a.private_pem, a.public_pem)
