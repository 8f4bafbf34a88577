"""An honest upper bound on contacts: the LP relaxation of the very model CP-SAT solves.

`lp_bound` reads the CP-SAT model (its protobuf: variable bounds and linear constraints, which
is all the term model uses), drops integrality and maximises total planned sessions with HiGHS.

Why it is a valid bound: every plan the planner can return is an integer solution of that model
(the realisation in `timetable.py` is exact, and `validate` accepts only plans that keep the same
rules week by week), and relaxing integrality can only enlarge the feasible set, so the LP optimum
is at least the contacts of any such plan, including the optimal one. Contacts are whole numbers,
so the bound is rounded down after a small tolerance for floating point. The area is split into
parts that share no therapist and no setting (`decompose.py`), so the area's model is exactly
the sum of independent part models and the sum of part bounds is the bound for the area.

The fair bound (`LpRelaxation.maximise_seeing`, ADR 11) is the same LP with one more row: the
lines seen (the sum of the first-session pieces) at least the plan's count. It bounds plans that
are as fair as the plan made, by the same argument, and so shows what seeing every child costs.

What the bound does not see: the plan space itself (weekly slots, one therapist per line, the
settings-per-day limit) is a planning policy. A hand-made diary that broke those policies could
in principle deliver more; the bound is on plans of this shape, which is what is compared.
"""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass
from pathlib import Path

import highspy
import numpy as np
from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
TOLERANCE = 1e-6
DUAL, PRIMAL = 1, 4  # HiGHS simplex strategies: a basis stays dual feasible when bounds or rows
# are added, and primal feasible when the objective changes


@dataclass(frozen=True)
class LpResult:
    value: float  # the LP optimum
    values: list[float]  # a fractional solution, by CP-SAT variable index (used by `start.py`)


