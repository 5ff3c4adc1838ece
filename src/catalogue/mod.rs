//! The error catalogue: one table, every row of the error tables of the API reference (the
//! current revision and the earlier one that `CreateSnapshot.md` transcribes) plus the codes
//! the SUPPLEMENT adds, and the [`ErrorCode`] enum generated from it.
//!
//! Each row cites its source ([`Source`]): its row in the current revision's error table
//! (`CURRENT.md`), its row in `CreateSnapshot.md`'s, the SUPPLEMENT's table of codes for
//! checks the page leaves unnamed, or several of these. Where the revisions differ the
//! current one wins, and [`ErrorCode::earlier`] keeps the earlier status and message. A test
//! compares this table with the project's transcription of every document
//! (`spec/errors.tsv`), row by row. [`ApiError`] is one refusal with its message filled in;
//! it writes the API's error bodies, and [`success_json_body`] and [`success_xml_body`] the
//! success bodies.

mod api_error;
mod body;

use std::fmt;

pub use api_error::ApiError;
pub use body::{success_json_body, success_xml_body, xml_escape};

/// Where a catalogue row comes from. Row numbers count from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// Row *n* of the error table of `CreateSnapshot.md` only: the current revision of the
    /// reference no longer lists it (`QuotaExceed.Tags`), and it stays as documented there.
    Spec(u8),
    /// The SUPPLEMENT's table of error codes for checks the reference leaves unnamed only.
    Supplement,
    /// Row *n* of the error table of the current revision of the reference (`CURRENT.md`)
    /// only: a row `CreateSnapshot.md` does not have.
    Current(u8),
    /// A row of both revisions: row `spec` of `CreateSnapshot.md`, row `current` of the
    /// current revision.
    SpecAndCurrent {
        /// Its row in `CreateSnapshot.md`.
        spec: u8,
        /// Its row in the current revision.
        current: u8,
    },
    /// A code of the SUPPLEMENT that the current revision lists too, as its row *n*.
    SupplementAndCurrent(u8),
}

impl Source {
    /// The row in `CreateSnapshot.md`'s error table, if the row is there.
    pub const fn spec_row(self) -> Option<u8> {
        match self {
            Source::Spec(n) | Source::SpecAndCurrent { spec: n, .. } => Some(n),
            Source::Supplement | Source::Current(_) | Source::SupplementAndCurrent(_) => None,
        }
    }

    /// The row in the current revision's error table, if the row is there.
    pub const fn current_row(self) -> Option<u8> {
        match self {
            Source::Current(n)
            | Source::SpecAndCurrent { current: n, .. }
            | Source::SupplementAndCurrent(n) => Some(n),
            Source::Spec(_) | Source::Supplement => None,
        }
    }

    /// Whether the SUPPLEMENT lists the code.
    pub const fn in_supplement(self) -> bool {
        matches!(self, Source::Supplement | Source::SupplementAndCurrent(_))
    }

    /// The first document that lists the row: `CreateSnapshot.md` (the reference as first
    /// written), `SUPPLEMENT.md` (codes the reference leaves unnamed) or, for a row only the
    /// current reference has, `CURRENT.md`.
    ///
    /// ```
    /// use ecs_snapshot_rules::ErrorCode;
    ///
    /// assert_eq!(ErrorCode::QuotaExceedTags.source().first_document(), "CreateSnapshot.md");
    /// assert_eq!(ErrorCode::Throttling.source().first_document(), "SUPPLEMENT.md");
    /// ```
    pub const fn first_document(self) -> &'static str {
        match self {
            Source::Spec(_) | Source::SpecAndCurrent { .. } => "CreateSnapshot.md",
            Source::Supplement | Source::SupplementAndCurrent(_) => "SUPPLEMENT.md",
            Source::Current(_) => "CURRENT.md",
        }
    }
}

/// Who can produce a catalogue row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Judged from the request alone (the stateless rules).
    Request,
    /// Judged from the request and the state it meets (disk, instance, account, tokens).
    State,
    /// Produced only by a server in front of the rules (authentication, throttling,
    /// permissions).
    Server,
}

impl Scope {
    /// The scope as a stable lower-case word: `request`, `state` or `server`.
    pub const fn id(self) -> &'static str {
        match self {
            Scope::Request => "request",
            Scope::State => "state",
            Scope::Server => "server",
        }
    }
}

