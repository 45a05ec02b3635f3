"""Waiting for a photo grid to hold still before a test clicks into it."""


def settled(page, selection: bool = True):
    """Wait until the grid's page has done loading (thumbnails; the memories strip, fetched by htmx
    on load, above the Photos grid) and selection.js has bound the grid. Until then the justified
    layout may still move the tiles (it lays them out again when the grid's width or content
    changes), and a click aimed at a tile's tick can land on a photo and open it (this failed
    twice in CI runs)."""
    page.wait_for_load_state("networkidle")
    if selection:  # the Trash page's grid has a script of its own
        page.wait_for_selector("[data-gallery=grid][data-selection=ready]")
