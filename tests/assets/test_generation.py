"""AI generation parameters are read from every tool's format into one record, and hostile
metadata never fails the metadata stage (apps/assets/metadata/generation/)."""

import json
import time
import zlib

import pytest

from apps.assets.metadata import extract
from apps.assets.metadata.generation import decode_user_comment, generation_from
from apps.assets.metadata.generation.comfy import parse_comfy
from apps.assets.metadata.stage import MetadataStage
from apps.assets.models import Asset, AssetGeneration
from tests.assets.generation_samples import (
    A1111,
    COMFY_PROMPT,
    COMFY_WORKFLOW,
    FOOOCUS,
    INVOKEAI,
    NOVELAI_COMMENT,
    comfy_webp,
    png_with,
    png_with_raw_chunks,
    raw_chunk,
    user_comment,
    with_user_comment,
)
from tests.factories import AssetFactory


def generation(path):
    return extract(path, decode=False).generation


def test_a1111_parameters_in_a_png_chunk_give_prompt_negative_prompt_parameters_and_loras(tmp_path):
    record = generation(png_with(tmp_path / "a.png", {"parameters": A1111}))
    assert record["generator"] == "AUTOMATIC1111"
    assert record["prompt"].startswith("an astronaut riding a horse on the moon")
    assert record["negative_prompt"] == "blurry, lowres, watermark"
    assert (record["steps"], record["sampler"], record["scheduler"], record["cfg_scale"]) == (28, "DPM++ 2M", "Karras", 6.5)
    assert (record["seed"], record["width"], record["height"]) == ("3141592653", 832, 1216)
    assert (record["model_name"], record["model_hash"]) == ("dreamshaperXL_v21", "6ce0161689")
    assert record["loras"] == [{"name": "add_detail", "weight": 0.8}, {"name": "filmgrain", "weight": 1.2}]
    # A quoted value keeps its comma; the parameters no column holds are kept as text.
    assert record["extra"]["ADetailer prompt"] == "a face, smiling"
    assert record["extra"]["Denoising strength"] == "0.35"


@pytest.mark.parametrize("encoding", ["utf-16-be", "utf-16-le", "ascii"])
def test_a1111_parameters_in_a_jpeg_user_comment_are_read_whatever_its_character_code(tmp_path, encoding):
    record = generation(with_user_comment(tmp_path / "a.jpg", user_comment(A1111, encoding)))
    assert record["prompt"].startswith("an astronaut") and record["sampler"] == "DPM++ 2M"
    assert record["negative_prompt"] == "blurry, lowres, watermark"


def test_a_webp_carries_its_parameters_in_the_exif_user_comment(tmp_path):
    text = A1111.replace("Version: v1.10.1", "Version: f2.0.1v1.10.1-previous-313-g8a042934")
    record = generation(with_user_comment(tmp_path / "a.webp", user_comment(text), fmt="WEBP"))
    assert record["generator"] == "Forge"  # Forge's versions start with "f"
    assert record["model_name"] == "dreamshaperXL_v21"


def test_the_user_comment_byte_order_comes_from_a_bom_the_zero_bytes_or_the_tiff_header():
    assert decode_user_comment(b"UNICODE\x00\xff\xfe" + "ok".encode("utf-16-le")) == "ok"
    assert decode_user_comment(b"UNICODE\x00" + "été 1".encode("utf-16-le")) == "été 1"
    assert decode_user_comment(b"UNICODE\x00" + "\u65e5\u672c".encode("utf-16-be"), big_endian=True) == "\u65e5\u672c"
    assert decode_user_comment(b"\x00" * 8 + "caf\u00e9".encode()) == "caf\u00e9"
    assert decode_user_comment(b"UNICODE\x00\x00a\x00") == "a"  # an odd byte at the end is dropped


def test_a_comfyui_prompt_graph_is_walked_from_the_sampler(tmp_path):
    path = png_with(tmp_path / "c.png", {"prompt": json.dumps(COMFY_PROMPT), "workflow": json.dumps(COMFY_WORKFLOW)})
    record = generation(path)
    assert record["generator"] == "ComfyUI"
    assert record["prompt"] == "a lighthouse in a storm, oil painting"
    assert record["negative_prompt"] == "text, signature"
    assert (record["steps"], record["cfg_scale"], record["sampler"], record["scheduler"]) == (30, 7.5, "euler_ancestral", "normal")
    assert record["seed"] == "18446744073709551615"  # from the linked seed node; past a bigint
    assert (record["width"], record["height"], record["model_name"]) == (1024, 768, "juggernautXL_v9")
    assert record["loras"] == [{"name": "detail", "weight": 0.4}, {"name": "oilpaint", "weight": 0.7}]


