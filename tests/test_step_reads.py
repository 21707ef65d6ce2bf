"""Binding a service code (step 2's POST) and confirming a document are each one read round trip, the session
check included, and one write, on both backends; a stale or forged hint costs one more read, never a wrong
answer, and reads nothing of another account into the page."""
from __future__ import annotations

import pytest

from icp import codes
from icp import filing as f
from icp.store import Put
from tests.conftest import AuthActions, csrf_token, form_fields
from tests.images import jpeg_bytes
from tests.journey import BEIJING_ENTERPRISE, bind_code, ready_for_documents, start, upload
from tests.round_trips import count_round_trips

CODE, OTHER_CODE = "DEMO7K2M9QX4LP8A", "DEMO3H6T8RW5NB2C"  # the demo applicant's codes, both on i-bp1demo0001
# another account's instance and code, which nothing of the demo applicant's may read into a page
SECRET_INSTANCE = dict(instance_id="i-other0001", name="secret-box", region="cn-beijing", public_ip="203.0.113.9",
                       billing="subscription", subscription_months=12)
SECRET_CODE = "OTHR2345678ABCDE"


def table(app):
    return app.extensions["icp_table"]


def stored(app, filing_id: str) -> dict:
    return table(app).get(*f.filing_key(filing_id))


def at_step_2(app):
    """The demo applicant logged in, with a new order at step 2; returns (client, order number, step 2's path)."""
    client = app.test_client()
    AuthActions(client).login()
    filing_id = start(client)
    return client, filing_id, f"/filings/{filing_id}/instance"


def other_account(app) -> None:
    """Another account with an eligible instance and a code on it."""
    table(app).write([Put(codes.instance_item(owner="other@example.com", **SECRET_INSTANCE)),
                      Put(codes.code_item(code=SECRET_CODE, owner="other@example.com",
                                          instance_id=SECRET_INSTANCE["instance_id"], created_at=app.config["ICP_CLOCK"]()))])


def shows_nothing_secret(html: str) -> bool:
    return not any(secret in html for secret in ("secret-box", "203.0.113.9", "i-other0001"))


# ---------------------------------------------------------------- step 1: verifying the filing type


@pytest.mark.parametrize("typed", [{}, {"certificate_number": " 91110108ma01abcd0b ", "domain": "Example-Shop.CN."}])
def test_verifying_the_filing_type_is_one_read_round_trip(any_app, typed):
    client = any_app.test_client()
    AuthActions(client).login()
    fields = form_fields(client, "/filings/new")
    counter = count_round_trips(any_app)
    response = client.post("/filings/new", data={**fields, **BEIJING_ENTERPRISE, **typed})
    assert response.status_code == 302
    # the session and the registry's subject, domain and registrar items in one get_many; the order in one write
    assert (counter.reads, counter.writes) == (1, 1)
    filing_id = response.location.split("/")[2]
    assert stored(any_app, filing_id)["verified"]["domain_ascii"] == "example-shop.cn"


# ---------------------------------------------------------------- step 2: binding a service code


def test_step_2_page_names_each_code_with_its_instance(app):
    client, _filing_id, path = at_step_2(app)
    assert set(form_fields(client, path)["prefetch"].split()) == {f"{CODE}:i-bp1demo0001",
                                                                   f"{OTHER_CODE}:i-bp1demo0001"}


@pytest.mark.parametrize("answer", [{"code_choice": CODE}, {"code_choice": "typed", "service_code": CODE.lower()}])
def test_binding_a_code_is_one_read_round_trip(any_app, answer):
    client, filing_id, path = at_step_2(any_app)
    fields = form_fields(client, path)
    counter = count_round_trips(any_app)
    response = client.post(path, data={**fields, "product_type": "alibaba_cloud", **answer})
    assert response.status_code == 302
    # the session, the order, the code and its instance in one get_many; the bind in one write
    assert (counter.reads, counter.writes) == (1, 1)
    assert set(counter.keys) == {f.filing_key(filing_id), codes.code_key(CODE), codes.instance_key("i-bp1demo0001"),
                                 next(key for key in counter.keys if key[0].startswith("SESSION#"))}
    bound = stored(any_app, filing_id)["service_code"]
    assert (bound["code"], bound["instance_id"], bound["public_ip"]) == (CODE, "i-bp1demo0001", "47.94.10.11")


