"""``ogi serve``: the web app and HTTP API over the store. FastAPI and uvicorn are imported here,
inside the command, so ``ogi parse`` and ``import ogi`` never load them."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from ogi.cli.ocr import ocr_option
from ogi.cli.store_commands import db_option


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address; not loopback needs --token.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="0: any free port.")
@click.option("--token", envvar="OGI_TOKEN", help="Needed for every change (Bearer; pages log in with it).")
@click.option("--max-upload-mb", default=50, show_default=True, type=click.IntRange(min=1), help="Largest file taken.")
@click.option("--workers", type=click.IntRange(min=1), help="Parsing processes (default: one per CPU).")
@ocr_option
def serve_command(
    db: Path, host: str, port: int, token: str | None, max_upload_mb: int, workers: int | None, ocr: str
) -> None:
    """Serve the web app (upload, tables against the original, review) and the HTTP API (/docs)."""
    try:
        import uvicorn

        from ogi.readers.options import ParseOptions
        from ogi.web.app import create_app
        from ogi.web.settings import Settings, SettingsError
    except ImportError as e:  # pragma: no cover - the web packages are core dependencies
        click.echo(f"ogi: the web app needs its packages ({e.name}): pip install 'ogi[web]'", err=True)
        sys.exit(1)
    options = ParseOptions(ocr=ocr, ocr_threads=1)  # type: ignore[arg-type]
    settings = Settings(db=db, host=host, port=port, token=token, max_upload_mb=max_upload_mb, workers=workers,
                        parse_options=options)  # fmt: skip
    try:
        app = create_app(settings)
    except SettingsError as e:
        click.echo(f"ogi: {e}", err=True)
        sys.exit(2)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning")
    # Bound here, before the message, so that --port 0 (any free port, as tests use) names the port
    # it got: a port chosen beforehand could be taken by another process in the meantime.
    sock = config.bind_socket()
    click.echo(f"ogi: serving {db} at http://{host}:{sock.getsockname()[1]}/ (Ctrl-C stops)", err=True)
    server = uvicorn.Server(config)
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[sock])
    if not server.started:
        sys.exit(3)  # the app failed to start (uvicorn has logged why)
