from django.urls import path

from . import views

app_name = "money"
urlpatterns = [
    path("<slug:slug>/", views.money_detail, name="detail"),
    path("<slug:slug>/utbetaling/ny/", views.payment_create, name="payment-create"),
    path("<slug:slug>/utbetaling/<int:pk>/rett/", views.payment_correct, name="payment-correct"),
    path("<slug:slug>/<int:year>/", views.accounts_detail, name="accounts"),
    path("<slug:slug>/<int:year>/endre/", views.accounts_edit, name="accounts-edit"),
    path("<slug:slug>/<int:year>/rett/", views.accounts_correct, name="accounts-correct"),
    path("<slug:slug>/<int:year>/summer/", views.accounts_recompute, name="accounts-recompute"),
    path("<slug:slug>/<int:year>/forklaringar/", views.explanations_save, name="explanations"),
    path("<slug:slug>/<int:year>/send/", views.accounts_submit, name="accounts-submit"),
    path("<slug:slug>/<int:year>/send-tilbake/", views.accounts_return, name="accounts-return"),
    path("<slug:slug>/<int:year>/godkjenn/", views.accounts_accept, name="accounts-accept"),
]
