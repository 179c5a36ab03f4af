"""Reports: monthly and annual HTML reports, the carbon-audit workbook and table exports.

Compute once, render many:

* :func:`greenpark.report.builder.build` builds the report period's one carbon ledger
  (for the span of every window shown), then :mod:`greenpark.report.sections` calls the
  metric functions (each a slice of that ledger, the store's factor book and park config)
  and :mod:`greenpark.report.tables` / :mod:`greenpark.report.headline` derive the
  report's own tables, into a :class:`~greenpark.report.builder.ReportData` whose findings
  are :class:`~greenpark.core.findings.Finding` objects. All arithmetic happens there or
  below.
* :mod:`greenpark.report.charts` draws inline SVG charts, :mod:`greenpark.report.html`
  renders the page, :mod:`greenpark.report.workbook` writes the audit workbook with live
  formulas, :mod:`greenpark.report.exports` writes single tables: renderers only format.
* :func:`greenpark.report.writer.write_report` writes ``report.html``, ``report.xlsx``
  and ``summary.json`` into ``DIR/<park id>/<period>/``.
"""
