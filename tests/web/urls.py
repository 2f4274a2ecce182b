from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from picketline.urls import handler500  # noqa: F401 - the site's own, under test
from tests.web import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("plain/", views.home),
]
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("layout/", views.with_base_template),
    path("form/", views.with_form),
    path("form-lazy/", views.with_form_lazy),
    path("token/", views.with_token_reused),
    path("search/", views.search),
    path("fresh/", views.not_opted_in),
    path("missing/", views.missing),
    path("away/<str:kind>/", views.away),
    path("busy/", views.busy),
    # The layout's footer links the legal pages, as on the site.
    path("legal/", include("picketline.campaigns.legal_urls")),
    prefix_default_language=True,
)
