"""Fixtures shared by the page tests."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client


@pytest.fixture
def staff() -> Client:
    """A browser signed in as a staff account (the lab, the console, every game)."""
    user = get_user_model().objects.create_user("analyst", password="pw", is_staff=True)
    client = Client()
    client.force_login(user)
    return client
