"""Makes the op-model generators write the same archives from any checkout.

torch records the Python call stack of every traced op, file names included, in the archive's
debug info. rerun_from_root() re-runs the __main__ script from the repository root under its
repository-relative name, and has the modules of this directory imported under theirs too, so
the archives name exporter/src/test/resources/ops/<file>.py whatever the checkout's path.
"""
import importlib.abc
import importlib.util
import os
import sys

OPS = "exporter/src/test/resources/ops"
ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", ".."))
# the script runs from this -c code, so no frame of this file is on the stack while it traces
BOOT = ("import sys; sys.path.insert(0, %r); import repo_relative; repo_relative.import_relative(); "
        "p = sys.argv[0] = %r; "
        "exec(compile(open(p, encoding='utf-8').read(), p, 'exec'), {'__name__': '__main__', '__file__': p})")


def rerun_from_root():
    """Replaces this process by the same generator run from the repository root, unless it is that run."""
    script = getattr(sys.modules["__main__"], "__file__", None)
    if script is None or not os.path.isabs(script) and os.getcwd() == ROOT:
        return
    relative = os.path.relpath(os.path.abspath(script), ROOT)
    os.chdir(ROOT)
    os.execv(sys.executable, [sys.executable, "-c", BOOT % (OPS, relative)] + sys.argv[1:])


class _RelativeLoader(importlib.abc.Loader):
    """Runs a module of this directory compiled under its relative name (Python's own loader makes it absolute)."""

    def __init__(self, file):
        self.file = file

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.__file__ = self.file
        with open(self.file, encoding="utf-8") as f:
            exec(compile(f.read(), self.file, "exec"), module.__dict__)


class _RelativeFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        file = os.path.join(OPS, name + ".py")
        if path is not None or not os.path.isfile(file):
            return None
        return importlib.util.spec_from_loader(name, _RelativeLoader(file), origin=file)


def import_relative():
    """From now on, top-level modules of this directory are imported under their relative names."""
    sys.meta_path.insert(0, _RelativeFinder())
