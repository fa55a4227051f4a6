from django.urls import path

from . import views

app_name = "budget"
urlpatterns = [
    path("<slug:slug>/", views.budget_detail, name="detail"),
]
