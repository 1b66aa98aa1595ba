#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shortscience.settings")
    # Web requests have a statement timeout (STATEMENT_TIMEOUT_MS); commands such as
    # migrate, imports and seeding run long queries on purpose.
    if sys.argv[1:2] != ["runserver"]:
        os.environ.setdefault("STATEMENT_TIMEOUT_MS", "0")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
