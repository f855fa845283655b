"""Settings for the test suite: the project's own settings, with what tests need changed.

pytest loads this module (pyproject.toml, [tool.pytest.ini_options]); everything else, the
database from DATABASE_URL included, comes from config/settings.py as in production.
"""

from .settings import *  # noqa: F403

# Real hashing is deliberately slow; tests create many users and need no protection.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Every test Client builds its own middleware; WhiteNoise would rescan all collected static
# files each time (~90 ms). Looking files up per request serves the same files and headers.
WHITENOISE_AUTOREFRESH = True
