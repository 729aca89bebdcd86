"""Allow ``python -m objection``."""

from objection.cli import main

main()
