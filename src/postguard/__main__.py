"""``python -m postguard`` runs the command-line tool."""

import sys

from postguard.cli import main

sys.exit(main())
