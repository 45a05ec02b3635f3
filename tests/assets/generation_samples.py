"""AI-generated images as their tools write them, built here with Pillow (no sample files in the
repo): A1111 text in a PNG chunk or an EXIF UserComment, ComfyUI graphs, InvokeAI, NovelAI and
Fooocus chunks. Shared by the parser tests, the API tests and the browser test."""

import json
import zlib

from PIL import Image
from PIL.PngImagePlugin import PngInfo

A1111 = (
    "an astronaut riding a horse on the moon, highly detailed <lora:add_detail:0.8> <lora:filmgrain:1.2>\n"
    "Negative prompt: blurry, lowres, watermark\n"
    "Steps: 28, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 6.5, Seed: 3141592653, Size: 832x1216, "
    'Model hash: 6ce0161689, Model: dreamshaperXL_v21, Denoising strength: 0.35, '
    'Lora hashes: "add_detail: 7c6bad76eb54, filmgrain: 1d2e3f4a5b6c", '
    'ADetailer prompt: "a face, smiling", Version: v1.10.1'
)

COMFY_PROMPT = {
    "3": {"class_type": "KSampler", "inputs": {
        "seed": ["12", 0], "steps": 30, "cfg": 7.5, "sampler_name": "euler_ancestral", "scheduler": "normal",
        "denoise": 1.0, "model": ["11", 0], "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["5", 0]}},
    "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "SDXL/juggernautXL_v9.safetensors"}},
    "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 1024, "height": 768, "batch_size": 1}},
    "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a lighthouse in a storm, oil painting", "clip": ["10", 1]}},
    "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "text, signature", "clip": ["10", 1]}},
    "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}},
    "10": {"class_type": "LoraLoader", "inputs": {
        "lora_name": "styles/oilpaint.safetensors", "strength_model": 0.7, "strength_clip": 0.7,
        "model": ["4", 0], "clip": ["4", 1]}},
    "11": {"class_type": "LoraLoaderModelOnly", "inputs": {
        "lora_name": "detail.safetensors", "strength_model": 0.4, "model": ["10", 0]}},
    "12": {"class_type": "Seed (rgthree)", "inputs": {"seed": 18446744073709551615}},
}

# The editor's graph of a small text-to-image workflow (no `prompt` chunk beside it).
COMFY_WORKFLOW = {
    "nodes": [
        {"id": 3, "type": "KSamplerAdvanced", "inputs": [
            {"name": "model", "link": 1}, {"name": "positive", "link": 2}, {"name": "negative", "link": 3},
            {"name": "latent_image", "link": 4}],
         "widgets_values": ["enable", 77, "fixed", 25, 8, "dpmpp_2m", "karras", 0, 10000, "disable"]},
        {"id": 4, "type": "CheckpointLoaderSimple", "inputs": [], "widgets_values": ["v1-5-pruned.ckpt"]},
        {"id": 5, "type": "EmptyLatentImage", "inputs": [], "widgets_values": [512, 640, 1]},
        {"id": 6, "type": "CLIPTextEncode", "inputs": [{"name": "clip", "link": 5}],
         "widgets_values": ["a red fox in the snow"]},
        {"id": 7, "type": "CLIPTextEncode", "inputs": [{"name": "clip", "link": 6}], "widgets_values": ["ugly"]},
    ],
    "links": [[1, 4, 0, 3, 0, "MODEL"], [2, 6, 0, 3, 1, "CONDITIONING"], [3, 7, 0, 3, 2, "CONDITIONING"],
              [4, 5, 0, 3, 3, "LATENT"], [5, 4, 1, 6, 0, "CLIP"], [6, 4, 1, 7, 0, "CLIP"]],
}

INVOKEAI = {
    "generation_mode": "txt2img", "positive_prompt": "a cozy cabin in the woods, golden hour",
    "negative_prompt": "people", "width": 768, "height": 512, "seed": 4242, "steps": 35, "cfg_scale": 5.5,
    "scheduler": "dpmpp_2m_k", "app_version": "4.2.4",
    "model": {"key": "abc", "hash": "blake3:9a8b7c", "name": "Juggernaut XL v9", "base": "sdxl", "type": "main"},
    "loras": [{"model": {"key": "x", "name": "pixel-art-xl", "base": "sdxl"}, "weight": 0.75}],
}

NOVELAI_COMMENT = {
    "prompt": "1girl, cherry blossoms, masterpiece", "steps": 28, "height": 1216, "width": 832, "scale": 5.0,
    "uncond_scale": 1.0, "cfg_rescale": 0.0, "seed": 987654321, "n_samples": 1, "noise_schedule": "karras",
    "sampler": "k_euler_ancestral", "uc": "lowres, bad anatomy",
}

FOOOCUS = {
    "adm_guidance": "(1.5, 0.8, 0.3)", "base_model": "juggernautXL_v8Rundiffusion.safetensors",
    "base_model_hash": "aeb7e9e689", "full_negative_prompt": ["(worst quality)"], "full_prompt": ["a koi pond"],
    "guidance_scale": 4.0, "loras": [["sd_xl_offset_example-lora_1.0.safetensors", 0.1, "4852686128"]],
    "metadata_scheme": "fooocus", "negative_prompt": "cartoon", "performance": "Speed",
    "prompt": "a koi pond at dawn", "refiner_model": "None", "resolution": "(1152, 896)",
    "sampler": "dpmpp_2m_sde_gpu", "scheduler": "karras", "seed": "5551234", "sharpness": 2.0, "steps": 30,
    "styles": "['Fooocus V2', 'Fooocus Enhance']", "version": "Fooocus v2.5.3",
}


def png_with(path, texts: dict, compressed=(), size=(64, 48)):
    """A PNG with these text chunks (tEXt; zTXt for the keys in `compressed`)."""
    info = PngInfo()
    for key, value in texts.items():
        info.add_text(key, value, zip=key in compressed)
    Image.new("RGB", size, (40, 90, 160)).save(path, pnginfo=info)
    return path


def user_comment(text: str, encoding: str = "utf-16-be") -> bytes:
    """EXIF UserComment: an 8-byte character code, then the text."""
    if encoding == "ascii":
        return b"ASCII\x00\x00\x00" + text.encode("utf-8")
    return b"UNICODE\x00" + text.encode(encoding)


def with_user_comment(path, comment: bytes, fmt: str = "JPEG", size=(64, 48)):
    """A JPEG or WebP whose EXIF holds this UserComment (Pillow's Exif: no piexif needed)."""
    exif = Image.Exif()
    exif[0x8769] = {0x9286: comment}
    Image.new("RGB", size, (200, 120, 40)).save(path, format=fmt, exif=exif)
    return path


def comfy_webp(path, prompt: dict):
    """ComfyUI's SaveAnimatedWEBP: 'prompt:{json}' in the EXIF Model tag, 'workflow:{json}' in Make."""
    exif = Image.Exif()
    exif[0x0110] = "prompt:" + json.dumps(prompt)
    exif[0x010F] = "workflow:" + json.dumps(COMFY_WORKFLOW)
    Image.new("RGB", (64, 48), (10, 10, 10)).save(path, format="WEBP", exif=exif)
    return path


def raw_chunk(kind: bytes, data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")


def png_with_raw_chunks(path, *chunks: bytes):
    """A valid PNG with extra chunks spliced in after IHDR (for bytes Pillow's PngInfo will not write)."""
    Image.new("RGB", (8, 8)).save(path)
    data = path.read_bytes()
    cut = 8 + 25  # signature, then IHDR (4 + 4 + 13 + 4)
    path.write_bytes(data[:cut] + b"".join(chunks) + data[cut:])
    return path
