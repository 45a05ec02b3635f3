from mediahub.version import __version__


def mediahub(request):
    return {"MEDIAHUB_VERSION": __version__}
