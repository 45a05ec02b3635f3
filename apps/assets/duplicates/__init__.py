"""Look-alikes and duplicates: colour histograms, "similar" queries, duplicate groups and their review."""
