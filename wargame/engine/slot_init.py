"""A quicker `__init__` for the engine's frozen value types, the same objects as before.

`dataclass(frozen=True)` writes every field with `object.__setattr__` (a frozen type
refuses plain assignment): an attribute lookup and a generic call per field. A turn builds
some fifteen such values (its moves, their outcomes, the fired rules, the adjudication)
and a Monte Carlo job millions, so that cost showed in the engine benchmark (issue 13).
`slot_init` gives such a class an `__init__` with the same parameters and defaults that
stores each field through its own slot descriptor, in about half the instructions. The
instance is unchanged: the same fields and values, still frozen, equal, hashed and shown
as before; `dataclasses` itself writes its `__init__` this way (generated source).
"""

from __future__ import annotations

import dataclasses


def slot_init(cls: type) -> type:
    """Decorate a `dataclass(frozen=True, slots=True)` (applied above it) whose fields
    have plain defaults (no factories) and which has no `__post_init__`."""
    params = cls.__dict__.get("__dataclass_params__")
    frozen_slots = params is not None and params.frozen and "__slots__" in cls.__dict__
    if not frozen_slots or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: slot_init needs a frozen slots dataclass")
    names: list[str] = []
    lines: list[str] = []
    namespace: dict[str, object] = {}
    for f in dataclasses.fields(cls):
        if f.default_factory is not dataclasses.MISSING or not f.init:
            raise TypeError(f"{cls.__name__}.{f.name}: slot_init takes plain defaults only")
        if f.default is dataclasses.MISSING:
            names.append(f.name)
        else:
            namespace[f"_default_{f.name}"] = f.default
            names.append(f"{f.name}=_default_{f.name}")
        namespace[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        lines.append(f"    _set_{f.name}(self, {f.name})")
    source = f"def __init__(self, {', '.join(names)}):\n" + "\n".join(lines) + "\n"
    exec(source, namespace)  # the dataclasses module's own technique
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"  # type: ignore[attr-defined]
    init.__doc__ = cls.__init__.__doc__  # type: ignore[misc]
    cls.__init__ = init  # type: ignore[misc]
    return cls
