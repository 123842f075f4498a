"""fe-bundle-1: manifest.json, its ECDSA P-256 signature, and verification.

The signature covers the exact bytes of manifest.json, and the manifest carries the SHA-256 of every
other file, so one signature check plus hash checks authenticates the whole folder.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

FORMAT = "fe-bundle-1"
MANIFEST, SIGNATURE = "manifest.json", "manifest.sig"


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_private_key(path: str) -> ec.EllipticCurvePrivateKey:
    with open(path, "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ValueError(f"{path}: need an unencrypted ECDSA P-256 (secp256r1) private key")
    return key


def load_public_key(path: str) -> ec.EllipticCurvePublicKey:
    with open(path, "rb") as f:
        key = serialization.load_pem_public_key(f.read())
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        raise ValueError(f"{path}: need an ECDSA P-256 public key")
    return key


def key_id(public_key: ec.EllipticCurvePublicKey) -> str:
    """First 16 hex chars of SHA-256 over the SubjectPublicKeyInfo DER (as the contract defines)."""
    spki = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(spki).hexdigest()[:16]


def manifest_bytes(manifest: dict) -> bytes:
    """Deterministic UTF-8 JSON: readable, and the same dict always gives the same signed bytes."""
    return (json.dumps(manifest, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


def write_signed_manifest(bundle_dir: str, manifest: dict, key: ec.EllipticCurvePrivateKey) -> None:
    data = manifest_bytes(manifest)
    sig = key.sign(data, ec.ECDSA(hashes.SHA256()))  # DER-encoded (RFC 3279) r,s
    with open(os.path.join(bundle_dir, MANIFEST), "wb") as f:
        f.write(data)
    with open(os.path.join(bundle_dir, SIGNATURE), "w", encoding="ascii") as f:
        f.write(base64.b64encode(sig).decode("ascii") + "\n")


class BundleError(Exception):
    pass


def verify_bundle(bundle_dir: str, public_key: ec.EllipticCurvePublicKey) -> dict:
    """Check signature, key id and every file hash; return the manifest or raise BundleError."""
    with open(os.path.join(bundle_dir, MANIFEST), "rb") as f:
        data = f.read()
    with open(os.path.join(bundle_dir, SIGNATURE), "rb") as f:
        sig_text = f.read().strip()
    try:
        sig = base64.b64decode(sig_text, validate=True)
        public_key.verify(sig, data, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError) as e:
        raise BundleError(f"manifest signature does not verify: {e!r}") from None
    manifest = json.loads(data)
    if manifest.get("format") != FORMAT:
        raise BundleError(f"format {manifest.get('format')!r} is not {FORMAT}")
    if manifest.get("signing_key_id") != key_id(public_key):
        raise BundleError("signing_key_id does not match the verifying key")
    for name, digest in manifest["files"].items():
        path = os.path.join(bundle_dir, name)
        if not os.path.exists(path) or sha256_file(path) != digest:
            raise BundleError(f"{name}: missing or SHA-256 mismatch")
    return manifest


if __name__ == "__main__":
    import argparse
    import sys

    ap = argparse.ArgumentParser(description="verify a fe-bundle-1 folder")
    ap.add_argument("bundle")
    ap.add_argument("--pub", required=True, help="SubjectPublicKeyInfo PEM")
    a = ap.parse_args()
    try:
        m = verify_bundle(a.bundle, load_public_key(a.pub))
    except BundleError as e:
        print(f"INVALID: {e}", file=sys.stderr)
        sys.exit(1)
    print(f"OK {m['name']} {m['version']} key {m['signing_key_id']}")
