"""Benchmark: does the organisers' dashboard open in under 300 ms with a million supporters?

    bench/run-dashboard [--scale 1.0] [--repeat 10] [--database pl_bench_dashboard] [--keep]
    bench/run-dashboard --reuse --database pl_bench_scale   # a database kept by run-scale --keep

On a fresh PostgreSQL database with the demo campaign and ``picketline generate_dataset
--scale <scale>`` (a million supporters and three million actions at scale 1, written with
COPY, so around the forms that keep the counts), ``picketline rebuild_counts`` fills the daily
counts once (timed). Then, in-process through Django's test client as a verified superuser
(every middleware, production settings), the dashboard is opened for each period and each
figure downloaded as CSV, and the moderation queue opened; each is timed (median of
``--repeat``, after one warm-up) against the target of 300 ms. The database is dropped at the
end unless ``--keep``; ``--reuse`` measures a kept one (migrated, its counts rebuilt) with the
keys kept beside it in ``bench/results/<database>.keys.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run_letters import make_env, recreate_database  # noqa: E402
from bench.run_scale import drop_database  # noqa: E402

TARGET_MS = 300.0


def set_up(args: argparse.Namespace) -> dict:
    env = make_env(args.database, 8000, 2525, Path(tempfile.mkdtemp(prefix="picketline-dash-")))
    env["SITE_URL"] = "http://127.0.0.1"
    keys = ROOT / "bench" / "results" / f"{args.database}.keys.json"
    if args.reuse:
        env |= json.loads(keys.read_text())
    else:
        keys.parent.mkdir(exist_ok=True)
        names = ("PICKETLINE_ENCRYPTION_KEYS", "PICKETLINE_INDEX_KEY", "SECRET_KEY")
        keys.unlink(missing_ok=True)
        keys.touch(mode=0o600)
        keys.write_text(json.dumps({name: env[name] for name in names}))
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    done: dict = {}
    if not args.reuse:
        recreate_database(args.database)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    if not args.reuse:
        call_command("load_demo", stdout=sys.stderr)
        start = time.perf_counter()
        call_command("generate_dataset", scale=args.scale, stdout=sys.stderr)
        done["generated_seconds"] = time.perf_counter() - start
    from picketline.dashboard.counting import rebuild

    start = time.perf_counter()
    done["count_rows"] = rebuild()
    done["rebuilt_seconds"] = time.perf_counter() - start
    return done


def verified_client():
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.create_user(
        username=f"dashboard-bench-{int(time.time())}", is_staff=True, is_superuser=True
    )
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def time_pages(repeat: int) -> list[tuple[str, float, int]]:
    """(page, median ms, queries) of every dashboard page and figure."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from picketline.dashboard.figures import FIGURES, MODERATION, PERIODS

    client = verified_client()
    pages = [(f"dashboard, {days} days", f"{reverse('dashboard:figures')}?days={days}")
             for days in PERIODS]  # fmt: skip
    pages += [(f"{name}.csv, 365 days", f"{reverse('dashboard:csv', args=[name])}?days=365")
              for name in [*FIGURES, MODERATION]]  # fmt: skip
    pages.append(("moderation queue", reverse("dashboard:moderation")))
    results = []
    for title, path in pages:
        times = []
        for _ in range(repeat + 1):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{title}: {response.status_code}")
        results.append((title, statistics.median(times[1:]), len(queries)))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="of the dataset (1: 1 M)")
    parser.add_argument("--repeat", type=int, default=10, help="timed requests per page")
    parser.add_argument("--database", default="pl_bench_dashboard")
    parser.add_argument("--keep", action="store_true", help="keep the loaded database")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database")
    args = parser.parse_args()

    done = set_up(args)
    results = time_pages(args.repeat)
    if not args.keep and not args.reuse:
        from django.db import connections

        connections.close_all()
        drop_database(args.database)

    print()
    if "generated_seconds" in done:
        print(f"Dataset at scale {args.scale}: written in {done['generated_seconds'] / 60:.1f} min")
    print(f"rebuild_counts: {done['count_rows']:,} rows in {done['rebuilt_seconds']:.1f} s")
    print(f"{'page':<34}{'ms':>8}{'queries':>9}  target ≤ {TARGET_MS:.0f} ms")
    worst = 0.0
    for title, ms, queries in results:
        worst = max(worst, ms)
        print(f"{title:<34}{ms:>8.1f}{queries:>9}  {'ok' if ms <= TARGET_MS else 'SLOW'}")
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
