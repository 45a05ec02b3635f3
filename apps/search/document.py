"""What goes into an asset's search document, by weight (A most relevant, then B, C, D).

Extension point: the people, albums and tags apps add their words with `contributor`, e.g.

    @contributor
    def people_names(assets) -> dict:            # one query for the whole batch, never one per asset
        return {asset_id: {"A": ["Anna", "Ben"]} for asset_id, ... in ...}

A contributor takes a batch of assets and returns {asset_id: {weight: [texts]}}; assets it has
nothing for are left out.

Whoever changes the words behind a document calls `services.index_assets(assets)` for the assets
concerned: the people API after a rename, merge or face assignment. Albums register their
`album_names` contributor (weight B) in apps/albums/search.py, and album renames, adds and removes
reindex their assets.
"""

import re
from collections import defaultdict
from collections.abc import Callable

from apps.assets.models import Asset, AssetEdit, AssetGeneration, AssetMetadata
from apps.people.models import Face

from .captions import captions
from .geocode import Place, places
from .models import AssetText
from .text import document_text, word_tails

WEIGHTS = ("A", "B", "C", "D")
_contributors: list[Callable] = []


def contributor(func: Callable) -> Callable:
    if func not in _contributors:
        _contributors.append(func)
    return func


def _folders(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


@contributor
def file_and_camera(assets) -> dict:
    return {
        asset.pk: {
            "A": [asset.filename, _folders(asset.path)],
            "B": [asset.camera_make, asset.camera_model, asset.lens],
        }
        for asset in assets
    }


@contributor
def title_and_description(assets) -> dict:
    """The title and description as the asset holds them: the file's, or a user's edit that won."""
    return {asset.pk: {"A": [asset.title], "B": [asset.description]} for asset in assets
            if asset.title or asset.description}


@contributor
def people_names(assets) -> dict:
    """Names of the people whose faces are on the asset. Hidden people stay out: hiding someone
    means not wanting them to come up, and search must not bring them back."""
    found = defaultdict(list)
    rows = (Face.objects.filter(asset_id__in=[a.pk for a in assets], person__hidden=False)
            .exclude(person__name="").values_list("asset_id", "person__name").distinct())
    for asset_id, name in rows:
        found[asset_id].append(name)
    return {asset_id: {"A": names} for asset_id, names in found.items()}


@contributor
def keywords_and_descriptions(assets) -> dict:
    """What people wrote into the file (XMP keywords/title/description, EXIF and XP tags, video tags).
    Only the keys captions() reads come back from the JSON, not the whole dump."""
    keys = {"xmp": "tags__XMP", "exif": "tags__EXIF", "video": "tags__ffprobe__tags"}
    ids = [a.pk for a in assets]
    rows = AssetMetadata.objects.filter(asset_id__in=ids).values_list("asset_id", *keys.values())
    # A title or description a user edited replaces the file's: its words go (the edit's come from the asset).
    edited = dict(AssetEdit.objects.filter(asset_id__in=ids).values_list("asset_id", "original"))
    found = {}
    for asset_id, xmp, exif, video in rows:
        tags = {"XMP": xmp, "EXIF": exif, "ffprobe": {"tags": video}}
        keywords, descriptions = captions(tags, set(edited.get(asset_id, ())))
        if keywords or descriptions:
            found[asset_id] = {"B": keywords, "D": descriptions}
    return found


_PROMPT_TAGS = re.compile(r"<[^<>]{0,300}>")  # <lora:name:0.8>: the LoRA is indexed by its name below


@contributor
def generation_prompts(assets) -> dict:
    """What an AI image was made from (apps/assets/metadata/generation): its prompt, model and LoRAs.
    Not the negative prompt: a search for "blurry" must not find the images asked not to be blurry."""
    rows = AssetGeneration.objects.filter(asset_id__in=[a.pk for a in assets]).values_list(
        "asset_id", "prompt", "model_name", "loras")
    found = {}
    for asset_id, prompt, model, loras in rows:
        names = [lora.get("name", "") for lora in loras if isinstance(lora, dict)] if isinstance(loras, list) else []
        found[asset_id] = {"B": [model, *names], "D": [_PROMPT_TAGS.sub(" ", prompt)]}
    return found


@contributor
def photo_text(assets) -> dict:
    """Words painted in the photo (signs, screens, documents), as the "ocr" stage read them: weight D,
    below what people wrote, since a misread word must not outrank a title. With the tails of long
    words, as OCR runs words together (text.word_tails)."""
    rows = AssetText.objects.filter(asset_id__in=[a.pk for a in assets]).exclude(text="").values_list("asset_id", "text")
    return {asset_id: {"D": [text, *word_tails(text)]} for asset_id, text in rows}


def place_of(assets: list[Asset]) -> dict:
    """{asset_id: Place} for the assets with GPS (one geocoder query for the batch)."""
    located = [a for a in assets if a.latitude is not None and a.longitude is not None]
    found = places([(a.latitude, a.longitude) for a in located])
    return {asset.pk: place for asset, place in zip(located, found, strict=True)}


def documents(assets: list[Asset]) -> list[dict]:
    """One row per asset: folded text per weight and its place, ready for the bulk upsert."""
    located = place_of(assets)
    texts: dict = defaultdict(lambda: defaultdict(list))
    for func in _contributors:
        for asset_id, by_weight in func(assets).items():
            for weight, parts in by_weight.items():
                texts[asset_id][weight].extend(parts)
    rows = []
    for asset in assets:
        place = located.get(asset.pk, Place())
        by_weight = texts[asset.pk]
        by_weight["C"].extend([place.city, place.region, place.country, place.country_code])
        rows.append({
            "asset_id": asset.pk,
            **{weight: document_text(*by_weight[weight]) for weight in WEIGHTS},
            "place": place,
        })
    return rows
