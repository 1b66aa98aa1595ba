"""The site's settings with the benchmark's ceiling page added (bench/urls.py).

Only bench/load.py's server uses this module; the site itself never routes to the ceiling.
"""

from shortscience.settings import *  # noqa: F403 - the same settings, one URL more

ROOT_URLCONF = "bench.urls"

# The mixed phase's comments notify the summaries' authors. Without a mail server the
# site prints each mail (the console backend), which would fill the benchmark's output:
# here the mail is still rendered, then dropped.
CONSOLE = "django.core.mail.backends.console.EmailBackend"
if MAILERS["default"]["BACKEND"] == CONSOLE:  # noqa: F405 - from the site's settings
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
