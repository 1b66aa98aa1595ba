"""The documented production command serves the site: gunicorn, WhiteNoise, HTTPS policy."""

import socket

import pytest

from tests.processes import PRODUCTION_ENV, fetch, gunicorn, run_manage

pytestmark = [pytest.mark.slow]


@pytest.fixture
def production_server(tmp_path):
    env = PRODUCTION_ENV | {
        "STATIC_ROOT": str(tmp_path / "static"),
        "EMAIL_HOST": "smtp.example.org",
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_TLS_PROXY": "1",
        # Small, to see a worker replaced (the config file's max_requests).
        "GUNICORN_MAX_REQUESTS": "5",
        "GUNICORN_MAX_REQUESTS_JITTER": "1",
    }
    collected = run_manage(env, "collectstatic", "--no-input", "-v0")
    assert collected.returncode == 0, collected.stderr
    with gunicorn(env, log=tmp_path / "gunicorn.log") as (base, _):
        yield base, tmp_path / "static"


def test_gunicorn_serves_pages_with_https_policy(production_server):
    base, _ = production_server

    plain_status, plain_headers, _ = fetch(f"{base}/about/")
    status, headers, body = fetch(f"{base}/about/", **{"X-Forwarded-Proto": "https"})

    assert plain_status == 301
    assert plain_headers["Location"] == f"https://{base.removeprefix('http://')}/about/"
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert body.startswith("<!doctype html>")


def test_gunicorn_serves_pages_with_the_production_security_headers(production_server):
    base, _ = production_server

    # Secure cookies are checked by `check --deploy` (test_deploy.py); this page needs
    # no database, which this server has none of.
    status, headers, _ = fetch(f"{base}/about/", **{"X-Forwarded-Proto": "https"})

    policy = headers["Content-Security-Policy"]
    assert status == 200
    assert "default-src 'self'" in policy
    assert "script-src 'self';" in policy
    assert "img-src 'self' https:" in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_gunicorn_serves_hashed_static_files_compressed_and_cached_forever(production_server):
    base, static_root = production_server
    css = next((static_root / "css").glob("site.*.css")).name

    status, headers, _ = fetch(
        f"{base}/static/css/{css}", **{"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
    )

    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]


def raw_request(base: str, head: bytes) -> bytes:
    """Send ``head`` (a request line and headers, as bytes) and read the status line."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(head)
        return sock.recv(200).split(b"\r\n", 1)[0]


def test_gunicorn_refuses_an_overlong_request_line(production_server):
    base, _ = production_server

    status = raw_request(base, b"GET /about/?q=" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")

    assert status.startswith(b"HTTP/1.1 414")


def test_gunicorn_refuses_too_many_headers(production_server):
    base, _ = production_server
    headers = b"".join(b"X-Junk-%d: 1\r\n" % n for n in range(60))

    status = raw_request(base, b"GET /about/ HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")

    assert status.startswith(b"HTTP/1.1 431")


def test_gunicorn_refuses_an_overlong_header(production_server):
    base, _ = production_server

    status = raw_request(
        base, b"GET /about/ HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n"
    )

    assert status.startswith(b"HTTP/1.1 431")


def test_gunicorn_replaces_a_worker_after_its_share_of_requests(production_server, tmp_path):
    base, _ = production_server

    statuses = [fetch(f"{base}/about/", **{"X-Forwarded-Proto": "https"})[0] for _ in range(12)]

    assert statuses == [200] * 12
    assert "Autorestarting worker after current request" in (tmp_path / "gunicorn.log").read_text()
