"""The MkDocs config class of the plugin, derived from :class:`~policyforge.source.options.PluginOptions`.

Names, defaults and types come from that one model: each MkDocs option delegates its validation to
:func:`~policyforge.source.options.check_option`, so ``mkdocs build`` reports a wrong type with the
same words as ``policyforge check``, ``build`` and ``serve``.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.base import BaseConfigOption, Config, ValidationError

from ..errors import PolicyError
from ..source.options import PluginOptions, check_option

__all__ = ["PolicyForgeConfig"]


class _ModelOption(BaseConfigOption[Any]):
    """One field of :class:`PluginOptions`, validated by the model."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.default = PluginOptions.model_fields[name].default

    def run_validation(self, value: object, /) -> Any:
        try:
            return check_option(self.name, value)
        except PolicyError as exc:
            raise ValidationError(str(exc)) from exc


class PolicyForgeConfig(Config):
    """Options under ``plugins: - policyforge:`` in mkdocs.yml (read them with ``PluginOptions``)."""

    _schema = tuple((name, _ModelOption(name)) for name in PluginOptions.model_fields)
