"""views.lazy: modules imported at their first use, and what a new instance's first GET / leaves unloaded."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading

import pytest

from tests.package_sources import ROOT
from views import lazy


@pytest.fixture
def fresh_module(tmp_path, monkeypatch):
    """A module of our own on sys.path, not imported yet: (its name, a list its import appends to)."""
    name = "lazily_loaded_example"
    (tmp_path / f"{name}.py").write_text(textwrap.dedent('''
        import builtins
        builtins.lazily_loaded_imports.append(1)

        def double(x):
            return 2 * x

        class Refused(Exception):
            pass
    '''))
    imports = []
    monkeypatch.setattr("builtins.lazily_loaded_imports", imports, raising=False)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    yield name, imports
    sys.modules.pop(name, None)


def test_a_lazy_module_imports_at_its_first_attribute(fresh_module):
    name, imports = fresh_module
    module = lazy.lazy_module(name)
    assert imports == []
    assert module.double(2) == 4 and imports == [1]
    try:
        raise module.Refused()
    except module.Refused:
        pass
    assert imports == [1]


def test_a_deferred_module_loads_at_its_first_attribute_not_at_import(fresh_module):
    name, imports = fresh_module
    lazy.load_on_first_use(name)

    exec(f"import {name} as kept", namespace := {})  # what a library does at its top
    stand_in = namespace["kept"]
    assert imports == []
    assert stand_in.double(3) == 6 and imports == [1]
    assert sys.modules[name] is not stand_in, "the module itself now holds its place"
    exec(f"from {name} import double", namespace)
    assert namespace["double"](4) == 8 and stand_in.double(5) == 10 and imports == [1]


def test_a_deferred_function_taken_at_import_loads_the_module_at_its_first_call(fresh_module):
    name, imports = fresh_module
    lazy.load_on_first_use(name, functions=("double",))

    exec(f"from {name} import double", namespace := {})
    assert imports == [] and namespace["double"].__name__ == "double"
    assert namespace["double"](5) == 10 and imports == [1]
    assert namespace["double"](6) == 12 and imports == [1]


def test_two_threads_using_a_deferred_module_at_once_import_it_once(fresh_module):
    name, imports = fresh_module
    lazy.load_on_first_use(name, functions=("double",))
    exec(f"from {name} import double", namespace := {})
    results, start = [], threading.Barrier(8)

    def use():
        start.wait()
        results.append(namespace["double"](1))

    threads = [threading.Thread(target=use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [2] * 8 and imports == [1]


def test_a_deferred_module_of_a_package_is_reached_through_its_package(tmp_path, monkeypatch):
    package = tmp_path / "lazily_loaded_package"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "formats.py").write_text("def shout(text):\n    return text.upper()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("lazily_loaded_package", "lazily_loaded_package.formats"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    lazy.load_on_first_use("lazily_loaded_package.formats", functions=("shout",))

    exec("import lazily_loaded_package.formats", namespace := {})
    assert namespace["lazily_loaded_package"].formats.shout("a") == "A"
    assert type(sys.modules["lazily_loaded_package.formats"]).__name__ == "module"
    assert namespace["lazily_loaded_package"].formats is sys.modules["lazily_loaded_package.formats"]


def test_an_imported_module_is_left_as_it_is():
    before = sys.modules["json"]
    lazy.load_on_first_use("json")
    assert sys.modules["json"] is before


# what the first GET / of a new instance must not load (README "Performance": each was measured there); a
# stand-in left by views.lazy.load_on_first_use does not count as loaded
NOT_ON_THE_HOME_PAGE = (
    "icp.checks", "icp.registry", "icp.notify", "icp.messages", "icp.uploads", "icp.workdays", "icp.sitecheck",
    "icp.identifiers", "icp.workflow.drafting", "icp.workflow.engine", "icp.workflow.own_data",
    "icp.workflow.change", "icp.workflow.mobile_codes", "forms.auth", "forms.account", "forms.review",
    "forms.filing_type", "forms.instance", "forms.verification", "forms.subject", "forms.website",
    "babel.dates", "pdb", "asyncio",
)

FIRST_GET = textwrap.dedent('''
    import json, sys, types
    import app
    client = app.app.test_client()
    response = client.get("/", headers={"Accept-Language": "zh"})
    assert response.status_code == 200, response.status_code
    loaded = [name for name, module in sys.modules.items() if type(module) is types.ModuleType]
    print(json.dumps(loaded))
''')


def test_the_first_get_of_the_home_page_loads_no_use_case_form_or_date_machinery(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICP_")}
    env.update(ICP_DATA_DIR=str(tmp_path), PYTHONPATH=str(ROOT), TZ=":UTC")
    result = subprocess.run([sys.executable, "-c", FIRST_GET], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    loaded = set(json.loads(result.stdout.splitlines()[-1]))
    assert "app" in loaded and "icp.rules" in loaded, "the check sees what the request loaded"
    assert sorted(loaded & set(NOT_ON_THE_HOME_PAGE)) == []
