"""`python -m backend` is `espresso serve`."""

import sys

from espresso.cli import main

sys.exit(main(["serve", *sys.argv[1:]]))
