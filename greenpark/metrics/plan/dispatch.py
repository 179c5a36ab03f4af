"""Cost-minimising battery dispatch against a tariff: one linear program, solved by HiGHS.

Per interval t (length h): grid import g, export x (PV surplus only), charge c and
discharge d (energy at the battery terminals), state of charge s at the interval's end,
and per month m the maximum demand P_m when the tariff has a demand charge:

    minimise   sum_t (price_t g_t - export_price x_t + deg d_t) + sum_m demand_charge P_m
    subject to g_t - x_t + d_t - c_t = load_t - pv_t                  (balance)
               s_t = s_(t-1) + eta c_t - d_t / eta,  s_(-1) = s_init  (state of charge)
               g_t <= h P_m(t)                                        (maximum demand)
               0 <= c_t, d_t <= h power;  s_min <= s_t <= s_max;  s_end >= s_init
               g_t >= 0;  0 <= x_t <= max(pv_t - load_t, 0)

with eta = sqrt(round-trip efficiency). The matrix is built with vectorised sparse
indices (no Python loop per interval). Formulation and assumptions: docs/planning.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from greenpark.core.errors import GreenparkError
from greenpark.metrics.plan import tariff as tf

SERIES_COLUMNS = (
    "load_kwh",
    "pv_kwh",
    "grid_import_before_kwh",
    "grid_import_kwh",
    "export_kwh",
    "charge_kwh",
    "discharge_kwh",
    "soc_kwh",
)


@dataclass(frozen=True)
class Battery:
    """A battery to dispatch.

    Attributes
    ----------
    energy_kwh : float
        Usable nameplate energy. [kWh]
    power_kw : float
        Charge and discharge power limit. [kW]
    round_trip_efficiency : float
        AC-to-AC, split equally between charge and discharge. [1]
    soc_min_pct, soc_max_pct : float
        State-of-charge limits. [% of energy_kwh]
    soc_initial_pct : float or None
        State of charge at the start (and the least at the end); default ``soc_min_pct``. [%]
    degradation_cny_per_kwh : float
        Cost per kWh discharged (throughput). [CNY/kWh]
    """

    energy_kwh: float
    power_kw: float
    round_trip_efficiency: float = 0.88
    soc_min_pct: float = 10.0
    soc_max_pct: float = 95.0
    soc_initial_pct: float | None = None
    degradation_cny_per_kwh: float = 0.0

    def soc_bounds_kwh(self) -> tuple[float, float, float]:
        """(minimum, maximum, initial) state of charge. [kWh]"""
        lo = self.energy_kwh * self.soc_min_pct / 100.0
        hi = self.energy_kwh * self.soc_max_pct / 100.0
        start = self.soc_min_pct if self.soc_initial_pct is None else self.soc_initial_pct
        return lo, hi, self.energy_kwh * start / 100.0


@dataclass
class Dispatch:
    """The optimal dispatch: series (:data:`SERIES_COLUMNS`, numpy arrays) and bills."""

    series: dict
    bill_before: dict
    bill_after: dict
    cycles: float
    degradation_cny: float
    seconds: float


def dispatch(load_kwh, pv_kwh, codes, month_index, tariff, battery: Battery, step_h: float):
    """Cost-minimising dispatch of ``battery`` (see the module docstring).

    Parameters
    ----------
    load_kwh, pv_kwh : array
        Site load and PV output (all PV, existing and new) per interval. [kWh]
    codes : array of int
        Tariff period code per interval (:func:`greenpark.metrics.plan.tariff.period_codes`).
    month_index : array of int
        0-based month of each interval.
    tariff : greenpark.core.config.tariffs.Tariff
    battery : Battery
    step_h : float
        Interval length. [h]

    Returns
    -------
    Dispatch

    Raises
    ------
    GreenparkError
        When HiGHS finds no optimum (reported with its status).
    """
    import time

    import numpy as np

    t0 = time.perf_counter()
    load = np.clip(np.asarray(load_kwh, dtype=float), 0.0, None)
    pv = np.clip(np.asarray(pv_kwh, dtype=float), 0.0, None)
    month_index = np.asarray(month_index, dtype=int)
    before_import, before_export = np.maximum(load - pv, 0.0), np.maximum(pv - load, 0.0)
    before = tf.bill(before_import, before_export, codes, month_index, tariff, step_h)
    if battery.energy_kwh <= 0 or battery.power_kw <= 0:
        g, x, c, d, s = before_import, before_export, *(np.zeros(len(load)),) * 3
    else:
        g, x, c, d, s = _solve(load, pv, codes, month_index, tariff, battery, step_h)
    after = tf.bill(g, x, codes, month_index, tariff, step_h)
    degradation = float(d.sum() * battery.degradation_cny_per_kwh)
    series = dict(
        zip(SERIES_COLUMNS, (load, pv, before_import, g, x, c, d, s), strict=True),
    )
    cycles = float(d.sum() / battery.energy_kwh) if battery.energy_kwh > 0 else 0.0
    return Dispatch(series, before, after, cycles, degradation, time.perf_counter() - t0)


def _solve(load, pv, codes, month_index, tariff, battery: Battery, step_h: float):
    """Build and solve the LP; returns (g, x, c, d, s) per interval. [kWh]"""
    import numpy as np
    from scipy.optimize import linprog

    n = len(load)
    demand = tariff.demand_charge_cny_per_kw_month > 0
    n_months = int(month_index.max()) + 1 if demand else 0
    eta = math.sqrt(battery.round_trip_efficiency)
    cost = np.concatenate(
        [
            tf.interval_prices(codes, tariff),
            np.full(n, -tf.export_price(tariff)),
            np.zeros(n),
            np.full(n, battery.degradation_cny_per_kwh),
            np.zeros(n),
            np.full(n_months, tariff.demand_charge_cny_per_kw_month),
        ]
    )
    a_eq, b_eq = _equalities(n, n_months, eta, load - pv, battery)
    a_ub, b_ub = (None, None)
    if demand:
        a_ub, b_ub = _demand_rows(n, month_index, step_h, load - pv, battery.power_kw * step_h)
    found = linprog(
        cost,
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=a_eq,
        b_eq=b_eq,
        bounds=_bounds(n, n_months, load, pv, battery, step_h),
        method="highs-ds",  # HiGHS dual simplex; devex pricing: ~2x faster here
        options={"simplex_dual_edge_weight_strategy": "devex"},
    )
    if found.status != 0:
        raise GreenparkError(f"storage dispatch: HiGHS found no optimum ({found.message})")
    g, x, c, d, s = found.x[: 5 * n].reshape(5, n)
    return np.maximum(g, 0.0), np.maximum(x, 0.0), np.maximum(c, 0.0), np.maximum(d, 0.0), s


def _equalities(n: int, n_months: int, eta: float, net_kwh, battery: Battery):
    """Balance rows 0..n-1 and state-of-charge rows n..2n-1 (columns g, x, c, d, s, P)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    t = np.arange(n)
    rows = np.concatenate([t, t, t, t, n + t, n + t, n + t, n + t[1:]])
    cols = np.concatenate([t, n + t, 2 * n + t, 3 * n + t, 2 * n + t, 3 * n + t, 4 * n + t])
    cols = np.concatenate([cols, 4 * n + t[:-1]])
    vals = np.concatenate(
        [
            np.ones(n),
            -np.ones(n),
            -np.ones(n),
            np.ones(n),
            np.full(n, -eta),
            np.full(n, 1.0 / eta),
            np.ones(n),
            -np.ones(n - 1),
        ]
    )
    matrix = csr_matrix((vals, (rows, cols)), shape=(2 * n, 5 * n + n_months))
    rhs = np.zeros(2 * n)
    rhs[:n] = net_kwh
    rhs[n] = battery.soc_bounds_kwh()[2]
    return matrix, rhs


