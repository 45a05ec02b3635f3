"""ComfyUI: the `prompt` chunk (the API graph: {id: {class_type, inputs}}, a linked input is
[node id, output slot]) or, without it, the `workflow` chunk (the editor's graph: nodes with
widgets_values, and links), walked from the sampler.

From the first KSampler (by node id): steps, cfg, sampler, scheduler and seed, following links to
primitive nodes; the texts of the CLIPTextEncode nodes upstream of its positive and negative inputs;
the checkpoint and the LoRA loaders upstream of its model input; the size of the empty latent
upstream of its latent input. Every walk keeps a visited set and a budget, so a cyclic or huge graph
costs at most MAX_NODES steps.
"""

from collections import deque

from .record import Generation, model_stem, text, whole

MAX_NODES = 5000
MAX_VISITS = 500
MAX_DEPTH = 8
SAMPLERS = ("KSampler", "KSamplerAdvanced")
_SCALAR_KEYS = ("value", "seed", "noise_seed", "int", "float", "number", "string", "text")
_CHECKPOINT_KEYS = ("ckpt_name", "unet_name", "model_name")
# The editor's graph keeps widget values as a list in the order of the node's widgets.
_WIDGETS = {
    "KSampler": ("seed", "control_after_generate", "steps", "cfg", "sampler_name", "scheduler", "denoise"),
    "KSamplerAdvanced": ("add_noise", "noise_seed", "control_after_generate", "steps", "cfg", "sampler_name",
                         "scheduler", "start_at_step", "end_at_step", "return_with_leftover_noise"),
    "CLIPTextEncode": ("text",),
    "CheckpointLoaderSimple": ("ckpt_name",),
    "CheckpointLoader": ("config_name", "ckpt_name"),
    "UNETLoader": ("unet_name", "weight_dtype"),
    "LoraLoader": ("lora_name", "strength_model", "strength_clip"),
    "LoraLoaderModelOnly": ("lora_name", "strength_model"),
    "EmptyLatentImage": ("width", "height", "batch_size"),
    "EmptySD3LatentImage": ("width", "height", "batch_size"),
    "PrimitiveNode": ("value",),
}


def parse_comfy(prompt=None, workflow=None) -> Generation | None:
    """From the decoded JSON of either chunk (any type: a wrong one gives None)."""
    nodes = api_graph(prompt) or editor_graph(workflow)
    if not nodes:
        return None
    record = Generation(generator="ComfyUI")
    sampler = next((nid for nid in _ordered(nodes) if nodes[nid]["class_type"] in SAMPLERS), None)
    if sampler is None:
        encoders = [nid for nid in _ordered(nodes) if "CLIPTextEncode" in nodes[nid]["class_type"]]
        record.prompt = _texts(nodes, [[encoders[0], 0]]) if encoders else ""
    else:
        _read_sampler(record, nodes, nodes[sampler]["inputs"])
    if not record.model_name:
        _read_models(record, nodes, list(nodes))  # not reached from a sampler: any loader in the graph
    return record if record.useful() else None


def _read_sampler(record: Generation, nodes: dict, inputs: dict) -> None:
    record.steps = _scalar(nodes, inputs, "steps")
    record.cfg_scale = _scalar(nodes, inputs, "cfg")
    record.sampler = text(_scalar(nodes, inputs, "sampler_name"), 64)
    record.scheduler = text(_scalar(nodes, inputs, "scheduler"), 64)
    record.seed = _scalar(nodes, inputs, "seed")
    if record.seed is None:
        record.seed = _scalar(nodes, inputs, "noise_seed")
    record.prompt = _texts(nodes, [inputs.get("positive")])
    record.negative_prompt = _texts(nodes, [inputs.get("negative")])
    _read_models(record, nodes, _upstream(nodes, [inputs.get("model")]))
    for nid in _upstream(nodes, [inputs.get("latent_image")]):
        node_inputs = nodes[nid]["inputs"]
        width, height = _scalar(nodes, node_inputs, "width"), _scalar(nodes, node_inputs, "height")
        if whole(width, 1) and whole(height, 1):
            record.width, record.height = width, height
            break


def api_graph(value) -> dict:
    """The `prompt` chunk, checked: {str id: {"class_type": str, "inputs": dict}}, bounded."""
    if not isinstance(value, dict):
        return {}
    nodes = {}
    for nid, node in list(value.items())[:MAX_NODES]:
        if isinstance(node, dict) and isinstance(node.get("class_type"), str):
            inputs = node.get("inputs")
            nodes[str(nid)] = {"class_type": node["class_type"], "inputs": inputs if isinstance(inputs, dict) else {}}
    return nodes


