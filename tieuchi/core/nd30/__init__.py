"""Official documents in the Nghị định 30/2020/NĐ-CP layout, as plain data and as .docx.

`document` holds the content (`OfficialDocument` and its blocks), `docx_render` lays it out,
`docx_readback` reads a .docx back for the tests, `names` writes a People's Committee as a header
names it. Pure: no Django, so every layer can build a document (the plan table in `plans`, the
reports in `reports`) and they all come out in the same layout.
"""
