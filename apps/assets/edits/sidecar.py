"""Writing a user's edit into the XMP sidecar beside an original, with the standard library.

Only the properties MediaHub edits are touched (dc:title, dc:description, exif:DateTimeOriginal,
photoshop:DateCreated, exif:GPSLatitude/GPSLongitude): removed wherever the sidecar has them
(attribute or element form), then written as elements of the first rdf:Description. Everything else
a photo editor keeps there (develop settings, keywords) stays. The file is replaced atomically.
"""

import io
import os
import tempfile
import xml.etree.ElementTree as ET
from datetime import timedelta, timezone
from pathlib import Path

from apps.assets.metadata.sidecars import sidecar_of
from apps.assets.metadata.xmp import find_packet
from apps.assets.models import Asset

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "exif": "http://ns.adobe.com/exif/1.0/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "tiff": "http://ns.adobe.com/tiff/1.0/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EMPTY = (f'<x:xmpmeta xmlns:x="{NS["x"]}"><rdf:RDF xmlns:rdf="{NS["rdf"]}">'
         '<rdf:Description rdf:about=""/></rdf:RDF></x:xmpmeta>')
PACKET = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n{body}\n<?xpacket end="w"?>\n'
EDITED = [("dc", "title"), ("dc", "description"), ("exif", "DateTimeOriginal"), ("photoshop", "DateCreated"),
          ("exif", "GPSLatitude"), ("exif", "GPSLongitude"), ("exif", "GPSLatitudeRef"), ("exif", "GPSLongitudeRef")]


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def _coordinate(value: float, positive: str, negative: str) -> str:
    """Signed degrees as XMP's GPSCoordinate: 'DDD,MM.mmmmmmK'."""
    degrees = abs(value)
    whole = int(degrees)
    return f"{whole},{(degrees - whole) * 60:.6f}{positive if value >= 0 else negative}"


def xmp_date(asset: Asset) -> str:
    """The capture time on its own clock, with the offset only when it is known (XMP allows none)."""
    if asset.taken_at_offset is None:
        return asset.taken_at.astimezone(timezone.utc).replace(tzinfo=None).isoformat()
    return asset.taken_at.astimezone(timezone(timedelta(minutes=asset.taken_at_offset))).isoformat()


def properties(asset: Asset) -> dict:
    """{(prefix, name): text or None (remove)} for the edited fields of the asset."""
    located = asset.latitude is not None and asset.longitude is not None
    date = xmp_date(asset) if asset.taken_at else None
    return {
        ("dc", "title"): asset.title or None,
        ("dc", "description"): asset.description or None,
        ("exif", "DateTimeOriginal"): date,
        ("photoshop", "DateCreated"): date,
        ("exif", "GPSLatitude"): _coordinate(asset.latitude, "N", "S") if located else None,
        ("exif", "GPSLongitude"): _coordinate(asset.longitude, "E", "W") if located else None,
    }


def _tree(text: str) -> ET.ElementTree:
    # Keep the prefixes the file uses (ElementTree would otherwise call them ns0, ns1...).
    for _event, (prefix, uri) in ET.iterparse(io.StringIO(text), events=("start-ns",)):
        if prefix and prefix not in NS:
            ET.register_namespace(prefix, uri)
    return ET.ElementTree(ET.fromstring(text))


def _description(root: ET.Element) -> ET.Element:
    rdf = root if root.tag == _q("rdf", "RDF") else root.find(_q("rdf", "RDF"))
    if rdf is None:
        rdf = ET.SubElement(root, _q("rdf", "RDF"))
    description = rdf.find(_q("rdf", "Description"))
    if description is None:
        description = ET.SubElement(rdf, _q("rdf", "Description"), {_q("rdf", "about"): ""})
    return description


def update_packet(text: str, values: dict) -> str:
    """`text` (an XMP packet, or '') with `values` written over MediaHub's properties."""
    for prefix, uri in NS.items():
        ET.register_namespace(prefix, uri)
    body = find_packet(text.encode()) if text else ""
    root = _tree(body or EMPTY).getroot()
    for node in root.iter(_q("rdf", "Description")):
        for prefix, name in EDITED:
            node.attrib.pop(_q(prefix, name), None)
            for child in node.findall(_q(prefix, name)):
                node.remove(child)
    description = _description(root)
    for (prefix, name), value in values.items():
        if value is None:
            continue
        element = ET.SubElement(description, _q(prefix, name))
        if prefix == "dc":  # lang-alt texts
            alt = ET.SubElement(element, _q("rdf", "Alt"))
            ET.SubElement(alt, _q("rdf", "li"), {XML_LANG: "x-default"}).text = value
        else:
            element.text = value
    return PACKET.format(body=ET.tostring(root, encoding="unicode"))


def sidecar_path(asset: Asset) -> Path:
    """The sidecar already beside the original, else `<name>.xmp` (darktable's and digiKam's name)."""
    source = asset.source_path()
    return sidecar_of(source) or source.with_name(f"{source.name}.xmp")


def write_sidecar(asset: Asset) -> Path:
    """Write the asset's edited fields into its sidecar; OSError when the folder refuses."""
    path = sidecar_path(asset)
    try:
        current = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        current = ""
    packet = update_packet(current, properties(asset))
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".mediahub-", suffix=".xmp.tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as fh:
            fh.write(packet)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
