//! The error catalogue: one table, every row of the spec's error-code table plus the codes
//! the SUPPLEMENT adds, and the [`ErrorCode`] enum generated from it.
//!
//! Each row cites its source: `Spec(n)` is row *n* (from 1) of the error-code table of
//! `CreateSnapshot.md`; `Supplement` is the SUPPLEMENT's table of codes for checks the page
//! leaves unnamed. A test compares this table with the project's transcription of both
//! (`spec/errors.tsv`), row by row. [`ApiError`] is one refusal with its message filled in;
//! it writes the API's error bodies, and [`success_json_body`] and [`success_xml_body`] the
//! success bodies.

mod api_error;
mod body;

use std::fmt;

pub use api_error::ApiError;
pub use body::{success_json_body, success_xml_body};

/// Where a catalogue row comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// Row *n* (counting from 1) of the error-code table of `CreateSnapshot.md`.
    Spec(u8),
    /// The SUPPLEMENT's table of error codes for checks the spec page leaves unnamed.
    Supplement,
}

/// Who can produce a catalogue row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Judged from the request alone (the stateless rules).
    Request,
    /// Judged from the request and the state it meets (disk, instance, account, tokens).
    State,
    /// Produced only by a server in front of the rules (authentication, throttling).
    Server,
}

macro_rules! catalogue {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident = $status:literal, $code:literal, $message:literal, $source:expr, $scope:ident,
            $about:literal;
        how_to_fix: $fix:literal;
    )+) => {
        /// An error of the CreateSnapshot API: one row of the catalogue.
        ///
        /// Two rows share the code `InternalError` with different messages, so there is one
        /// variant per row, not per code: [`ErrorCode::InternalError`] and
        /// [`ErrorCode::InternalErrorException`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $( $(#[doc = $doc])* $variant, )+
        }

        impl ErrorCode {
            /// Every row of the catalogue, in table order: the spec's 31 rows, then the
            /// SUPPLEMENT's.
            pub const ALL: &'static [ErrorCode] = &[ $( ErrorCode::$variant, )+ ];

            /// The HTTP status the API answers with.
            pub const fn status(self) -> u16 {
                match self { $( ErrorCode::$variant => $status, )+ }
            }

            /// The error code as the API spells it, e.g. `InvalidSnapshotName.Malformed`.
            pub const fn as_str(self) -> &'static str {
                match self { $( ErrorCode::$variant => $code, )+ }
            }

            /// The documented message. For `QuotaExceed.Tags` this is the template `%s`
            /// and for `InvalidParameter` it holds the placeholder `NAME`; an [`ApiError`]
            /// carries the message filled in.
            ///
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
        }
    };
}

use Source::{Spec, Supplement};

