"""
The cast, as in healthchecks' tests: alice and bob are reviewers, carol is a
lead reviewer, charlie is a logged-in outsider with no role.
"""

import pytest

from tests import factories


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The default PBKDF2 hasher takes about a second per user on a busy machine;
    # tests create users constantly and do not test hashing strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(db):
    return factories.make_reviewer("alice")


@pytest.fixture
def bob(db):
    return factories.make_reviewer("bob")


@pytest.fixture
def carol(db):
    return factories.make_lead("carol")


@pytest.fixture
def charlie(db):
    return factories.make_user("charlie")


@pytest.fixture
def superuser(db):
    from django.contrib.auth.models import User

    return User.objects.create_superuser("root", "root@example.invalid", factories.PASSWORD)


@pytest.fixture
def claim(db):
    return factories.make_claim()
