"""ICP filing service codes: which instances can get them, issuing them within the quota, and checking them."""
from __future__ import annotations

import threading
from collections import Counter

import pytest

from icp import codes
from icp.codes import CodeRefused
from icp.provision import provision_table
from icp.seed import DEMO_CODES, DEMO_INSTANCES
from icp.store import Conflict, Delete, Put, open_table
from tests.conftest import START
from tests.store_fixtures import aws_settings, local_settings

OWNER = "applicant@example.com"  # the demo applicant: web-beijing has 2 codes, web-shanghai none
OTHER = "other@example.com"
BEIJING, SHANGHAI, STOPPED = "i-bp1demo0001", "i-uf6demo0002", "i-bp1demo0007"
DEMO_CODE = "DEMO7K2M9QX4LP8A"


def instance(**changes) -> dict:
    """An eligible instance with some attributes changed."""
    item = codes.instance_item(instance_id="i-test0001", owner=OWNER, name="web", region="cn-beijing",
                               public_ip="47.94.1.1", billing="subscription", subscription_months=12)
    return {**item, **changes}


def reason_codes(item: dict) -> list[str]:
    """The codes of every reason the instance cannot get service codes."""
    return [r.code for r in codes.eligibility_refusals(item)]


@pytest.fixture(params=["sqlite", "dynamodb"])
def table(request, tmp_path):
    """A table of each backend (DynamoDB under moto) with the demo data."""
    if request.param == "sqlite":
        yield seeded(open_table(local_settings(tmp_path)))
        return
    from moto import mock_aws

    with mock_aws():
        settings = aws_settings(tmp_path)
        provision_table(settings, sleep=lambda seconds: None)
        yield seeded(open_table(settings))


@pytest.fixture
def sqlite_table(tmp_path):
    """A SQLite table with the demo data, for threads to race on."""
    return seeded(open_table(local_settings(tmp_path)))


def seeded(table):
    """The table with the demo applicant's instances and pre-issued codes (accounts are not needed here)."""
    issued = Counter(instance_id for instance_id, _ in DEMO_CODES)
    table.write([Put({**codes.instance_item(owner=OWNER, **spec), "codes_issued": issued[spec["instance_id"]]})
                 for spec in DEMO_INSTANCES])
    table.write([Put(codes.code_item(code=code, owner=OWNER, instance_id=instance_id, created_at=START))
                 for instance_id, code in DEMO_CODES])
    return table


def refusal(call) -> str:
    """Run call, expecting CodeRefused; return its message in full."""
    with pytest.raises(CodeRefused) as raised:
        call()
    return str(raised.value)


def issued_codes(table, instance_id: str) -> list[dict]:
    """The code items issued on an instance."""
    return [c for c in codes.list_codes(table, OWNER) if c["instance_id"] == instance_id]


# ---------------------------------------------------------------- eligibility


def test_eligible_instance_has_no_reasons():
    assert codes.eligibility_refusals(instance()) == []


@pytest.mark.parametrize(("changes", "reason", "message"), [
    ({"status": "stopped"}, "not_running", "The instance is not running. Start it, then apply for a code"),
    ({"region": "cn-hongkong"}, "outside_mainland",
     "The instance is in cn-hongkong, outside mainland China. Use an instance in a mainland region"),
    ({"public_ip": ""}, "no_public_ip", "The instance has no public IP address. Assign one, then apply for a code"),
    ({"billing": "pay_as_you_go", "subscription_months": 0}, "pay_as_you_go",
     "The instance is billed pay-as-you-go. Only subscription instances can get a code"),
    ({"subscription_months": 2}, "under_three_months",
     "The instance's subscription is shorter than 3 months. Renew it to at least 3 months, then apply for a code"),
    ({"codes_issued": 5}, "quota_used",
     "This instance has used all 5 of its codes. Renewing the instance does not add codes"),
])
def test_each_reason_is_named_with_its_message(changes, reason, message):
    [refused] = codes.eligibility_refusals(instance(**changes))
    assert refused.code == reason
    assert refused.message % refused.params == message


def test_every_reason_is_given_at_once():
    item = instance(status="stopped", region="cn-hongkong", public_ip=None, subscription_months=1, codes_issued=5)
    assert reason_codes(item) == ["not_running", "outside_mainland", "no_public_ip", "under_three_months",
                                  "quota_used"]


