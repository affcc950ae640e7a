"""`sitegen import`: Word (.docx) official documents to reports.

``reader`` reads Word's XML into ``model``; ``cleaning`` and ``official`` know stray
spacing and the text patterns of GB/T 9704; ``recognise`` finds the document's parts;
``markdown_out`` writes the report; ``command`` runs a batch into a column.
"""
