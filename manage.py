#!/usr/bin/env python
"""Same as the `tieuchi` command, for people used to manage.py."""

from tieuchi.cli import main

if __name__ == "__main__":
    main()
