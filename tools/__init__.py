"""Laptop tools beside the app, never packaged for Lambda: `make run-aws` and `make zappa-run-aws` (run_aws.py)."""
