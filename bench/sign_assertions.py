#!/usr/bin/env python3
"""Pre-signs JWT-bearer assertions for bench/issuance.sh (issue 10): N RS256 JWTs, one per line,
each with its own jti, so that a load run measures the server, not the client's signing.

  bench/sign_assertions.py --key private.pem --kid KID --iss APP_ID --aud HOST:PORT --count N

Needs python3-cryptography. Signs on every core (RSA-2048 signing is ~25x dearer than verifying).
"""
import argparse
import base64
import json
import multiprocessing
import os
import sys
import time

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


_key = None
_args = None


def _init(key_pem: bytes, args):
    global _key, _args
    _key = serialization.load_pem_private_key(key_pem, password=None)
    _args = args


def _sign(i: int) -> str:
    now = int(time.time())
    header = b64(json.dumps({"alg": "RS256", "typ": "JWT", "kid": _args.kid}).encode())
    payload = b64(json.dumps({"iss": _args.iss, "aud": _args.aud, "iat": now, "exp": now + 3600,
                              "jti": f"{_args.prefix}{i:012d}"}).encode())
    signing_input = f"{header}.{payload}".encode()
    sig = _key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    return f"{header}.{payload}.{b64(sig)}"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--key", required=True)
    p.add_argument("--kid", required=True)
    p.add_argument("--iss", required=True)
    p.add_argument("--aud", required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--prefix", default=b64(os.urandom(9)))
    args = p.parse_args()
    with open(args.key, "rb") as f:
        key_pem = f.read()
    with multiprocessing.Pool(initializer=_init, initargs=(key_pem, args)) as pool:
        for jwt in pool.imap(_sign, range(args.count), chunksize=256):
            sys.stdout.write(jwt + "\n")


if __name__ == "__main__":
    main()
