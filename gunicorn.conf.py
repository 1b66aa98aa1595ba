"""gunicorn's settings for production: `gunicorn --config gunicorn.conf.py shortscience.wsgi`.

Each can be changed from the environment (GUNICORN_<NAME>), and docs/limits.md explains
them beside the site's own limits. What matters for a site on the open internet:

- A request line, a header or a number of headers past the limits below is answered
  400/414/431 by gunicorn itself, before Django reads anything.
- A worker silent for `timeout` seconds is killed and replaced; the statement timeout
  (STATEMENT_TIMEOUT_MS, 5 s) and the renderer's time budget end slow work well before.
- Each worker is replaced after `max_requests` requests (with jitter, so they do not
  all restart at once), which bounds what a slow leak can grow to.
"""

import multiprocessing
import os


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(f"GUNICORN_{name}", "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"GUNICORN_{name} must be a whole number, not {raw!r}") from None


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _env_int("WORKERS", 2 * multiprocessing.cpu_count() + 1)
worker_class = "sync"

timeout = _env_int("TIMEOUT", 30)
graceful_timeout = _env_int("GRACEFUL_TIMEOUT", 30)
keepalive = _env_int("KEEPALIVE", 2)

max_requests = _env_int("MAX_REQUESTS", 2000)
max_requests_jitter = _env_int("MAX_REQUESTS_JITTER", 200)

# The longest address the site makes is well under 2 KB (a search with every filter is
# about 700 bytes); 4 KB leaves room for what others link to.
limit_request_line = _env_int("LIMIT_REQUEST_LINE", 4094)
limit_request_fields = _env_int("LIMIT_REQUEST_FIELDS", 50)
limit_request_field_size = _env_int("LIMIT_REQUEST_FIELD_SIZE", 8190)

# Behind a proxy on the same machine (docs/limits.md): its address is trusted for the
# client's scheme and address headers.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = os.environ.get("GUNICORN_ERRORLOG", "-")
