"""Importer of the August 2014 list of political prisoners in Azerbaijan.

Source: "THE LIST: Political Prisoners in Azerbaijan", Working Group led by
Leyla Yunus and Rasul Jafarov, information as of 10 August 2014 (source_id
``list-2014-08``), read from the unedited pdftohtml conversion of the PDF
(``list-2014-08-political-prisoners-azerbaijan.html``, kept outside the repository).

Usage:  python -m importers.list_2014 PATH --out DIR

README.md in this folder says which module does what and describes the hand-read
facts in facts/*.csv.
"""