def test_pay_as_you_go_is_not_also_called_too_short():
    assert reason_codes(instance(billing="pay_as_you_go", subscription_months=0)) == ["pay_as_you_go"]


@pytest.mark.parametrize(("region", "mainland"), [
    ("cn-beijing", True), ("cn-shanghai", True), ("cn-shenzhen", True), ("cn-hongkong", False),
    ("ap-southeast-1", False), ("us-west-1", False),
])
def test_only_mainland_regions_are_eligible(region, mainland):
    assert ("outside_mainland" not in reason_codes(instance(region=region))) is mainland


@pytest.mark.parametrize(("months", "eligible"), [(1, False), (2, False), (3, True), (36, True)])
def test_subscription_of_at_least_three_months(months, eligible):
    assert (reason_codes(instance(subscription_months=months)) == []) is eligible


@pytest.mark.parametrize(("issued", "left"), [(0, 5), (2, 3), (5, 0), (7, 0)])
def test_codes_left(issued, left):
    assert codes.codes_left(instance(codes_issued=issued)) == left


# ---------------------------------------------------------------- applying


def test_apply_issues_codes_on_an_eligible_instance(table):
    issued = codes.apply_for_codes(table, owner=OWNER, instance_id=SHANGHAI, count=3, now=START)
    assert len(issued) == len(set(issued)) == 3
    assert all(len(code) == 16 and set(code) <= set(codes.CODE_ALPHABET) for code in issued)
    assert table.get(*codes.instance_key(SHANGHAI))["codes_issued"] == 3
    items = issued_codes(table, SHANGHAI)
    assert sorted(c["code"] for c in items) == sorted(issued)
    assert {(c["state"], c["owner"], c["filing_id"]) for c in items} == {(codes.AVAILABLE, OWNER, "")}


def test_quota_is_five_per_instance(table):
    codes.apply_for_codes(table, owner=OWNER, instance_id=SHANGHAI, count=5, now=START)
    message = refusal(lambda: codes.apply_for_codes(table, owner=OWNER, instance_id=SHANGHAI, count=1, now=START))
    assert message == "This instance has used all 5 of its codes. Renewing the instance does not add codes"
    assert len(issued_codes(table, SHANGHAI)) == 5


def test_more_than_the_quota_left_is_refused_and_nothing_issued(table):
    message = refusal(lambda: codes.apply_for_codes(table, owner=OWNER, instance_id=BEIJING, count=4, now=START))
    assert message == "This instance can get 3 more code(s): the quota is 5 per instance."
    assert table.get(*codes.instance_key(BEIJING))["codes_issued"] == 2
    assert len(issued_codes(table, BEIJING)) == 2


@pytest.mark.parametrize("count", [0, -1, True, "2", 2.5, None])
def test_count_must_be_a_whole_number_from_one(table, count):
    message = refusal(lambda: codes.apply_for_codes(table, owner=OWNER, instance_id=SHANGHAI, count=count,
                                                    now=START))
    assert message == "Enter how many codes you need, from 1 to 5"
    assert issued_codes(table, SHANGHAI) == []


def test_ineligible_instance_is_refused_with_its_reason(table):
    message = refusal(lambda: codes.apply_for_codes(table, owner=OWNER, instance_id=STOPPED, count=1, now=START))
    assert message == "The instance is not running. Start it, then apply for a code"
    assert issued_codes(table, STOPPED) == []


@pytest.mark.parametrize("instance_id", [
    BEIJING,  # the demo applicant's, not the other account's
    "i-nosuch0001", "", "x" * 5000, "INSTANCE#i-bp1demo0001", "../i-bp1demo0001", "<script>",
])
def test_an_instance_outside_the_account_is_reported_as_missing(table, instance_id):
    message = refusal(lambda: codes.apply_for_codes(table, owner=OTHER, instance_id=instance_id, count=1,
                                                    now=START))
    assert message == f"There is no instance {instance_id[:64]} in your account."
    assert table.get(*codes.instance_key(BEIJING))["codes_issued"] == 2
    assert codes.list_codes(table, OTHER) == []


