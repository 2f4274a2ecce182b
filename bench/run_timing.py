"""Does the time of a form tell whether an address is known? Median ms, known vs unknown.

    bench/run-timing [--requests 200]

On a fresh PostgreSQL database (``pl_bench_timing``), in-process through the product's WSGI
application (every middleware, as in ``bench/letters/profile_submit.py``), it posts the letter
form, the resend form and the privacy-link form, alternating an address the site holds (each
used once, so no rate limit is reached) with one it has never seen, and prints the median wall
time of each side by side with their ratio.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.letters.profile_submit import call  # noqa: E402
from bench.run_letters import make_env, recreate_database  # noqa: E402


def form_session(application, path: str) -> tuple[dict, dict]:
    """The CSRF field and the headers a browser would send with a POST of the form at path."""
    _status, _headers, raw_headers, html = call(application, "GET", path)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1).decode()
    cookie = next(
        v.strip().split(";")[0].split("=", 1)[1]
        for k, v in raw_headers
        if k == "Set-Cookie" and v.strip().startswith("csrftoken=")
    )
    headers = {"HTTP_COOKIE": f"csrftoken={cookie}", "HTTP_REFERER": f"http://127.0.0.1{path}"}
    return {"csrfmiddlewaretoken": token}, headers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="of each kind, per form")
    parser.add_argument("--database", default="pl_bench_timing")
    args = parser.parse_args()

    env = make_env(args.database, 8000, 2525, Path(tempfile.mkdtemp(prefix="picketline-timing-")))
    env["SITE_URL"] = "http://127.0.0.1"
    os.environ.update(env)
    recreate_database(args.database)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    from bench.letters import scenario
    from picketline.supporters.models import Supporter
    from picketline.wsgi import application

    action = scenario.create_action()
    run = int(time.time())
    n = args.requests + 20  # the first 20 of each kind warm up and are not counted
    for form in ("letter", "resend", "privacy"):
        for i in range(n):
            Supporter.get_or_create_for_email(f"known-{form}-{run}-{i}@example.org", name="Known")

    letter_fields = {
        "country": "DE",
        "language": "en",
        "organisation": "Bench union",
        "role": "member",
        "consent_send_in_my_name": "on",
        "website": "",
        "step": "send",
        "name": "Someone",
    }
    forms = {
        "letter form": (f"/en/letters/{action.slug}/", "letter", letter_fields, "302"),
        "resend": ("/en/me/resend/", "resend", {}, "200"),
        "privacy link": ("/en/me/privacy/", "privacy", {}, "200"),
    }
    print(f"{'form':<14}{'known ms':>10}{'unknown ms':>12}{'known/unknown':>15}")
    for title, (path, form, fields, expected) in forms.items():
        csrf, headers = form_session(application, path)
        times: dict[str, list[float]] = {"known": [], "unknown": []}
        for i in range(n):
            for side in ("known", "unknown"):
                email = f"{side}-{form}-{run}-{i}@example.org"
                body = urllib.parse.urlencode({**csrf, **fields, "email": email}).encode()
                start = time.perf_counter()
                status, *_rest = call(application, "POST", path, body, headers)
                elapsed = (time.perf_counter() - start) * 1000
                if not status.startswith(expected):
                    raise SystemExit(f"{title}: {status} for {side} address {i}")
                if i >= 20:
                    times[side].append(elapsed)
        known, unknown = statistics.median(times["known"]), statistics.median(times["unknown"])
        print(f"{title:<14}{known:>10.2f}{unknown:>12.2f}{known / unknown:>15.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
