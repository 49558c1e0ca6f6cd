"""The dependency lock: it agrees with the ranges, it is what is installed, and doctor flags drift."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from storyboard import versions
from storyboard.cli import main

ROOT = versions.ROOT
LOCKS = [("requirements.in", "requirements.txt"), ("requirements-dev.in", "requirements-dev.txt")]


def _lines(name: str) -> list[Requirement]:
    """Every requirement of a file, whatever its marker."""
    out = []
    for raw in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip()
        if line and not line.startswith(("#", "-")):
            out.append(Requirement(line))
    return out


def _refresh_command(source: str) -> str:
    """The `uv pip compile` line a lock's header records."""
    text = (ROOT / source).read_text(encoding="utf-8")
    return re.search(r"#\s+(uv pip compile .*)", text).group(1).strip()


@pytest.mark.parametrize(("ranges", "lock"), LOCKS)
def test_every_range_has_a_pin_that_satisfies_it(ranges, lock):
    pins: dict[str, list[str]] = {}
    for req in _lines(lock):
        version = versions.pinned_version(req)
        assert version, f"{lock}: {req} is not pinned with =="
        pins.setdefault(versions.canonical(req.name), []).append(version)
    for req in _lines(ranges):
        name = versions.canonical(req.name)
        if name in versions.UNLOCKED:
            assert name not in pins, f"{lock} pins {name}, which is the user's build and must stay out"
            continue
        assert name in pins, f"{ranges} asks for {req} but {lock} has no pin for it"
        for version in pins[name]:
            assert req.specifier.contains(Version(version), prereleases=True), f"{lock}: {name}=={version} ∉ {req}"


def test_dev_lock_agrees_with_the_app_lock():
    app = {versions.canonical(r.name): versions.pinned_version(r) for r in _lines("requirements.txt")}
    for req in _lines("requirements-dev.txt"):
        name = versions.canonical(req.name)
        if name in app:
            assert versions.pinned_version(req) == app[name], f"{name}: the two locks disagree"


def test_locks_record_the_refresh_command_the_readme_gives():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for ranges, lock in LOCKS:
        command = _refresh_command(lock)
        assert f"-o {lock}" in command and command.startswith(f"uv pip compile {ranges} ")
        assert command in readme, f"README's refresh command is not the one that made {lock}"
        assert command in (ROOT / ranges).read_text(encoding="utf-8")


def test_torch_is_kept_out_of_the_lock_and_within_its_range():
    assert "torch" not in {versions.canonical(r.name) for r in _lines("requirements.txt")}
    override = Requirement(_lines("lock-overrides.txt")[0].__str__())
    assert override.name == "torch" and not override.marker.evaluate()
    torch = [s for s in versions.check_lock() if s.name == "torch"]
    if importlib.util.find_spec("torch") is not None:
        assert torch and torch[0].ok, torch


def test_the_installed_packages_are_the_locked_ones():
    """CI installs from the lock into a fresh environment: anything else here is drift a new user would not have."""
    drift = [s.line() for s in versions.check_lock(ROOT / "requirements.txt") if not s.ok]
    drift += [s.line() for s in versions.check_lock(ROOT / "requirements-dev.txt") if not s.ok]
    assert not drift, "\n".join(drift)


def test_doctor_lists_the_stack_against_the_lock(capsys):
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    for name in ("diffusers", "transformers", "peft", "gradio", "spacy"):
        assert re.search(rf"^{name}: {re.escape(versions.installed(name))} \(locked\)$", out, re.M), out
    assert re.search(r"^versions: all \d+ match the tested set$", out, re.M), out


def test_drift_is_flagged(tmp_path):
    lock = tmp_path / "requirements.txt"
    packaging_now = versions.installed("packaging")
    lock.write_text("# a lock\npackaging==0.1\npytest=={}\nnot-a-real-package-xyz==1.0\n"
                    "colorama==0.1 ; sys_platform == 'never'\n".format(versions.installed("pytest")))
    ranges = tmp_path / "requirements.in"
    ranges.write_text("torch>=99\n")
    lines = versions.lock_report(lock, ranges)
    text = "\n".join(lines)
    assert f"packaging: {packaging_now} — DRIFT: the tested set has ==0.1" in text
    assert "not-a-real-package-xyz: not installed — DRIFT: the tested set has ==1.0" in text
    assert "colorama" not in text  # its marker is false here: not this machine's business
    if versions.installed("torch"):
        assert f"torch: {versions.installed('torch')} — DRIFT: the tested set has >=99" in text
    assert re.search(r"versions: [34] of [34] differ from the tested set — pip install -r requirements.txt", text)


def test_require_names_the_feature_the_versions_and_the_fix():
    assert versions.require("packaging", ">=20", "x") == versions.installed("packaging")
    with pytest.raises(versions.DependencyError) as err:
        versions.require("packaging", ">=999", "drawing with crayons")
    message = str(err.value)
    assert message == (f"drawing with crayons needs packaging>=999 (this machine has {versions.installed('packaging')})"
                       ": pip install -r requirements.txt")
    with pytest.raises(versions.DependencyError, match="needs not-a-real-package-xyz>=1, which is not installed"):
        versions.require("not-a-real-package-xyz", ">=1", "a thing")


def test_text_encoder_check_reads_the_installed_transformers():
    pytest.importorskip("transformers")
    floor = versions.transformers_peft_floor()
    assert floor is not None and Version(floor) <= Version(versions.installed("peft")), (
        f"the locked transformers wants peft>={floor}: the lock is broken for text-encoder LoRA")
    versions.require_text_encoder_lora()  # the locked set passes


def test_ci_runs_the_readmes_test_command_in_a_fresh_environment():
    script = ROOT / ".ci" / "readme_command.py"
    test = subprocess.run([sys.executable, str(script), "test"], capture_output=True, text=True, check=True).stdout
    run = subprocess.run([sys.executable, str(script), "run"], capture_output=True, text=True, check=True).stdout
    assert test.strip().endswith("python -m pytest -q")
    assert "python3 -m venv .venv && . .venv/bin/activate" in test
    assert "-r requirements.txt -r requirements-dev.txt" in test
    assert "python3 -m venv .venv && . .venv/bin/activate" in run and run.strip().endswith("python app.py")
    assert "pip install -r requirements.txt" in run
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "readme_command.py test" in ci and "mktemp -d" in ci and "site-packages" not in ci
