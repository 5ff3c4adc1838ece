"""The current revision of the API reference (CURRENT.md), through the official SDKs and the
emulator: requests it accepts that the earlier revision refused, its new error rows, and its
changed statuses (docs/DECISIONS.md, D220 to D242)."""

import re

import pytest
from aliyunsdkcore.acs_exception.exceptions import ServerException as CoreServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkecs.request.v20140526.CreateSnapshotRequest import CreateSnapshotRequest as CoreRequest
from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_tea_openapi.exceptions import ClientException
from emulator import tea_client

SNAPSHOT_ID = re.compile(r"^s-[0-9a-z]{13}$")


def tea(server):
    return tea_client(server.endpoint)


def refused(server, request):
    """The SDK's exception for a request the emulator refuses: (status, code, message)."""
    with pytest.raises(ClientException) as raised:
        tea(server).create_snapshot(request)
    error = raised.value
    return error.status_code, error.code, error.data["Message"]


# --- accepted now ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "request_",
    [
        # The Terraform provider's category, in lower case (D221).
        ecs.CreateSnapshotRequest(disk_id="d-system01", category="standard", retention_days=20),
        # Category beside InstantAccess=false (D222).
        ecs.CreateSnapshotRequest(disk_id="d-system01", category="Standard", instant_access=False),
        # The CSI driver's InstantAccessRetentionDays=0 without instant access (D223).
        ecs.CreateSnapshotRequest(disk_id="d-system01", instant_access=False, instant_access_retention_days=0),
        # Periods and Chinese characters in names (D224).
        ecs.CreateSnapshotRequest(disk_id="d-system01", snapshot_name="backup.2026-12-01"),
        ecs.CreateSnapshotRequest(disk_id="d-system01", snapshot_name="快照备份"),
        # acs: at the start of a tag value (D225).
        ecs.CreateSnapshotRequest(disk_id="d-system01", tag=[ecs.CreateSnapshotRequestTag(key="k", value="acs:x")]),
    ],
    ids=["category_lower_case", "category_with_instant_access_false", "csi_retention_zero",
         "name_with_periods", "chinese_name", "tag_value_acs"],
)
def test_what_the_earlier_revision_refused_is_a_snapshot_now(server, request_):
    response = tea(server).create_snapshot(request_)
    assert SNAPSHOT_ID.match(response.body.snapshot_id)
    assert [s["snapshot_id"] for s in server.created()] == [response.body.snapshot_id]
    assert server.created()[0]["kind"] == "normal"


def test_instant_access_has_no_effect_for_an_account_without_local_snapshots(server):
    # The example account used local snapshots before 2020-12-14; another one did not, and
    # InstantAccess on a disk that is not of the ESSD series is accepted, to no effect (D226).
    server.facts({
        "account": {"used_local_snapshots_before_2020_12_14": False},
        "disks": {"d-ssd": {"category": "cloud_ssd", "instance_id": "i-web01"}},
    })
    response = tea(server).create_snapshot(ecs.CreateSnapshotRequest(disk_id="d-ssd", instant_access=True))
    assert [(s["snapshot_id"], s["kind"]) for s in server.created()] == [(response.body.snapshot_id, "normal")]
    server.reset()
    # Where it takes effect, the ESSD series only (D227).
    server.facts({"disks": {"d-ssd": {"category": "cloud_ssd", "instance_id": "i-web01"}}})
    assert refused(server, ecs.CreateSnapshotRequest(disk_id="d-ssd", instant_access=True)) == (
        400,
        "DiskCategory.OperationNotSupported",
        "The type of the specified disk does not support creating a snapshot.",
    )


def test_the_older_sdk_sends_category_in_lower_case_and_it_is_accepted(server):
    request = CoreRequest()
    request.set_endpoint(server.endpoint)
    request.set_protocol_type("http")
    request.set_DiskId("d-system01")
    request.set_Category("flash")
    body = AcsClient("test-key", "test-secret", "cn-hangzhou", auto_retry=False).do_action_with_exception(request)
    assert b'"SnapshotId":"s-' in body.replace(b" ", b"")


# --- the new rows and statuses -----------------------------------------------------------


