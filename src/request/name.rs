//! What a parameter name on the wire stands for.

use super::parameters::Parameter;
use super::tags::{TagField, TagSpelling};

/// The common parameters that ride along with every RPC request (SUPPLEMENT, "Wire format"),
/// plus `SecurityToken` (temporary credentials) and `SignatureType`, which the official SDKs
/// send too. CreateSnapshot accepts them and does not judge them. (`StorageLocationArn`, which
/// the SUPPLEMENT lists here, is a parameter of the table: the current reference gives it a
/// refusal of its own.)
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
];

/// What a decoded parameter name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Name {
    /// `Action`.
    Action,
    /// A parameter of the table, but a tag's.
    Parameter(Parameter),
    /// `Tag.N.Key`, `Tag.N.Value` or a deprecated spelling of them.
    Tag {
        /// The N.
        index: u32,
        /// Key or value.
        field: TagField,
        /// Which spelling.
        spelling: TagSpelling,
    },
    /// A common parameter of every RPC request (`RegionId`, `Signature`, ...).
    Common,
    /// A name the API does not know; it ignores such parameters.
    Unknown,
}

impl Name {
    /// Classifies a decoded parameter name. Names are case-sensitive, except the documented
    /// deprecated spellings `Tag.N.key` and `Tag.N.value`.
    pub fn classify(name: &str) -> Name {
        if name == "Action" {
            return Name::Action;
        }
        if let Some(parameter) = Parameter::from_name(name) {
            return Name::Parameter(parameter);
        }
        if COMMON_PARAMETERS.contains(&name) {
            return Name::Common;
        }
        Self::classify_tag(name).unwrap_or(Name::Unknown)
    }

    /// `Tag.N.Key` and its kin, with N in canonical decimal that fits in 32 bits
    /// (`docs/DECISIONS.md`, D8).
    fn classify_tag(name: &str) -> Option<Name> {
        let rest = name.strip_prefix("Tag.")?;
        let (number, word) = rest.split_once('.')?;
        let canonical = !number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit())
            && (number == "0" || !number.starts_with('0'));
        if !canonical {
            return None;
        }
        let index: u32 = number.parse().ok()?;
        let (field, spelling) = TagField::from_word(word)?;
        Some(Name::Tag {
            index,
            field,
            spelling,
        })
    }

    /// Whether the API ignores the parameter: a common one, or one it does not know.
    pub fn is_other(self) -> bool {
        matches!(self, Name::Common | Name::Unknown)
    }
}