class LpRelaxation:
    """The model's LP relaxation in HiGHS, built once and re-solved for different objectives
    (the contacts bound, then the fairness reward that guides the start plan)."""

    def __init__(self, model: cp_model.CpModel) -> None:
        proto = _message(model)
        self.columns = len(proto.variables)
        starts, row_lower, row_upper = [0], [], []
        indices: list[int] = []
        values: list[float] = []
        for constraint in proto.constraints:
            if constraint.WhichOneof("constraint") != "linear" or len(constraint.enforcement_literal):
                raise ValueError("the term model must be purely linear for its LP bound to be the same model")
            linear = constraint.linear
            offset = 0.0
            row: dict[int, float] = {}
            for ref, coefficient in zip(linear.vars, linear.coeffs, strict=True):
                if ref >= 0:
                    row[ref] = row.get(ref, 0.0) + coefficient
                else:  # a negated literal: not(x) = 1 - x
                    row[-ref - 1] = row.get(-ref - 1, 0.0) - coefficient
                    offset += coefficient
            low, high = linear.domain[0], linear.domain[-1]  # a union of intervals relaxes to its hull
            row_lower.append(-highspy.kHighsInf if low <= INT64_MIN else low - offset)
            row_upper.append(highspy.kHighsInf if high >= INT64_MAX else high - offset)
            indices.extend(row)
            values.extend(row.values())
            starts.append(len(indices))
        lp = highspy.HighsLp()
        lp.num_col_ = self.columns
        lp.num_row_ = len(row_lower)
        lp.col_cost_ = np.zeros(self.columns)
        self.lower = np.array([float(var.domain[0]) for var in proto.variables])
        self.upper = np.array([float(var.domain[-1]) for var in proto.variables])
        lp.col_lower_ = self.lower
        lp.col_upper_ = self.upper
        lp.row_lower_ = np.array(row_lower, dtype=np.float64)
        lp.row_upper_ = np.array(row_upper, dtype=np.float64)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(indices, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(values, dtype=np.float64)
        lp.sense_ = highspy.ObjSense.kMaximize
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("threads", 1)
        self.highs.passModel(lp)

    def _simplex(self, strategy: int) -> None:
        """Simplex from the last basis: presolve would rebuild the LP and lose the basis."""
        self.highs.setOptionValue("solver", "simplex")
        self.highs.setOptionValue("simplex_strategy", strategy)
        self.highs.setOptionValue("presolve", "off")

    def _set_objective(self, objective: dict[int, float]) -> None:
        cost = np.zeros(self.columns)
        for index, coefficient in objective.items():
            cost[index] = coefficient
        self.highs.changeColsCost(self.columns, np.arange(self.columns, dtype=np.int32), cost)

    def _result(self) -> LpResult:
        status = self.highs.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"LP relaxation: HiGHS stopped with {self.highs.modelStatusToString(status)}")
        return LpResult(float(self.highs.getInfo().objective_function_value), list(self.highs.getSolution().col_value))

    def maximise(self, objective: dict[int, float]) -> LpResult:
        """The LP optimum of `objective` ({variable index: coefficient}) and a solution."""
        self._set_objective(objective)
        # Interior point (with crossover) is several times faster than simplex here from cold.
        self.highs.setOptionValue("solver", "ipm")
        self.highs.setOptionValue("presolve", "on")
        self.highs.run()
        return self._result()

    def maximise_from(self, objective: dict[int, float], basis: highspy.HighsBasis) -> LpResult:
        """`maximise` by primal simplex from a `basis()` kept from before (a feasible basis
        stays feasible when only the objective changes): from the fairness LP's basis the contacts LP
        takes 3.7 s for all Sutton-scale parts, against 7.7 s cold and 9 s from the basis the
        fair bound leaves (measured); with the objective that basis was solved for, it costs
        no iteration at all."""
        self._set_objective(objective)
        self.highs.setBasis(basis)
        self._simplex(PRIMAL)
        self.highs.run()
        return self._result()

    def basis(self) -> highspy.HighsBasis:
        return self.highs.getBasis()

    def fix(self, columns: dict[int, float]) -> float | None:
        """Re-solve with these variables held at these values (dual simplex from the last basis,
        which new bounds leave dual feasible) and return the optimum, or None if that leaves no
        solution (`solution` has the values). The variables stay held, including after None,
        until `release`."""
        indices = np.array(list(columns), dtype=np.int32)
        values = np.array(list(columns.values()), dtype=np.float64)
        self.highs.changeColsBounds(len(indices), indices, values, values)
        self._simplex(DUAL)
        self.highs.run()
        if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return float(self.highs.getInfo().objective_function_value)

    def solution(self) -> list[float]:
        """The last solution, by CP-SAT variable index."""
        return list(self.highs.getSolution().col_value)

    def release(self, columns: list[int]) -> None:
        """Give variables held by `fix` back the bounds of the model."""
        indices = np.array(sorted(set(columns)), dtype=np.int32)
        if len(indices):
            self.highs.changeColsBounds(len(indices), indices, self.lower[indices], self.upper[indices])

    def maximise_seeing(self, objective: dict[int, float], firsts: list[int], at_least: int, *,
                        basis: highspy.HighsBasis | None = None) -> LpResult:
        """The LP optimum of `objective` among solutions that see at least `at_least` lines:
        `firsts` are the lines' first-session pieces (each at most 1 and at most the line's
        sessions, `objectives.fair_contacts`), so their sum counts the lines seen, and it is
        held at `at_least` or more. The model is left as it was. From `basis` (`basis()`) if
        given, else from the last one."""
        self._set_objective(objective)
        if basis is not None:
            self.highs.setBasis(basis)
        self.highs.addRow(float(at_least), highspy.kHighsInf, len(firsts), np.array(firsts, dtype=np.int32),
                          np.ones(len(firsts)))
        try:
            # Primal simplex from the fairness LP's basis (`solve.FairBound`), whose solution
            # already sees that many lines or more, so the basis stays feasible and
            # the re-solve takes milliseconds (measured: 0.7 s for all Sutton-scale parts,
            # against 8 s by interior point and 4.4 s by dual simplex from the contacts LP's).
            self._simplex(PRIMAL)
            self.highs.run()
            return self._result()
        finally:
            self.highs.deleteRows(1, np.array([self.highs.getNumRow() - 1], dtype=np.int32))


def _message(model: cp_model.CpModel) -> cp_model_pb2.CpModelProto:
    """The model as a protobuf message. OR-Tools' own `model.proto` reads each field through
    C++ one at a time, which made reading the model most of the LP's set-up (2.5 s of the 3.8 s
    it took to build all Sutton-scale parts); its file export, read back as a message, is the
    same model at a fifth of the cost."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.pb"
        if not model.export_to_file(str(path)):
            raise RuntimeError("OR-Tools could not write the model out to read its LP")
        return cp_model_pb2.CpModelProto.FromString(path.read_bytes())


def lp_bound(model: cp_model.CpModel, objective: dict[int, float]) -> LpResult:
    """The LP relaxation's optimum of `objective` (maximised) over the model's constraints."""
    return LpRelaxation(model).maximise(objective)


def whole_contacts(value: float) -> int:
    """Round an LP bound on a count down to the largest whole number it allows."""
    return math.floor(value + TOLERANCE * max(1.0, abs(value)))