def test_a_comfyui_editor_workflow_alone_is_read_from_its_widgets_and_links(tmp_path):
    record = generation(png_with(tmp_path / "w.png", {"workflow": json.dumps(COMFY_WORKFLOW)}, compressed={"workflow"}))
    assert (record["prompt"], record["negative_prompt"]) == ("a red fox in the snow", "ugly")
    assert (record["steps"], record["cfg_scale"], record["sampler"], record["scheduler"]) == (25, 8, "dpmpp_2m", "karras")
    assert (record["seed"], record["width"], record["height"], record["model_name"]) == ("77", 512, 640, "v1-5-pruned")


def test_a_comfyui_webp_names_no_camera_with_its_graphs(tmp_path):
    info = extract(comfy_webp(tmp_path / "c.webp", COMFY_PROMPT), decode=False)
    assert info.generation["prompt"] == "a lighthouse in a storm, oil painting"
    assert (info.camera_make, info.camera_model) == ("", "")


def test_invokeai_metadata_in_each_of_its_three_generations(tmp_path):
    record = generation(png_with(tmp_path / "i.png", {"invokeai_metadata": json.dumps(INVOKEAI)}))
    assert (record["generator"], record["prompt"], record["negative_prompt"]) == ("InvokeAI", INVOKEAI["positive_prompt"], "people")
    assert (record["sampler"], record["steps"], record["cfg_scale"], record["seed"]) == ("dpmpp_2m_k", 35, 5.5, "4242")
    assert (record["model_name"], record["model_hash"], record["width"]) == ("Juggernaut XL v9", "blake3:9a8b7c", 768)
    assert record["loras"] == [{"name": "pixel-art-xl", "weight": 0.75}]

    v2 = {"model_weights": "stable-diffusion-1.5", "model_hash": "cc6cb27103", "app_id": "invoke-ai/InvokeAI",
          "image": {"prompt": [{"prompt": "a cat in a hat [blurry, ugly]", "weight": 1}], "steps": 50,
                    "cfg_scale": 7.5, "seed": 42, "sampler": "k_lms", "width": 512, "height": 512}}
    record = generation(png_with(tmp_path / "v2.png", {"sd-metadata": json.dumps(v2)}))
    assert (record["prompt"], record["negative_prompt"]) == ("a cat in a hat", "blurry, ugly")
    assert (record["model_name"], record["sampler"], record["steps"]) == ("stable-diffusion-1.5", "k_lms", 50)

    record = generation(png_with(tmp_path / "d.png", {"Dream": '"a castle [fog]" -s 40 -S 7 -W 640 -H 480 -C 9 -A k_euler'}))
    assert (record["prompt"], record["negative_prompt"], record["steps"], record["seed"]) == ("a castle", "fog", 40, "7")
    assert (record["width"], record["height"], record["cfg_scale"], record["sampler"]) == (640, 480, 9.0, "k_euler")


def test_novelai_reads_the_description_and_the_comment_json(tmp_path):
    texts = {"Title": "NovelAI generated image", "Description": "1girl, cherry blossoms, masterpiece",
             "Software": "NovelAI", "Source": "NovelAI Diffusion V3 4BDE2A90", "Comment": json.dumps(NOVELAI_COMMENT)}
    record = generation(png_with(tmp_path / "n.png", texts))
    assert (record["generator"], record["prompt"], record["negative_prompt"]) == ("NovelAI", texts["Description"], "lowres, bad anatomy")
    assert (record["steps"], record["cfg_scale"], record["seed"], record["sampler"]) == (28, 5.0, "987654321", "k_euler_ancestral")
    assert (record["scheduler"], record["model_name"], record["model_hash"]) == ("karras", "NovelAI Diffusion V3", "4BDE2A90")


def test_fooocus_json_in_a_png_chunk_or_in_a_jpeg_user_comment(tmp_path):
    png = png_with(tmp_path / "f.png", {"parameters": json.dumps(FOOOCUS), "fooocus_scheme": "fooocus"})
    jpeg = with_user_comment(tmp_path / "f.jpg", user_comment(json.dumps(FOOOCUS), "ascii"))
    for record in (generation(png), generation(jpeg)):
        assert (record["generator"], record["prompt"], record["negative_prompt"]) == ("Fooocus", "a koi pond at dawn", "cartoon")
        assert (record["width"], record["height"], record["cfg_scale"], record["seed"]) == (1152, 896, 4.0, "5551234")
        assert (record["model_name"], record["sampler"], record["scheduler"]) == ("juggernautXL_v8Rundiffusion", "dpmpp_2m_sde_gpu", "karras")
        assert record["loras"] == [{"name": "sd_xl_offset_example-lora_1.0", "weight": 0.1}]
    old = png_with(tmp_path / "old.png", {"Fooocus": json.dumps({**FOOOCUS, "metadata_scheme": None, "loras": None,
                                                                 "lora_combined_1": "add-detail-xl : 0.5"})})
    assert generation(old)["loras"] == [{"name": "add-detail-xl", "weight": 0.5}]


def test_an_ordinary_photo_or_a_caption_is_no_generation(tmp_path):
    assert generation(png_with(tmp_path / "p.png", {"Description": "our cat", "Software": "GIMP"})) is None
    assert generation(with_user_comment(tmp_path / "p.jpg", user_comment("Holiday in Rome", "ascii"))) is None