def test_binding_another_code_reads_the_one_it_releases_in_the_same_round_trip(any_app):
    client, filing_id, path = at_step_2(any_app)
    bind_code(client, filing_id, CODE)
    fields = form_fields(client, path)
    assert f"*{CODE}" in fields["prefetch"].split()
    counter = count_round_trips(any_app)
    response = client.post(path, data={**fields, "product_type": "alibaba_cloud", "code_choice": OTHER_CODE})
    assert response.status_code == 302
    assert (counter.reads, counter.writes) == (1, 1)
    assert stored(any_app, filing_id)["service_code"]["code"] == OTHER_CODE
    assert counter.inner.get(*codes.code_key(CODE))["state"] == codes.AVAILABLE
    assert counter.inner.get(*codes.code_key(OTHER_CODE))["filing_id"] == filing_id


@pytest.mark.parametrize("hint", ["", f"{CODE}:i-uf6demo0002", f"{CODE}:../../x *NOSUCHCODE0000", "*" * 500])
def test_a_stale_or_broken_hint_costs_one_more_read_and_binds_the_codes_own_instance(any_app, hint):
    client, filing_id, path = at_step_2(any_app)
    fields = {**form_fields(client, path), "prefetch": hint}
    counter = count_round_trips(any_app)
    response = client.post(path, data={**fields, "product_type": "alibaba_cloud", "code_choice": CODE})
    assert response.status_code == 302
    assert (counter.reads, counter.writes) == (2, 1)
    bound = stored(any_app, filing_id)["service_code"]
    assert (bound["instance_id"], bound["region"], bound["public_ip"]) == ("i-bp1demo0001", "cn-beijing",
                                                                          "47.94.10.11")


def test_a_hint_naming_another_accounts_instance_binds_the_codes_own_and_shows_nothing_of_it(any_app):
    other_account(any_app)
    client, filing_id, path = at_step_2(any_app)
    fields = {**form_fields(client, path), "prefetch": f"{CODE}:i-other0001"}
    counter = count_round_trips(any_app)
    response = client.post(path, data={**fields, "product_type": "alibaba_cloud", "code_choice": CODE})
    assert response.status_code == 302
    assert codes.instance_key("i-other0001") in counter.keys  # read ahead on the hint's word, then left alone
    assert counter.reads == 2
    bound = stored(any_app, filing_id)["service_code"]
    assert (bound["instance_id"], bound["public_ip"]) == ("i-bp1demo0001", "47.94.10.11")
    assert shows_nothing_secret(client.get(response.location).get_data(as_text=True))


def test_another_accounts_code_is_unknown_whatever_the_hint(any_app):
    other_account(any_app)
    client, filing_id, path = at_step_2(any_app)
    fields = {**form_fields(client, path), "prefetch": f"{SECRET_CODE}:i-other0001 *{SECRET_CODE}"}
    response = client.post(path, data={**fields, "product_type": "alibaba_cloud", "code_choice": "typed",
                                       "service_code": SECRET_CODE})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f"There is no service code {SECRET_CODE} in your account" in html
    assert shows_nothing_secret(html)
    assert stored(any_app, filing_id)["service_code"] is None
    assert table(any_app).get(*codes.code_key(SECRET_CODE))["state"] == codes.AVAILABLE


def test_step_2_of_someone_elses_order_is_not_found_and_binds_nothing(app):
    applicant, filing_id, path = at_step_2(app)
    fields = form_fields(applicant, path)
    other = app.test_client()
    AuthActions(other).register(email="other@example.com")
    answer = {**fields, "csrf_token": csrf_token(other, "/filings/new"), "product_type": "alibaba_cloud",
              "code_choice": CODE}
    assert other.post(path, data=answer).status_code == 404
    staff = app.test_client()
    AuthActions(staff).login(email="reviewer@example.com")
    assert staff.post(path, data={**answer, "csrf_token": csrf_token(staff, "/")}).status_code == 404
    assert stored(app, filing_id)["service_code"] is None
    assert table(app).get(*codes.code_key(CODE))["state"] == codes.AVAILABLE


