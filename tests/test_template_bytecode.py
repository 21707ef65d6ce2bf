"""Templates compiled to Jinja bytecode when the package is built are rendered without compiling them again."""
from __future__ import annotations

from views.extensions import PackagedTemplateCache


def test_compiled_templates_render_without_compiling(app, tmp_path, monkeypatch):
    folder = tmp_path / "bytecode"
    result = app.test_cli_runner().invoke(args=["icp", "compile-templates", "--into", str(folder)])
    assert result.exit_code == 0, result.output
    assert len(list(folder.glob("*.cache"))) >= 40

    app.jinja_env.cache.clear()
    app.jinja_env.bytecode_cache = PackagedTemplateCache(folder)

    def no_compiling(*args, **kwargs):
        raise AssertionError("a template was compiled although its bytecode was there")

    monkeypatch.setattr(app.jinja_env, "compile", no_compiling)
    response = app.test_client().get("/")
    assert response.status_code == 200 and b"<html" in response.data.lower()


def test_an_entry_of_an_edited_template_is_not_used_and_nothing_is_written(app, tmp_path):
    from jinja2.bccache import Bucket

    folder = tmp_path / "bytecode"
    app.test_cli_runner().invoke(args=["icp", "compile-templates", "--into", str(folder)])
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    cache = PackagedTemplateCache(folder)
    # the entry of main/home.html was stored with its source's checksum; an edited source has another one
    bucket = Bucket(app.jinja_env, cache.get_cache_key("main/home.html"), checksum="another source")
    cache.load_bytecode(bucket)
    assert bucket.code is None
    bucket.code = compile("x = 1", "<test>", "exec")
    cache.dump_bytecode(bucket)  # at run time the folder is read-only: never written
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
