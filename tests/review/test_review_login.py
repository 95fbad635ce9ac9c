"""Logging in and out, and django-axes locking out repeated failures."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


def log_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_reviewer_lands_on_the_queue_after_login(client, alice):
    response = log_in(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("review:queue")
    assert client.get(response.url).status_code == 200


def test_login_returns_to_the_page_asked_for(client, alice, claim):
    target = reverse("review:claim", args=[claim.pk])
    response = client.post(f"{LOGIN}?next={target}", {"username": "alice", "password": PASSWORD, "next": target})
    assert response.url == target


def test_wrong_password_is_explained(client, alice):
    response = log_in(client, "alice", "wrong")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_logout_is_a_post(client, alice):
    client.force_login(alice)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("review:queue")).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_with_a_clear_message(client, alice):
    for _ in range(2):
        assert log_in(client, "alice", "wrong").status_code == 200
    locked = log_in(client, "alice", "wrong")  # the third failure reaches the limit
    assert locked.status_code == 429
    content = locked.content.decode()
    assert "Too many failed logins" in content
    assert "After 3 failed login attempts for “alice”" in content
    assert "locked for 60 minutes" in content
    # While locked, even the right password is refused and no session is started.
    again = log_in(client, "alice", PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=3)
def test_failures_below_the_limit_do_not_lock(client, alice):
    for _ in range(2):
        log_in(client, "alice", "wrong")
    assert log_in(client, "alice", PASSWORD).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_lock_is_per_username(client, alice, bob):
    for _ in range(3):
        log_in(client, "alice", "wrong")
    assert log_in(client, "bob", PASSWORD).status_code == 302


def test_axes_works_with_this_django(capsys):
    """System checks pass (axes registers its own) and axes has no migration Django would still need to make."""
    from django.core.management import call_command

    call_command("check", fail_level="WARNING")
    call_command("makemigrations", "axes", "--check", "--dry-run", verbosity=1)
    assert "No changes detected" in capsys.readouterr().out
