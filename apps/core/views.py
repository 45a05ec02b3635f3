from django.contrib.auth.decorators import login_required
from django.shortcuts import render


def feature_page(template):
    """A page whose feature has no data yet renders its own empty state."""

    @login_required
    def view(request):
        return render(request, template)

    return view