def test_a_disk_at_its_concurrent_quota_names_itself_and_the_quota(server):
    server.facts({
        "disks": {
            "d-concurrent": {
                "instance_id": "i-web01",
                "concurrent_snapshot_quota": 2,
                "creating_snapshot_id": "s-first",
                "also_creating_snapshot_ids": ["s-second"],
            }
        }
    })
    assert refused(server, ecs.CreateSnapshotRequest(disk_id="d-concurrent")) == (
        403,
        "QuotaExceed.ConcurrentSnapshotQuota",
        "The number of snapshots being created for the disk d-concurrent has exceeded the concurrent "
        "quota (2). Please wait for the previous snapshots to complete before trying again.",
    )
    # One finished: there is room again.
    server.control("POST", "snapshots/s-first/finish")
    response = tea(server).create_snapshot(ecs.CreateSnapshotRequest(disk_id="d-concurrent"))
    assert SNAPSHOT_ID.match(response.body.snapshot_id)


@pytest.mark.parametrize(
    "facts, request_, expected",
    [
        (
            {"instances": {"i-sleepy": {"hibernation_configured": True}},
             "disks": {"d-sleepy": {"instance_id": "i-sleepy"}}},
            ecs.CreateSnapshotRequest(disk_id="d-sleepy"),
            (403, "HibernationConfigured.InstanceOperationForbidden",
             "The operation is not permitted due to limit of the hibernation configured instance."),
        ),
        (
            {"disks": {"d-key": {"instance_id": "i-web01",
                                 "encryption": {"kms_key_id": "key-1", "key_enabled": False}}}},
            ecs.CreateSnapshotRequest(disk_id="d-key"),
            (403, "InvalidParameter.KMSKeyId.CMKNotEnabled", "The CMK needs to be enabled."),
        ),
        (
            {"disks": {"d-key": {"instance_id": "i-web01",
                                 "encryption": {"kms_key_id": "key-1", "key_exists": False}}}},
            ecs.CreateSnapshotRequest(disk_id="d-key"),
            (400, "InvalidParameter.KMSKeyId.NotFound", "The specified KMSKeyId does not exist."),
        ),
        (
            {"account": {"used_local_snapshots_before_2020_12_14": True},
             "region": {"instant_access_available": False}},
            ecs.CreateSnapshotRequest(disk_id="d-system01", instant_access=True),
            (403, "InvalidRegion.NotSupportSnapshotInstantAccessRegion",
             "The snapshot InstantAccess is not supported for this region."),
        ),
        (
            {"account": {"enough_balance_for_postpaid": False}},
            ecs.CreateSnapshotRequest(disk_id="d-system01"),
            (403, "InvalidAccountStatus.NotEnoughBalance",
             "Your account does not have enough balance to order postpaid product."),
        ),
        (
            {},
            ecs.CreateSnapshotRequest(disk_id="d-system01",
                                      storage_location_arn="acs:ecs:cn-hangzhou:1:storage-location/x"),
            (403, "InvalidParameter.UnauthorizedStorageLocationArn",
             'The operation has failed due to lack of permission for the specified "StorageLocationArn". '
             "Please use a resource with appropriate permission for the operation."),
        ),
    ],
    ids=["hibernation", "cmk_not_enabled", "kms_key_not_found", "region_without_instant_access",
         "postpaid_balance", "storage_location_arn"],
)
def test_the_new_rows_reach_the_sdk(server, facts, request_, expected):
    if facts:
        server.facts(facts)
    assert refused(server, request_) == expected
    assert server.created() == []


def test_create_snapshot_failed_is_a_client_error_now(server):
    # HTTP 400 in the current reference (403 before): still the SDK's client exception.
    server.facts({"fault": "create_snapshot_failed"})
    assert refused(server, ecs.CreateSnapshotRequest(disk_id="d-system01")) == (
        400,
        "CreateSnapshot.Failed",
        "The process of creating snapshot is failed.",
    )


def test_the_older_sdk_sees_the_postpaid_message(server):
    server.facts({"account": {"enough_balance_for_postpaid": False}})
    request = CoreRequest()
    request.set_endpoint(server.endpoint)
    request.set_protocol_type("http")
    request.set_DiskId("d-system01")
    with pytest.raises(CoreServerException) as raised:
        AcsClient("test-key", "test-secret", "cn-hangzhou", auto_retry=False).do_action_with_exception(request)
    error = raised.value
    assert (error.get_http_status(), error.get_error_code(), error.get_error_msg()) == (
        403,
        "InvalidAccountStatus.NotEnoughBalance",
        "Your account does not have enough balance to order postpaid product.",
    )
