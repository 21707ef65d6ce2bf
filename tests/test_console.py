"""The console's service-codes page: instances with every reason they cannot get codes, applying, the codes."""
from __future__ import annotations

import pytest

from icp import codes
from icp.seed import DEMO_CODES, DEMO_INSTANCES
from icp.store import Put
from tests.conftest import csrf_token, field_error, page

URL = "/console/service-codes"
OWNER = "applicant@example.com"
BEIJING, SHANGHAI, STOPPED = "i-bp1demo0001", "i-uf6demo0002", "i-bp1demo0007"

# what the page says about each demo instance that cannot get codes
REASONS = {
    "i-bp1demo0003": "The instance is billed pay-as-you-go. Only subscription instances can get a code",
    "i-j6cdemo0004": "The instance is in cn-hongkong, outside mainland China. Use an instance in a mainland region",
    "i-bp1demo0005": "The instance has no public IP address. Assign one, then apply for a code",
    "i-bp1demo0006": "The instance's subscription is shorter than 3 months. Renew it to at least 3 months, "
                     "then apply for a code",
    "i-bp1demo0007": "The instance is not running. Start it, then apply for a code",
}


def row(soup, instance_id: str):
    """The instances table's row of one instance."""
    return soup.find("tr", id=f"instance-{instance_id}")


def table_of(soup, caption: str):
    """The table whose caption reads `caption`."""
    return next(t for t in soup.find_all("table") if t.caption.get_text(strip=True) == caption)


def apply(client, instance_id: str, count: str):
    """Post the apply form of the page for one instance."""
    return client.post(URL, data={"csrf_token": csrf_token(client, URL), "instance_id": instance_id, "count": count})


def issued(app, instance_id: str) -> int:
    """How many codes the table records as issued on an instance."""
    return app.extensions["icp_table"].get(*codes.instance_key(instance_id))["codes_issued"]


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/log-in?next=")


@pytest.mark.parametrize("email", ["reviewer@example.com", "administration@example.com"])
def test_staff_get_not_found(client, auth, email):
    auth.login(email)
    assert client.get(URL).status_code == 404
    assert client.post(URL, data={"csrf_token": csrf_token(client, "/"), "instance_id": BEIJING,
                                  "count": "1"}).status_code == 404
    assert issued(client.application, BEIJING) == 2


def test_the_page_lists_every_instance_with_every_reason(client, auth):
    auth.login()
    soup = page(client.get(URL))
    assert soup.h1.get_text(strip=True) == "ICP filing service codes"
    assert "step 2 of the filing" in soup.find("p", class_="lead").get_text()
    instances = table_of(soup, "Your instances")
    assert [th["scope"] for th in instances.thead.find_all("th")] == ["col"] * 7
    for spec in DEMO_INSTANCES:
        cells = row(soup, spec["instance_id"])
        assert cells.th["scope"] == "row"
        assert spec["name"] in cells.th.get_text() and spec["instance_id"] in cells.th.get_text()
        assert spec["region"] in cells.get_text()
        reasons = [li.get_text(strip=True) for li in cells.find_all("li")]
        if spec["instance_id"] in REASONS:
            assert reasons == [REASONS[spec["instance_id"]]]
            assert cells.find("form") is None
        else:
            assert reasons == []
            form = cells.find("form")
            assert form["method"] == "post" and form.find("input", attrs={"name": "instance_id"})["value"] == \
                spec["instance_id"]
    assert "2 of 5" in row(soup, BEIJING).get_text()
    assert "From 1 to 3" in row(soup, BEIJING).get_text()
    assert "From 1 to 5" in row(soup, SHANGHAI).get_text()
    assert "Subscription, 1 month" in row(soup, "i-bp1demo0006").get_text()
    assert "Pay-as-you-go" in row(soup, "i-bp1demo0003").get_text()


def test_every_reason_is_listed_at_once(app, client, auth):
    table = app.extensions["icp_table"]
    server = table.get(*codes.instance_key(STOPPED))
    table.write([Put({**server, "region": "cn-hongkong", "public_ip": "", "version": server["version"] + 1})])
    auth.login()
    reasons = [li.get_text(strip=True) for li in row(page(client.get(URL)), STOPPED).find_all("li")]
    assert reasons == [
        "The instance is not running. Start it, then apply for a code",
        "The instance is in cn-hongkong, outside mainland China. Use an instance in a mainland region",
        "The instance has no public IP address. Assign one, then apply for a code",
    ]


def test_the_codes_table_lists_each_code_with_its_instance(client, auth):
    auth.login()
    codes_table = table_of(page(client.get(URL)), "Your service codes")
    rows = codes_table.tbody.find_all("tr")
    assert sorted(r.th.get_text(strip=True) for r in rows) == sorted(code for _, code in DEMO_CODES)
    for r in rows:
        assert r.th["scope"] == "row"
        assert "web-beijing" in r.get_text() and "Available" in r.get_text()


def test_applying_issues_codes_and_lists_them(app, client, auth):
    auth.login()
    response = apply(client, SHANGHAI, "2")
    assert response.status_code == 302 and response.headers["Location"] == URL
    soup = page(client.get(URL))
    new = [c["code"] for c in codes.list_codes(app.extensions["icp_table"], OWNER) if c["instance_id"] == SHANGHAI]
    assert len(new) == 2 and issued(app, SHANGHAI) == 2
    notice = soup.find(class_="notice--success").get_text(" ", strip=True)
    assert "2 new service codes for web-shanghai" in notice
    assert all(code in notice for code in new)
    listed = {r.th.get_text(strip=True): r.get_text() for r in table_of(soup, "Your service codes").tbody("tr")}
    assert all(code in listed and "web-shanghai" in listed[code] for code in new)
    assert "2 of 5" in row(soup, SHANGHAI).get_text()
    assert "From 1 to 3" in row(soup, SHANGHAI).get_text()


