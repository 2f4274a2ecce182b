"""The ``picketline`` command: demo, serve, worker, and every Django management command.

picketline demo [--port 8000] [--original-dates]   set up and run the demo
picketline serve [--bind 127.0.0.1:8000] [--workers N] [--threads N]
                                                     production web server (gunicorn)
picketline worker                                    background work
picketline generate_keys [--key-id k2]               print new keys (needs no settings)
picketline <command> ...                             any manage.py command
picketline help <command>                            that command's options
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

from picketline.lib.owner_only import OWNER_ONLY_UMASK, restrict_to_owner


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "picketline.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def _compile_messages() -> None:
    """Compile the gettext catalogues shipped as .po files (a no-op when they are current)."""
    from django.core.management import call_command

    package = Path(__file__).resolve().parent
    stale = [
        po
        for po in package.rglob("locale/*/LC_MESSAGES/*.po")
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        cwd = os.getcwd()
        try:
            os.chdir(package)
            call_command("compilemessages", verbosity=0)
        finally:
            os.chdir(cwd)


def default_threads() -> int:
    return int(os.environ.get("WEB_THREADS", "1"))


def serve_command(bind: str, workers: int, threads: int = 1) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "picketline.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--access-logfile",
        "-",
        # Neither the client address nor a token in a link ever reaches a log line.
        "--logger-class",
        "picketline.lib.access_log.PrivateAccessLogger",
        "--access-logformat",
        '"%(r)s" %(s)s %(b)s %(L)ss',
        "--forwarded-allow-ips",
        os.environ.get("TRUSTED_PROXIES", "") or "127.0.0.1",
        "--timeout",
        "60",
        # gunicorn's control socket has one fixed path: two servers on a machine would collide.
        "--no-control-socket",
        # The application is loaded once, before the web processes are forked: a process that
        # dies (a crash, the OOM killer) is replaced in milliseconds, not after seconds of
        # imports while its share of the requests waits. Code changes need a restart.
        "--preload",
        # Long-lived objects out of the garbage collector's way (picketline.lib.gunicorn_hooks).
        "--config",
        "python:picketline.lib.gunicorn_hooks",
    ]


def cmd_demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="picketline demo")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--original-dates",
        action="store_true",
        help="keep the 2024 dates instead of moving the campaign to now",
    )
    parser.add_argument("--no-serve", action="store_true", help="set up, then exit")
    args = parser.parse_args(argv)

    os.environ["PICKETLINE_DEMO"] = "1"
    os.environ.setdefault("SITE_URL", f"http://127.0.0.1:{args.port}")
    # The database, the keys and what supporters send in are the owner's alone: everything this
    # process and its children (web server, worker) create is born owner-only, and what an older
    # run left open is closed below.
    os.umask(OWNER_ONLY_UMASK)
    _setup_django()
    from django.conf import settings

    print(f"Data folder: {settings.DATA_DIR}")
    data_roots = (
        settings.DATA_DIR,
        Path(settings.MEDIA_ROOT),
        Path(settings.SUBMISSIONS_PRIVATE_ROOT),
    )
    restrict_to_owner(*data_roots)
    _compile_messages()
    _manage("migrate", "--no-input", "--verbosity", "0")
    _manage("collectstatic", "--no-input", "--verbosity", "0")
    load = ["load_demo"] + (["--original-dates"] if args.original_dates else [])
    _manage(*load)
    from picketline.demo.account import ensure_demo_organiser, ensure_demo_partner_staff

    username, password = ensure_demo_organiser(settings.DATA_DIR)
    staff_username, staff_password, partner = ensure_demo_partner_staff(settings.DATA_DIR)
    restrict_to_owner(*data_roots)
    url = f"http://127.0.0.1:{args.port}/"
    print(
        f"\nPicketline demo\n  site:      {url}\n  organiser: {url}admin/\n"
        f"  username:  {username}\n  password:  {password}\n"
        f"  partner staff of {partner}: {url}admin/\n"
        f"  username:  {staff_username}\n  password:  {staff_password}\n"
        "  mail: nothing leaves this machine; read it in the admin under 'Local mailbox'.\n"
    )
    if args.no_serve:
        return 0
    env = dict(os.environ)
    started: list[subprocess.Popen] = []
    # Stopped by SIGTERM (kill, a service manager, docker stop) as by Ctrl-C: through the
    # ``finally`` below, so that the web server and the worker stop with it.
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        started.append(
            subprocess.Popen([sys.executable, "-m", "picketline.cli", "worker"], env=env)
        )
        web = subprocess.Popen(
            serve_command(f"127.0.0.1:{args.port}", workers=2, threads=4), env=env
        )
        started.append(web)
        return web.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        # A second SIGTERM (a service manager signals every process of the group) must not
        # cut this short.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for proc in started:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in started:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _cores() -> int:
    # The cores this process may run on (taskset, cgroups' cpusets), not the machine's: a
    # sync worker per core keeps every core busy without processes taking turns on one.
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def cmd_serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="picketline serve")
    parser.add_argument("--bind", default=os.environ.get("PICKETLINE_BIND", "127.0.0.1:8000"))
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_WORKERS", "0")) or _cores(),
        help="web processes (default: WEB_WORKERS, else one per core this process may use)",
    )
    parser.add_argument("--threads", type=int, default=default_threads())
    args = parser.parse_args(argv)
    _setup_django()  # refuse to start on bad settings before forking anything
    _compile_messages()
    # Static files are served by the app itself (WhiteNoise) from STATIC_ROOT: keep it current.
    _manage("collectstatic", "--no-input", "--verbosity", "0")
    # What web processes killed mid-upload left on this machine (also one without a worker).
    # The site comes up all the same if that fails: the next start or timer tries again.
    try:
        _manage("sweep_scratch", "--verbosity", "0")
    except Exception:
        logging.getLogger(__name__).exception("the upload folder was not swept")
    os.execv(sys.executable, serve_command(args.bind, args.workers, args.threads))
    return 0  # not reached


def cmd_generate_keys(argv: list[str]) -> int:
    """Print new keys without loading Django's settings: outside demo mode they require the
    very keys this makes, so on a fresh machine nothing else could run yet."""
    from picketline.lib.crypto import new_environment_lines

    parser = argparse.ArgumentParser(prog="picketline generate_keys")
    parser.add_argument("--key-id", default="", help="Id of the new key (default: k<random>).")
    args = parser.parse_args(argv)
    if args.key_id and not args.key_id.isalnum():
        parser.error("a key id is letters and digits only")
    print("\n".join(new_environment_lines(args.key_id)))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["help"] and len(argv) > 1 and not argv[1].startswith("-"):
        argv = [argv[1], "--help"]  # as manage.py: "help <command>" is that command's help
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "demo":
        return cmd_demo(rest)
    if command == "serve":
        return cmd_serve(rest)
    if command == "generate_keys":
        return cmd_generate_keys(rest)
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["picketline", command, *rest])
    return 0


if __name__ == "__main__":
    sys.exit(main())
