"""A small integer-program builder over HiGHS with options fixed so every replica runs the same solve.

Only optimal values are read, never which of several optimal solutions the solver happened to return:
callers make the answer unique (see roster.py) and read it from objective values.
"""

from dataclasses import dataclass, field

import highspy

from ayllu.core.cargos.rotation.errors import RosterInfeasible

INF = highspy.kHighsInf

# One thread, a fixed seed and a zero gap: the same model gives the same optimum everywhere; the gap
# must be zero because a near-optimal fairness value would change which answers count as optimal.
OPTIONS: dict[str, bool | int | float | str] = {
    "output_flag": False,
    "threads": 1,
    "random_seed": 0,
    "mip_rel_gap": 0.0,
    "mip_abs_gap": 0.0,
    "presolve": "on",
}


@dataclass
class Mip:
    """Columns and rows of one integer program; `solve` returns the optimal objective as an integer."""

    cost: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    rows: list[tuple[float, float, dict[int, float]]] = field(default_factory=list)
    solver: highspy.Highs | None = None

    def column(self, *, lower: float = 0.0, upper: float = 1.0, integer: bool = False) -> int:
        """Add a column with zero cost and return its index."""
        self.cost.append(0.0)
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(integer)
        return len(self.cost) - 1

    def row(self, terms: dict[int, float], *, lower: float = -INF, upper: float = INF) -> None:
        """Add the constraint lower <= sum(coefficient x column) <= upper."""
        self.rows.append((lower, upper, terms))

    def mark(self) -> tuple[int, int]:
        """Return the current sizes, to `truncate` back to after a temporary addition."""
        return (len(self.cost), len(self.rows))

    def truncate(self, mark: tuple[int, int]) -> None:
        """Drop the columns and rows added since `mark`."""
        columns, rows = mark
        del self.cost[columns:], self.lower[columns:], self.upper[columns:], self.integer[columns:]
        del self.rows[rows:]

    def fix(self, column: int, value: float) -> None:
        """Fix a column's value for every later solve."""
        self.lower[column] = self.upper[column] = value

    def solve(self, objective: dict[int, float]) -> int:
        """Minimise `objective` (integer coefficients) and return the optimal value; raise if none."""
        lp = highspy.HighsLp()
        lp.num_col_ = len(self.cost)
        lp.num_row_ = len(self.rows)
        lp.col_cost_ = [objective.get(i, 0.0) for i in range(len(self.cost))]
        lp.col_lower_ = self.lower
        lp.col_upper_ = self.upper
        lp.row_lower_ = [r[0] for r in self.rows]
        lp.row_upper_ = [r[1] for r in self.rows]
        starts, indices, values = [0], [], []
        for _, _, terms in self.rows:
            for column in sorted(terms):
                indices.append(column)
                values.append(terms[column])
            starts.append(len(indices))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = starts
        lp.a_matrix_.index_ = indices
        lp.a_matrix_.value_ = values
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous for i in self.integer
        ]
        if self.solver is None:
            # HiGHS prints its banner once per solver object, so one object serves every solve.
            self.solver = highspy.Highs()  # type: ignore[no-untyped-call]
        solver = self.solver
        # HiGHS's presolve has been seen to call a feasible model infeasible (a 9-term roster whose
        # model had just been solved with one more column fixed to its optimal value): a model only
        # counts as infeasible when the solve without presolve agrees. Every replica takes the same
        # two steps, so the answer stays the same everywhere.
        for presolve in ("on", "off"):
            solver.clearModel()
            solver.clearSolver()
            for name, value in {**OPTIONS, "presolve": presolve}.items():
                solver.setOptionValue(name, value)
            solver.passModel(lp)
            solver.run()
            if solver.getModelStatus() == highspy.HighsModelStatus.kOptimal:
                return round(solver.getInfo().objective_function_value)
        raise RosterInfeasible(status=solver.modelStatusToString(solver.getModelStatus()))
