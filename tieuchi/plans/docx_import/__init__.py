"""Import a ward plan from its Word document: read the appendix table, match rows, save them.

reader.py finds the criteria table(s) and yields raw rows (no database); matching.py links each
row to a catalog sub-criterion; rows.py recognises leaders, units and deadlines and saves.
"""
