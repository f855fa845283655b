"""Starting Django afresh in a child Python, to see what the settings make of an environment."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_django(code="", **environ):
    """Set Django up, then run `code`, in a new Python whose whole environment is config.settings,
    an empty PATH and `environ`; the finished process, its output captured as text."""
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": "", **environ},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
