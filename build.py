"""Build the site: the same as `policyforge build` (a shim with no logic of its own)."""

import sys

from policyforge.cli.main import main

if __name__ == "__main__":
    main(["build", *sys.argv[1:]])
