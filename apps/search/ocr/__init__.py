"""Text in photos: RapidOCR (PP-OCRv4 detection + recognition, ONNX files shipped in its wheel) over
each asset's stored preview; the lines, their boxes and confidences in AssetText, the words in the
search document (apps/search/document.py)."""
