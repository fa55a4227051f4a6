"""Root URLs: the apps, the admin and login."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from access.login_page import LoginView, password_login_only
from access.oidc_views import LogoutView
from access.password_reset import LimitedPasswordResetForm, reset_tokens

from .health import health

admin.site.site_header = _("Bygdevekst – administrasjon")
admin.site.site_title = "Bygdevekst"
admin.site.index_title = _("Administrasjon")

urlpatterns = [
    path("helse/", health, name="health"),
    # The public face (public/): approved plans and open data for anyone, and robots.txt and
    # sitemap.xml. Included by name: nothing imports the public app.
    path("offentleg/", include("public.urls")),
    path("", include("public.root_urls")),
    path("", include("access.urls")),
    path("", include("measures.urls")),
    path("budsjett/", include("budget.urls")),
    path("rekneskap/", include("money.urls")),
    path("", include("reporting.urls")),
    # Only the account views we use. Password reset by e-mail (access.password_reset): links to
    # SITE_URL, at most a few e-mails an hour to one address, the same page for every address.
    path("konto/login/", LoginView.as_view(), name="login"),
    path("konto/logout/", LogoutView.as_view(), name="logout"),
    path(
        "konto/passord/",
        password_login_only(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "konto/passord/endra/",
        password_login_only(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path(
        "konto/passord/nytt/",
        password_login_only(
            auth_views.PasswordResetView.as_view(
                form_class=LimitedPasswordResetForm, token_generator=reset_tokens
            )
        ),
        name="password_reset",
    ),
    path(
        "konto/passord/nytt/sendt/",
        password_login_only(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "konto/passord/nytt/<uidb64>/<token>/",
        password_login_only(
            auth_views.PasswordResetConfirmView.as_view(token_generator=reset_tokens)
        ),
        name="password_reset_confirm",
    ),
    path(
        "konto/passord/nytt/ferdig/",
        password_login_only(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    # One login page for everything, the admin too (with its OpenID Connect buttons).
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="login", query_string=True),
        name="admin-login",
    ),
    path("admin/", admin.site.urls),
]