/// What an earlier revision of the documents gave for a row whose status or message the
/// current revision changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Earlier {
    /// The document: `CreateSnapshot.md` or `SUPPLEMENT.md`.
    pub document: &'static str,
    /// The HTTP status it gave.
    pub status: u16,
    /// The message it gave.
    pub message: &'static str,
}

macro_rules! catalogue {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident = $status:literal, $code:literal, $message:literal, $source:expr, $scope:ident,
            $about:literal;
        how_to_fix: $fix:literal;
        $( @was $was_status:literal, $was_message:literal; )?
    )+) => {
        /// An error of the CreateSnapshot API: one row of the catalogue.
        ///
        /// Some codes have two rows with different messages, so there is one variant per
        /// row, not per code: [`ErrorCode::InternalError`] and
        /// [`ErrorCode::InternalErrorException`];
        /// [`ErrorCode::InvalidAccountStatusNotEnoughBalance`] and
        /// [`ErrorCode::InvalidAccountStatusNotEnoughBalancePostpaid`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $( $(#[doc = $doc])* $variant, )+
        }

        impl ErrorCode {
            /// Every row of the catalogue, in table order: `CreateSnapshot.md`'s 31 rows,
            /// then the SUPPLEMENT's, then the rows only the current revision has, in its
            /// order.
            pub const ALL: &'static [ErrorCode] = &[ $( ErrorCode::$variant, )+ ];

            /// The HTTP status the API answers with (the current revision's, where the
            /// revisions differ).
            pub const fn status(self) -> u16 {
                match self { $( ErrorCode::$variant => $status, )+ }
            }

            /// The error code as the API spells it, e.g. `InvalidSnapshotName.Malformed`.
            pub const fn as_str(self) -> &'static str {
                match self { $( ErrorCode::$variant => $code, )+ }
            }

            /// The documented message (the current revision's, where the revisions differ).
            /// For `QuotaExceed.Tags` this is the template `%s`, for
            /// `QuotaExceed.ConcurrentSnapshotQuota` it holds two `%s`, and for
            /// `InvalidParameter` it holds the placeholder `NAME`; an [`ApiError`] carries
            /// the message filled in.
            pub const fn message_template(self) -> &'static str {
                match self { $( ErrorCode::$variant => $message, )+ }
            }

            /// When the error happens, in this crate's words.
            pub const fn description(self) -> &'static str {
                match self { $( ErrorCode::$variant => $about, )+ }
            }

            /// What the caller can do about it, in one or two sentences.
            pub const fn how_to_fix(self) -> &'static str {
                match self { $( ErrorCode::$variant => $fix, )+ }
            }

            /// Where the row comes from.
            pub const fn source(self) -> Source {
                match self { $( ErrorCode::$variant => $source, )+ }
            }

            /// Who can produce it: the request alone, the state it meets, or a server.
            pub const fn scope(self) -> Scope {
                match self { $( ErrorCode::$variant => Scope::$scope, )+ }
            }

            /// For a row whose status or message the current revision changed, what the
            /// earlier document gave; `None` for every other row.
            pub const fn earlier(self) -> Option<Earlier> {
                match self {
                    $( ErrorCode::$variant => catalogue!(@earlier $source $(, $was_status, $was_message)?), )+
                }
            }
        }
    };
    (@earlier $source:expr) => { None };
    (@earlier $source:expr, $status:literal, $message:literal) => {
        Some(Earlier {
            document: if $source.spec_row().is_some() { "CreateSnapshot.md" } else { "SUPPLEMENT.md" },
            status: $status,
            message: $message,
        })
    };
}

use Source::{Current, Spec, SpecAndCurrent, Supplement, SupplementAndCurrent};

