"""Staff pages send anyone else to the site's own login page, not the Django admin's
(issue 10, item 12: "Run a game (facilitators)" landed on the admin login)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/facilitate/", "/import/", "/scenarios/"])
def test_a_staff_page_asks_an_anonymous_visitor_to_log_in_on_the_branded_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"
    page = client.get(response["Location"]).content.decode()
    assert 'class="brand"' in page and "Django administration" not in page
