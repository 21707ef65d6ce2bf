"""Forms of the documents step. The upload forms themselves post to object storage, not to us, so they are
built from the presigned fields in the template; only removing a document posts here."""
from __future__ import annotations

from forms.base import FilingForm


class RemoveDocumentForm(FilingForm):
    """Remove one uploaded document: no answers, only the CSRF token and the version of the document shown."""
