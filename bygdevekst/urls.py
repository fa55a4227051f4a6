"""Root URLs: the apps, the admin and login."""

from django.contrib import admin
from django.urls import include, path

from .health import health

admin.site.site_header = "Bygdevekst – administrasjon"
admin.site.site_title = "Bygdevekst"
admin.site.index_title = "Administrasjon"

urlpatterns = [
    path("helse/", health, name="health"),
    path("", include("measures.urls")),
    path("budsjett/", include("budget.urls")),
    path("rullering/", include("reporting.urls")),
    path("konto/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