def test_using_up_the_quota_turns_the_form_into_the_reason(client, auth):
    auth.login()
    apply(client, BEIJING, "3")
    cells = row(page(client.get(URL)), BEIJING)
    assert cells.find("form") is None
    assert [li.get_text(strip=True) for li in cells("li")] == [
        "This instance has used all 5 of its codes. Renewing the instance does not add codes"]


@pytest.mark.parametrize(("instance_id", "count", "message"), [
    (SHANGHAI, "0", "Enter how many codes you need, from 1 to 5"),
    (SHANGHAI, "6", "Enter how many codes you need, from 1 to 5"),
    (SHANGHAI, "-1", "Enter how many codes you need, from 1 to 5"),
    (SHANGHAI, "two", "Enter how many codes you need, from 1 to 5"),
    (SHANGHAI, "", "Enter how many codes you need, from 1 to 5"),
    (BEIJING, "4", "Enter how many codes you need, from 1 to 3"),
])
def test_a_bad_count_is_shown_next_to_the_field_and_in_the_summary(app, client, auth, instance_id, count, message):
    auth.login()
    before = issued(app, instance_id)
    soup = page(apply(client, instance_id, count))
    assert soup.title.string.startswith("Error:")
    assert field_error(soup, f"count-{instance_id}") == message
    assert soup.find(id=f"count-{instance_id}")["aria-invalid"] == "true"
    assert soup.find(id=f"count-{instance_id}")["value"] == count, "the answer given is kept"
    assert issued(app, instance_id) == before


def test_another_applicant_cannot_apply_on_the_demo_instance(app, client, auth):
    auth.register(email="other@example.com")
    soup = page(apply(client, BEIJING, "1"))
    summary = soup.find(class_="error-summary")
    assert summary.find("li").get_text(strip=True) == f"There is no instance {BEIJING} in your account."
    assert soup.title.string.startswith("Error:")
    assert issued(app, BEIJING) == 2
    assert codes.list_codes(app.extensions["icp_table"], "other@example.com") == []
    assert row(soup, BEIJING) is None, "another account's instances are never listed"


def test_applying_on_an_ineligible_instance_of_ones_own_is_refused_with_its_reasons(app, client, auth):
    auth.login()
    soup = page(apply(client, STOPPED, "1"))
    summary = soup.find(class_="error-summary")
    assert [li.get_text(strip=True) for li in summary("li")] == [REASONS[STOPPED]]
    assert issued(app, STOPPED) == 0


def test_quota_used_up_by_another_tab_meanwhile_is_explained(app, client, auth, monkeypatch):
    real = codes.apply_for_codes

    def after_another_tab(table, **kwargs):
        real(table, owner=OWNER, instance_id=BEIJING, count=3, now=kwargs["now"])
        return real(table, **kwargs)

    monkeypatch.setattr("views.console.service_codes.apply_for_codes", after_another_tab)
    auth.login()
    soup = page(apply(client, BEIJING, "1"))
    message = "This instance has used all 5 of its codes. Renewing the instance does not add codes"
    assert [li.get_text(strip=True) for li in soup.find(class_="error-summary")("li")] == [message]
    assert row(soup, BEIJING).find("form") is None
    assert issued(app, BEIJING) == 5


def test_a_forged_instance_id_is_escaped(client, auth):
    auth.login()
    response = apply(client, "<script>alert(1)</script>", "1")
    soup = page(response)
    assert soup.find("script", string="alert(1)") is None
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.get_data(as_text=True)


def test_posting_without_the_csrf_token_is_refused(app, client, auth):
    auth.login()
    assert client.post(URL, data={"instance_id": SHANGHAI, "count": "1"}).status_code == 400
    assert issued(app, SHANGHAI) == 0


def test_bound_and_consumed_codes_name_their_order(app, client, auth):
    table = app.extensions["icp_table"]
    (_, bound), (_, consumed) = DEMO_CODES
    for code, make in ((bound, lambda item: codes.bound_code(item, "ICP-TEST-0001")),
                       (consumed, lambda item: codes.consumed_code(codes.bound_code(item, "ICP-TEST-0002")))):
        item = table.get(*codes.code_key(code))
        table.write([Put(make(item), expect_version=item["version"])])
    auth.login()
    rows = {r.th.get_text(strip=True): r for r in table_of(page(client.get(URL)), "Your service codes").tbody("tr")}
    assert "Bound to order ICP-TEST-0001" in rows[bound].get_text(" ", strip=True)
    assert "Consumed" in rows[consumed].get_text() and "ICP-TEST-0002" in rows[consumed].get_text()
    link = rows[bound].find("a")
    if "filings.status" in app.view_functions:
        assert link["href"] == "/filings/ICP-TEST-0001"
    else:
        assert link is None


def test_a_new_applicant_sees_empty_tables(client, auth):
    auth.register(email="other@example.com")
    soup = page(client.get(URL))
    assert "There are no instances in your account yet" in table_of(soup, "Your instances").get_text()
    assert "You have no service codes yet" in table_of(soup, "Your service codes").get_text()


def test_the_header_links_to_the_page_for_applicants(client, auth):
    auth.login()
    nav = page(client.get("/")).find("nav", class_="header__nav")
    assert nav.find("a", href=URL).get_text(strip=True) == "Service codes"


def test_the_page_works_in_chinese(client, auth):
    auth.login()
    client.set_cookie("lang", "zh")
    soup = page(client.get(URL))
    assert soup.html["lang"] == "zh-CN"
    assert row(soup, BEIJING) is not None
