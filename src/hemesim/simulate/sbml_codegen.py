"""Generate vectorised and compiled right-hand sides from an SBML model.

The batched engine never holds a hand-written copy of a model: this module reads the SBML (the
same text libRoadRunner loads), turns every rule, reaction and initial assignment into Python
source, and compiles it. Two dialects are generated from one expression tree:

* ``numba``: scalar kernels for one parameter set (``_rhs``, ``_outputs``, ``_init``) that the
  integrator in :mod:`hemesim.simulate._kernels` calls inside a ``prange`` loop over sets;
* ``numpy``: the same right-hand side on arrays of shape ``(n_species, N)`` (one column per
  parameter set), used as a plain vectorised reference and for the dialect comparison in
  ``benchmarks/bench_batched.py``.

Semantics follow SBML Level 3 and libRoadRunner: the state holds species *amounts*; a species
symbol in a formula means its concentration (amount / compartment size) unless the species has
``hasOnlySubstanceUnits``; reaction rates are in substance per time; boundary and constant species
are not changed by reactions; assignment rules are evaluated in dependency order before the
reactions; initial assignments are evaluated once at time 0 (an explicit override wins over an
initial assignment of the same symbol). Local parameters are promoted to global ones named
``<reaction>_<parameter>`` (libSBML's convention), and function definitions are expanded inline.

Not supported (a :class:`~hemesim.errors.SimulationError` names the element): events, algebraic
rules, delays, variable stoichiometry, and rate rules on compartments.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from hemesim.errors import SimulationError
from hemesim.simulate.kernel_cache import import_kernel_module, kernel_cache_dir

__all__ = [
    "ModelIR",
    "CompiledModel",
    "parse_sbml",
    "compile_model",
    "numpy_rhs",
    "kernel_cache_dir",
]

Expr = tuple[Any, ...]
"""Expression tree node: ``("num", v)``, ``("sym", name)``, ``("time",)`` or ``(op, *children)``."""


# ---------------------------------------------------------------------------------------------
# Intermediate representation
# ---------------------------------------------------------------------------------------------


@dataclass
class ModelIR:
    """A model as data, read from SBML, with the semantics resolved.

    Attributes
    ----------
    state_ids
        Species (amounts) and rate-rule variables integrated in time, in state order.
    param_ids
        Names in the per-set parameter vector ``p``: global parameters, compartments, fixed
        species values and initial values of the state (species initial concentrations, or
        amounts for ``hasOnlySubstanceUnits`` species).
    param_defaults
        Default value of each entry of ``p`` (SBML units).
    output_ids
        Columns of the output vector: every species (concentration, or amount for
        ``hasOnlySubstanceUnits``) followed by every assignment-rule and rate-rule variable.
    stoichiometry
        Matrix (n_state x n_reactions) of reaction-driven state species; rows of rate-rule
        variables are zero.
    rate_rule_state
        True for state entries driven by a rate rule (excluded from conservation analysis).
    """

    sbml_hash: str
    state_ids: list[str]
    param_ids: list[str]
    param_defaults: np.ndarray
    output_ids: list[str]
    stoichiometry: np.ndarray
    rate_rule_state: np.ndarray
    species_compartment: dict[str, str]
    species_hosu: dict[str, bool]
    # statements, each (target_python_name, Expr), in evaluation order
    assignment_rules: list[tuple[str, Expr]] = field(default_factory=list)
    reactions: list[tuple[str, Expr]] = field(default_factory=list)
    rate_rules: dict[str, Expr] = field(default_factory=dict)
    initial_assignments: list[tuple[str, Expr]] = field(default_factory=list)
    initial_species: dict[str, str] = field(default_factory=dict)  # state id -> "conc"|"amount"
    fixed_species: list[str] = field(default_factory=list)

    @property
    def n_state(self) -> int:
        """Number of integrated state variables."""
        return len(self.state_ids)


def _sym(name: str) -> str:
    return "v_" + name


def _node_type(node: Any) -> int:
    """``node.getType()`` as an int, even after a SWIG type-table clash.

    If ``libsbml`` was imported before python-libsedml/libcombine by the caller's process (see
    :mod:`hemesim.sbml_libs`), libSBML hands the enum back boxed in a SwigPyObject; its value is
    then read from the pointer it wraps.
    """
    t = node.getType()
    if isinstance(t, int):
        return t
    import ctypes

    return int(ctypes.c_int.from_address(int(t)).value)


def _ast_to_expr(node: Any) -> Expr:
    """Convert a libSBML ASTNode (function definitions already expanded) to an Expr tree."""
    from hemesim.sbml_libs import libsbml

    t = _node_type(node)
    kids = [_ast_to_expr(node.getChild(i)) for i in range(node.getNumChildren())]
    if t == libsbml.AST_INTEGER:
        return ("num", float(node.getInteger()))
    if t in (libsbml.AST_REAL, libsbml.AST_REAL_E, libsbml.AST_RATIONAL):
        return ("num", float(node.getReal()))
    if t == libsbml.AST_NAME:
        return ("sym", node.getName())
    if t == libsbml.AST_NAME_TIME:
        return ("time",)
    if t == libsbml.AST_NAME_AVOGADRO:
        return ("num", 6.02214179e23)
    if t == libsbml.AST_CONSTANT_E:
        return ("num", math.e)
    if t == libsbml.AST_CONSTANT_PI:
        return ("num", math.pi)
    if t == libsbml.AST_CONSTANT_TRUE:
        return ("num", 1.0)
    if t == libsbml.AST_CONSTANT_FALSE:
        return ("num", 0.0)
    simple = {
        libsbml.AST_PLUS: "+",
        libsbml.AST_TIMES: "*",
        libsbml.AST_DIVIDE: "/",
        libsbml.AST_POWER: "pow",
        libsbml.AST_FUNCTION_POWER: "pow",
        libsbml.AST_FUNCTION_EXP: "exp",
        libsbml.AST_FUNCTION_LN: "ln",
        libsbml.AST_FUNCTION_ABS: "abs",
        libsbml.AST_FUNCTION_FLOOR: "floor",
        libsbml.AST_FUNCTION_CEILING: "ceil",
        libsbml.AST_FUNCTION_SIN: "sin",
        libsbml.AST_FUNCTION_COS: "cos",
        libsbml.AST_FUNCTION_TAN: "tan",
        libsbml.AST_FUNCTION_TANH: "tanh",
        libsbml.AST_FUNCTION_MIN: "min",
        libsbml.AST_FUNCTION_MAX: "max",
        libsbml.AST_FUNCTION_PIECEWISE: "piecewise",
        libsbml.AST_RELATIONAL_EQ: "==",
        libsbml.AST_RELATIONAL_NEQ: "!=",
        libsbml.AST_RELATIONAL_GT: ">",
        libsbml.AST_RELATIONAL_GEQ: ">=",
        libsbml.AST_RELATIONAL_LT: "<",
        libsbml.AST_RELATIONAL_LEQ: "<=",
        libsbml.AST_LOGICAL_AND: "and",
        libsbml.AST_LOGICAL_OR: "or",
        libsbml.AST_LOGICAL_NOT: "not",
        libsbml.AST_LOGICAL_XOR: "xor",
    }
    if t == libsbml.AST_MINUS:
        return ("neg", kids[0]) if len(kids) == 1 else ("-", kids[0], kids[1])
    if t == libsbml.AST_FUNCTION_LOG:
        if len(kids) == 1:
            return ("log10", kids[0])
        return ("/", ("ln", kids[1]), ("ln", kids[0]))
    if t == libsbml.AST_FUNCTION_ROOT:
        if len(kids) == 1:
            return ("pow", kids[0], ("num", 0.5))
        return ("pow", kids[1], ("/", ("num", 1.0), kids[0]))
    if t in simple:
        op = simple[t]
        if op == "+" and not kids:
            return ("num", 0.0)
        if op == "*" and not kids:
            return ("num", 1.0)
        if op in ("+", "*") and len(kids) == 1:
            return kids[0]
        return (op, *kids)
    raise SimulationError(
        f"SBML math element {node.getName() or libsbml.formulaToL3String(node)!r} is not supported "
        "by the batched engine; expected arithmetic, pow/exp/ln/log, piecewise or relations"
    )


def _symbols(e: Expr) -> set[str]:
    if e[0] == "sym":
        return {e[1]}
    if e[0] in ("num", "time"):
        return set()
    out: set[str] = set()
    for k in e[1:]:
        out |= _symbols(k)
    return out


def _toposort(items: list[tuple[str, Expr]], what: str) -> list[tuple[str, Expr]]:
    """Order (target, expr) statements so that each target comes after what it reads."""
    targets = {name for name, _ in items}
    deps = {name: _symbols(e) & targets for name, e in items}
    exprs = dict(items)
    ordered: list[tuple[str, Expr]] = []
    done: set[str] = set()
    while len(ordered) < len(items):
        ready = [n for n, _ in items if n not in done and deps[n] <= done]
        if not ready:
            cyc = sorted(set(targets) - done)
            raise SimulationError(f"{what} form a cycle among {cyc}; expected an acyclic set")
        for n in ready:
            ordered.append((n, exprs[n]))
            done.add(n)
    return ordered


def _convert(doc: Any, option: str) -> None:
    from hemesim.sbml_libs import libsbml

    props = libsbml.ConversionProperties()
    props.addOption(option, True)
    if doc.convert(props) != libsbml.LIBSBML_OPERATION_SUCCESS:
        raise SimulationError(f"libSBML conversion {option!r} failed; expected a valid SBML model")


def parse_sbml(sbml: str) -> ModelIR:
    """Read SBML text into a :class:`ModelIR`.

    Parameters
    ----------
    sbml
        SBML Level 2 or 3 document as text.

    Returns
    -------
    ModelIR
        The model with resolved amount/concentration semantics.

    Raises
    ------
    SimulationError
        If the SBML cannot be read or uses an unsupported construct.
    """
    from hemesim.sbml_libs import libsbml

    sbml_hash = hashlib.sha256(sbml.encode()).hexdigest()[:16]
    doc = libsbml.readSBMLFromString(sbml)
    if doc.getModel() is None or doc.getNumErrors(libsbml.LIBSBML_SEV_FATAL) > 0:
        raise SimulationError("SBML text could not be read; expected a valid SBML document")
    _convert(doc, "expandFunctionDefinitions")
    _convert(doc, "promoteLocalParameters")
    m = doc.getModel()
    if m.getNumEvents():
        raise SimulationError(f"SBML model {m.getId()!r} has events; the batched engine has none")

    comp_size = {
        c.getId(): (c.getSize() if c.isSetSize() else 1.0) for c in m.getListOfCompartments()
    }
    rule_kind: dict[str, str] = {}
    rules_assign: list[tuple[str, Expr]] = []
    rules_rate: dict[str, Expr] = {}
    for r in m.getListOfRules():
        if r.isAlgebraic():
            raise SimulationError("SBML algebraic rules are not supported by the batched engine")
        var = r.getVariable()
        e = _ast_to_expr(r.getMath())
        if r.isAssignment():
            rule_kind[var] = "assign"
            rules_assign.append((var, e))
        else:
            if var in comp_size:
                raise SimulationError(f"rate rule on compartment {var!r} is not supported")
            rule_kind[var] = "rate"
            rules_rate[var] = e

    species = list(m.getListOfSpecies())
    hosu = {s.getId(): bool(s.getHasOnlySubstanceUnits()) for s in species}
    s_comp = {s.getId(): s.getCompartment() for s in species}
    state: list[str] = []
    fixed: list[str] = []
    for s in species:
        sid = s.getId()
        if rule_kind.get(sid) == "assign":
            continue
        if rule_kind.get(sid) == "rate" or not (s.getBoundaryCondition() or s.getConstant()):
            state.append(sid)
        else:
            fixed.append(sid)
    for pid in rules_rate:
        if pid not in s_comp:
            state.append(pid)

    # parameter vector: globals (not assignment-ruled, not rate-ruled), compartments, fixed
    # species values, initial values of state variables
    param_ids: list[str] = []
    defaults: list[float] = []
    ia_targets = {ia.getSymbol() for ia in m.getListOfInitialAssignments()}
    for prm in m.getListOfParameters():
        pid = prm.getId()
        if pid in rule_kind and rule_kind[pid] == "assign":
            continue
        if not prm.isSetValue() and pid not in ia_targets:
            raise SimulationError(
                f"parameter {pid!r} has no value; expected a value, initial assignment or rule"
            )
        if pid in rule_kind:
            continue
        param_ids.append(pid)
        defaults.append(prm.getValue() if prm.isSetValue() else 0.0)
    for cid, size in comp_size.items():
        if cid in rule_kind:
            raise SimulationError(f"rule on compartment {cid!r} is not supported")
        param_ids.append(cid)
        defaults.append(size)

    def species_value(s: Any) -> float:
        sid = s.getId()
        if hosu[sid]:
            if s.isSetInitialAmount():
                return float(s.getInitialAmount())
            return float(s.getInitialConcentration()) * comp_size[s_comp[sid]]
        if s.isSetInitialConcentration():
            return float(s.getInitialConcentration())
        if s.isSetInitialAmount():
            return float(s.getInitialAmount()) / comp_size[s_comp[sid]]
        return 0.0  # unset: libRoadRunner (and SBML tools) start at 0

    by_id = {s.getId(): s for s in species}
    for sid in fixed:
        param_ids.append(sid)
        defaults.append(species_value(by_id[sid]))
    for sid in state:
        if sid in by_id:
            param_ids.append(sid)
            defaults.append(species_value(by_id[sid]))
        else:
            prm = m.getParameter(sid)
            param_ids.append(sid)
            defaults.append(prm.getValue() if prm.isSetValue() else 0.0)

    reactions: list[tuple[str, Expr]] = []
    stoich = np.zeros((len(state), m.getNumReactions()))
    sidx = {sid: i for i, sid in enumerate(state)}
    for j, rx in enumerate(m.getListOfReactions()):
        if not rx.isSetKineticLaw() or not rx.getKineticLaw().isSetMath():
            raise SimulationError(f"reaction {rx.getId()!r} has no kinetic law")
        reactions.append((rx.getId(), _ast_to_expr(rx.getKineticLaw().getMath())))
        for sign, refs in ((-1.0, rx.getListOfReactants()), (1.0, rx.getListOfProducts())):
            for ref in refs:
                sp = ref.getSpecies()
                if ref.isSetStoichiometryMath() or (ref.isSetId() and ref.getId() in rule_kind):
                    raise SimulationError(f"variable stoichiometry in {rx.getId()!r} unsupported")
                st = ref.getStoichiometry() if ref.isSetStoichiometry() else 1.0
                if sp in sidx and rule_kind.get(sp) != "rate":
                    stoich[sidx[sp], j] += sign * st
    initial = [
        (ia.getSymbol(), _ast_to_expr(ia.getMath())) for ia in m.getListOfInitialAssignments()
    ]
    outputs = [s.getId() for s in species] + [v for v, _ in rules_assign if v not in s_comp]
    outputs += [v for v in rules_rate if v not in s_comp]
    return ModelIR(
        sbml_hash=sbml_hash,
        state_ids=state,
        param_ids=param_ids,
        param_defaults=np.asarray(defaults, dtype=float),
        output_ids=outputs,
        stoichiometry=stoich,
        rate_rule_state=np.array([rule_kind.get(s) == "rate" for s in state], dtype=bool),
        species_compartment=s_comp,
        species_hosu=hosu,
        assignment_rules=_toposort(rules_assign, "assignment rules"),
        reactions=reactions,
        rate_rules=rules_rate,
        initial_assignments=_toposort(initial, "initial assignments"),
        fixed_species=fixed,
    )


# ---------------------------------------------------------------------------------------------
# Emission
# ---------------------------------------------------------------------------------------------

_FUNCS_NUMBA = {
    "exp": "math.exp",
    "ln": "math.log",
    "log10": "math.log10",
    "abs": "abs",
    "floor": "math.floor",
    "ceil": "math.ceil",
    "sin": "math.sin",
    "cos": "math.cos",
    "tan": "math.tan",
    "tanh": "math.tanh",
}
_FUNCS_NUMPY = {
    "exp": "np.exp",
    "ln": "np.log",
    "log10": "np.log10",
    "abs": "np.abs",
    "floor": "np.floor",
    "ceil": "np.ceil",
    "sin": "np.sin",
    "cos": "np.cos",
    "tan": "np.tan",
    "tanh": "np.tanh",
}
_REL = {"==", "!=", ">", ">=", "<", "<="}


def _emit(e: Expr, vec: bool) -> str:
    """Python source of an expression; ``vec`` selects the numpy (array) dialect."""
    op = e[0]
    if op == "num":
        return repr(float(e[1]))
    if op == "sym":
        return _sym(e[1])
    if op == "time":
        return "t"
    if op == "raw":
        return str(e[1])
    args = [_emit(k, vec) for k in e[1:]]
    if op in ("+", "*"):
        return "(" + f" {op} ".join(args) + ")"
    if op in ("-", "/"):
        return f"({args[0]} {op} {args[1]})"
    if op == "neg":
        return f"(-{args[0]})"
    if op == "pow":
        b = e[2]
        if vec or (b[0] == "num" and float(b[1]).is_integer()):
            return f"({args[0]} ** {args[1]})"
        return f"_pow({args[0]}, {args[1]})"
    if op in _REL:
        return f"({args[0]} {op} {args[1]})"
    if op in ("min", "max"):
        if vec:
            out = args[0]
            for a in args[1:]:
                out = f"np.{'minimum' if op == 'min' else 'maximum'}({out}, {a})"
            return out
        return f"{op}({', '.join(args)})"
    if op in ("and", "or", "xor"):
        if vec:
            fn = {"and": "np.logical_and", "or": "np.logical_or", "xor": "np.logical_xor"}[op]
            out = args[0]
            for a in args[1:]:
                out = f"{fn}({out}, {a})"
            return out
        if op == "xor":
            return "(" + " != ".join(f"bool({a})" for a in args) + ")"
        return "(" + f" {op} ".join(f"bool({a})" for a in args) + ")"
    if op == "sign":
        if vec:
            return f"np.sign({args[0]})"
        return f"(1.0 if {args[0]} > 0.0 else (-1.0 if {args[0]} < 0.0 else 0.0))"
    if op == "not":
        return f"np.logical_not({args[0]})" if vec else f"(not {args[0]})"
    if op == "piecewise":
        # piecewise(v1, c1, v2, c2, ..., [otherwise])
        pieces = args
        otherwise = pieces[-1] if len(pieces) % 2 == 1 else "math.nan"
        if vec:
            if otherwise == "math.nan":
                otherwise = "np.nan"
            out = otherwise
            for i in range(len(pieces) - (len(pieces) % 2) - 2, -1, -2):
                out = f"np.where({pieces[i + 1]}, {pieces[i]}, {out})"
            return out
        out = otherwise
        for i in range(len(pieces) - (len(pieces) % 2) - 2, -1, -2):
            out = f"({pieces[i]} if {pieces[i + 1]} else {out})"
        return out
    name = (_FUNCS_NUMPY if vec else _FUNCS_NUMBA).get(op)
    if name is None:
        raise SimulationError(f"operator {op!r} has no emitter")
    return f"{name}({', '.join(args)})"


# ---------------------------------------------------------------------------------------------
# Symbolic derivatives (for the analytic Jacobian)
# ---------------------------------------------------------------------------------------------

_ZERO: Expr = ("num", 0.0)
_ONE: Expr = ("num", 1.0)


def _is_zero(e: Expr | None) -> bool:
    return e is None or (e[0] == "num" and e[1] == 0.0)


def _mul(*factors: Expr | None) -> Expr | None:
    fs = []
    for f in factors:
        if _is_zero(f):
            return None
        assert f is not None
        if f[0] == "num" and f[1] == 1.0:
            continue
        fs.append(f)
    if not fs:
        return _ONE
    return fs[0] if len(fs) == 1 else ("*", *fs)


def _add(*terms: Expr | None) -> Expr | None:
    ts = [t for t in terms if not _is_zero(t)]
    if not ts:
        return None
    return ts[0] if len(ts) == 1 else ("+", *ts)


def _sub(a: Expr | None, b: Expr | None) -> Expr | None:
    if _is_zero(b):
        return a
    assert b is not None
    if _is_zero(a):
        return ("neg", b)
    assert a is not None
    return ("-", a, b)


def _div(a: Expr | None, b: Expr) -> Expr | None:
    return None if _is_zero(a) else ("/", a, b)  # type: ignore[return-value]


def _deriv(e: Expr, key: Any, dsym: Callable[[str, Any], Expr | None]) -> Expr | None:
    """Derivative of ``e`` with respect to ``key`` (a state index, or ``"time"``).

    ``dsym(name, key)`` gives the derivative of a symbol (a local variable holding it, or None
    when the symbol does not depend on ``key``). Returns None for an identically zero result.
    """
    op = e[0]
    if op == "num":
        return None
    if op == "time":
        return _ONE if key == "time" else None
    if op == "sym":
        return dsym(e[1], key)
    kids = e[1:]
    if op in _REL or op in ("and", "or", "xor", "not", "floor", "ceil"):
        return None
    d = [_deriv(k, key, dsym) for k in kids]
    if all(_is_zero(x) for x in d):
        return None
    if op == "+":
        return _add(*d)
    if op == "-":
        return _sub(d[0], d[1])
    if op == "neg":
        return ("neg", d[0])  # type: ignore[return-value]
    if op == "*":
        terms = []
        for i, di in enumerate(d):
            if _is_zero(di):
                continue
            terms.append(_mul(di, *[k for j, k in enumerate(kids) if j != i]))
        return _add(*terms)
    if op == "/":
        a, b = kids
        return _sub(_div(d[0], b), _div(_mul(a, d[1]), ("pow", b, ("num", 2.0))))
    if op == "pow":
        a, b = kids
        if _is_zero(d[1]):
            # d(a^b) = b a^(b-1) da  (b constant with respect to key)
            if b[0] == "num":
                return _mul(b, ("pow", a, ("num", b[1] - 1.0)), d[0])
            return _mul(b, ("pow", a, ("-", b, _ONE)), d[0])
        return _mul(e, _add(_mul(d[1], ("ln", a)), _div(_mul(b, d[0]), a)))
    if op == "exp":
        return _mul(e, d[0])
    if op == "ln":
        return _div(d[0], kids[0])
    if op == "log10":
        return _div(d[0], ("*", kids[0], ("num", math.log(10.0))))
    if op == "abs":
        return _mul(("sign", kids[0]), d[0])
    if op == "sin":
        return _mul(("cos", kids[0]), d[0])
    if op == "cos":
        return _mul(("neg", ("sin", kids[0])), d[0])
    if op == "tan":
        return _div(d[0], ("pow", ("cos", kids[0]), ("num", 2.0)))
    if op == "tanh":
        return _mul(("-", _ONE, ("pow", e, ("num", 2.0))), d[0])
    if op == "piecewise":
        # children: value, condition, value, condition, ..., [otherwise]; values at even indices
        return ("piecewise", *[(d[i] or _ZERO) if i % 2 == 0 else k for i, k in enumerate(kids)])
    if op in ("min", "max"):
        acc_v, acc_d = kids[0], d[0] or _ZERO
        for k, dk in zip(kids[1:], d[1:], strict=True):
            cond = ("<=" if op == "min" else ">=", acc_v, k)
            acc_d = ("piecewise", acc_d, cond, dk or _ZERO)
            acc_v = (op, acc_v, k)
        return acc_d
    raise SimulationError(f"no derivative rule for operator {op!r}")


def _jacobian_lines(ir: ModelIR, keys: list[Any]) -> tuple[list[str], dict[Any, list[str]]]:
    """Source computing d(rate or rate-rule)/d(key) for each key; returns (common, per-key)."""
    sidx = {sid: i for i, sid in enumerate(ir.state_ids)}
    common: list[str] = []
    per_key: dict[Any, list[str]] = {}
    for key in keys:
        lines: list[str] = []
        known: dict[str, str] = {}

        def dsym(name: str, key: Any = key, known: dict[str, str] = known) -> Expr | None:
            if name in known:
                return ("raw", known[name]) if known[name] else None
            return None

        # state symbols
        for sid, i in sidx.items():
            if i != key:
                continue
            var = f"dd_{i}_{sid}"
            if sid in ir.species_compartment and not ir.species_hosu[sid]:
                lines.append(f"{var} = 1.0 / {_sym(ir.species_compartment[sid])}")
            else:
                lines.append(f"{var} = 1.0")
            known[sid] = var
        for v, e in ir.assignment_rules:
            de = _deriv(e, key, dsym)
            if _is_zero(de):
                known[v] = ""
                continue
            assert de is not None
            var = f"dd_{v}"
            lines.append(f"{var} = {_emit(de, False)}")
            known[v] = var
        per_key[key] = lines
        per_key[("rates", key)] = []
        for j, (_, e) in enumerate(ir.reactions):
            de = _deriv(e, key, dsym)
            if not _is_zero(de):
                assert de is not None
                per_key[("rates", key)].append(f"drate_{j} = {_emit(de, False)}")
                per_key[("rates", key)].append(f"#J{j}")
        per_key[("rules", key)] = []
        for i, sid in enumerate(ir.state_ids):
            if ir.rate_rule_state[i]:
                de = _deriv(ir.rate_rules[sid], key, dsym)
                if not _is_zero(de):
                    assert de is not None
                    src = _emit(de, False)
                    if sid in ir.species_compartment and not ir.species_hosu[sid]:
                        src = f"({src}) * {_sym(ir.species_compartment[sid])}"
                    per_key[("rules", key)].append(f"drr_{i} = {src}")
                    per_key[("rules", key)].append(f"#R{i}")
    return common, per_key


def _leaf_order(pattern: np.ndarray) -> tuple[list[int], list[int]]:
    """Split states into a dense core and leaves solvable by substitution.

    A state joins the leaves when every non-zero of its Jacobian column lies in rows of states
    that are already leaves (never on the diagonal): nothing else depends on it.
    """
    n = pattern.shape[0]
    leaf: list[int] = []
    in_leaf = np.zeros(n, dtype=bool)
    changed = True
    while changed:
        changed = False
        for j in range(n):
            if in_leaf[j]:
                continue
            rows = np.flatnonzero(pattern[:, j])
            if all(in_leaf[i] and i != j for i in rows):
                leaf.append(j)
                in_leaf[j] = True
                changed = True
    core = [j for j in range(n) if not in_leaf[j]]
    return core, leaf


def _min_degree_order(sym: np.ndarray) -> list[int]:
    """Minimum-degree elimination order of a symmetric pattern (ties: lowest index)."""
    n = sym.shape[0]
    adj = [set(np.flatnonzero(sym[i]).tolist()) - {i} for i in range(n)]
    left = set(range(n))
    order: list[int] = []
    while left:
        v = min(left, key=lambda i: (len(adj[i] & left), i))
        nb_ = adj[v] & left
        for a in nb_:
            adj[a] |= nb_ - {a}
        order.append(v)
        left.remove(v)
    return order


def sparse_plan(pattern: np.ndarray) -> dict[str, list[int]]:
    """Block-triangular split and sparse LU plan of ``mu I - J`` for a Jacobian pattern.

    Parameters
    ----------
    pattern
        Boolean (n, n) non-zero pattern of the Jacobian.

    Returns
    -------
    dict
        ``core`` (state indices of the dense-coupled block, in a minimum-degree elimination
        order), ``leaf`` (solved by substitution), and CSR-like index lists of the LU with
        fill-in: ``l_ptr``/``l_row`` (rows below each pivot), ``u_ptr``/``u_col`` (columns right
        of it), ``leaf_ptr``/``leaf_col`` (Jacobian row of each leaf).
    """
    core, leaf = _leaf_order(pattern)
    blk = pattern[np.ix_(core, core)] | np.eye(len(core), dtype=bool)
    order = _min_degree_order(blk | blk.T)
    core = [core[i] for i in order]
    fill = pattern[np.ix_(core, core)] | np.eye(len(core), dtype=bool)
    nc = len(core)
    l_ptr, l_row, u_ptr, u_col = [0], [], [0], []
    for k in range(nc):
        rows = [i for i in range(k + 1, nc) if fill[i, k]]
        cols = [j for j in range(k + 1, nc) if fill[k, j]]
        for i in rows:
            for j in cols:
                fill[i, j] = True
        l_row += rows
        u_col += cols
        l_ptr.append(len(l_row))
        u_ptr.append(len(u_col))
    leaf_ptr, leaf_col = [0], []
    for i in leaf:
        leaf_col += [j for j in np.flatnonzero(pattern[i]).tolist() if j != i]
        leaf_ptr.append(len(leaf_col))
    return {
        "core": core,
        "leaf": leaf,
        "l_ptr": l_ptr,
        "l_row": l_row,
        "u_ptr": u_ptr,
        "u_col": u_col,
        "leaf_ptr": leaf_ptr,
        "leaf_col": leaf_col,
    }


def sparse_lu_source(plan: dict[str, list[int]]) -> list[str]:
    """Straight-line numba source of the sparse LU of a :func:`sparse_plan` and its solve.

    ``_sp_factor(J, E, mu, tol2)`` copies the CORE block of ``mu I - J`` at the positions the
    elimination reads or fills, eliminates in the planned order with a threshold test on squared
    pivot magnitudes (False as soon as a pivot fails: the caller falls back to the dense LU) and
    stores reciprocal pivots on the diagonal; ``_sp_solve(E, b)`` solves with those factors in
    place. Every index is a literal, so the compiled code does no index arithmetic; the
    operations are those of the loop form in ``_kernels``, in the same order (identical bits).
    Works for real and complex ``mu`` (numba compiles one version per type).
    """
    core, l_ptr, l_row = plan["core"], plan["l_ptr"], plan["l_row"]
    u_ptr, u_col = plan["u_ptr"], plan["u_col"]
    nc = len(core)
    ind = "    "
    lower = [l_row[l_ptr[k] : l_ptr[k + 1]] for k in range(nc)]
    upper = [u_col[u_ptr[k] : u_ptr[k + 1]] for k in range(nc)]
    fac = [_NJIT, "def _sp_factor(J, E, mu, tol2):"]
    for k in range(nc):
        ck = core[k]
        fac.append(ind + f"E[{k}, {k}] = mu - J[{ck}, {ck}]")
        fac += [ind + f"E[{i}, {k}] = -J[{core[i]}, {ck}]" for i in lower[k]]
        fac += [ind + f"E[{k}, {j}] = -J[{ck}, {core[j]}]" for j in upper[k]]
    for k in range(nc):
        fac += [
            ind + f"pk = E[{k}, {k}]",
            ind + "apk = pk.real * pk.real + pk.imag * pk.imag",
            ind + "big = apk",
        ]
        for i in lower[k]:
            fac += [
                ind + f"e = E[{i}, {k}]",
                ind + "big = max(big, e.real * e.real + e.imag * e.imag)",
            ]
        fac += [
            ind + "if apk == 0.0 or not math.isfinite(big) or apk < tol2 * big:",
            ind * 2 + "return False",
            ind + "inv = 1.0 / pk",
        ]
        for i in lower[k]:
            fac += [ind + f"E[{i}, {k}] *= inv", ind + f"f = E[{i}, {k}]"]
            fac += [ind + f"E[{i}, {j}] -= f * E[{k}, {j}]" for j in upper[k]]
        fac.append(ind + f"E[{k}, {k}] = inv")
    fac += [ind + "return True", "", ""]
    sol = [_NJIT, "def _sp_solve(E, b):"]
    for k in range(nc):
        if lower[k]:
            sol.append(ind + f"bk = b[{k}]")
            sol += [ind + f"b[{i}] -= E[{i}, {k}] * bk" for i in lower[k]]
    for k in range(nc - 1, -1, -1):
        terms = "".join(f" - E[{k}, {j}] * b[{j}]" for j in upper[k])
        sol.append(ind + f"b[{k}] = (b[{k}]{terms}) * E[{k}, {k}]")
    sol += [ind + "return None", "", ""]
    return fac + sol


def _jacobian_source(
    ir: ModelIR,
    name: str,
    key_of_column: list[Any],
    target: str,
    pattern: np.ndarray | None = None,
) -> list[str]:
    """Generate ``target[i, c] = d f_i / d key`` for each column ``c`` with ``key_of_column[c]``."""
    ind = "    "
    _, per_key = _jacobian_lines(ir, key_of_column)
    out: list[str] = []
    for c, key in enumerate(key_of_column):
        out += per_key[key]
        col: dict[int, list[str]] = {}
        lines = per_key[("rates", key)]
        for k in range(0, len(lines), 2):
            out.append(lines[k])
            j = int(lines[k + 1][2:])
            for i, st in enumerate(ir.stoichiometry[:, j]):
                if st != 0 and not ir.rate_rule_state[i]:
                    col.setdefault(i, []).append(f"{st!r} * drate_{j}")
        lines = per_key[("rules", key)]
        for k in range(0, len(lines), 2):
            out.append(lines[k])
            i = int(lines[k + 1][2:])
            col.setdefault(i, []).append(f"drr_{i}")
        if pattern is not None:
            for i in col:
                pattern[i, c] = True
        for i in range(ir.n_state):
            if target == "J":
                # structural zeros are not written: the kernels zero every Jacobian array
                if i in col:
                    out.append(f"J[{i}, {c}] = {' + '.join(col[i])}")
                continue
            rhs = " + ".join(col[i]) if i in col else "0.0"
            out.append(f"{target}[{i}] = {rhs}")
    return [ind + s for s in out]


def _reads(ir: ModelIR, state_src: Callable[[int], str], p_src: Callable[[int], str]) -> list[str]:
    """Source lines binding every SBML symbol from the state and parameter vectors."""
    lines: list[str] = []
    pidx = {pid: k for k, pid in enumerate(ir.param_ids)}
    sidx = {sid: i for i, sid in enumerate(ir.state_ids)}
    # compartments and globals first (species concentrations divide by compartments)
    for pid, k in pidx.items():
        if pid in ir.species_compartment:
            continue
        if pid in sidx:
            continue
        lines.append(f"{_sym(pid)} = {p_src(k)}")
    for sid in ir.fixed_species:
        lines.append(f"{_sym(sid)} = {p_src(pidx[sid])}")
    # one reciprocal per compartment volume, then a product per species (a division per species
    # was a third of the right-hand side's cost); compartments that are themselves states keep
    # the division, as they are bound in the loop below
    inverse: dict[str, str] = {}
    for sid in sidx:
        comp_id = ir.species_compartment.get(sid)
        if comp_id is None or ir.species_hosu[sid] or comp_id in sidx or comp_id in inverse:
            continue
        inverse[comp_id] = f"inv_{_sym(comp_id)}"
        lines.append(f"{inverse[comp_id]} = 1.0 / {_sym(comp_id)}")
    for sid, i in sidx.items():
        if sid in ir.species_compartment and not ir.species_hosu[sid]:
            comp_id = ir.species_compartment[sid]
            if comp_id in inverse:
                lines.append(f"{_sym(sid)} = {state_src(i)} * {inverse[comp_id]}")
            else:
                lines.append(f"{_sym(sid)} = {state_src(i)} / {_sym(comp_id)}")
        else:
            lines.append(f"{_sym(sid)} = {state_src(i)}")
    return lines


def _rules_src(ir: ModelIR, vec: bool) -> list[str]:
    return [f"{_sym(v)} = {_emit(e, vec)}" for v, e in ir.assignment_rules]


def _derivatives_src(ir: ModelIR, vec: bool, target: Callable[[int], str]) -> list[str]:
    lines = [f"rate_{j} = {_emit(e, vec)}" for j, (_, e) in enumerate(ir.reactions)]
    for i, sid in enumerate(ir.state_ids):
        if ir.rate_rule_state[i]:
            rhs = _emit(ir.rate_rules[sid], vec)
            if sid in ir.species_compartment and not ir.species_hosu[sid]:
                rhs = f"({rhs}) * {_sym(ir.species_compartment[sid])}"
        else:
            terms = []
            for j, st in enumerate(ir.stoichiometry[i]):
                if st == 0:
                    continue
                terms.append(f"{st!r} * rate_{j}")
            rhs = " + ".join(terms) if terms else ("0.0 * t" if vec else "0.0")
        lines.append(f"{target(i)} = {rhs}")
    return lines


_NJIT = '@nb.njit(cache=True, error_model="numpy")'
"""Decorator of the generated kernels: numpy's error model (a division by zero gives inf or NaN,
which the integrators test for, instead of a per-division branch that raises), so the compiler
may also drop expressions whose results are unused (readout-only rules in ``_rhs``)."""


def _numba_source(ir: ModelIR) -> str:
    ind = "    "
    body_reads = _reads(ir, lambda i: f"y[{i}]", lambda k: f"p[{k}]")
    out: list[str] = [
        f"# generated by hemesim.simulate.sbml_codegen from SBML {ir.sbml_hash}; do not edit",
        f"N_STATE = {ir.n_state}",
        f"N_PARAM = {len(ir.param_ids)}",
        f"N_OUT = {len(ir.output_ids)}",
        "",
        "",
        _NJIT,
        "def _rhs(t, y, p, dy):",
    ]
    out += [ind + s for s in body_reads + _rules_src(ir, False)]
    out += [ind + s for s in _derivatives_src(ir, False, lambda i: f"dy[{i}]")]
    out += [ind + "return None", "", ""]

    rules = _rules_src(ir, False)
    out += [_NJIT, "def _jac(t, y, p, J):"]
    out += [ind + s for s in body_reads + rules]
    pattern = np.zeros((ir.n_state, ir.n_state), dtype=bool)
    out += _jacobian_source(ir, "_jac", list(range(ir.n_state)), "J", pattern)
    plan = sparse_plan(pattern)
    rows, cols = np.nonzero(pattern)
    plan["jac_row"], plan["jac_col"] = rows.tolist(), cols.tolist()
    out[:0] = [f"{k.upper()} = np.array({v!r}, dtype=np.int64)" for k, v in plan.items()]
    out += [ind + "return None", "", ""]
    out += sparse_lu_source(plan)
    out += [_NJIT, "def _dfdt(t, y, p, ft):"]
    out += [ind + s for s in body_reads + rules]
    out += _jacobian_source(ir, "_dfdt", ["time"], "ft")
    out += [ind + "return None", "", ""]

    out += [_NJIT, "def _outputs(t, y, p, o):"]
    out += [ind + s for s in body_reads + _rules_src(ir, False)]
    for k, oid in enumerate(ir.output_ids):
        out.append(ind + f"o[{k}] = {_sym(oid)}")
    out += [ind + "return None", "", ""]

    # initial state: parameters may be set by initial assignments (unless overridden: skip[k])
    pidx = {pid: k for k, pid in enumerate(ir.param_ids)}
    out += [_NJIT, "def _init(p, skip, y0):", ind + "t = 0.0"]
    init_reads = []
    for pid, k in pidx.items():
        init_reads.append(f"{_sym(pid)} = p[{k}]")
    out += [ind + s for s in init_reads]
    # initial assignments interleaved with assignment rules: evaluate assignment rules whose
    # inputs are available, then initial assignments, then the rules again (SBML requires the
    # whole set to be consistent and acyclic; two passes cover rule -> IA -> rule chains)
    for _ in range(2):
        for v, e in ir.assignment_rules:
            out.append(ind + f"{_sym(v)} = {_emit(e, False)}")
        for v, e in ir.initial_assignments:
            if v in pidx:
                out.append(ind + f"if not skip[{pidx[v]}]:")
                out.append(ind * 2 + f"{_sym(v)} = {_emit(e, False)}")
                out.append(ind * 2 + f"p[{pidx[v]}] = {_sym(v)}")
    for i, sid in enumerate(ir.state_ids):
        if sid in ir.species_compartment and not ir.species_hosu[sid]:
            comp = _sym(ir.species_compartment[sid])
            out.append(ind + f"y0[{i}] = {_sym(sid)} * {comp}")
        else:
            out.append(ind + f"y0[{i}] = {_sym(sid)}")
    out += [ind + "return None", ""]
    return "\n".join(out) + "\n"


def _numpy_source(ir: ModelIR) -> str:
    ind = "    "
    out = [
        "def rhs(t, y, p):",
        ind + '"""Right-hand side on arrays: y (n_state, N), p (n_param, N) -> dy (n_state, N)."""',
        ind + "dy = np.empty_like(y)",
    ]
    out += [ind + s for s in _reads(ir, lambda i: f"y[{i}]", lambda k: f"p[{k}]")]
    out += [ind + s for s in _rules_src(ir, True)]
    out += [ind + s for s in _derivatives_src(ir, True, lambda i: f"dy[{i}]")]
    out += [ind + "return dy", ""]
    return "\n".join(out) + "\n"


def numpy_rhs(ir: ModelIR) -> Callable[[float, np.ndarray, np.ndarray], np.ndarray]:
    """Compile the numpy dialect of the right-hand side.

    Parameters
    ----------
    ir
        Parsed model.

    Returns
    -------
    callable
        ``rhs(t, y, p) -> dy`` on arrays of shape ``(n_state, N)`` and ``(n_param, N)``.
    """
    ns: dict[str, Any] = {"np": np, "math": math}
    exec(compile(_numpy_source(ir), f"<hemesim-numpy-{ir.sbml_hash}>", "exec"), ns)  # noqa: S102
    return ns["rhs"]  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------------------------
# Compilation and the per-process kernel cache
# ---------------------------------------------------------------------------------------------


@dataclass
class CompiledModel:
    """A parsed model with its generated, importable kernel module."""

    ir: ModelIR
    module: ModuleType
    source_path: Path


_COMPILED: dict[str, CompiledModel] = {}


def compile_model(sbml: str) -> CompiledModel:
    """Parse SBML and import its generated numba kernels (cached per process and on disk).

    The generated module is the integrator template (:mod:`hemesim.simulate._kernels`) followed
    by the model's kernels; it is written once per SBML hash into :func:`kernel_cache_dir` so
    that numba's ``cache=True`` can keep the machine code between processes (Dask workers load
    it instead of compiling again).

    Parameters
    ----------
    sbml
        SBML text.

    Returns
    -------
    CompiledModel
    """
    ir = parse_sbml(sbml)
    key = ir.sbml_hash
    if key in _COMPILED:
        return _COMPILED[key]
    template = Path(__file__).with_name("_kernels.py").read_text(encoding="utf-8")
    tmpl_hash = hashlib.sha256(template.encode()).hexdigest()[:8]
    src = template + "\n\n# ---- model kernels ----\n" + _numba_source(ir)
    name = f"hemesim_kernel_{key}_{tmpl_hash}"
    folder = kernel_cache_dir()
    module = import_kernel_module(name, src, folder)
    path = folder / f"{name}.py"
    compiled = CompiledModel(ir=ir, module=module, source_path=path)
    _COMPILED[key] = compiled
    return compiled


def conservation_laws(
    stoichiometry: np.ndarray, exclude: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Exact conservation laws of a stoichiometry matrix (rational row reduction).

    Parameters
    ----------
    stoichiometry
        (n_state x n_reactions) matrix.
    exclude
        Boolean mask of state rows that are not reaction-driven (rate rules); they carry no law.

    Returns
    -------
    laws, pivots
        ``laws`` (m x n_state), each row ``l`` with ``l @ stoichiometry == 0``, in reduced row
        echelon form; ``pivots`` (m,) the state index whose equation a law replaces in Newton.
    """
    n, r = stoichiometry.shape
    rows = [i for i in range(n) if not exclude[i]]
    # null space of S^T restricted to rows: solve x^T S = 0
    a = [[Fraction(stoichiometry[i, j]).limit_denominator(10**6) for i in rows] for j in range(r)]
    m = len(rows)
    piv_cols: list[int] = []
    row = 0
    for col in range(m):
        sel = next((k for k in range(row, len(a)) if a[k][col] != 0), None)
        if sel is None:
            continue
        a[row], a[sel] = a[sel], a[row]
        pv = a[row][col]
        a[row] = [x / pv for x in a[row]]
        for k in range(len(a)):
            if k != row and a[k][col] != 0:
                f = a[k][col]
                a[k] = [x - f * y for x, y in zip(a[k], a[row], strict=True)]
        piv_cols.append(col)
        row += 1
        if row == len(a):
            break
    free = [c for c in range(m) if c not in piv_cols]
    laws = []
    for fc in free:
        v = [Fraction(0)] * m
        v[fc] = Fraction(1)
        for k, pc in enumerate(piv_cols):
            v[pc] = -a[k][fc]
        laws.append(v)
    if not laws:
        return np.zeros((0, n)), np.zeros(0, dtype=np.int64)
    # reduced row echelon form of the laws -> distinct pivot species per law
    lw = laws
    pivots: list[int] = []
    row = 0
    for col in range(m):
        sel = next((k for k in range(row, len(lw)) if lw[k][col] != 0), None)
        if sel is None:
            continue
        lw[row], lw[sel] = lw[sel], lw[row]
        pv = lw[row][col]
        lw[row] = [x / pv for x in lw[row]]
        for k in range(len(lw)):
            if k != row and lw[k][col] != 0:
                f = lw[k][col]
                lw[k] = [x - f * y for x, y in zip(lw[k], lw[row], strict=True)]
        pivots.append(col)
        row += 1
        if row == len(lw):
            break
    full = np.zeros((len(lw), n))
    for k, v in enumerate(lw):
        for c, x in enumerate(v):
            full[k, rows[c]] = float(x)
    return full, np.array([rows[c] for c in pivots], dtype=np.int64)
