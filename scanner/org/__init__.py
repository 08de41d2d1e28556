"""Organisation-wide inventory: plan the repository matrix, merge per-repository results into one report."""
