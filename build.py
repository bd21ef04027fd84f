#!/usr/bin/env python3
"""Limber: build the stretch guide site from content/ and templates/.

    python build.py                 build the site into _site/
    python build.py build --help    every build option
    python build.py check           validate everything, write nothing
"""

import sys

from site_src.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
