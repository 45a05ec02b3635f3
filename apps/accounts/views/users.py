"""The Users page (superadmin): create, edit, deactivate users, reset a password."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts import services
from apps.accounts.decorators import role_required
from apps.accounts.forms import UserCreateForm, UserEditForm, add_service_error
from apps.accounts.roles import Role
from apps.core.errors import ServiceError
from apps.scanning import sharing
from apps.scanning.models import Library

superadmin_only = role_required(Role.SUPERADMIN)


@superadmin_only
def user_list(request):
    users = list(
        get_user_model()
        .objects.order_by("username")
        .prefetch_related("groups", "shared_libraries")
        .annotate(owned=Count("libraries", distinct=True), shared=Count("shared_libraries", distinct=True))
    )
    libraries = list(Library.objects.order_by("name"))
    for subject in users:
        has = {library.pk for library in subject.shared_libraries.all()}
        subject.shared_list = [library for library in libraries if library.pk in has]
        subject.share_candidates = [
            library for library in libraries if library.pk not in has and library.owner_id != subject.pk
        ]
    return render(request, "accounts/users.html", {"users": users})


@superadmin_only
@require_POST
def user_libraries(request, pk):
    """Share a library with this user, or stop sharing it (the Users page's Libraries column)."""
    subject = get_object_or_404(get_user_model(), pk=pk)
    reference = request.POST.get("library", "")
    library = get_object_or_404(Library, pk=reference) if reference.isdigit() else None
    if library is None:
        messages.error(request, _("Choose a library."))
    elif request.POST.get("action") == "unshare":
        sharing.unshare_library(library, [subject])
        names = {"name": library.name, "user": subject}
        messages.success(request, _("'%(name)s' is no longer shared with %(user)s.") % names)
    else:
        sharing.share_library(library, [subject])
        names = {"name": library.name, "users": subject}
        messages.success(request, _("'%(name)s' is shared with %(users)s.") % names)
    return redirect("users")


@superadmin_only
@require_http_methods(["GET", "POST"])
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.create_user(**form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            return render(request, "accounts/user_password.html", {"subject": user, "password": password})
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@superadmin_only
@require_http_methods(["GET", "POST"])
def user_edit(request, pk):
    subject = get_object_or_404(get_user_model(), pk=pk)
    form = UserEditForm(request.POST or None, instance=subject, initial={"role": subject.role.value})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.set_role(subject, form.cleaned_data["role"])
                services.set_active(subject, form.cleaned_data["is_active"])
                form.save()
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Saved %(username)s.") % {"username": subject.username})
            return redirect("users")
    return render(request, "accounts/user_form.html", {"form": form, "subject": subject})


@superadmin_only
@require_POST
def user_reset_password(request, pk):
    subject = get_object_or_404(get_user_model(), pk=pk)
    password = services.reset_password(subject)
    context = {"subject": subject, "password": password, "reset": True}
    return render(request, "accounts/user_password.html", context)
