"""Value checks the stage configs run when they are built (a bad value is a ConfigError)."""

from __future__ import annotations

from microcomm.errors import ConfigError


def _check_range(obj: object, name: str, lo: float | None, hi: float | None) -> None:
    value = getattr(obj, name)
    if value is None:
        return
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        bounds = f"[{lo if lo is not None else '-inf'}, {hi if hi is not None else 'inf'}]"
        raise ConfigError(
            f"{type(obj).__name__.removesuffix('Config').lower()}.{name} = {value!r} is out of range {bounds}",
            hint="pick a value inside the range",
        )


def _check_choice(obj: object, name: str, choices: tuple[str, ...]) -> None:
    value = getattr(obj, name)
    if value not in choices:
        section = type(obj).__name__.removesuffix("Config").lower()
        raise ConfigError(
            f"{section}.{name} = {value!r} is not one of {', '.join(choices)}",
            hint=f"set {section}.{name} to one of the listed values",
        )


def _check_weights(obj: object, name: str, keys: tuple[str, ...]) -> None:
    weights = getattr(obj, name)
    section = type(obj).__name__.removesuffix("Config").lower()
    for key, value in weights.items():
        if key not in keys:
            raise ConfigError(
                f"{section}.{name}: unknown key {key!r}",
                hint=f"use any of {', '.join(keys)}",
            )
        if not isinstance(value, int | float) or value < 0:
            raise ConfigError(f"{section}.{name}.{key} = {value!r} must be a number >= 0")
