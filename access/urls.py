"""A person's own pages: their account, logging in with OpenID Connect, and the invitation
link that makes an account."""

from django.urls import path

from . import account_views, invitation_views, oidc_views

app_name = "access"
urlpatterns = [
    path("konto/", account_views.account, name="account"),
    path("konto/sprak/", account_views.account_language, name="account-language"),
    path("konto/e-post/", account_views.account_email, name="account-email"),
    path(
        "konto/e-post/<str:token>/",
        account_views.account_email_confirm,
        name="account-email-confirm",
    ),
    path("konto/oidc/<slug:name>/", oidc_views.start, name="oidc-start"),
    path("konto/oidc/<slug:name>/tilbake/", oidc_views.callback, name="oidc-callback"),
    path("invitasjon/<str:token>/", invitation_views.invitation_accept, name="invitation"),
]
