"""The operator's admin covers every model, in Nynorsk."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from access.models import Identity, Invitation, RoleEvent
from measures import models as measures_models
from money.models import Accounts
from reporting.models import StoredReport

DOMAIN_MODELS = [
    model
    for label in ("access", "measures", "budget", "money", "reporting")
    for model in apps.get_app_config(label).get_models()
    if not model._meta.model_name.startswith("historical")
]

MONEY_MODELS = [model for model in DOMAIN_MODELS if model._meta.app_label == "money"]


def changelist_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def test_the_admin_index_offers_every_domain_model(client, db):
    client.force_login(get_user_model().objects.create_superuser("drift", password="x-drift-12345"))
    page = client.get(reverse("admin:index")).text
    assert [m.__name__ for m in DOMAIN_MODELS if f'href="{changelist_url(m)}"' not in page] == []
    assert {"Organisation", "Measure", "Amount", "Revision", "StoredReport"} <= {
        m.__name__ for m in DOMAIN_MODELS
    }


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda m: m.__name__)
def test_every_admin_list_and_add_page_opens(client, seed, model):
    client.force_login(get_user_model().objects.create_superuser("drift", password="x-drift-12345"))
    info = f"{model._meta.app_label}_{model._meta.model_name}"
    listing = client.get(reverse(f"admin:{info}_changelist"))
    assert listing.status_code == 200
    # Stored reports, invitations, the role log and login bindings are made by the app, never
    # typed in. So is the money: written only through its steps (money/workflow.py).
    made_by_the_app = {StoredReport, Invitation, RoleEvent, Identity, *MONEY_MODELS}
    expected_add = 403 if model in made_by_the_app else 200
    assert client.get(reverse(f"admin:{info}_add")).status_code == expected_add
    obj = model.objects.first()
    if obj is not None:
        assert client.get(reverse(f"admin:{info}_change", args=[obj.pk])).status_code == 200


def test_the_admin_is_refused_to_ordinary_users(client, owner):
    client.force_login(owner)
    response = client.get(reverse("admin:measures_measure_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_view_on_site_opens_the_objects_page(client, seed):
    """The admin's «Vis på nettstaden» link of every model that has a page leads to that page."""
    client.force_login(get_user_model().objects.create_superuser("drift", password="x-drift-12345"))
    Accounts.objects.create(agreement=seed, year=2025)
    checked = []
    for model, model_admin in admin.site._registry.items():
        if not hasattr(model, "get_absolute_url"):
            continue
        obj = model.objects.first()
        link = model_admin.get_view_on_site_url(obj)
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        change_page = client.get(reverse(f"admin:{info}_change", args=[obj.pk])).text
        assert f'href="{link}"' in change_page, model.__name__
        page = client.get(link, follow=True)
        assert page.status_code == 200, model.__name__
        landed = urlsplit(page.redirect_chain[-1][0])
        assert landed.path == urlsplit(obj.get_absolute_url()).path, model.__name__
        name = getattr(obj, "name", None) or getattr(obj, "title", None) or f"{obj.year}"
        assert name in page.text, model.__name__
        checked.append(model.__name__)
    assert {"Agreement", "SubGoal", "Measure", "Organisation", "Revision"} <= set(checked)


def test_an_organisation_no_agreement_names_has_no_page(client, db):
    client.force_login(get_user_model().objects.create_superuser("drift", password="x-drift-12345"))
    lonely = measures_models.Organisation.objects.create(key="einsam", name="Einsam", kind="ngo")
    link = admin.site._registry[measures_models.Organisation].get_view_on_site_url(lonely)
    assert client.get(link).status_code == 404


def test_an_operator_sees_a_login_binding_and_removes_it_and_staff_cannot(client, kari):
    identity = Identity.objects.create(user=kari, provider="ansattporten", subject="pid-17")
    staff = get_user_model().objects.create_user("stab", password="x-stab-12345", is_staff=True)
    client.force_login(staff)
    assert client.get(changelist_url(Identity)).status_code == 403
    delete = reverse("admin:access_identity_delete", args=[identity.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Identity.objects.filter(pk=identity.pk).exists()

    client.force_login(get_user_model().objects.create_superuser("drift", password="x-drift-1"))
    listing = client.get(changelist_url(Identity)).text
    assert "pid-17" in listing and "kari" in listing
    user_page = client.get(reverse("admin:auth_user_change", args=[kari.pk])).text
    assert "pid-17" in user_page
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Identity.objects.filter(pk=identity.pk).exists()
