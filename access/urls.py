"""A person's own pages: their account, and the invitation link that makes one."""

from django.urls import path

from . import account_views, invitation_views

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
    path("invitasjon/<str:token>/", invitation_views.invitation_accept, name="invitation"),
]
