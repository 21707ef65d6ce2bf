"""The applicant's `filings` blueprint, shared by the modules that register its pages (list, steps, status)."""
from flask import Blueprint

bp = Blueprint("filings", __name__, url_prefix="/filings")
