from django.http import HttpResponse

from . import services


def link_page(request, token):
    services.open_link(token)
    return HttpResponse("")
