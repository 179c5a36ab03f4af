"""The planner's starting point: the base year's emissions, energy, threshold and factors,
from the zero-carbon indicator on the basis its status is judged on.

:func:`judged_basis` is the one place that couples the planner to the zero-carbon
settings; everything else reads the :class:`Baseline`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from greenpark.core.periods import Period


def judged_basis(store) -> str:
    """The emissions basis the zero-carbon status is judged on (``market`` or
    ``location``): ``[zero_carbon]``'s status basis where the park sets one, else its
    emissions basis."""
    settings = store.park().zero_carbon
    return getattr(settings, "status_basis", None) or settings.emissions_basis


@dataclass
class Baseline:
    """Base-year figures [tCO2, tce, MWh, tCO2/MWh, tCO2/tce] on the judged basis.

    Attributes
    ----------
    carriers : dict
        carrier -> ``{"tco2": ..., "tce": ...}`` of the base year.
    factors : dict
        ``grid`` [tCO2/MWh] (the electricity a zero-carbon supply replaces),
        ``gas`` [tCO2/Nm3], ``gas_kgce`` [kgce/Nm3], ``electricity_kgce`` [kgce/kWh].
    """

    year: int
    basis: str
    emissions_tco2: float
    energy_tce: float
    threshold_tco2_per_tce: float
    threshold_note: str
    grid_uncovered_mwh: float
    carriers: dict
    factors: dict
    factor_ids: list = field(default_factory=list)
    findings: list = field(default_factory=list)

    @property
    def indicator_tco2_per_tce(self) -> float:
        from greenpark.core.numeric import safe_divide

        return safe_divide(self.emissions_tco2, self.energy_tce)


def baseline(store, period: Period) -> Baseline:
    """The base year's figures from its ledger (one ledger, one FactorBook)."""
    from greenpark.metrics.carbon.ledger import ledger_for, location_total, market_total
    from greenpark.metrics.zerocarbon.common import book_mean, factor_ids
    from greenpark.metrics.zerocarbon.formulas import core_threshold
    from greenpark.metrics.zerocarbon.gap_analysis import grid_purchase, grid_slot, natural_gas

    basis = judged_basis(store)
    settings = dataclasses.replace(store.park().zero_carbon, emissions_basis=basis)
    led = ledger_for(store, period)
    lines, book = led.lines, store.factor_book()
    energy = float(lines["energy_tce"].sum())
    emissions = market_total(lines) if basis == "market" else location_total(lines)
    _, threshold, note = core_threshold(energy)
    uncovered, grid = grid_purchase(lines, settings, book, grid_slot(settings), period)
    gas = natural_gas(lines, book, period)
    on_basis = lines[lines["basis"].isin(["both", basis])]
    carriers = {
        str(source): {
            "tco2": float(on_basis.loc[on_basis["source"] == source, "emissions_tco2"].sum()),
            "tce": float(lines.loc[lines["source"] == source, "energy_tce"].sum()),
        }
        for source in sorted(set(lines["source"]))
    }
    factors = {
        "grid": grid,
        "gas": gas["factor"],
        "gas_kgce": gas["kgce"],
        "electricity_kgce": book_mean(book, "tce.electricity", period.months),
    }
    return Baseline(
        year=period.first.year,
        basis=basis,
        emissions_tco2=emissions,
        energy_tce=energy,
        threshold_tco2_per_tce=threshold,
        threshold_note=note,
        grid_uncovered_mwh=uncovered,
        carriers=carriers,
        factors=factors,
        factor_ids=factor_ids(lines),
        findings=list(led.findings),
    )
