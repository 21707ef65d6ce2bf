"""QR codes for the phone verification: inline SVG that scales and says what it is."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from icp import qr

SVG = "{http://www.w3.org/2000/svg}"


def test_qr_code_is_an_inline_scalable_svg_with_its_title():
    markup = qr.svg("https://beian.example.com/verify/ABC?t=1&u=2", title="Scan <this> with the phone")
    assert not markup.startswith("<?xml")
    root = ET.fromstring(markup)  # well-formed XML: the title and the data are escaped
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") and root.get("width") is None and root.get("height") is None
    assert root.find(f"{SVG}title").text == "Scan <this> with the phone"
    assert root.get("role") == "img"
