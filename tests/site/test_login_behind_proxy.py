"""Behind the documented proxy, the login lockout counts failures per client address, which a client cannot forge."""

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from mgreview.proxy import client_ip
from tests.factories import PASSWORD

PROXY = "10.0.0.2"
# Addresses from the documentation ranges (RFC 5737): nothing is sent anywhere.
CLIENT, OTHER_CLIENT, FORGED = "192.0.2.10", "198.51.100.20", "203.0.113.30"


def request_from(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@override_settings(MGREVIEW_PROXY_COUNT=1)
@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        (CLIENT, CLIENT),  # the proxy wrote the header itself
        (f"{FORGED}, {CLIENT}", CLIENT),  # the client sent a forged header; the proxy appended the real address
        (f"{FORGED}, {OTHER_CLIENT}, {CLIENT}", CLIENT),
        ("", PROXY),  # not forwarded by the proxy: its own address
        ("not-an-address", PROXY),
    ],
)
def test_behind_one_proxy_the_address_the_proxy_appended_counts(forwarded, expected):
    assert client_ip(request_from(PROXY, forwarded)) == expected


@override_settings(MGREVIEW_PROXY_COUNT=0)
def test_without_a_proxy_the_header_is_ignored():
    assert client_ip(request_from(CLIENT, FORGED)) == CLIENT


def log_in(client, remote, forwarded, password):
    return client.post(
        reverse("login"),
        {"username": "alice", "password": password},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
@override_settings(MGREVIEW_PROXY_COUNT=1, AXES_FAILURE_LIMIT=3)
def test_failures_from_one_client_do_not_lock_out_another_behind_the_proxy(client, alice):
    for _ in range(3):
        log_in(client, PROXY, CLIENT, "wrong")
    assert log_in(client, PROXY, CLIENT, PASSWORD).status_code == 429
    assert log_in(client, PROXY, OTHER_CLIENT, PASSWORD).status_code == 302


@pytest.mark.django_db
@override_settings(MGREVIEW_PROXY_COUNT=1, AXES_FAILURE_LIMIT=3)
def test_a_locked_out_client_cannot_escape_by_forging_the_header(client, alice):
    for _ in range(3):
        log_in(client, PROXY, CLIENT, "wrong")
    assert log_in(client, PROXY, f"{OTHER_CLIENT}, {CLIENT}", PASSWORD).status_code == 429