def test_step_2_without_the_csrf_token_binds_nothing(app):
    client, filing_id, path = at_step_2(app)
    fields = {k: v for k, v in form_fields(client, path).items() if k != "csrf_token"}
    response = client.post(path, data={**fields, "product_type": "alibaba_cloud", "code_choice": CODE})
    assert response.status_code != 302
    assert stored(app, filing_id)["service_code"] is None


# ---------------------------------------------------------------- step 5: confirming a document


def test_a_document_confirmation_is_one_read_round_trip(any_app):
    client, filing_id = ready_for_documents(any_app)
    counted = []
    response = upload(client, any_app, filing_id, "leader_id_front", jpeg_bytes(800, 600),
                      before_confirm=lambda: counted.append(count_round_trips(any_app)))
    assert response.status_code == 302 and response.location.endswith("#document-leader_id_front")
    counter = counted[0]
    # the session, the order and every document it can have, by key in one get_many; the record in one write
    assert (counter.reads, counter.writes) == (1, 1)
    assert table(any_app).get(*f.document_key(filing_id, "leader_id_front"))["version"] == 1
    # replacing it reads the one it replaces in the same round trip
    counted.clear()
    upload(client, any_app, filing_id, "leader_id_front", jpeg_bytes(800, 600),
           before_confirm=lambda: counted.append(count_round_trips(any_app)))
    assert (counted[0].reads, counted[0].writes) == (1, 1)
    assert table(any_app).get(*f.document_key(filing_id, "leader_id_front"))["version"] == 2


def test_a_confirmation_of_someone_elses_order_is_not_found(app):
    _client, filing_id = ready_for_documents(app)
    other = app.test_client()
    AuthActions(other).register(email="other@example.com")
    response = other.get(f"/filings/{filing_id}/documents/leader_id_front/confirm?key=uploads/x")
    assert response.status_code == 404
    assert table(app).get(*f.document_key(filing_id, "leader_id_front")) is None


def test_confirming_the_administrators_photo_is_one_read_round_trip(any_app, clock):
    from tests.workflow_helpers import backdrop_mailed, passed_review, submitted_order

    client, filing_id = submitted_order(any_app)
    passed_review(any_app, clock, filing_id)
    backdrop_mailed(any_app, filing_id)  # the photo is taken in front of it
    counted = []
    response = upload(client, any_app, filing_id, "administrator_photo", jpeg_bytes(800, 1000),
                      page=f"/filings/{filing_id}/photo",
                      before_confirm=lambda: counted.append(count_round_trips(any_app)))
    assert response.status_code == 302 and response.location.endswith(f"/filings/{filing_id}")
    # the session, the order and its photo (none yet) in one get_many; the photo and the order in one write
    assert (counted[0].reads, counted[0].writes) == (1, 1)
    assert stored(any_app, filing_id)["status"] == f.PHOTO_REVIEW
    assert table(any_app).get(*f.document_key(filing_id, "administrator_photo"))["version"] == 1


# ---------------------------------------------------------------- the check page: a mobile's one-time code


def test_sending_and_entering_a_mobile_code_are_each_one_read_round_trip(any_app):
    from tests.conftest import form_fields
    from tests.journey import texted_code, upload_required

    client, filing_id = ready_for_documents(any_app)
    upload_required(client, any_app, filing_id, confirm=False)
    check = f"/filings/{filing_id}/check"
    from icp import mobiles

    mobile = dict(mobiles.people_mobiles(stored(any_app, filing_id)))["leader"]
    fields = form_fields(client, check)
    counter = count_round_trips(any_app)
    assert client.post(f"{check}/mobile/leader/send", data=fields).status_code == 302
    # the session and the order, read ahead in one get_many; the order, its event and the text in one write
    assert (counter.reads, counter.writes) == (1, 1)
    code = texted_code(client, filing_id, mobile)
    fields = form_fields(client, check)
    counter = count_round_trips(any_app)
    response = client.post(f"{check}/mobile/leader/confirm", data={**fields, "code-leader-code": code})
    assert response.status_code == 302
    assert (counter.reads, counter.writes) == (1, 1)
    assert mobiles.is_confirmed(stored(any_app, filing_id), mobile)
