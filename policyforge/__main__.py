"""``python -m policyforge`` runs the command line."""

from .cli import main

main()
