from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("<slug:slug>/", views.process_detail, name="process"),
    path("<slug:slug>/<int:year>/", views.process_detail, name="process-year"),
]
