#!/usr/bin/env python3
"""Build the Council Social Media Policy Handbook. Run `python build.py --help`."""

import sys

from policyhandbook.cli import main

if __name__ == "__main__":
    sys.exit(main())
