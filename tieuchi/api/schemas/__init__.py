"""Request and response shapes of /api/v1 and the pagination every list uses.

Response shapes follow the exports documented in docs/cli.md (keys are only ever added).
"""
