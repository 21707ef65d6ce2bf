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


def test_the_site_icon_answers_where_browsers_look_for_it(client):
    """/favicon.ico is an icon, not a 404; every page links the SVG icon in static/."""
    from bs4 import BeautifulSoup

    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/x-icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # the ICO header
    assert "max-age" in response.headers["Cache-Control"]
    icon = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser").find("link", rel="icon")
    assert client.get(icon["href"]).status_code == 200
