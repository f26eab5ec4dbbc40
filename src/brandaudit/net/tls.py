"""The TLS context every transport shares, made once per process.

Loading the CA bundle costs 20-50 ms of CPU each time (``httpx.create_ssl_context`` parses
every certificate in it). A run makes one; a program that calls ``brandaudit.audit.run_audit``
again and again, or a test suite that runs the command in-process, would pay it per run. The
context is read-only once made, and ``ssl.SSLContext`` is meant to be shared between
connections, so one per process (per CA setting) serves every client and event loop.
"""

from __future__ import annotations

import functools
import os
import ssl

import httpx

__all__ = ["tls_context"]


def tls_context() -> ssl.SSLContext:
    """httpx's default verifying context, honouring ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` as
    httpx does; made again only when one of those changes."""
    return _context(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.cache
def _context(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    # The arguments are the cache key: httpx reads the same two variables itself.
    return httpx.create_ssl_context()
