import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "name,args",
    [
        ("measures:agreement-edit", ["vest-telemark"]),
        ("measures:sub-goal-edit", ["vest-telemark", 1]),
        ("measures:measure-create", ["vest-telemark"]),
        ("measures:measure-edit", ["vest-telemark", "gott-nokk"]),
        ("measures:measure-title", ["vest-telemark", "gott-nokk"]),
        ("measures:measure-organisations", ["vest-telemark", "gott-nokk"]),
        ("measures:section-create", ["vest-telemark", "gott-nokk"]),
        ("measures:measure-history", ["vest-telemark", "gott-nokk"]),
        ("measures:measure-detail", ["vest-telemark", "gott-nokk"]),
        ("measures:agreement-detail", ["vest-telemark"]),
    ],
)
def test_smoke(owner_client, name, args):
    r = owner_client.get(reverse(name, args=args))
    assert r.status_code == 200, r.text[:3000]


def test_section_edit(owner_client, seed):
    s = seed.measures.get(key="gott-nokk").sections.first()
    r = owner_client.get(
        reverse("measures:section-edit", args=["vest-telemark", "gott-nokk", s.pk])
    )
    assert r.status_code == 200
    r = owner_client.get(
        reverse("measures:section-edit", args=["vest-telemark", "gott-nokk", s.pk]),
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200 and "<html" not in r.text


def test_budget_pages(owner_client):
    assert owner_client.get("/budsjett/vest-telemark/endre/?ar=2025").status_code == 200
    r = owner_client.post(
        "/budsjett/vest-telemark/rekn-ut/?ar=2025", {}, headers={"HX-Request": "true"}
    )
    assert r.status_code == 200
    assert owner_client.get("/budsjett/vest-telemark/").status_code == 200
