//! Parameter names on the wire, and what each stands for.

use crate::TagSpelling;

/// What a parameter name on the wire stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParameterName {
    /// `Action`.
    Action,
    /// `DiskId`.
    DiskId,
    /// `SnapshotName`.
    SnapshotName,
    /// `Description`.
    Description,
    /// `RetentionDays`.
    RetentionDays,
    /// `Category`.
    Category,
    /// `ClientToken`.
    ClientToken,
    /// `Tag.N.Key` or the deprecated `Tag.N.key`.
    TagKey {
        /// The N.
        index: u32,
        /// Which spelling.
        spelling: TagSpelling,
    },
    /// `Tag.N.Value` or the deprecated `Tag.N.value`.
    TagValue {
        /// The N.
        index: u32,
        /// Which spelling.
        spelling: TagSpelling,
    },
    /// `ResourceGroupId`.
    ResourceGroupId,
    /// `InstantAccess`.
    InstantAccess,
    /// `InstantAccessRetentionDays`.
    InstantAccessRetentionDays,
    /// A common parameter of every RPC request (`RegionId`, `Signature`, ...), which
    /// CreateSnapshot accepts and does not validate.
    Common,
    /// A name the API does not know; it ignores such parameters.
    Unknown,
}

/// The request parameters of the spec's table, in its order (tags in their current spelling,
/// N written as `N`).
pub const REQUEST_PARAMETERS: &[&str] = &[
    "Action",
    "DiskId",
    "SnapshotName",
    "Description",
    "RetentionDays",
    "Category",
    "ClientToken",
    "Tag.N.Key",
    "Tag.N.Value",
    "ResourceGroupId",
    "InstantAccess",
    "InstantAccessRetentionDays",
];

/// The common parameters that ride along with every RPC request (SUPPLEMENT, "Wire format"),
/// plus `SecurityToken` (temporary credentials) and `SignatureType`, which the official SDKs
/// send too.
pub const COMMON_PARAMETERS: &[&str] = &[
    "Format",
    "Version",
    "AccessKeyId",
    "Signature",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "SignatureType",
    "SecurityToken",
    "Timestamp",
    "RegionId",
    "OwnerId",
    "OwnerAccount",
    "ResourceOwnerId",
    "ResourceOwnerAccount",
    "StorageLocationArn",
];

impl ParameterName {
    /// Classifies a decoded parameter name. Names are case-sensitive, except the documented
    /// deprecated spellings `Tag.N.key` and `Tag.N.value`.
    pub fn classify(name: &str) -> ParameterName {
        match name {
            "Action" => ParameterName::Action,
            "DiskId" => ParameterName::DiskId,
            "SnapshotName" => ParameterName::SnapshotName,
            "Description" => ParameterName::Description,
            "RetentionDays" => ParameterName::RetentionDays,
            "Category" => ParameterName::Category,
            "ClientToken" => ParameterName::ClientToken,
            "ResourceGroupId" => ParameterName::ResourceGroupId,
            "InstantAccess" => ParameterName::InstantAccess,
            "InstantAccessRetentionDays" => ParameterName::InstantAccessRetentionDays,
            _ if COMMON_PARAMETERS.contains(&name) => ParameterName::Common,
            _ => Self::classify_tag(name).unwrap_or(ParameterName::Unknown),
        }
    }

    /// `Tag.N.Key` and its kin, with N in canonical decimal that fits in 32 bits
    /// (`docs/DECISIONS.md`, D8).
    fn classify_tag(name: &str) -> Option<ParameterName> {
        let rest = name.strip_prefix("Tag.")?;
        let (number, field) = rest.split_once('.')?;
        let canonical = !number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit())
            && (number == "0" || !number.starts_with('0'));
        if !canonical {
            return None;
        }
        let index: u32 = number.parse().ok()?;
        Self::tag_field(index, field)
    }

    /// The parameter `Tag.<index>.<field>` names: a key or a value, in either spelling.
    pub(crate) fn tag_field(index: u32, field: &str) -> Option<ParameterName> {
        Some(match field {
            "Key" => ParameterName::TagKey {
                index,
                spelling: TagSpelling::Current,
            },
            "key" => ParameterName::TagKey {
                index,
                spelling: TagSpelling::Deprecated,
            },
            "Value" => ParameterName::TagValue {
                index,
                spelling: TagSpelling::Current,
            },
            "value" => ParameterName::TagValue {
                index,
                spelling: TagSpelling::Deprecated,
            },
            _ => return None,
        })
    }
}
