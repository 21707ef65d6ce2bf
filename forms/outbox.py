"""The staff outbox page's one form: put a failed message back in the queue."""
from __future__ import annotations

from forms.base import BaseForm


class RetryForm(BaseForm):
    """Retry a failed message; the message is named by the URL, so the form carries only its CSRF token."""
