"""The lint gate of every build: the CLI's, the library's and plain ``mkdocs build`` all pass here.

:func:`gated` lints the policy a document's site publishes. Before the first release that is the
draft, which can still be fixed: a failing lint refuses the build (:class:`LintError`, nothing is
written). Once released, the site shows a release, which never changes: its lint errors are a
warning (logger ``policyforge``) and the correction is a new release.
"""

from __future__ import annotations

import dataclasses
import logging

from ..source.lint import failing, lint_error, lint_file
from .inputs import SiteInputs

__all__ = ["gated"]

log = logging.getLogger("policyforge")


def gated(inputs: SiteInputs) -> SiteInputs:
    """``inputs`` with the lint findings of the policy they publish; raises :class:`LintError` on a failing draft."""
    options = inputs.options
    released = inputs.history.newest is not None
    if released:
        shown = inputs.history.get(inputs.version)
        source, policy = options.source / shown.file, shown.policy
    else:
        source, policy = options.policy_file, inputs.current
    findings = lint_file(source, policy, display=options.display(source))
    if not released:
        error = lint_error(findings, options.display(source))
        if error is not None:
            raise error
    elif failing(findings):
        log.warning(
            "the published release %s has lint errors; released versions never change, so release a corrected "
            "version (`policyforge release`)",
            inputs.version,
        )
    return dataclasses.replace(inputs, lint=tuple(findings))
