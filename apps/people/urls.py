from django.urls import path

from . import views

urlpatterns = [
    path("people/", views.index, name="people"),
    path("people/unassigned/", views.unassigned, name="people-unassigned"),
    path("people/suggestions/", views.suggestions, name="people-suggestions"),
    path("people/suggestions/<int:a>/<int:b>/dismiss", views.dismiss_suggestion, name="people-suggestion-dismiss"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/faces/", views.person_faces, name="person-faces"),
]