catalogue! {
    /// The disk does not exist.
    InvalidDiskIdNotFound = 404, "InvalidDiskId.NotFound", "The specified DiskId does not exist.", Spec(1), State,
        "The DiskId names no disk in this region and account.";
        how_to_fix: "Check the DiskId and the region the request goes to: the disk must exist in that region under the calling account (DescribeDisks lists them).";
    /// SnapshotName breaks a rule of its format.
    InvalidSnapshotNameMalformed = 400, "InvalidSnapshotName.Malformed", "The specified SnapshotName is wrongly formed.", Spec(2), Request,
        "SnapshotName is not 2 to 128 of letters, digits, ':', '_', '-' starting with a letter, or starts with http://, https:// or auto.";
        how_to_fix: "Use 2 to 128 letters, digits, ':', '_' or '-', starting with a letter and not with auto, http:// or https:// (for example nightly-2026-01-31), or leave SnapshotName out.";
    /// Description breaks a rule of its format (HTTP 404, as the spec documents it).
    InvalidDescriptionMalformed = 404, "InvalidDescription.Malformed", "The specified description is wrongly formed.", Spec(3), Request,
        "Description is not 2 to 256 characters, or starts with http:// or https://.";
        how_to_fix: "Use 2 to 256 characters that do not start with http:// or https://, or leave Description out.";
    /// The instance of the disk is in a state that forbids snapshots.
    IncorrectInstanceStatus = 400, "IncorrectInstanceStatus", "The current status of the resource does not support this operation.", Spec(4), State,
        "The disk's instance is neither Running nor Stopped, has never been started, or is within its first hour.";
        how_to_fix: "Bring the disk's instance to Running or Stopped; a new instance must have been started and be about an hour old before its disks can be snapshotted.";
    /// Another snapshot of the disk is being created.
    IncorrectDiskStatusCreatingSnapshot = 403, "IncorrectDiskStatus.CreatingSnapshot", "A previous snapshot creation is in process.", Spec(5), State,
        "A snapshot of the same disk is still progressing.";
        how_to_fix: "Wait until the snapshot of the disk that is in progress is accomplished (DescribeSnapshots), then retry.";
    /// The disk's instance is locked for security reasons.
    InstanceLockedForSecurity = 403, "InstanceLockedForSecurity", "The disk attached instance is locked due to security.", Spec(6), State,
        "The disk's instance has an operation lock with LockReason security.";
        how_to_fix: "Have the security lock of the disk's instance lifted (see its OperationLocks); nothing can be done on the instance until then.";
    /// The disk has never been attached to an instance.
    IncorrectDiskStatusNeverAttached = 403, "IncorrectDiskStatus.NeverAttached", "The specified disk has never been attached to any instance.", Spec(7), State,
        "An Available disk that was never attached holds nothing to snapshot.";
        how_to_fix: "Attach the disk to an instance before snapshotting it.";
    /// The disk already has the maximum number of manual snapshots.
    QuotaExceedSnapshot = 403, "QuotaExceed.Snapshot", "The snapshot quota exceeds.", Spec(8), State,
        "The disk already has 256 manual snapshots.";
        how_to_fix: "Delete manual snapshots of the disk that are no longer needed, or give new ones a RetentionDays so that they are released in time.";
    /// The disk has never been used since it was created.
    IncorrectDiskStatusNeverUsed = 403, "IncorrectDiskStatus.NeverUsed", "The specified disk has never been used after creating.", Spec(9), State,
        "The disk's content is unchanged since it was created.";
        how_to_fix: "Write data to the disk first: a disk unchanged since it was created has nothing to snapshot.";
    /// The snapshot could not be created.
    CreateSnapshotFailed = 403, "CreateSnapshot.Failed", "The process of creating snapshot is failed.", Spec(10), State,
        "The back end failed to create the snapshot.";
        how_to_fix: "Retry later with the same ClientToken; if it keeps failing, check the disk's status and submit a ticket.";
    /// The disk is in arrears.
    DiskInArrears = 403, "DiskInArrears", "The specified operation is denied as your disk has expired.", Spec(11), State,
        "The disk is suspended for overdue payment.";
        how_to_fix: "Pay the overdue bill or renew the disk, then retry.";
    /// An internal error (the first of the spec's two InternalError rows).
    InternalError = 500, "InternalError", "The request processing has failed due to some unknown error.", Spec(12), State,
        "An unknown internal error; retry later.";
        how_to_fix: "Retry later with the same ClientToken; if the problem persists, submit a ticket.";
    /// The category of the block storage device does not support snapshots.
    DiskIdValueNotSupported = 403, "DiskId.ValueNotSupported", "The specified parameter diskid is not supported.", Spec(13), State,
        "The DiskId names a kind of block storage that CreateSnapshot does not take.";
        how_to_fix: "Use the ID of a disk whose category supports snapshots.";
    /// The disk category does not support the operation (the spec's message has no final period).
    DiskCategoryOperationNotSupported = 400, "DiskCategory.OperationNotSupported", "The operation is not supported to the specified disk due to its disk category", Spec(14), State,
        "The disk's category does not support what the request asks, e.g. instant access on a disk that is not an ESSD.";
        how_to_fix: "Drop what the disk's category does not support (for example InstantAccess on a disk that is not an ESSD), or use a disk of a category that supports it.";
    /// The disk is in a state that forbids snapshots.
    IncorrectDiskStatus = 403, "IncorrectDiskStatus", "The current disk status does not support this operation.", Spec(15), State,
        "The disk is Creating, Attaching, Detaching or ReIniting.";
        how_to_fix: "Wait until the disk is no longer Creating, Attaching, Detaching or ReIniting, make sure the account has no overdue payment, then retry.";
    /// The account's balance is not enough.
    InvalidAccountStatusNotEnoughBalance = 403, "InvalidAccountStatus.NotEnoughBalance", "Your account does not have enough balance.", Spec(16), State,
        "The account cannot pay for the snapshot.";
        how_to_fix: "Add funds to the account, then retry.";
    /// The snapshot service is not activated.
    InvalidAccountStatusSnapshotServiceUnavailable = 403, "InvalidAccountStatus.SnapshotServiceUnavailable", "Snapshot service has not been opened yet.", Spec(17), State,
        "The account has not activated the snapshot service.";
        how_to_fix: "Activate the snapshot service for the account, then retry.";
    /// The disk's instance does not exist.
    InvalidInstanceIdNotFound = 404, "InvalidInstanceId.NotFound", "The specified InstanceId does not exist.", Spec(18), State,
        "The instance the disk is attached to no longer exists.";
        how_to_fix: "Check the instance the disk is attached to: it may have been released; use a disk of an existing instance.";
    /// The Shared Block Storage device is in a state that forbids snapshots.
    IncorrectVolumeStatus = 403, "IncorrectVolumeStatus", "The current volume status does not support this operation.", Spec(19), State,
        "The Shared Block Storage device is not in a state that allows snapshots.";
        how_to_fix: "Wait until the Shared Block Storage device is in a state that allows snapshots, then retry.";
    /// The Shared Block Storage device does not exist.
    InvalidVolumeIdNotFound = 404, "InvalidVolumeId.NotFound", "The specified volume does not exist.", Spec(20), State,
        "The DiskId names a Shared Block Storage device that does not exist.";
        how_to_fix: "Check the DiskId: it names a Shared Block Storage device that does not exist in this region.";
    /// The ClientToken was used before with other parameters.
    IdempotentParameterMismatch = 403, "IdempotentParameterMismatch", "The specified clientToken is used.", Spec(21), State,
        "The same ClientToken came before with a request of another meaning.";
        how_to_fix: "Use a new ClientToken for a request with other parameters; reuse a token only to retry the very same request.";
    /// The disk's status is invalid.
    IncorrectDiskStatusInvalid = 403, "IncorrectDiskStatus.Invalid", "The specified device status invalid, restart instance and try again.", Spec(22), State,
        "The disk's device status is invalid; restarting the instance clears it.";
        how_to_fix: "Restart the instance the disk is attached to, then retry.";
    /// The device type does not support snapshots.
    IncorrectDiskTypeNotSupport = 403, "IncorrectDiskType.NotSupport", "The specified device type is not supported.", Spec(23), State,
        "The disk's category holds no snapshots (local and ephemeral disks).";
        how_to_fix: "Snapshot a cloud disk instead: local and ephemeral disks hold no snapshots.";
    /// The disk is being migrated.
    IncorrectDiskStatusTransferring = 403, "IncorrectDiskStatus.Transferring", "The specified device is transferring, you can retry after the process is finished.", Spec(24), State,
        "The disk is being migrated; retry when it is done.";
        how_to_fix: "Wait until the disk's migration is finished, then retry.";
    /// ECS may not use the disk's KMS key.
    InvalidParameterKmsKeyIdKmsUnauthorized = 403, "InvalidParameter.KMSKeyId.KMSUnauthorized", "ECS service have no right to access your KMS.", Spec(25), State,
        "The disk is encrypted with a KMS key that ECS is not authorised to use.";
        how_to_fix: "Authorise ECS to use the disk's KMS key (grant the ECS service role access to it), then retry.";
    /// An internal error (the second of the spec's two InternalError rows).
    InternalErrorException = 500, "InternalError", "The request processing has failed due to some unknown error, exception or failure.", Spec(26), State,
        "An internal exception or failure; retry later.";
        how_to_fix: "Retry later with the same ClientToken; if the problem persists, submit a ticket.";
    /// Two tags have the same key.
    DuplicateTagKey = 400, "Duplicate.TagKey", "The Tag.N.Key contain duplicate key.", Spec(27), Request,
        "Two tags of the request have the same key.";
        how_to_fix: "Give each tag its own key: merge or rename the tags that share one.";
    /// A tag key breaks a rule of its format.
    InvalidTagKeyMalformed = 400, "InvalidTagKey.Malformed", "The specified Tag.n.Key is not valid.", Spec(28), Request,
        "A tag key is empty, longer than 128 characters, starts with acs: or aliyun, contains http:// or https://, or its N is not 1 to 20.";
        how_to_fix: "Number tags from 1 to 20 and give each a key of 1 to 128 characters that does not start with acs: or aliyun and contains no http:// or https://.";
    /// A tag value breaks a rule of its format.
    InvalidTagValueMalformed = 400, "InvalidTagValue.Malformed", "The specified Tag.n.Value is not valid.", Spec(29), Request,
        "A tag value is longer than 128 characters, starts with acs:, contains http:// or https://, or its N is not 1 to 20.";
        how_to_fix: "Number tags from 1 to 20 and keep each value to at most 128 characters, not starting with acs: and containing no http:// or https://.";
    /// The first request with this ClientToken is still being processed.
    IdempotentProcessing = 403, "IdempotentProcessing", "The previous idempotent request(s) is still processing.", Spec(30), State,
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
    InvalidRetentionDaysMalformed = 400, "InvalidRetentionDays.Malformed", "The specified RetentionDays is not valid.", Supplement, Request,
        "RetentionDays is not an integer from 1 to 65536.";
        how_to_fix: "Give RetentionDays as a whole number of days from 1 to 65536, or leave it out to keep the snapshot until it is deleted.";
    /// InstantAccessRetentionDays is not an integer in 1..=65535.
    InvalidInstantAccessRetentionDaysMalformed = 403, "InvalidInstantAccessRetentionDays.Malformed", "The specified InstantAccessRetentionDays is not valid.", Supplement, Request,
        "InstantAccessRetentionDays is not an integer from 1 to 65535.";
        how_to_fix: "Give InstantAccessRetentionDays as a whole number of days from 1 to 65535, or leave it out to use RetentionDays.";
    /// Category is not Standard or Flash.
    InvalidSnapshotCategoryMalformed = 403, "InvalidSnapshotCategory.Malformed", "The specified Category is not valid.", Supplement, Request,
        "Category is neither Standard nor Flash.";
        how_to_fix: "Set Category to Standard or Flash (exactly so spelled), or better leave it out and use InstantAccess.";
    /// Category and InstantAccess are both given.
    InvalidCategoryAndInstantAccessMalformed = 403, "InvalidCategoryAndInstantAccess.Malformed", "The snapshot Category and InstantAccess can't be used together.", Supplement, Request,
        "Category and InstantAccess are both present.";
        how_to_fix: "Send only one of Category and InstantAccess; drop Category, which is deprecated.";
    /// ClientToken is not at most 64 ASCII characters.
    InvalidClientTokenMalformed = 403, "InvalidClientToken.Malformed", "The specified clientToken is improperly formatted. It must contain only ASCII characters and must not exceed 64 characters in length.", Supplement, Request,
        "ClientToken has a character that is not ASCII, or more than 64 characters.";
        how_to_fix: "Use a ClientToken of at most 64 ASCII characters, such as a UUID.";
    /// The resource group does not exist.
    InvalidResourceGroupNotFound = 404, "InvalidResourceGroup.NotFound", "The ResourceGroup provided does not exist in our records.", Supplement, State,
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
    /// Too many requests.
    Throttling = 400, "Throttling", "You have made too many requests within a short time; your request is denied due to request throttling.", Supplement, Server,
        "The caller is over its request rate.";
        how_to_fix: "Send fewer requests: retry later with exponential backoff.";
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
}

impl ErrorCode {
    /// The rows whose code is `code` (two for `InternalError`, one for any other known
    /// code, none for an unknown one).
    pub fn rows_for(code: &str) -> impl Iterator<Item = ErrorCode> + '_ {
        Self::ALL
            .iter()
            .copied()
            .filter(move |row| row.as_str() == code)
    }

    /// The row for a code, or `None` for an unknown code. For `InternalError` this is the
    /// first of its two rows; use [`ErrorCode::rows_for`] to see both.
    pub fn from_code(code: &str) -> Option<ErrorCode> {
        Self::rows_for(code).next()
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
