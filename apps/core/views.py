from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static


def feature_page(template):
    """A page whose feature has no data yet renders its own empty state."""

    @login_required
    def view(request):
        return render(request, template)

    return view


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the static file."""
    return redirect(static("favicon.ico"), permanent=True)
