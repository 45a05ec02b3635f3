"""Thumbnails, previews, video posters, browser-playable transcodes and audio extracts.

Derivative state lives on disk (deterministic paths in `storage`) plus the per-stage
AssetStage rows the pipeline runner writes; nothing here touches the Asset table.
"""
