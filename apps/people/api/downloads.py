"""A person's photos as one ZIP of their originals (the person page's Download)."""

from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from django.utils.translation import gettext as _

from apps.assets.downloads import assets_zip
from apps.core.api.binary import FirstRendererNegotiation, zip_responses
from apps.core.errors import NotFound
from apps.core.querysets import get_visible
from apps.core.validators import plain_id
from apps.people.models import Person
from apps.people.services import people as people_services


class PersonDownloadView(APIView):
    content_negotiation_class = FirstRendererNegotiation

    @extend_schema(operation_id="people_download_retrieve",
                   responses=zip_responses("The originals of the person's photos the caller may download"))
    def get(self, request, pk):
        """Every photo of a person the caller sees, as one ZIP streamed with its length up front."""
        person_id = plain_id(pk)
        if person_id is None:
            raise NotFound(_("person not found"))
        person = get_visible(Person.objects.all(), request.user, pk=person_id)
        assets = people_services.photos_to_download(request.user, person).order_by("taken_at", "pk")
        if not assets.exists():
            raise NotFound(_("this person has no photos you may download"))
        return assets_zip(str(person), assets)