class WriteFirst:
    """A table on which `competitor` runs just before the first write: another application at the same moment."""

    def __init__(self, table, competitor):
        self.table, self.competitor = table, competitor

    def get(self, pk, sk):
        return self.table.get(pk, sk)

    def write(self, ops):
        competitor, self.competitor = self.competitor, None
        if competitor:
            competitor()
        return self.table.write(ops)


def test_an_application_at_the_same_moment_is_counted_against_the_quota(table):
    racing = WriteFirst(table, lambda: codes.apply_for_codes(table, owner=OWNER, instance_id=SHANGHAI, count=4,
                                                             now=START))
    message = refusal(lambda: codes.apply_for_codes(racing, owner=OWNER, instance_id=SHANGHAI, count=2, now=START))
    assert message == "This instance can get 1 more code(s): the quota is 5 per instance."
    assert table.get(*codes.instance_key(SHANGHAI))["codes_issued"] == 4
    assert len(issued_codes(table, SHANGHAI)) == 4


def test_an_application_at_the_same_moment_is_retried_within_the_quota(table):
    racing = WriteFirst(table, lambda: codes.apply_for_codes(table, owner=OWNER, instance_id=SHANGHAI, count=4,
                                                             now=START))
    [code] = codes.apply_for_codes(racing, owner=OWNER, instance_id=SHANGHAI, count=1, now=START)
    assert table.get(*codes.instance_key(SHANGHAI))["codes_issued"] == 5
    assert code in {c["code"] for c in issued_codes(table, SHANGHAI)}


