"""AI images through the API: prompt words found by q=, ai_model / ai_sampler / ai_generated filters,
their filter-options dimensions, the detail's generation record, and none of it for who cannot see
the photo."""

import pytest
from django.core.management import call_command

from apps.assets.models import AssetGeneration
from apps.search import services
from tests.assets.generation_samples import A1111, png_with
from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db


def generated(library, path, **fields):
    asset = AssetFactory(library=library, path=path)
    AssetGeneration.objects.create(asset=asset, **fields)
    services.index_assets([asset])
    return asset


@pytest.fixture
def images(user):
    library = LibraryFactory(owner=user)
    return {
        "astronaut": generated(
            library, "ai/00001.png", generator="AUTOMATIC1111", model_name="dreamshaperXL_v21", sampler="DPM++ 2M",
            prompt="an astronaut riding a horse <lora:add_detail:0.8>", negative_prompt="blurry, lowres", seed="42",
            loras=[{"name": "add_detail", "weight": 0.8}]),
        "lighthouse": generated(library, "ai/00002.png", generator="ComfyUI", model_name="juggernautXL_v9",
                                sampler="euler", prompt="a lighthouse in a storm"),
        "photo": AssetFactory(library=library, path="2024/IMG_1.jpg"),
    }


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_prompt_words_model_and_lora_names_find_the_image_but_the_negative_prompt_does_not(user_client, images):
    astronaut = {str(images["astronaut"].pk)}
    assert ids(user_client.get("/api/search/", {"q": "astronaut"})) == astronaut
    assert ids(user_client.get("/api/search/", {"q": "dreamshaper"})) == astronaut
    assert ids(user_client.get("/api/search/", {"q": "add_detail"})) == astronaut
    assert ids(user_client.get("/api/search/", {"q": "blurry"})) == set()


def test_the_ai_filters_narrow_lists_and_search_and_offer_the_values_the_caller_sees(user_client, other_client, images):
    def listed(**params):
        return ids(user_client.get("/api/assets/", params))

    astronaut, lighthouse, photo = (str(images[name].pk) for name in ("astronaut", "lighthouse", "photo"))
    assert listed(ai_model="juggernautXL_v9") == {lighthouse}
    assert listed(ai_sampler="DPM++ 2M") == {astronaut}
    assert listed(ai_generated="true") == {astronaut, lighthouse}
    assert listed(ai_generated="false") == {photo}
    assert ids(user_client.get("/api/search/", {"q": "storm", "ai_model": "juggernautXL_v9"})) == {lighthouse}
    assert ids(user_client.get("/api/search/", {"q": "storm", "ai_model": "dreamshaperXL_v21"})) == set()

    response = user_client.get("/api/search/filter-options/", {"dimension": ["ai_models", "ai_samplers"]})
    assert response.status_code == 200
    models, samplers = response.json()
    assert (models["param"], samplers["param"]) == ("ai_model", "ai_sampler")
    assert {o["value"]: o["count"] for o in models["options"]} == {"dreamshaperXL_v21": 1, "juggernautXL_v9": 1}
    assert {o["value"] for o in samplers["options"]} == {"DPM++ 2M", "euler"}
    theirs = other_client.get("/api/search/filter-options/", {"dimension": "ai_models"}).json()
    assert theirs[0]["options"] == []


def test_the_detail_carries_the_generation_for_who_sees_the_photo_and_nobody_else(user_client, other_client, images):
    detail = user_client.get(f"/api/assets/{images['astronaut'].pk}/").json()
    assert detail["generation"]["prompt"].startswith("an astronaut")
    assert detail["generation"]["negative_prompt"] == "blurry, lowres"
    assert detail["generation"]["loras"] == [{"name": "add_detail", "weight": 0.8}]
    assert detail["generation"]["seed"] == "42"
    assert user_client.get(f"/api/assets/{images['photo'].pk}/").json()["generation"] is None
    assert other_client.get(f"/api/assets/{images['astronaut'].pk}/").status_code == 404
    assert ids(other_client.get("/api/search/", {"q": "astronaut"})) == set()
    assert ids(other_client.get("/api/assets/", {"ai_generated": "true"})) == set()


def test_the_search_page_offers_the_ai_selects_only_where_there_are_ai_images(client, user, other_user, password, images):
    client.login(username=user.username, password=password)
    page = client.get("/search/").content.decode()
    assert 'name="ai_model"' in page and "dreamshaperXL_v21 (1)" in page
    client.login(username=other_user.username, password=password)
    assert 'name="ai_model"' not in client.get("/search/").content.decode()


def test_files_indexed_before_get_their_prompts_by_rerunning_metadata_and_search(user_client, library, library_root):
    png_with(library_root / "00007.png", {"parameters": A1111})
    asset = AssetFactory(library=library, path="00007.png", mime="image/png")
    services.index_assets([asset])  # as the search stage left it before generation info existed
    assert ids(user_client.get("/api/search/", {"q": "astronaut"})) == set()
    call_command("run_stages", "--stage", "metadata", "--stage", "search", "--force", "--inline", stdout=None)
    assert ids(user_client.get("/api/search/", {"q": "astronaut", "ai_model": "dreamshaperXL_v21"})) == {str(asset.pk)}
