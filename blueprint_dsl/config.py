"""Project configuration: ``[tool.blueprint]`` in the pyproject.toml nearest to a file.

    [tool.blueprint]
    select = ["BP3", "BP4"]          # codes, names or code prefixes; default: all
    ignore = ["no-scenario-or-persona"]
    severity = { BP401 = "error" }   # error, warning or info
    max-customer-actions = 15
    max-wait = "30min"
    default-tolerance = "20min"      # for blueprints that declare none

The command line's options override the file's. Every code, name and prefix must
match a lane rule: a typo would otherwise select or ignore nothing, silently.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from .codes import CODES
from .diagnostics import Severity, clip, did_you_mean
from .rules import RULES
from .rules.facts import Settings
from .text import parse_duration


class ConfigError(Exception):
    """The configuration cannot be used: exit code 2, with this message."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Config:
    """The project's ``[tool.blueprint]`` table: which rules run, at what severity, with what settings."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
    source: str | None = None


#: A pyproject.toml is a few kilobytes. A larger one is refused unread: a megabyte of TOML
#: parses in about half a second, the 32 MiB a blueprint may be in many seconds.
MAX_PYPROJECT_BYTES = 1024 * 1024


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml, whatever it is: one that is not a regular file, or a
    link to nothing, is refused by ``load_config`` rather than passed over for a parent's."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if os.path.lexists(candidate):
            return candidate
    return None


def pyproject_places(start: Path) -> tuple[Path, ...]:
    """Where a pyproject.toml decides the configuration of files under ``start``: in each
    folder from ``start`` up to the one holding the nearest (or up to the root, with none).
    Such a file that comes, changes or goes changes the configuration; one further up does not."""
    places = []
    for folder in (start, *start.parents):
        places.append(folder / "pyproject.toml")
        if os.path.lexists(places[-1]):
            break
    return tuple(places)


# Every way TOML can spell the table ``tool.blueprint`` has ``tool`` before ``]``, ``=``
# or ``.blueprint``: ``[tool.blueprint]``, ``[tool]`` with ``blueprint.x = ...``, dotted
# keys, inline tables, quoted keys. A file without any of them is not parsed, which
# spares most commands the TOML parser (a tenth of a ``check``).
_MAY_CONFIGURE = re.compile(r"""["']?\btool\b["']?\s*(?:\]|=|\.\s*["']?blueprint\b)""")


def load_config(start: Path) -> Config:
    """The configuration in force for files under ``start``."""
    return _load(find_pyproject(start.resolve()))


class Configs:
    """The configuration in force for each file, with the command line's ``options`` on top
    (``with_options``): that of the pyproject.toml nearest to the folder the file is named
    in, read once for all the files it configures. Standard input (``-``) is configured
    from the current folder."""

    def __init__(self, options: Mapping[str, object]) -> None:
        self.options = options
        self.by_pyproject: dict[Path | None, Config] = {}
        self.pyprojects: dict[Path, Path | None] = {}  # the nearest, by folder: looked for once in each

    def of(self, source: str) -> Config:
        folder = Path.cwd() if source == "-" else Path(source).parent
        if folder not in self.pyprojects:
            self.pyprojects[folder] = find_pyproject(folder.resolve())
        path = self.pyprojects[folder]
        if path not in self.by_pyproject:
            self.by_pyproject[path] = with_options(_load(path), self.options)
        return self.by_pyproject[path]


def _load(path: Path | None) -> Config:
    """The configuration of a pyproject.toml; the defaults for none."""
    if path is None:
        return Config()
    try:
        text = _read(path)
        document = parse_toml(text) if _MAY_CONFIGURE.search(text) else {}
    except (OSError, UnicodeDecodeError, ValueError) as error:  # TOMLDecodeError is a ValueError
        raise ConfigError(f"{path}: cannot read [tool.blueprint]: {error}") from error
    tool = document.get("tool", {})
    table = tool.get("blueprint", {}) if isinstance(tool, Mapping) else {}
    if not isinstance(table, Mapping):
        raise ConfigError(f"{path}: tool.blueprint must be a table, such as [tool.blueprint] with keys under it")
    return from_mapping(table, str(path))


def _read(path: Path) -> str:
    """The text of a pyproject.toml, read only if it is a regular file of at most
    ``MAX_PYPROJECT_BYTES``: a FIFO would block the read, a device might never end it,
    and a huge file would take its size in memory and seconds to parse."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ConfigError(f"{path}: a link to a file that does not exist, so [tool.blueprint] cannot be read") from None
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError(f"{path}: not a regular file, so [tool.blueprint] cannot be read from it")
    too_large = ConfigError(f"{path}: over the 1 MiB a pyproject.toml may be, so [tool.blueprint] is not read from it")
    if info.st_size > MAX_PYPROJECT_BYTES:
        raise too_large
    with path.open("rb") as handle:
        data = handle.read(MAX_PYPROJECT_BYTES + 1)  # bounded, should it have grown since
    if len(data) > MAX_PYPROJECT_BYTES:
        raise too_large
    # Line endings as a text-mode read gives them.
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def parse_toml(text: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    return tomllib.loads(text)


def from_mapping(table: Mapping[str, Any], source: str | None = None) -> Config:
    where = f"{source}: [tool.blueprint]" if source else "command line"
    known = {"select", "ignore", "severity", "max-customer-actions", "max-wait", "default-tolerance"}
    unknown = sorted(set(table) - known)
    if unknown:
        # [tool.blueprint.rules], as other linters name the table of their rules' levels.
        hint = "the rules' levels go in severity = { CODE = LEVEL };" if unknown[0] == "rules" else None
        hint = hint or did_you_mean(unknown[0], known)
        raise ConfigError(f"{where}: unknown key {clip(repr(unknown[0]))}; " + (f"{hint} " if hint else "")
                          + f"the keys are {', '.join(sorted(known))}")
    settings = Settings()
    if "max-customer-actions" in table:
        value = table["max-customer-actions"]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:  # TOML's true is no number
            raise ConfigError(f"{where}: max-customer-actions must be a whole number of at least 1")
        settings = replace(settings, max_customer_actions=value)
    if "max-wait" in table:
        settings = replace(settings, max_wait=seconds(table["max-wait"], f"{where}: max-wait"))
    if "default-tolerance" in table:
        tolerance = seconds(table["default-tolerance"], f"{where}: default-tolerance")
        settings = replace(settings, default_tolerance=tolerance)
    return Config(
        select=_codes(table.get("select", []), f"{where}: select"),
        ignore=_codes(table.get("ignore", []), f"{where}: ignore"),
        severity=_severities(_table(table.get("severity", {}), f"{where}: severity"), f"{where}: severity"),
        settings=settings,
        source=source,
    )


def seconds(value: object, where: str) -> float:
    amount, problem = parse_duration(str(value))
    if amount is None:
        raise ConfigError(f"{where}: {clip(repr(value))} is not a duration ({problem})")
    return amount


def _codes(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of codes or rule names")
    for pattern in value:
        if not pattern.strip():
            raise ConfigError(f"{where}: an empty name selects every rule or none; name a code, a rule or a prefix")
        if not any(pattern == rule.code.name or rule.code.code.startswith(pattern.upper()) for rule in RULES):
            raise ConfigError(_unknown_rule(pattern, where))
    return tuple(value)


def _table(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where} must be a table of CODE = LEVEL, e.g. {{ BP401 = \"error\" }}")
    return value


def _severities(table: Mapping[str, object], where: str) -> dict[str, Severity]:
    """Severities by rule code, whether the table names a rule by its code or its name."""
    severities: dict[str, Severity] = {}
    for key, level in table.items():
        code = _rule(key, where)
        if code in severities:
            raise ConfigError(f"{where}: {clip(repr(key))} is {code} again: give its severity once")
        severities[code] = _severity(level, where)
    return severities


def _rule(key: str, where: str) -> str:
    """The code of a rule named by its code or its name, exactly: a typo would otherwise
    change nothing, silently."""
    rule = next((rule for rule in RULES if key.upper() == rule.code.code or key == rule.code.name), None)
    if rule is None:
        raise ConfigError(_unknown_rule(key, where))
    return rule.code.code


def _unknown_rule(key: str, where: str) -> str:
    not_configurable = _reading_code(key, where)
    if not_configurable:
        return not_configurable
    known = [rule.code.name for rule in RULES] + [rule.code.code for rule in RULES]
    hint = did_you_mean(key, known)
    return f"{where}: {clip(repr(key))} is not a rule" + (f"; {hint}" if hint else "; see `blueprint rules`")


def _reading_code(key: str, where: str) -> str | None:
    """Why a code that `blueprint rules` lists, but reading a file reports, cannot be configured."""
    only = "only the lane rules (BP3xx, BP4xx) can be selected, ignored or given a severity"
    code = next((code for code in CODES if key.upper() == code.code or key == code.name), None)
    if code is not None:
        other = code.name if key.upper() == code.code else code.code
        return f"{where}: {clip(repr(key))} is {other}, a code of reading a file, not a lane rule: {only}"
    prefix = key.upper()
    if re.fullmatch(r"BP[0-2]\d{0,2}", prefix) and any(code.code.startswith(prefix) for code in CODES):
        codes = prefix + "x" * (5 - len(prefix))
        return f"{where}: {clip(repr(key))} names codes of reading a file ({codes}), not lane rules: {only}"
    return None


def _severity(level: object, where: str) -> Severity:
    try:
        return Severity(str(level))
    except ValueError:
        hint = did_you_mean(str(level), [severity.value for severity in Severity])
        raise ConfigError(f"{where}: {clip(repr(level))} is not error, warning or info"
                          + (f"; {hint}" if hint else "")) from None


def with_options(config: Config, options: Mapping[str, object]) -> Config:
    """``config`` with the command line's options on top.

    ``options`` holds ``select``, ``ignore`` and ``severities`` as sequences of strings
    (each may be comma-separated; a severity is ``CODE=LEVEL``) and the thresholds by
    their Python names, None where not given.
    """
    table: dict[str, object] = {}
    for key in ("select", "ignore"):
        values = []
        for given in options.get(key, ()):
            named = [v.strip() for v in str(given).split(",") if v.strip()]
            if not named:
                raise ConfigError(f"--{key} {given!r} names no rule: name a code, a rule or a prefix")
            values += named
        if values:
            table[key] = values
    severities = {}
    for given in options.get("severities", ()):
        for item in str(given).split(","):
            code, _, level = item.partition("=")
            if not level.strip():
                raise ConfigError(f"--severity {given}: write CODE=LEVEL, e.g. BP401=error")
            severities[code.strip()] = level.strip()
    if severities:
        table["severity"] = severities
    thresholds = {"max_customer_actions", "max_wait", "default_tolerance"}
    for key, value in options.items():
        if key in thresholds and value is not None:
            table[key.replace("_", "-")] = value
    if not table:
        return config
    given = from_mapping(table, None)
    changed = {name.replace("-", "_"): getattr(given.settings, name.replace("-", "_"))
               for name in table if name.replace("-", "_") in thresholds}
    return Config(
        select=given.select or config.select,
        ignore=config.ignore + given.ignore,
        severity={**config.severity, **given.severity},
        settings=replace(config.settings, **changed),
        source=config.source,
    )
