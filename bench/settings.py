"""The site's settings with the benchmark's ceiling page added (bench/urls.py).

Only bench/load.py's server uses this module; the site itself never routes to the ceiling.
"""

from shortscience.settings import *  # noqa: F403 - the same settings, one URL more

ROOT_URLCONF = "bench.urls"