catalogue! {
    /// The disk does not exist.
    InvalidDiskIdNotFound = 404, "InvalidDiskId.NotFound", "The specified DiskId does not exist.", SpecAndCurrent { spec: 1, current: 44 }, State,
        "The DiskId names no disk in this region and account.";
        how_to_fix: "Check the DiskId and the region the request goes to: the disk must exist in that region under the calling account (DescribeDisks lists them).";
    /// SnapshotName breaks a rule of its format.
    InvalidSnapshotNameMalformed = 400, "InvalidSnapshotName.Malformed", "The specified SnapshotName is wrongly formed.", SpecAndCurrent { spec: 2, current: 2 }, Request,
        "SnapshotName is not 2 to 128 of letters (of any script: English, Chinese, ...), ASCII digits, ':', '_', '.', '-' starting with a letter, or starts with auto.";
        how_to_fix: "Use 2 to 128 letters, ASCII digits, ':', '_', '.' or '-', starting with a letter and not with auto (for example nightly-2026.01.31 or 夜间备份-01), or leave SnapshotName out.";
    /// Description breaks a rule of its format (HTTP 404, as the spec documents it).
    InvalidDescriptionMalformed = 404, "InvalidDescription.Malformed", "The specified description is wrongly formed.", SpecAndCurrent { spec: 3, current: 45 }, Request,
        "Description is not 2 to 256 characters, or starts with http:// or https://.";
        how_to_fix: "Use 2 to 256 characters that do not start with http:// or https://, or leave Description out.";
    /// The instance of the disk is in a state that forbids snapshots.
    IncorrectInstanceStatus = 400, "IncorrectInstanceStatus", "The current status of the resource does not support this operation.", SpecAndCurrent { spec: 4, current: 3 }, State,
        "The disk's instance is neither Running nor Stopped, has never been started, or is within its first hour.";
        how_to_fix: "Bring the disk's instance to Running or Stopped; a new instance must have been started and be about an hour old before its disks can be snapshotted.";
    /// Another snapshot of the disk is being created.
    IncorrectDiskStatusCreatingSnapshot = 403, "IncorrectDiskStatus.CreatingSnapshot", "A previous snapshot creation is in process.", SpecAndCurrent { spec: 5, current: 11 }, State,
        "A snapshot of the same disk, made by CreateSnapshot, is still progressing, and the disk has no concurrent-snapshot quota of its own (one at a time).";
        how_to_fix: "Wait until the snapshot of the disk that is in progress is accomplished (DescribeSnapshots), then retry.";
    /// The disk's instance is locked for security reasons.
    InstanceLockedForSecurity = 403, "InstanceLockedForSecurity", "The disk attached instance is locked due to security.", SpecAndCurrent { spec: 6, current: 12 }, State,
        "The disk's instance has an operation lock with LockReason security.";
        how_to_fix: "Have the security lock of the disk's instance lifted (see its OperationLocks); nothing can be done on the instance until then.";
    /// The disk has never been attached to an instance.
    IncorrectDiskStatusNeverAttached = 403, "IncorrectDiskStatus.NeverAttached", "The specified disk has never been attached to any instance.", SpecAndCurrent { spec: 7, current: 13 }, State,
        "An Available disk that was never attached holds nothing to snapshot.";
        how_to_fix: "Attach the disk to an instance before snapshotting it.";
    /// The disk already has the maximum number of manual snapshots.
    QuotaExceedSnapshot = 403, "QuotaExceed.Snapshot", "The snapshot quota exceeds.", SpecAndCurrent { spec: 8, current: 14 }, State,
        "The disk already has 256 manual snapshots.";
        how_to_fix: "Delete manual snapshots of the disk that are no longer needed, or give new ones a RetentionDays so that they are released in time.";
    /// The disk has never been used since it was created.
    IncorrectDiskStatusNeverUsed = 403, "IncorrectDiskStatus.NeverUsed", "The specified disk has never been used after creating.", SpecAndCurrent { spec: 9, current: 15 }, State,
        "The disk's content is unchanged since it was created.";
        how_to_fix: "Write data to the disk first: a disk unchanged since it was created has nothing to snapshot.";
    /// The snapshot could not be created (HTTP 400 in the current revision, 403 before).
    CreateSnapshotFailed = 400, "CreateSnapshot.Failed", "The process of creating snapshot is failed.", SpecAndCurrent { spec: 10, current: 9 }, State,
        "The back end failed to create the snapshot.";
        how_to_fix: "Retry later with the same ClientToken; if it keeps failing, check the disk's status and submit a ticket.";
        @was 403, "The process of creating snapshot is failed.";
    /// The disk is in arrears.
    DiskInArrears = 403, "DiskInArrears", "The specified operation is denied as your disk has expired.", SpecAndCurrent { spec: 11, current: 16 }, State,
        "The disk is suspended for overdue payment.";
        how_to_fix: "Pay the overdue bill or renew the disk, then retry.";
    /// An internal error (the first of the spec's two InternalError rows).
    InternalError = 500, "InternalError", "The request processing has failed due to some unknown error.", SpecAndCurrent { spec: 12, current: 49 }, State,
        "An unknown internal error; retry later.";
        how_to_fix: "Retry later with the same ClientToken; if the problem persists, submit a ticket.";
    /// The category of the block storage device does not support snapshots.
    DiskIdValueNotSupported = 403, "DiskId.ValueNotSupported", "The specified parameter diskid is not supported.", SpecAndCurrent { spec: 13, current: 17 }, State,
        "The DiskId names a kind of block storage that CreateSnapshot does not take.";
        how_to_fix: "Use the ID of a disk whose category supports snapshots.";
    /// The disk's type does not support the snapshot asked for.
    DiskCategoryOperationNotSupported = 400, "DiskCategory.OperationNotSupported", "The type of the specified disk does not support creating a snapshot.", SpecAndCurrent { spec: 14, current: 4 }, State,
        "InstantAccess=true or Category=Flash, from an account for which they still take effect, on a disk that is not of the ESSD series (cloud_essd, cloud_auto, cloud_essd_entry, cloud_regional_disk_auto) or on a Shared Block Storage device.";
        how_to_fix: "Drop InstantAccess and Category (the current reference marks them no longer used: ESSD-series snapshots are instantly available anyway), or snapshot a disk of the ESSD series.";
        @was 400, "The operation is not supported to the specified disk due to its disk category";
    /// The disk is in a state that forbids snapshots.
    IncorrectDiskStatus = 403, "IncorrectDiskStatus", "The current disk status does not support this operation.", SpecAndCurrent { spec: 15, current: 18 }, State,
        "The disk is Creating, Attaching, Detaching or ReIniting.";
        how_to_fix: "Wait until the disk is no longer Creating, Attaching, Detaching or ReIniting, make sure the account has no overdue payment, then retry.";
    /// The account's balance is not enough.
    InvalidAccountStatusNotEnoughBalance = 403, "InvalidAccountStatus.NotEnoughBalance", "Your account does not have enough balance.", SpecAndCurrent { spec: 16, current: 19 }, State,
        "The account cannot pay for the snapshot.";
        how_to_fix: "Add funds to the account, then retry.";
    /// The snapshot service is not activated.
    InvalidAccountStatusSnapshotServiceUnavailable = 403, "InvalidAccountStatus.SnapshotServiceUnavailable", "Snapshot service has not been opened yet.", SpecAndCurrent { spec: 17, current: 20 }, State,
        "The account has not activated the snapshot service.";
        how_to_fix: "Activate the snapshot service for the account, then retry.";
    /// The disk's instance does not exist.
    InvalidInstanceIdNotFound = 404, "InvalidInstanceId.NotFound", "The specified InstanceId does not exist.", SpecAndCurrent { spec: 18, current: 46 }, State,
        "The instance the disk is attached to no longer exists.";
        how_to_fix: "Check the instance the disk is attached to: it may have been released; use a disk of an existing instance.";
    /// The Shared Block Storage device is in a state that forbids snapshots.
    IncorrectVolumeStatus = 403, "IncorrectVolumeStatus", "The current volume status does not support this operation.", SpecAndCurrent { spec: 19, current: 21 }, State,
        "The Shared Block Storage device is not in a state that allows snapshots.";
        how_to_fix: "Wait until the Shared Block Storage device is in a state that allows snapshots, then retry.";
    /// The Shared Block Storage device does not exist.
    InvalidVolumeIdNotFound = 404, "InvalidVolumeId.NotFound", "The specified volume does not exist.", SpecAndCurrent { spec: 20, current: 47 }, State,
        "The DiskId names a Shared Block Storage device that does not exist.";
        how_to_fix: "Check the DiskId: it names a Shared Block Storage device that does not exist in this region.";
    /// The ClientToken was used before with other parameters.
    IdempotentParameterMismatch = 403, "IdempotentParameterMismatch", "The specified clientToken is used.", SpecAndCurrent { spec: 21, current: 22 }, State,
        "The same ClientToken came before with a request of another meaning.";
        how_to_fix: "Use a new ClientToken for a request with other parameters; reuse a token only to retry the very same request.";
    /// The disk's status is invalid.
    IncorrectDiskStatusInvalid = 403, "IncorrectDiskStatus.Invalid", "The specified disk status invalid, restart instance and try again.", SpecAndCurrent { spec: 22, current: 23 }, State,
        "The disk's device status is invalid; restarting the instance clears it.";
        how_to_fix: "Restart the instance the disk is attached to, then retry.";
        @was 403, "The specified device status invalid, restart instance and try again.";
    /// The device type does not support snapshots.
    IncorrectDiskTypeNotSupport = 403, "IncorrectDiskType.NotSupport", "The specified device type is not supported.", SpecAndCurrent { spec: 23, current: 24 }, State,
        "The disk's category holds no snapshots (local and ephemeral disks).";
        how_to_fix: "Snapshot a cloud disk instead: local and ephemeral disks hold no snapshots.";
    /// The disk is being migrated.
    IncorrectDiskStatusTransferring = 403, "IncorrectDiskStatus.Transferring", "The specified device is transferring, you can retry after the process is finished.", SpecAndCurrent { spec: 24, current: 25 }, State,
        "The disk is being migrated; retry when it is done.";
        how_to_fix: "Wait until the disk's migration is finished, then retry.";
    /// ECS may not use the disk's KMS key.
    InvalidParameterKmsKeyIdKmsUnauthorized = 403, "InvalidParameter.KMSKeyId.KMSUnauthorized", "ECS service have no right to access your KMS.", SpecAndCurrent { spec: 25, current: 28 }, State,
        "The disk is encrypted with a KMS key that ECS is not authorised to use.";
        how_to_fix: "Authorise ECS to use the disk's KMS key (grant the ECS service role access to it), then retry.";
    /// An internal error (the second of the spec's two InternalError rows).
    InternalErrorException = 500, "InternalError", "The request processing has failed due to some unknown error, exception or failure.", SpecAndCurrent { spec: 26, current: 50 }, State,
        "An internal exception or failure; retry later.";
        how_to_fix: "Retry later with the same ClientToken; if the problem persists, submit a ticket.";
    /// Two tags have the same key.
    DuplicateTagKey = 400, "Duplicate.TagKey", "The Tag.N.Key contain duplicate key.", SpecAndCurrent { spec: 27, current: 5 }, Request,
        "Two tags of the request have the same key.";
        how_to_fix: "Give each tag its own key: merge or rename the tags that share one.";
    /// A tag key breaks a rule of its format.
    InvalidTagKeyMalformed = 400, "InvalidTagKey.Malformed", "The specified Tag.n.Key is not valid.", SpecAndCurrent { spec: 28, current: 6 }, Request,
        "A tag key is empty, longer than 128 characters, starts with acs: or aliyun, contains http:// or https://, or its N is not 1 to 20.";
        how_to_fix: "Number tags from 1 to 20 and give each a key of 1 to 128 characters that does not start with acs: or aliyun and contains no http:// or https://.";
    /// A tag value breaks a rule of its format.
    InvalidTagValueMalformed = 400, "InvalidTagValue.Malformed", "The specified Tag.n.Value is not valid.", SpecAndCurrent { spec: 29, current: 7 }, Request,
        "A tag value is longer than 128 characters, contains http:// or https://, or its N is not 1 to 20.";
        how_to_fix: "Number tags from 1 to 20 and keep each value to at most 128 characters, containing no http:// or https://.";
    /// The first request with this ClientToken is still being processed.
    IdempotentProcessing = 403, "IdempotentProcessing", "The previous idempotent request(s) is still processing.", SpecAndCurrent { spec: 30, current: 29 }, State,
        "The first request with the same ClientToken has not finished yet.";
        how_to_fix: "Wait for the first request with this ClientToken to finish, then retry it to get its result.";
    /// More tags than the quota (the message is filled in at run time).
    QuotaExceedTags = 403, "QuotaExceed.Tags", "%s", Spec(31), Request,
        "The request has more than 20 tags.";
        how_to_fix: "Send at most 20 tags (Tag.1 to Tag.20).";
    /// A mandatory parameter is absent.
    MissingParameter = 400, "MissingParameter", "The input parameter \"DiskId\" that is mandatory for processing this request is not supplied.", Supplement, Request,
        "DiskId, the one mandatory parameter, is absent or empty.";
        how_to_fix: "Add DiskId with the ID of the disk to snapshot, e.g. DiskId=d-bp1s5fnvk4gn2tws0****.";
    /// RetentionDays is not an integer in 1..=65536.
    InvalidRetentionDaysMalformed = 400, "InvalidRetentionDays.Malformed", "The specified RetentionDays is not valid.", SupplementAndCurrent(8), Request,
        "RetentionDays is not an integer from 1 to 65536.";
        how_to_fix: "Give RetentionDays as a whole number of days from 1 to 65536, or leave it out to keep the snapshot until it is deleted.";
    /// InstantAccessRetentionDays is not an integer in 1..=65535.
    InvalidInstantAccessRetentionDaysMalformed = 403, "InvalidInstantAccessRetentionDays.Malformed", "The specified InstantAccessRetentionDays is not valid.", SupplementAndCurrent(37), Request,
        "InstantAccess is true and InstantAccessRetentionDays is not an integer from 1 to 65535 (without InstantAccess=true it is not checked).";
        how_to_fix: "Give InstantAccessRetentionDays as a whole number of days from 1 to 65535, or leave it out to use RetentionDays.";
    /// Category is not Standard or Flash.
    InvalidSnapshotCategoryMalformed = 403, "InvalidSnapshotCategory.Malformed", "The specified Category is not valid.", SupplementAndCurrent(30), Request,
        "Category is neither Standard nor Flash, in any letter case.";
        how_to_fix: "Set Category to Standard or Flash, or better leave it out: the current reference marks it no longer used.";
    /// Category and InstantAccess are both given.
    InvalidCategoryAndInstantAccessMalformed = 403, "InvalidCategoryAndInstantAccess.Malformed", "The snapshot Category and InstantAccess can't be used together.", SupplementAndCurrent(33), Request,
        "Category is present together with InstantAccess=true (InstantAccess=false beside Category is accepted).";
        how_to_fix: "Send only one of Category and InstantAccess=true; better drop both, which the current reference marks no longer used.";
    /// ClientToken is not at most 64 ASCII characters.
    InvalidClientTokenMalformed = 403, "InvalidClientToken.Malformed", "The specified clientToken is improperly formatted. It must contain only ASCII characters and must not exceed 64 characters in length.", SupplementAndCurrent(42), Request,
        "ClientToken has a character that is not ASCII, or more than 64 characters.";
        how_to_fix: "Use a ClientToken of at most 64 ASCII characters, such as a UUID.";
    /// The resource group does not exist.
    InvalidResourceGroupNotFound = 404, "InvalidResourceGroup.NotFound", "The ResourceGroup provided does not exist in our records.", SupplementAndCurrent(48), State,
        "ResourceGroupId names no resource group of the account.";
        how_to_fix: "Give the ID of a resource group of the account in ResourceGroupId, or leave it out.";
    /// A malformed value that has no code of its own.
    InvalidParameter = 400, "InvalidParameter", "The specified parameter \"NAME\" is not valid.", Supplement, Request,
        "A value is malformed and has no code of its own: InstantAccess that is not a boolean, a repeated parameter, bad percent-encoding.";
        how_to_fix: "Fix the parameter named in the message: a boolean is true or false, each parameter is sent once, and every % is followed by two hexadecimal digits.";
    /// The Action is not CreateSnapshot.
    InvalidActionNotFound = 404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.", Supplement, Request,
        "The request's Action is present and is not CreateSnapshot.";
        how_to_fix: "Set Action=CreateSnapshot, or send the request to the API it is meant for.";
    /// A temporary failure of the server.
    ServiceUnavailable = 503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.", Supplement, Server,
        "The server failed for a while; retry later.";
        how_to_fix: "Retry later, with backoff and the same ClientToken.";
    /// Too many requests (HTTP 403 in the current revision; the SUPPLEMENT had 400).
    Throttling = 403, "Throttling", "Request was denied due to user flow control.", SupplementAndCurrent(10), Server,
        "The caller is over its request rate.";
        how_to_fix: "Send fewer requests: retry later with exponential backoff.";
        @was 400, "You have made too many requests within a short time; your request is denied due to request throttling.";
    /// Unknown AccessKeyId.
    InvalidAccessKeyIdNotFound = 400, "InvalidAccessKeyId.NotFound", "The specified Access Key ID does not exist.", Supplement, Server,
        "The AccessKeyId is unknown to the server.";
        how_to_fix: "Sign with an active AccessKey of the account or RAM user the request is for.";
    /// Wrong signature.
    SignatureDoesNotMatch = 403, "SignatureDoesNotMatch", "The signature we calculated does not match the one you provided. Please refer to the API reference about authentication for details.", Supplement, Server,
        "The request's signature is not the one its AccessKeySecret gives.";
        how_to_fix: "Sign with the AccessKeySecret of the AccessKeyId, over exactly the parameters sent; an official SDK does this.";
    /// Signature parameters missing or malformed.
    IncompleteSignature = 400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.", Supplement, Server,
        "A signature parameter is missing or malformed.";
        how_to_fix: "Send every signature parameter (Signature, SignatureMethod, SignatureVersion, SignatureNonce, Timestamp) well formed; an official SDK does this.";
    /// A SignatureNonce seen before.
    SignatureNonceUsed = 400, "SignatureNonceUsed", "The request signature nonce has been used.", Supplement, Server,
        "The SignatureNonce was used by an earlier request.";
        how_to_fix: "Use a fresh random SignatureNonce for every request, retries included.";
    /// Timestamp absent, malformed or too far from the server's clock.
    IllegalTimestamp = 400, "IllegalTimestamp", "The input parameter \"Timestamp\" that is mandatory for processing this request is not supplied.", Supplement, Server,
        "Timestamp is absent, malformed, or too far from the server's clock.";
        how_to_fix: "Send Timestamp in UTC as YYYY-MM-DDThh:mm:ssZ and keep the client's clock in sync.";
    /// The disk's KMS key does not exist.
    InvalidParameterKmsKeyIdNotFound = 400, "InvalidParameter.KMSKeyId.NotFound", "The specified KMSKeyId does not exist.", Current(1), State,
        "The disk is encrypted with a KMS key that no longer exists.";
        how_to_fix: "Check the disk's KMS key (DescribeDisks, KMSKeyId): a key that was deleted cannot encrypt a new snapshot.";
    /// The disk's KMS key has no ECS tag.
    InvalidParameterKmsKeyIdCmkUnauthorized = 403, "InvalidParameter.KMSKeyId.CMKUnauthorized", "ECS tags must be added to the CMK.", Current(26), State,
        "The disk's customer master key lacks the tag that lets ECS use it.";
        how_to_fix: "Add the ECS tag to the customer master key in KMS, then retry.";
    /// The disk's KMS key is not enabled.
    InvalidParameterKmsKeyIdCmkNotEnabled = 403, "InvalidParameter.KMSKeyId.CMKNotEnabled", "The CMK needs to be enabled.", Current(27), State,
        "The disk's customer master key is disabled (or pending deletion).";
        how_to_fix: "Enable the customer master key in KMS, then retry.";
    /// The caller may not call the action.
    InvalidActionUnauthorized = 403, "InvalidAction.Unauthorized", "The specified action is not valid.", Current(31), Server,
        "The caller has no permission to call CreateSnapshot (a RAM permission check).";
        how_to_fix: "Grant the RAM user or role the ecs:CreateSnapshot permission on the disk, then retry.";
    /// The region has no instant access.
    InvalidRegionNotSupportSnapshotInstantAccessRegion = 403, "InvalidRegion.NotSupportSnapshotInstantAccessRegion", "The snapshot InstantAccess is not supported for this region.", Current(32), State,
        "InstantAccess=true, from an account for which it still takes effect, in a region without instant access.";
        how_to_fix: "Drop InstantAccess (ESSD-series snapshots are instantly available anyway where the region offers it), or create the snapshot in a region with instant access.";
    /// A snapshot of the disk is being created by something other than CreateSnapshot.
    DiskHasCreatingSnapshot = 403, "DISK_HAS_CREATING_SNAPSHOT", "The operation cannot be performed while a snapshot is being created for the disk.", Current(34), State,
        "A snapshot of the disk that no CreateSnapshot call made (an automatic snapshot policy's, or a snapshot-consistent group's) is still progressing.";
        how_to_fix: "Wait until the disk's automatic or group snapshot is accomplished (DescribeSnapshots), then retry.";
    /// The disk's instance has hibernation configured.
    HibernationConfiguredInstanceOperationForbidden = 403, "HibernationConfigured.InstanceOperationForbidden", "The operation is not permitted due to limit of the hibernation configured instance.", Current(35), State,
        "The disk is attached to an instance that has hibernation configured.";
        how_to_fix: "Snapshot the disk of an instance without hibernation configured, or detach the disk first.";
    /// The account's snapshot quota from its channel partner is used up.
    QuotaExceedSnapshotQuota = 403, "QuotaExceed.SnapshotQuota", "The quota is insufficient, please contact your channel partner to increase the quota.", Current(36), State,
        "The account's snapshots have reached the quota its channel partner (reseller) set.";
        how_to_fix: "Delete snapshots the account no longer needs, or ask the channel partner to raise the quota.";
    /// Instant access for a disk in a CloudBox.
    CloudBoxNotSupportSnapshotWithInstantAccess = 403, "CloudBoxNotSupportSnapshotWithInstantAccess", "The specified disk in CloudBox does not support to create a snapshot with InstantAccess.", Current(38), State,
        "InstantAccess=true, from an account for which it still takes effect, on a disk in a CloudBox.";
        how_to_fix: "Drop InstantAccess for a disk in a CloudBox.";
    /// The account's balance is not enough for a pay-as-you-go product.
    InvalidAccountStatusNotEnoughBalancePostpaid = 403, "InvalidAccountStatus.NotEnoughBalance", "Your account does not have enough balance to order postpaid product.", Current(39), State,
        "The account's balance does not allow it to order a pay-as-you-go product, as snapshot storage is.";
        how_to_fix: "Add funds to the account so that it can order pay-as-you-go products, then retry.";
    /// Encrypted copies of the disk's snapshots are unfinished.
    InvalidOperationUnfinishedEncryptedSnapshotCopy = 403, "InvalidOperation.UnfinishedEncryptedSnapshotCopy", "This disk has unfinished encrypted copy snapshots in the target region.", Current(40), State,
        "An encrypted copy of a snapshot of the disk to another region (CopySnapshot) is unfinished.";
        how_to_fix: "Wait until the encrypted snapshot copies of the disk are finished in the target region, then retry.";
    /// Too many snapshots of the disk are being created at once (the message is filled in at
    /// run time: the disk's ID, then the quota).
    QuotaExceedConcurrentSnapshotQuota = 403, "QuotaExceed.ConcurrentSnapshotQuota", "The number of snapshots being created for the disk %s has exceeded the concurrent quota (%s). Please wait for the previous snapshots to complete before trying again.", Current(41), State,
        "The disk has a concurrent-snapshot quota and that many of its snapshots are progressing.";
        how_to_fix: "Wait until one of the disk's snapshots in progress is accomplished, then retry.";
    /// No permission on the StorageLocationArn.
    InvalidParameterUnauthorizedStorageLocationArn = 403, "InvalidParameter.UnauthorizedStorageLocationArn", "The operation has failed due to lack of permission for the specified \"StorageLocationArn\". Please use a resource with appropriate permission for the operation.", Current(43), State,
        "StorageLocationArn names a storage location the caller has no permission on (the parameter is not available for public use).";
        how_to_fix: "Leave StorageLocationArn out, or name a storage location the account has been given permission on.";
}

impl ErrorCode {
    /// The rows whose code is `code` (two for `InternalError` and for
    /// `InvalidAccountStatus.NotEnoughBalance`, one for any other known code, none for an
    /// unknown one).
    pub fn rows_for(code: &str) -> impl Iterator<Item = ErrorCode> + '_ {
        Self::ALL
            .iter()
            .copied()
            .filter(move |row| row.as_str() == code)
    }

    /// The row for a code, or `None` for an unknown code. For a code of two rows this is the
    /// first; use [`ErrorCode::rows_for`] to see both.
    pub fn from_code(code: &str) -> Option<ErrorCode> {
        Self::rows_for(code).next()
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
