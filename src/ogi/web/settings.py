"""The server's settings: one typed object, built by ``ogi serve`` and passed to :func:`create_app`."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

from ogi.batch.limits import Limits
from ogi.errors import OgiError
from ogi.readers.options import ParseOptions
from ogi.readers.zipguard import MiB, ZipLimits

TOKEN_ENV = "OGI_TOKEN"


class SettingsError(OgiError):
    """Settings the server refuses to start with."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Settings:
    db: Path = Path("ogi.duckdb")
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    """Needed for every write (``Authorization: Bearer``); required on any host but loopback."""
    max_upload_mb: int = 50
    """Per file: a larger upload is refused with 413."""
    max_files: int = 100
    """Per request, the members of uploaded ZIPs included."""
    zip_limits: ZipLimits = field(default_factory=ZipLimits)
    workers: int | None = None
    """Parsing processes (default: one per CPU)."""
    limits: Limits = field(default_factory=Limits)
    """What one file may cost to parse (time, memory), as in ``ogi ingest``."""
    parse_options: ParseOptions = field(default_factory=lambda: ParseOptions(ocr_threads=1))
    """How uploads are read: OCR of scans and images, one thread per parsing process (the
    processes already fill the cores), as in ``ogi ingest``."""

    @property
    def max_upload(self) -> int:
        return self.max_upload_mb * MiB

    @property
    def max_request(self) -> int:
        """A request body may hold a few files at the limit; uploads of many files send one per request."""
        return 4 * self.max_upload + MiB

    def validated(self) -> Settings:
        """These settings, the token taken from ``OGI_TOKEN`` when not given; raises
        :class:`SettingsError` for a non-loopback host without a token."""
        token = self.token or os.environ.get(TOKEN_ENV) or None
        if not is_loopback(self.host) and not token:
            raise SettingsError(
                f"refusing to serve on {self.host} without a token: anyone who can reach it could change the store. "
                f"Give --token TOKEN (or set {TOKEN_ENV}), or serve on 127.0.0.1"
            )
        if self.max_upload_mb < 1 or self.max_files < 1:
            raise SettingsError("--max-upload-mb and the files per request must be at least 1")
        return Settings(**{**self.__dict__, "token": token})
