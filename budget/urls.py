from django.urls import path

from . import views

app_name = "budget"
urlpatterns = [
    path("<slug:slug>/", views.budget_detail, name="detail"),
    path("<slug:slug>/endre/", views.budget_edit, name="edit"),
    path("<slug:slug>/rekn-ut/", views.budget_recompute, name="recompute"),
]
