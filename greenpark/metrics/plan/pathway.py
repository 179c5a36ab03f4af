"""The marginal abatement cost curve, the cheapest combination of levers that brings the
core indicator to its threshold by the target year, and the year-by-year path.

The indicator is emissions / energy, so a combination x (x_i in [0, 1], whole for
levers that are all or nothing) meets the threshold theta when

    E - sum_i a_i x_i <= theta (T - sum_i e_i x_i)
    <=>  sum_i (a_i - theta e_i) x_i >= E - theta T

with a_i the tCO2 a lever abates and e_i the tce it saves; the grid electricity the levers
replace cannot exceed the base year's emitting grid purchase G (sum_i g_i x_i <= G). The
cheapest x minimises sum_i c_i x_i: a small mixed-integer program solved by HiGHS
(``scipy.optimize.milp``). Formulas and assumptions: docs/planning.md, "Pathway".
"""

from __future__ import annotations

import math

from greenpark.core.errors import GreenparkError
from greenpark.core.findings import Finding
from greenpark.core.numeric import safe_divide
from greenpark.metrics.zerocarbon.formulas import meets

MACC_COLUMNS = (
    "rank",
    "lever_id",
    "kind",
    "name",
    "year",
    "capex_cny",
    "annual_cost_cny",
    "abated_tco2",
    "energy_saved_tce",
    "cny_per_tco2",
    "cumulative_abated_tco2",
    "chosen_share",
    "start_year",
)
PATH_COLUMNS = (
    "year",
    "levers",
    "emissions_tco2",
    "energy_tce",
    "tco2_per_tce",
    "threshold_tco2_per_tce",
    "meets_threshold",
    "abated_tco2",
    "annual_cost_cny",
)


def macc(effects):
    """Levers in order of cost per tonne (those abating nothing last), with the running
    total of tCO2 abated.

    cny_per_tco2 = annual_cost_cny / abated_tco2 [CNY/tCO2] (NaN when abated <= 0).
    """
    frame = effects.copy()
    frame["cny_per_tco2"] = safe_divide(frame["annual_cost_cny"], frame["abated_tco2"])
    frame = frame.sort_values(
        ["cny_per_tco2", "lever_id"], na_position="last", kind="stable"
    ).reset_index(drop=True)
    frame["cumulative_abated_tco2"] = frame["abated_tco2"].clip(lower=0).cumsum()
    frame["rank"] = range(1, len(frame) + 1)
    return frame


def cheapest(effects, need_tco2: float, theta: float, grid_mwh: float, target_year: int):
    """The cheapest shares x of the levers available by ``target_year`` that close
    ``need_tco2`` = E - theta T.

    Returns
    -------
    (numpy.ndarray, bool, float)
        Shares x_i in [0, 1]; whether the threshold is reachable; the shortfall [tCO2]
        (0 when reachable): ``need - max sum_i (a_i - theta e_i) x_i``.
    """
    import numpy as np

    n = len(effects)
    if n == 0:
        return np.zeros(0), need_tco2 <= 0, max(0.0, need_tco2)
    toward = (effects["abated_tco2"] - theta * effects["energy_saved_tce"]).to_numpy(float)
    grid = effects["grid_mwh"].to_numpy(float)
    cost = effects["annual_cost_cny"].to_numpy(float)
    years = effects["year"].to_numpy(dtype=object)
    upper = np.array([1.0 if (y is None or y != y or y <= target_year) else 0.0 for y in years])
    whole = (~effects["divisible"].to_numpy(bool)).astype(int)
    found = _milp(cost, toward, grid, need_tco2, grid_mwh, upper, whole)
    if found is not None:
        return found, True, 0.0
    best = _milp(-toward, None, grid, None, grid_mwh, upper, whole)
    reach = float(toward @ best)
    # Of the combinations reaching that far, the cheapest (levers abating alike tie).
    cheapest_best = _milp(
        cost, toward, grid, reach - 1e-9 * max(1.0, abs(reach)), grid_mwh, upper, whole
    )
    return (best if cheapest_best is None else cheapest_best), False, max(0.0, need_tco2 - reach)


