"""Dependency audit: fail on any known vulnerability; say loudly what could not be checked.

pip-audit asks PyPI's per-release JSON API for advisories. Where that API is not reachable
(some closed build networks proxy only the package index), packages come back "skipped":
that is not a clean bill of health, so it is reported as such rather than hidden.
"""

import json
import subprocess
import sys
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
skipped = [d for d in report["dependencies"] if d.get("skip_reason")]
audited = len(report["dependencies"]) - len(skipped)

for dep in vulnerable:
    for vuln in dep["vulns"]:
        print(f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in {', '.join(vuln['fix_versions']) or 'no release yet'})")
print(f"pip-audit: {audited} packages audited, {len(vulnerable)} with known vulnerabilities, {len(skipped)} not checkable")
if skipped:
    print(
        "WARNING: the advisory service did not answer for these packages, so they were NOT audited here: "
        + ", ".join(sorted(d["name"] for d in skipped))
    )
sys.exit(1 if vulnerable else 0)