def test_a_cyclic_comfyui_graph_ends_and_wrong_types_are_dropped_with_the_rest_kept():
    cyclic = {
        "1": {"class_type": "KSampler", "inputs": {"steps": "many", "cfg": [], "seed": ["2", 0],
                                                   "positive": ["3", 0], "negative": ["3", 0], "model": ["3", 0],
                                                   "sampler_name": {"x": 1}, "scheduler": "karras"}},
        "2": {"class_type": "Seed", "inputs": {"seed": ["2", 0]}},  # a loop of one
        "3": {"class_type": "ConditioningCombine", "inputs": {"a": ["4", 0], "b": ["3", 0]}},
        "4": {"class_type": "CLIPTextEncode", "inputs": {"text": "a loop", "clip": ["3", 0]}},
        "5": "not a node", "6": {"class_type": 7},
    }
    record = parse_comfy(cyclic).as_dict()
    assert (record["prompt"], record["scheduler"]) == ("a loop", "karras")
    assert (record["steps"], record["cfg_scale"], record["seed"], record["sampler"]) == (None, None, "", "")
    assert parse_comfy({"nodes": "x"}, [1, 2]) is None and parse_comfy("text", None) is None
    odd_links = {"nodes": [{"id": 1, "type": "KSampler", "inputs": [{"name": "positive", "link": [1]}, "x"],
                            "widgets_values": [1, "fixed", 20, 7, "euler", "normal", 1]}],
                 "links": [[{"x": 1}, 2], "y", {"id": [3]}]}
    assert parse_comfy(None, odd_links).as_dict()["steps"] == 20


def test_hostile_chunks_never_fail_the_read_and_the_picture_is_still_indexed(tmp_path):
    nested = "[" * 100_000 + "]" * 100_000  # past the JSON parser's recursion limit
    huge = json.dumps({str(n): {"class_type": "CLIPTextEncode", "inputs": {"text": "x" * 50}} for n in range(6_000)})
    bomb = raw_chunk(b"zTXt", b"workflow\x00\x00" + zlib.compress(b"{" + b" " * (9 * 1024 * 1024)))
    not_utf8 = raw_chunk(b"iTXt", b"parameters\x00\x00\x00\x00\x00a \xff\xfe cat\nSteps: 5, Sampler: Euler, Seed: 1")
    path = png_with_raw_chunks(tmp_path / "h.png", raw_chunk(b"tEXt", b"prompt\x00" + nested.encode()), bomb, not_utf8)
    started = time.monotonic()
    info = extract(path, decode=False)
    assert (info.width, info.height) == (8, 8)
    assert info.generation["prompt"] == "a \ufffd\ufffd cat" and info.generation["steps"] == 5
    # 6,000 nodes: the first 5,000 are read; without a sampler the first text is the prompt.
    assert generation_from({"prompt": huge})["prompt"] == "x" * 50
    assert len(generation_from({"parameters": "x" * 500_000})["prompt"]) == 20_000
    # One long word where the parameters line should be: the bounded key pattern keeps it linear.
    assert generation_from({"parameters": "a cat\n" + "k" * 60_000 + ": 1, b: 2, c: 3"})["prompt"] == "a cat"
    assert time.monotonic() - started < 5


@pytest.mark.django_db
def test_the_metadata_stage_stores_the_record_and_drops_it_when_the_file_no_longer_has_one(library, library_root):
    png_with(library_root / "gen.png", {"parameters": A1111})
    asset = AssetFactory(library=library, path="gen.png", kind=Asset.Kind.PHOTO, mime="", status=Asset.Status.PENDING)
    MetadataStage().run(asset)
    stored = AssetGeneration.objects.get(asset=asset)
    assert (stored.model_name, stored.sampler, stored.seed) == ("dreamshaperXL_v21", "DPM++ 2M", "3141592653")
    png_with(library_root / "gen.png", {"Software": "an editor that strips parameters"})
    MetadataStage().run(asset)
    assert not AssetGeneration.objects.filter(asset=asset).exists()


def test_an_infotext_in_xmp_is_read_and_an_xmp_caption_is_not(tmp_path):
    from PIL import Image

    def jpeg_with_xmp(name, description):
        packet = (
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description><rdf:Alt>'
            f'<rdf:li xml:lang="x-default">{description}</rdf:li></rdf:Alt></dc:description>'
            "</rdf:Description></rdf:RDF></x:xmpmeta>"
        )
        Image.new("RGB", (32, 32)).save(tmp_path / name, xmp=packet.encode())
        return tmp_path / name

    infotext = "a fox &amp; a hound\nSteps: 12, Sampler: Euler a, CFG scale: 4, Seed: 5"
    record = generation(jpeg_with_xmp("x.jpg", infotext))
    assert (record["prompt"], record["steps"], record["sampler"]) == ("a fox & a hound", 12, "Euler a")
    assert generation(jpeg_with_xmp("caption.jpg", "Steps to the beach, Rome")) is None
