"""The imprint and the privacy policy, linked from every page's footer and every form."""

from django.urls import path

from picketline.campaigns import views
from picketline.campaigns.models import LegalPage

app_name = "legal"

urlpatterns = [
    path("imprint/", views.legal_page, {"kind": LegalPage.Kind.IMPRINT}, name="imprint"),
    path(
        "privacy-policy/",
        views.legal_page,
        {"kind": LegalPage.Kind.PRIVACY},
        name="privacy_policy",
    ),
]
