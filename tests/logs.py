"""Capture a library logger's records in a test, whatever an earlier command in the process did to it.

The CLI routes the ``policyforge`` logger's warnings to stderr and stops them propagating (once per
process), so pytest's ``caplog``, listening on the root logger, no longer sees them after any in-process
command: attach its handler to the logger itself for the test.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


@contextmanager
def captured(caplog: pytest.LogCaptureFixture, name: str, level: int) -> Iterator[None]:
    """Records of logger ``name`` at ``level`` and above go to ``caplog`` (once each) inside the block."""
    logger = logging.getLogger(name)
    saved = logger.level, logger.propagate
    logger.addHandler(caplog.handler)
    logger.setLevel(level)
    logger.propagate = False  # the root's copy of caplog's handler would record them twice
    caplog.handler.setLevel(level)
    try:
        yield
    finally:
        logger.removeHandler(caplog.handler)
        logger.level, logger.propagate = saved
