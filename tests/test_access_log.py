import logging
from types import SimpleNamespace

from gunicorn.config import Config

from picketline.lib.access_log import PrivateAccessLogger, PrivateLogFilter, mask_path


def test_it_masks_tokens_in_paths():
    assert mask_path("/en/me/confirm/AbCdEfGhIjKlMnOpQrStUvWxYz:1a2b3c/") == "/en/me/confirm/…/"
    assert mask_path("/en/actions/demand-release/") == "/en/actions/demand-release/"


def test_an_access_log_line_has_no_token_query_or_address(caplog):
    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", '"%(r)s" %(s)s %(h)s %(q)s')
    logger = PrivateAccessLogger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/en/me/privacy/open/AbCdEfGhIjKlMnOpQrStUvWxYz0123/",
        "QUERY_STRING": "email=ana@example.org",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "RAW_URI": "/en/me/privacy/open/AbCdEfGhIjKlMnOpQrStUvWxYz0123/?email=ana@example.org",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_X_FORWARDED_FOR": "198.51.100.7",
    }
    request = SimpleNamespace(
        headers=[],
        method="GET",
        uri="/x",
        path=environ["PATH_INFO"],
        query="email=ana@example.org",
        version=(1, 1),
    )
    response = SimpleNamespace(status="200 OK", headers=[], sent=10, response_length=10)
    lines = []
    logger.access_log.handlers = [logging.Handler()]
    logger.access_log.handlers[0].emit = lambda record: lines.append(record.getMessage())
    logger.access(response, request, environ, __import__("datetime").timedelta(seconds=0.01))
    assert lines, "nothing was logged"
    line = lines[0]
    assert "/en/me/privacy/open/…/" in line
    for secret in ("AbCdEfGhIjKl", "ana@example.org", "203.0.113.9", "198.51.100.7"):
        assert secret not in line


def test_picketline_serve_uses_the_private_logger():
    from picketline.cli import serve_command

    command = serve_command("127.0.0.1:9", workers=1)
    assert command[command.index("--logger-class") + 1] == (
        "picketline.lib.access_log.PrivateAccessLogger"
    )


def test_headers_and_environment_never_reach_a_line_even_when_the_format_asks():
    config = Config()
    config.set("accesslog", "-")
    config.set(
        "access_log_format",
        '%(h)s %({x-forwarded-for}i)s %({cookie}i)s %({remote_addr}e)s %(a)s %(f)s "%(r)s" '
        "%(s)s %(b)s %(L)s %(m)s %(U)s %(H)s %(M)s",
    )
    logger = PrivateAccessLogger(config)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": '/en/letters/x"y/',
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_USER_AGENT": "Secret Browser",
        "HTTP_REFERER": "https://example.net/from",
    }
    request = SimpleNamespace(headers=[("X-Forwarded-For", "198.51.100.7"), ("Cookie", "s=1")])
    response = SimpleNamespace(status="302 Found", headers=[("Set-Cookie", "x=1")], sent=0)
    lines = []
    logger.access_log.handlers = [logging.Handler()]
    logger.access_log.handlers[0].emit = lambda record: lines.append(record.getMessage())
    took = __import__("datetime").timedelta(seconds=1, microseconds=2500)
    logger.access(response, request, environ, took)
    assert lines == [
        '- - - - - - "POST /en/letters/x\\"y/ HTTP/1.1" 302 0 1.002500 POST '
        '/en/letters/x\\"y/ HTTP/1.1 1002'
    ]


def test_picketline_serve_freezes_long_lived_objects_once_loaded_and_once_warm():
    import gc
    from types import SimpleNamespace

    from picketline.cli import serve_command
    from picketline.lib import gunicorn_hooks

    command = serve_command("127.0.0.1:9", workers=1)
    assert command[command.index("--config") + 1] == "python:picketline.lib.gunicorn_hooks"
    try:
        gc.unfreeze()
        gunicorn_hooks.post_worker_init(SimpleNamespace(nr=0))
        loaded = gc.get_freeze_count()
        assert loaded > 0
        gunicorn_hooks.post_request(SimpleNamespace(nr=1), None, {}, None)
        # Not on every request: nothing more is frozen (a frozen object may still die meanwhile).
        assert gc.get_freeze_count() <= loaded
        kept = [[] for _ in range(100)]  # containers: objects the collector tracks
        gunicorn_hooks.post_request(SimpleNamespace(nr=gunicorn_hooks.WARM_AFTER), None, {}, None)
        assert gc.get_freeze_count() >= loaded + len(kept)
    finally:
        gc.unfreeze()


def test_gunicorn_error_lines_hold_no_client_address_or_token(tmp_path):
    config = Config()
    config.set("errorlog", str(tmp_path / "error.log"))
    logger = PrivateAccessLogger(config)
    token = "AbCdEfGhIjKlMnOpQrStUvWxYz0123"
    logger.warning(
        f"Invalid request from ip=203.0.113.9: Invalid HTTP method: 'GET /en/me/confirm/{token}/'"
    )
    logger.error("Invalid request from ip=%s: %s", "2001:db8::7", "bad\r\nforged line")
    logger.info("Booting worker at 12:30:45")
    text = (tmp_path / "error.log").read_text()
    for secret in ("203.0.113.9", "2001:db8::7", token):
        assert secret not in text
    assert "ip=[address]" in text
    assert "bad\\x0d\\x0aforged line" in text
    assert "12:30:45" in text
    assert len(text.splitlines()) == 3


def test_a_control_character_in_a_path_cannot_forge_an_access_line():
    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", '"%(r)s" %(s)s %(U)s')
    logger = PrivateAccessLogger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": '/en/x\n127.0.0.1 - - "GET /admin/ HTTP/1.1" 200\x00',
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    response = SimpleNamespace(status="404 Not Found", headers=[], sent=0)
    lines = []
    logger.access_log.handlers = [logging.Handler()]
    logger.access_log.handlers[0].emit = lambda record: lines.append(record.getMessage())
    logger.access(response, None, environ, __import__("datetime").timedelta(seconds=0.01))
    (line,) = lines
    assert "\n" not in line and "\x00" not in line
    assert "/en/x\\x0a127.0.0.1" in line


def test_django_error_lines_hold_no_token_address_or_line_break():
    from django.conf import settings

    handler_config = settings.LOGGING["handlers"]
    assert all("private" in handler.get("filters", []) for handler in handler_config.values())
    assert settings.LOGGING["loggers"]["django"]["handlers"] == ["console"]

    lines = []
    handler = logging.Handler()
    handler.addFilter(PrivateLogFilter())
    handler.emit = lambda record: lines.append(record.getMessage())
    request_logger = logging.getLogger("tests.django.request")
    request_logger.addHandler(handler)
    request_logger.propagate = False
    try:
        request_logger.error(
            "Internal Server Error: %s", "/en/me/privacy/open/AbCdEfGhIjKlMnOpQrStUvWxYz0123/"
        )
        request_logger.error("Forbidden (CSRF): %s from %s", "/en/x\n/forged", "198.51.100.7")
    finally:
        request_logger.removeHandler(handler)
    assert lines == [
        "Internal Server Error: /en/me/privacy/open/…/",
        "Forbidden (CSRF): /en/x\\x0a/forged from [address]",
    ]