@pytest.mark.parametrize(("threads", "count", "successes"), [(10, 1, 5), (6, 2, 2), (4, 5, 1)])
def test_concurrent_applications_never_exceed_the_quota(sqlite_table, threads, count, successes):
    table = sqlite_table  # threads really race on the file
    start, results = threading.Barrier(threads), []

    def apply():
        start.wait()
        try:
            results.append(codes.apply_for_codes(table, owner=OWNER, instance_id=SHANGHAI, count=count, now=START))
        except CodeRefused as error:
            results.append(error)

    workers = [threading.Thread(target=apply) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    issued = [code for result in results if isinstance(result, list) for code in result]
    assert len(results) == threads
    assert len(issued) == successes * count <= 5
    assert table.get(*codes.instance_key(SHANGHAI))["codes_issued"] == len(issued)
    assert sorted(c["code"] for c in issued_codes(table, SHANGHAI)) == sorted(issued)


# ---------------------------------------------------------------- checking a code in the wizard


def test_a_valid_code_gives_its_instance_and_access_information(table):
    item, server = codes.check_code(table, code=DEMO_CODE, owner=OWNER, filing_id="F1")
    assert (item["code"], server["instance_id"]) == (DEMO_CODE, BEIJING)
    assert codes.access_information(server) == {
        "provider": "Alibaba Cloud", "product": "ecs", "instance_id": BEIJING, "region": "cn-beijing",
        "public_ip": "47.94.10.11"}


def test_a_code_is_read_whatever_its_case_and_surrounding_spaces(table):
    item, _ = codes.check_code(table, code=f"  {DEMO_CODE.lower()} ", owner=OWNER, filing_id="F1")
    assert item["code"] == DEMO_CODE


@pytest.mark.parametrize("code", ["NOSUCHCODE000000", "", "中文", "x" * 5000, "DEMO7K2M-9QX4LP8A", "CODE#X"])
def test_an_unknown_code(table, code):
    message = refusal(lambda: codes.check_code(table, code=code, owner=OWNER, filing_id="F1"))
    assert message == f"There is no service code {code.upper()[:32]} in your account. Check it in the console."


def test_another_accounts_code_is_reported_as_unknown(table):
    message = refusal(lambda: codes.check_code(table, code=DEMO_CODE, owner=OTHER, filing_id="F1"))
    assert message == f"There is no service code {DEMO_CODE} in your account. Check it in the console."


def test_a_code_bound_to_another_order(table):
    item = table.get(*codes.code_key(DEMO_CODE))
    table.write([Put(codes.bound_code(item, "F1"), expect_version=item["version"])])
    message = refusal(lambda: codes.check_code(table, code=DEMO_CODE, owner=OWNER, filing_id="F2"))
    assert message == (f"Service code {DEMO_CODE} is already used by order F1. Use another code, "
                       "or withdraw that order first.")
    # the order it is bound to may verify it again (coming back to the step)
    assert codes.check_code(table, code=DEMO_CODE, owner=OWNER, filing_id="F1")[0]["filing_id"] == "F1"


def test_a_consumed_code(table):
    item = table.get(*codes.code_key(DEMO_CODE))
    table.write([Put(codes.consumed_code(codes.bound_code(item, "F1")), expect_version=item["version"])])
    message = refusal(lambda: codes.check_code(table, code=DEMO_CODE, owner=OWNER, filing_id="F2"))
    assert message == f"Service code {DEMO_CODE} has been used by an approved filing. Apply for a new one."
    # the order that consumed it is not refused its own code (issue 16 §10: the reviewer's page of an approved
    # order listed it as a problem of that very order)
    code, _instance = codes.check_code(table, code=DEMO_CODE, owner=OWNER, filing_id="F1")
    assert code["state"] == codes.CONSUMED and code["filing_id"] == "F1"


@pytest.mark.parametrize(("changes", "message"), [
    ({"status": "stopped"}, "The instance is not running. Start it, then apply for a code"),
    ({"public_ip": ""}, "The instance has no public IP address. Assign one, then apply for a code"),
    ({"billing": "pay_as_you_go"}, "The instance is billed pay-as-you-go. Only subscription instances can get a code"),
])
def test_a_code_whose_instance_became_ineligible(table, changes, message):
    server = table.get(*codes.instance_key(BEIJING))
    table.write([Put({**server, **changes, "version": server["version"] + 1}, expect_version=server["version"])])
    assert refusal(lambda: codes.check_code(table, code=DEMO_CODE, owner=OWNER, filing_id="F1")) == message


def test_a_used_up_quota_does_not_stop_the_codes_already_issued(table):
    codes.apply_for_codes(table, owner=OWNER, instance_id=BEIJING, count=3, now=START)
    assert codes.check_code(table, code=DEMO_CODE, owner=OWNER, filing_id="F1")[1]["codes_issued"] == 5


def test_a_code_whose_instance_is_gone(table):
    table.write([Delete(*codes.instance_key(BEIJING))])
    message = refusal(lambda: codes.check_code(table, code=DEMO_CODE, owner=OWNER, filing_id="F1"))
    assert message == "The instance of this code no longer exists. Apply for a code on another instance."


# ---------------------------------------------------------------- bound, released, consumed


def test_transitions_change_state_and_version():
    item = {"code": DEMO_CODE, "state": codes.AVAILABLE, "filing_id": "", "version": 3}
    bound = codes.bound_code(item, "F1")
    assert (bound["state"], bound["filing_id"], bound["version"]) == (codes.BOUND, "F1", 4)
    released = codes.released_code(bound)
    assert (released["state"], released["filing_id"], released["version"]) == (codes.AVAILABLE, "", 5)
    consumed = codes.consumed_code(bound)
    assert (consumed["state"], consumed["filing_id"], consumed["version"]) == (codes.CONSUMED, "F1", 5)
    assert item["state"] == codes.AVAILABLE, "the item given is left as it was"


def test_a_released_code_serves_another_order(table):
    item = table.get(*codes.code_key(DEMO_CODE))
    table.write([Put(codes.bound_code(item, "F1"), expect_version=item["version"])])
    bound = table.get(*codes.code_key(DEMO_CODE))
    table.write([Put(codes.released_code(bound), expect_version=bound["version"])])
    item, _ = codes.check_code(table, code=DEMO_CODE, owner=OWNER, filing_id="F2")
    assert (item["state"], item["filing_id"]) == (codes.AVAILABLE, "")


def test_two_orders_cannot_bind_the_same_code(table):
    item = table.get(*codes.code_key(DEMO_CODE))
    table.write([Put(codes.bound_code(item, "F1"), expect_version=item["version"])])
    with pytest.raises(Conflict):
        table.write([Put(codes.bound_code(item, "F2"), expect_version=item["version"])])
    assert table.get(*codes.code_key(DEMO_CODE))["filing_id"] == "F1"
