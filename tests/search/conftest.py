"""A random CLIP model built offline (no hub download), and assets with stored previews.

`build_clip` writes a transformers CLIPModel with random weights, a byte-level tokenizer whose vocab
is just the 256 byte symbols (no merges) and an image processor, to a folder sentence-transformers
loads like any CLIP checkpoint. Tiny towers for the tests; ViT-B/32 shapes (CLIPConfig defaults)
for the benchmark, which runs at the speed of the real model.
"""

import pytest
from PIL import Image

from apps.assets.derivatives.storage import Derivative, atomic_path, path_for
from apps.search.clip import model as clip_model


def build_clip(folder, tiny: bool = True, seed: int = 0) -> str:
    import torch
    from transformers import CLIPConfig, CLIPImageProcessor, CLIPModel, CLIPProcessor, CLIPTokenizer
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    symbols = list(bytes_to_unicode().values())
    vocab = {token: n for n, token in enumerate(symbols + [s + "</w>" for s in symbols])}
    bos, eos = len(vocab), len(vocab) + 1
    vocab.update({"<|startoftext|>": bos, "<|endoftext|>": eos})
    text = {"vocab_size": len(vocab), "bos_token_id": bos, "eos_token_id": eos, "pad_token_id": eos}
    vision = {}
    if not tiny:  # CLIP's own vocabulary size: the token table is 100 MB of the 250 MB text tower
        text["vocab_size"] = 49408
    if tiny:
        text.update(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2)
        vision.update(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2,
                      image_size=32, patch_size=8)
    config = CLIPConfig(text_config=text, vision_config=vision, projection_dim=512)
    torch.manual_seed(seed)
    CLIPModel(config).eval().save_pretrained(folder)
    size = config.vision_config.image_size
    images = CLIPImageProcessor(size={"shortest_edge": size}, crop_size={"height": size, "width": size})
    CLIPProcessor(image_processor=images, tokenizer=CLIPTokenizer(vocab=vocab, merges=[])).save_pretrained(folder)
    return str(folder)


@pytest.fixture(scope="session")
def tiny_clip_folder(tmp_path_factory):
    return build_clip(tmp_path_factory.mktemp("tiny-clip"))


@pytest.fixture
def clip(settings, tiny_clip_folder):
    """MEDIAHUB_CLIP_MODEL points at the tiny random CLIP; the module under test, ready."""
    settings.MEDIAHUB_CLIP_MODEL = tiny_clip_folder
    settings.MEDIAHUB_CLIP_TEXT_MODEL = ""
    settings.MEDIAHUB_CLIP_DEVICE = "cpu"
    yield clip_model
    clip_model.forget()


@pytest.fixture
def no_clip(settings, tmp_path):
    """A model that is not there (as on a machine without network): a folder name that does not exist."""
    settings.MEDIAHUB_CLIP_MODEL = "no-such-clip-model"
    settings.MODELS_DIR = tmp_path / "models"
    yield clip_model
    clip_model.forget()


def store_preview(asset, colour=(200, 30, 30), size=(320, 240), pattern: int = 0) -> None:
    """The preview the preview stage would have left: a JPEG with a colour and a few stripes."""
    image = Image.new("RGB", size, colour)
    for x in range(0, size[0], 8 + pattern * 4):
        for y in range(size[1]):
            image.putpixel((x, y), (255 - colour[0], 255 - colour[1], 255 - colour[2]))
    with atomic_path(path_for(asset.pk, Derivative.PREVIEW)) as temp:
        image.save(temp, "JPEG", quality=85)
