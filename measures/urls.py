from django.urls import path

from . import views

app_name = "measures"
urlpatterns = [
    path("", views.home, name="home"),
    path("avtale/<slug:slug>/", views.agreement_detail, name="agreement-detail"),
    path("avtale/<slug:slug>/tiltak/<slug:key>/", views.measure_detail, name="measure-detail"),
    path("avtale/<slug:slug>/organisasjonar/", views.organisation_list, name="organisation-list"),
    path(
        "avtale/<slug:slug>/organisasjonar/<slug:key>/",
        views.organisation_detail,
        name="organisation-detail",
    ),
]
