"""`python -m saleor_proactive.sandbox [--port P] [--install MANIFEST_URL]`: only the sandbox
Saleor, for trying an app (this one or another) against Saleor's protocol by hand."""

from __future__ import annotations

import threading

import click

from .delivery import SALEOR_RETRY_DELAYS
from .install import InstallError
from .server import SandboxSaleor


@click.command()
@click.option("--port", default=0, show_default=True, type=int, help="Port (0: any free one).")
@click.option("--install", "manifest_url", default=None, help="Install the app of this manifest.")
def main(port: int, manifest_url: str | None) -> None:
    saleor = SandboxSaleor(retry_delays=SALEOR_RETRY_DELAYS).start(port)
    try:
        click.echo(f"Sandbox Saleor API  {saleor.api_url}")
        click.echo(f"JWKS                {saleor.url}/.well-known/jwks.json")
        if manifest_url:
            app = saleor.install_app(manifest_url)
            click.echo(f"Installed           {app.name} ({app.global_id})")
            click.echo(f"Dashboard page      {saleor.url}/dashboard/")
        click.echo("Press Ctrl-C to stop.")
        threading.Event().wait()
    except InstallError as exc:
        raise click.ClickException(f"install failed: {exc.message}") from exc
    except KeyboardInterrupt:
        pass
    finally:
        saleor.stop()


if __name__ == "__main__":  # pragma: no cover
    main()
