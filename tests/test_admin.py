"""The operator's admin covers every model, in Nynorsk."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from budget import models as budget_models
from measures import models as measures_models
from reporting import models as reporting_models
from reporting.models import StoredReport

DOMAIN_MODELS = [
    model
    for module in (measures_models, budget_models, reporting_models)
    for model in vars(module).values()
    if isinstance(model, type)
    and issubclass(model, measures_models.models.Model)
    and model._meta.app_label == module.__name__.split(".")[0]  # also re-exported models
    and not model._meta.abstract
    and not model._meta.model_name.startswith("historical")
]


def test_every_domain_model_is_registered():
    assert len(DOMAIN_MODELS) == 18
    assert [m.__name__ for m in DOMAIN_MODELS if not admin.site.is_registered(m)] == []


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda m: m.__name__)
def test_every_admin_list_and_add_page_opens(client, seed, model):
    client.force_login(get_user_model().objects.create_superuser("drift", password="x-drift-12345"))
    info = f"{model._meta.app_label}_{model._meta.model_name}"
    listing = client.get(reverse(f"admin:{info}_changelist"))
    assert listing.status_code == 200
    # Stored reports are made by the app, never typed in.
    expected_add = 403 if model is StoredReport else 200
    assert client.get(reverse(f"admin:{info}_add")).status_code == expected_add
    obj = model.objects.first()
    if obj is not None:
        assert client.get(reverse(f"admin:{info}_change", args=[obj.pk])).status_code == 200


def test_the_admin_is_refused_to_ordinary_users(client, owner):
    client.force_login(owner)
    response = client.get(reverse("admin:measures_measure_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
