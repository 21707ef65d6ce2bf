"""The `laptop` fixture: the app and a moto server as `make run-aws` starts them, on free ports."""
from __future__ import annotations

import threading

import pytest
import requests
from werkzeug.serving import make_server


@pytest.fixture
def laptop(tmp_path, monkeypatch):
    """A moto server and the app as `make run-aws` starts them (free ports); yields (site URL, moto URL, app)."""
    from moto.server import ThreadedMotoServer

    from tools import run_aws

    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    moto_url = "http://{}:{}".format(*moto.get_host_and_port())
    # moto keeps its backends per process, not per server: start each test from an empty account
    requests.post(f"{moto_url}/moto-api/reset", timeout=10)
    # the site's port must be known before the app is built (its public URL and the bucket's CORS name it)
    holder = {}
    site = make_server("127.0.0.1", 0, lambda environ, start: holder["app"](environ, start), threaded=True)
    site_url = f"http://127.0.0.1:{site.server_port}"
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    try:
        monkeypatch.delenv("AWS_PROFILE", raising=False)
        for name, value in run_aws.environment(moto_url, site_url, str(tmp_path / "data")).items():
            monkeypatch.setenv(name, value)
        run_aws.prepare()
        from app import create_app

        holder["app"] = create_app()
        thread.start()
        yield site_url, moto_url, holder["app"]
    finally:
        if thread.is_alive():
            site.shutdown()
            thread.join(timeout=5)
        site.server_close()
        moto.stop()
