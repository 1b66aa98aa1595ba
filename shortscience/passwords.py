"""The password hasher: Django's Argon2id, with OWASP's parameters for a web server.

Django's defaults take 100 MB of memory per hash (8 lanes), held by the worker for every
sign-in attempt, wrong ones included: three workers under a burst of attempts sit at
300 MB. OWASP's Password Storage Cheat Sheet gives 19 MiB, two passes and one lane as
equally strong for Argon2id. Hashes made with other parameters still verify, and Django
re-hashes them with these at the member's next sign-in (must_update).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
