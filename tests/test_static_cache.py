"""Static files: content-hashed URLs that browsers keep for a year; any other URL of a file is revalidated."""
from __future__ import annotations

import re

from tests.conftest import page


def test_pages_name_static_files_by_content_and_those_urls_are_immutable(client):
    soup = page(client.get("/"))
    stylesheet = soup.find("link", rel="stylesheet")["href"]
    assert re.fullmatch(r"/static/site\.css\?v=[0-9a-f]{12}", stylesheet)
    response = client.get(stylesheet)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    response.close()


def test_an_unversioned_or_outdated_static_url_is_revalidated(client):
    for url in ("/static/site.css", "/static/site.css?v=000000000000"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache"
        response.close()


def test_a_page_is_never_stored(client):
    assert client.get("/").headers["Cache-Control"] == "no-store"
