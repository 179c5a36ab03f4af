"""Reports: monthly and annual HTML reports, the carbon-audit workbook and table exports.

* :mod:`greenpark.report.builder` collects the results of a period (energy, carbon,
  intensities, load profile, PV, waste, resources, zero-carbon, data quality) into a
  :class:`~greenpark.report.builder.ReportData`; all arithmetic happens there or below.
* :mod:`greenpark.report.charts` draws inline SVG charts, :mod:`greenpark.report.html`
  renders the page, :mod:`greenpark.report.workbook` writes the audit workbook with live
  formulas, :mod:`greenpark.report.exports` writes single tables.
* :func:`greenpark.report.writer.write_report` writes ``report.html``, ``report.xlsx``
  and ``summary.json`` into ``DIR/<park id>/<period>/``.
"""
