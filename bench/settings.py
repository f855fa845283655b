"""Settings for the benchmarks: the app's own settings, plus the benchmark data generator and two
benchmark-only URLs.

`bench.benchdata` (`manage.py bench_data --settings=bench.settings`) makes the synthetic data. It is
installed here, not behind an environment switch in config/settings.py: this module already exists
for the load run, so the product's settings need to know nothing of benchmarks, and a run that
forgets the switch cannot half-install it (without these settings there is no `bench_data`).

`/bench/signed-in` is the cheapest page a signed-in student can load (the session and the user
are read, nothing else): the floor any answer request sits on. `/bench/answer-response` is that
floor plus rendering an answer's feedback from memory: what answering costs before any scoring or
recording. Neither is part of the app.
"""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.benchdata"]
ROOT_URLCONF = "bench.urls"