def editor_graph(value) -> dict:
    """The `workflow` chunk turned into the API graph's shape (widgets named for the known nodes)."""
    if not isinstance(value, dict) or not isinstance(value.get("nodes"), list):
        return {}
    sources = {}
    for link in (value.get("links") if isinstance(value.get("links"), list) else [])[: MAX_NODES * 4]:
        if isinstance(link, list) and len(link) >= 2 and _is_key(link[0]) and _is_key(link[1]):
            sources[link[0]] = str(link[1])
        elif isinstance(link, dict) and _is_key(link.get("id")) and _is_key(link.get("origin_id")):
            sources[link["id"]] = str(link["origin_id"])
    nodes = {}
    for node in value["nodes"][:MAX_NODES]:
        if not isinstance(node, dict) or not isinstance(node.get("type"), str) or not _is_key(node.get("id")):
            continue
        inputs = _widget_inputs(node)
        for slot in node.get("inputs") if isinstance(node.get("inputs"), list) else []:
            if not isinstance(slot, dict) or not isinstance(slot.get("name"), str) or not _is_key(slot.get("link")):
                continue
            if slot["link"] in sources:
                inputs[slot["name"]] = [sources[slot["link"]], 0]
        nodes[str(node["id"])] = {"class_type": node["type"], "inputs": inputs}
    return nodes


def _widget_inputs(node: dict) -> dict:
    widgets = node.get("widgets_values")
    if isinstance(widgets, dict):
        return {key: value for key, value in list(widgets.items())[:64] if isinstance(key, str)}
    names = _WIDGETS.get(node["type"], ())
    return dict(zip(names, widgets, strict=False)) if isinstance(widgets, list) else {}


def _is_key(value) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool)


def _ordered(nodes: dict) -> list[str]:
    """Node ids in numeric order where they are numbers: '2' before '10', as the editor numbers them."""
    return sorted(nodes, key=lambda nid: (0, int(nid), "") if nid.isdigit() else (1, 0, nid))


def _link(value) -> str | None:
    if isinstance(value, list) and len(value) == 2 and _is_key(value[0]) and not isinstance(value[1], list):
        return str(value[0])
    return None


def _scalar(nodes: dict, inputs: dict, name: str):
    """An input's value, following links to primitive nodes (Seed, Int, Primitive) up to MAX_DEPTH."""
    value = inputs.get(name)
    for _ in range(MAX_DEPTH):
        source = _link(value)
        if source is None:
            return value if isinstance(value, str | int | float) and not isinstance(value, bool) else None
        upstream = nodes.get(source, {}).get("inputs", {})
        value = next((upstream[key] for key in (name, *_SCALAR_KEYS) if key in upstream), None)
    return None


def _upstream(nodes: dict, starts: list) -> list[str]:
    """Node ids reached from these inputs by following links, nearest first; bounded, cycle-safe."""
    queue = deque(nid for nid in map(_link, starts) if nid in nodes)
    seen: dict[str, None] = {}  # ordered, with O(1) membership
    while queue and len(seen) < MAX_VISITS:
        nid = queue.popleft()
        if nid in seen:
            continue
        seen[nid] = None
        if "CLIPTextEncode" in nodes[nid]["class_type"]:
            continue  # a text's own inputs lead to the CLIP loader, not to more conditioning
        for value in nodes[nid]["inputs"].values():
            source = _link(value)
            if source in nodes and source not in seen:
                queue.append(source)
    return list(seen)


def _texts(nodes: dict, starts: list) -> str:
    found = []
    for nid in _upstream(nodes, starts):
        node = nodes[nid]
        if "CLIPTextEncode" not in node["class_type"]:
            continue
        for key in ("text", "text_g", "text_l"):
            value = text(_scalar(nodes, node["inputs"], key), 20_000)
            if value and value not in found:
                found.append(value)
    return "\n".join(found)


def _read_models(record: Generation, nodes: dict, ids: list[str]) -> None:
    for nid in ids:
        node = nodes[nid]
        inputs = node["inputs"]
        if node["class_type"].startswith("LoraLoader"):
            record.add_lora(model_stem(_scalar(nodes, inputs, "lora_name")), _scalar(nodes, inputs, "strength_model"))
        elif not record.model_name and ("Checkpoint" in node["class_type"] or node["class_type"] == "UNETLoader"):
            name = next((_scalar(nodes, inputs, key) for key in _CHECKPOINT_KEYS if key in inputs), None)
            record.model_name = model_stem(name)

