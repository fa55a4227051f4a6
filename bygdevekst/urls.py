"""Root URLs: the apps, the admin and login."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .health import health

admin.site.site_header = "Bygdevekst – administrasjon"
admin.site.site_title = "Bygdevekst"
admin.site.index_title = "Administrasjon"

urlpatterns = [
    path("helse/", health, name="health"),
    path("", include("measures.urls")),
    path("budsjett/", include("budget.urls")),
    path("", include("reporting.urls")),
    # Only the account views we use: password reset by e-mail is left to the operator.
    path("konto/login/", auth_views.LoginView.as_view(), name="login"),
    path("konto/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/passord/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "konto/passord/endra/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
]
