"""tieuchi: criteria programmes for Vietnamese local government."""