def _milp(cost, toward, grid, need, grid_mwh, upper, whole):
    """min cost x s.t. toward x >= need (if given), grid x <= grid_mwh, 0 <= x <= upper."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    rows = [LinearConstraint(grid[None, :], -np.inf, max(grid_mwh, 0.0))]
    if toward is not None:
        rows.append(LinearConstraint(toward[None, :], need, np.inf))
    found = milp(
        cost, constraints=rows, bounds=Bounds(np.zeros(len(cost)), upper), integrality=whole
    )
    if found.status == 2:  # infeasible
        return None
    if found.status != 0 or found.x is None:
        raise GreenparkError(f"plan pathway: HiGHS found no optimum ({found.message})")
    x = np.clip(found.x, 0.0, 1.0)
    x[whole == 1] = np.round(x[whole == 1])
    return x


def schedule(curve, base_year: int, target_year: int) -> list:
    """Start year of each chosen lever of the MACC (``chosen_share`` > 0): its ``year``
    where given, else the chosen levers without one are phased in cheapest first, spread
    evenly over base_year + 1 .. target_year. NaN for levers not chosen."""
    span = max(1, target_year - base_year)
    free = [i for i, r in curve.iterrows() if r["chosen_share"] > 0 and not _has_year(r["year"])]
    starts = [math.nan] * len(curve)
    for k, i in enumerate(free):
        starts[i] = base_year + 1 + (k * span) // max(1, len(free))
    for i, r in curve.iterrows():
        if r["chosen_share"] > 0 and _has_year(r["year"]):
            starts[i] = int(r["year"])
    return starts


def _has_year(year) -> bool:
    return year is not None and year == year


def path(curve, baseline, base_year: int, target_year: int):
    """Year-by-year indicator, emissions, energy and cost with the chosen levers active
    from their start year; the base year's activity is held constant (stated)."""
    import pandas as pd

    rows = []
    for year in range(base_year, target_year + 1):
        active = curve[(curve["chosen_share"] > 0) & (curve["start_year"] <= year)]
        share = active["chosen_share"]
        abated = float((active["abated_tco2"] * share).sum())
        saved = float((active["energy_saved_tce"] * share).sum())
        emissions = baseline.emissions_tco2 - abated
        energy = baseline.energy_tce - saved
        indicator = safe_divide(emissions, energy)
        rows.append(
            {
                "year": year,
                "levers": ", ".join(active["lever_id"]),
                "emissions_tco2": emissions,
                "energy_tce": energy,
                "tco2_per_tce": indicator,
                "threshold_tco2_per_tce": baseline.threshold_tco2_per_tce,
                "meets_threshold": meets(indicator, "<=", baseline.threshold_tco2_per_tce),
                "abated_tco2": abated,
                "annual_cost_cny": float((active["annual_cost_cny"] * share).sum()),
            }
        )
    return pd.DataFrame(rows, columns=list(PATH_COLUMNS))


def plan_pathway(effects, baseline, target_year: int) -> tuple:
    """MACC with the chosen shares and start years, the path, and findings.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame, list of Finding)
        :data:`MACC_COLUMNS`, :data:`PATH_COLUMNS`, findings (``plan.target_out_of_reach``
        with the shortfall when the levers cannot reach the threshold).
    """
    theta = baseline.threshold_tco2_per_tce
    need = baseline.emissions_tco2 - theta * baseline.energy_tce
    curve = macc(effects)
    shares, ok, shortfall = cheapest(curve, need, theta, baseline.grid_uncovered_mwh, target_year)
    curve["chosen_share"] = shares if len(curve) else []
    curve["start_year"] = schedule(curve, baseline.year, target_year)
    curve = curve[list(MACC_COLUMNS)]
    found = path(curve, baseline, baseline.year, target_year)
    findings = []
    if not ok:
        last = found.iloc[-1]
        findings.append(
            Finding(
                "plan.target_out_of_reach",
                f"the levers given cannot bring the core indicator to "
                f"{theta:g} tCO2/tce by {target_year}: {shortfall:,.1f} tCO2 short (the best "
                f"combination reaches {last['tco2_per_tce']:.4f} tCO2/tce)",
                severity="error",
                data={
                    "target_year": target_year,
                    "shortfall_tco2": shortfall,
                    "best_tco2_per_tce": float(last["tco2_per_tce"]),
                },
            )
        )
    return curve, found, findings