def _demand_rows(n: int, month_index, step_h: float, net_kwh, step_kwh: float):
    """g_t - h D_m(t) <= 0 for the intervals where it can bind.

    g_t <= max(net_t, 0) + h P (balance and bounds) and, at the optimum, h D_m >=
    max_m(net) - h P (the month's largest net load less a full discharge); so a row with
    max(net_t, 0) + h P <= max_m(net) - h P is implied and left out (exact, smaller LP).
    """
    import numpy as np
    from scipy.sparse import csr_matrix

    n_months = int(month_index.max()) + 1
    month_max = np.full(n_months, -np.inf)
    np.maximum.at(month_max, month_index, net_kwh)
    keep = np.maximum(net_kwh, 0.0) + step_kwh > month_max[month_index] - step_kwh
    t = np.flatnonzero(keep)
    rows = np.concatenate([np.arange(t.size)] * 2)
    cols = np.concatenate([t, 5 * n + month_index[t]])
    vals = np.concatenate([np.ones(t.size), np.full(t.size, -step_h)])
    matrix = csr_matrix((vals, (rows, cols)), shape=(t.size, 5 * n + n_months))
    return matrix, np.zeros(t.size)


def _bounds(n: int, n_months: int, load, pv, battery: Battery, step_h: float):
    import numpy as np

    lo_soc, hi_soc, start = battery.soc_bounds_kwh()
    step_kwh = battery.power_kw * step_h
    lower = np.zeros(5 * n + n_months)
    upper = np.full(5 * n + n_months, np.inf)
    upper[n : 2 * n] = np.maximum(pv - load, 0.0)  # only the PV surplus is exported
    upper[2 * n : 4 * n] = step_kwh
    lower[4 * n : 5 * n], upper[4 * n : 5 * n] = lo_soc, hi_soc
    lower[5 * n - 1] = max(lo_soc, start)
    return np.column_stack([lower, upper])
