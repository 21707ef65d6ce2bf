"""The trimmed botocore models shipped in icp/store/botocore_data match botocore's own, for what the app calls.

The SSM model is 1.4 MB of JSON that costs ~50 ms to load at every cold start, for one call (GetParameter);
the trimmed copy holds that operation and the shapes it reaches. After upgrading botocore, rewrite it with
`python -m tests.test_botocore_data`.
"""
from __future__ import annotations

import json
import sys

from icp.store import BOTOCORE_DATA, TRIMMED_MODELS


def _reachable(shapes: dict, names: list[str]) -> set[str]:
    """Every shape name reachable from `names` (members, list members, map keys and values)."""
    seen: set[str] = set()
    stack = list(names)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        shape = shapes[name]
        refs = [*shape.get("members", {}).values(), shape.get("member"), shape.get("key"), shape.get("value")]
        stack += [ref["shape"] for ref in refs if ref]
    return seen


def _undocumented(value):
    if isinstance(value, dict):
        return {k: _undocumented(v) for k, v in value.items() if k != "documentation"}
    if isinstance(value, list):
        return [_undocumented(v) for v in value]
    return value


def trimmed(service: str, operations: tuple[str, ...]) -> dict:
    """botocore's model of `service` with only `operations` and the shapes they reach, without documentation."""
    import botocore.session

    full = botocore.session.Session().get_component("data_loader").load_service_model(service, "service-2")
    ops = {name: full["operations"][name] for name in operations}
    roots = [ref["shape"] for op in ops.values()
             for ref in (op.get("input"), op.get("output"), *op.get("errors", [])) if ref]
    shapes = {name: full["shapes"][name] for name in sorted(_reachable(full["shapes"], roots))}
    return _undocumented({"version": full.get("version", "2.0"), "metadata": full["metadata"],
                          "operations": ops, "shapes": shapes})


def _path(service: str, model: dict):
    return BOTOCORE_DATA / service / model["metadata"]["apiVersion"] / "service-2.json"


def test_trimmed_models_are_botocores_for_the_operations_the_app_calls():
    for service, operations in TRIMMED_MODELS.items():
        model = trimmed(service, operations)
        shipped = json.loads(_path(service, model).read_text(encoding="utf-8"))
        assert shipped == model, f"{service}: run `python -m tests.test_botocore_data` after a botocore upgrade"


def test_a_client_made_from_the_app_session_uses_the_trimmed_model(monkeypatch):
    from icp.store import boto_client

    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    client = boto_client("ssm", region="ap-southeast-1")
    assert set(client.meta.service_model.operation_names) == set(TRIMMED_MODELS["ssm"])
    assert client.exceptions.ParameterNotFound


def main() -> int:
    for service, operations in TRIMMED_MODELS.items():
        model = trimmed(service, operations)
        path = _path(service, model)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(model, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
