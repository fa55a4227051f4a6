"""The public pages' addresses: under /offentleg/, plus /robots.txt and /sitemap.xml (root URLs)."""

from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.plan_page, name="plan"),
    path("<slug:slug>/handlingsplan.json", views.plan_json, name="latest-json"),
    path("<slug:slug>/<int:year>/", views.plan_page, name="year"),
    path("<slug:slug>/<int:year>/handlingsplan.json", views.plan_json, name="json"),
    path("<slug:slug>/<int:year>/tiltak.csv", views.measures_csv, name="measures-csv"),
    path("<slug:slug>/<int:year>/budsjett.csv", views.budget_csv, name="budget-csv"),
    path("<slug:slug>/<int:year>/handlingsplan.pdf", views.plan_pdf, name="pdf"),
    path("<slug:slug>/<int:year>/handlingsplan.xlsx", views.plan_xlsx, name="xlsx"),
]
