"""QR codes as inline SVG (segno, pure Python), e.g. the link the website administrator's phone opens."""
from __future__ import annotations

import io


def svg(data: str, *, title: str) -> str:
    """An <svg> element encoding `data`, titled for screen readers, scaling to its container (no fixed size)."""
    import segno

    # error level M survives a smudged or glare-struck screen; the quiet zone (border) keeps it scannable
    code = segno.make(data, error="m", micro=False)
    buffer = io.BytesIO()
    # the namespace keeps it valid SVG on its own too; no XML declaration, which HTML does not allow
    code.save(buffer, kind="svg", xmldecl=False, svgns=True, nl=False, omitsize=True, title=title,
              border=4, svgclass="qr-code")
    markup = buffer.getvalue().decode("utf-8")
    # role=img makes screen readers announce the title instead of walking the drawing
    return markup.replace("<svg ", '<svg role="img" ', 1)
