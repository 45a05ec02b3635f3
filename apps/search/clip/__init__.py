"""CLIP image and text embeddings for semantic search (sentence-transformers, optional)."""
