"""Zero-carbon pathway planning: tariffs on interval data, optimal storage dispatch,
PV and storage sizing, abatement levers, the marginal abatement cost curve and the
cheapest path to the core indicator. Formulas: docs/planning.md."""
