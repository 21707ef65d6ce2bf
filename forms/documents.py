"""Forms of the documents step. The upload forms themselves post to object storage, not to us, so they are
built from the presigned fields in the template; only removing a document posts here."""
from __future__ import annotations

from forms.base import BaseForm


class RemoveDocumentForm(BaseForm):
    """Remove one uploaded document: no fields, only the CSRF token of the confirmation button."""
