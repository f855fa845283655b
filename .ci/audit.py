"""Dependency audit: fail on any known vulnerability; say loudly what could not be checked.

pip-audit asks PyPI's per-release JSON API for advisories. Where that API is not reachable
(some closed build networks proxy only the package index), packages come back "skipped":
that is not a clean bill of health. Those packages are checked against the advisories PyPI lists
for a project's latest release when the installed version is that release; anything still
unchecked is reported as such rather than hidden.
"""

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

pip_audit = Path(sys.executable).with_name("pip-audit")
result = subprocess.run(
    [str(pip_audit), "--skip-editable", "--progress-spinner", "off", "--format", "json"],
    capture_output=True,
    text=True,
)
if result.returncode not in (0, 1):
    sys.exit(f"pip-audit failed to run:\n{result.stderr}")
report = json.loads(result.stdout)
vulnerable = [d for d in report["dependencies"] if d.get("vulns")]
# The project itself is installed editable: it is this repository, not a dependency.
skipped = [d for d in report["dependencies"] if d.get("skip_reason") and "editable" not in d["skip_reason"]]
audited = len([d for d in report["dependencies"] if not d.get("skip_reason")])


def latest_release_advisories(name):
    """PyPI's project JSON lists the advisories affecting its latest release; use it when the
    per-release endpoint pip-audit needs is unreachable. Returns (latest version, advisory ids)."""
    url = f"https://pypi.org/pypi/{name}/json"
    with urllib.request.urlopen(url, timeout=15) as response:  # nosec B310 - fixed https URL
        data = json.load(response)
    return data["info"]["version"], [v["id"] for v in data.get("vulnerabilities") or []]


still_skipped = []
for dep in skipped:
    version = dep["skip_reason"].rsplit("(", 1)[-1].rstrip(")")
    try:
        latest, advisories = latest_release_advisories(dep["name"])
    except (OSError, ValueError, KeyError):
        still_skipped.append(dep)
        continue
    if version != latest:
        still_skipped.append(dep)
    elif advisories:
        vulnerable.append(
            {"name": dep["name"], "version": version, "vulns": [{"id": a, "fix_versions": []} for a in advisories]}
        )
    else:
        audited += 1
skipped = still_skipped

for dep in vulnerable:
    for vuln in dep["vulns"]:
        print(
            f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in {', '.join(vuln['fix_versions']) or 'no release yet'})"
        )
print(
    f"pip-audit: {audited} packages audited, {len(vulnerable)} with known vulnerabilities, {len(skipped)} not checkable"
)
if skipped:
    print(
        "WARNING: NOT audited here (the per-release advisory service is unreachable and these are not "
        "their project's latest release, or PyPI did not answer): " + ", ".join(sorted(d["name"] for d in skipped))
    )
sys.exit(1 if vulnerable else 0)
