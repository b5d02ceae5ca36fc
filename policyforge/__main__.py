"""``python -m policyforge`` runs the command line."""

from .cli.main import main

main()
