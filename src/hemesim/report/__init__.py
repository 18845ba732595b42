"""hemesim.report: figures and clinic-file reports (``hemesim report HGVS -o report.html|pdf``).

``build.py`` collects the content (:func:`~hemesim.report.build.build_report`) and writes it
(:func:`~hemesim.report.build.write_report`); ``plots.py`` holds the matplotlib figures (time
course, phenotype across X-inactivation, treatments, pedigree); ``html.py`` renders a
self-contained HTML file and ``pdf.py`` a PDF (matplotlib's PdfPages).
"""
