from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = i18n_patterns(
    # The busiest form first: patterns are tried in order, and these prefixes never overlap.
    path("letters/", include("picketline.letters.urls")),
    path("", include("picketline.campaigns.urls")),
    path("me/", include("picketline.supporters.urls")),
    path("events/", include("picketline.events.urls")),
    path("submit/", include("picketline.submissions.urls")),
    path("register/", include("picketline.registers.urls")),
    path("legal/", include("picketline.campaigns.legal_urls")),
    path("u/", include("picketline.mailings.urls")),
    # An action inside a partner's iframe (picketline.supporters.embed).
    path("embed/", include("picketline.letters.embed_urls")),
    path("embed/", include("picketline.events.embed_urls")),
    path("embed/", include("picketline.submissions.embed_urls")),
    path("embed/", include("picketline.supporters.embed_urls")),
    prefix_default_language=True,
)
# After the pages of the site, which are tried first (they take nearly every request).
urlpatterns += [
    path("admin/", include("picketline.dashboard.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("picketline.api.urls")),
    path("media/submissions/", include("picketline.submissions.media_urls")),
    path("", include("picketline.jobs.urls")),
    path("", include("picketline.web.urls")),
]
# Django's own 400 view reads a posted form for its CSRF token: see web.views.bad_request.
handler400 = "picketline.web.views.bad_request"
# A database, Redis or disk away for a while: 503 with Retry-After instead of a 500.
handler500 = "picketline.web.views.server_error"
