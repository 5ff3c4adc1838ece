//! Requests for fuzzing campaigns and property tests: valid ones from a seed, and ones broken
//! in exactly one documented way together with the error the API must answer.
//!
//! ```
//! use ecs_snapshot_rules::oracle::{valid_request, Defect};
//! use ecs_snapshot_rules::{validate, violations};
//!
//! for seed in 0..100 {
//!     let request = valid_request(seed);
//!     assert_eq!(validate(&request), Ok(()));
//!     for &defect in Defect::ALL {
//!         let broken = defect.apply(&request);
//!         // The verdict is the one the defect promises.
//!         assert_eq!(validate(&broken.request), Err(broken.expected.clone()));
//!         // And it is the only violation, but for 21 tags, where tag 21 is reported too.
//!         if defect != Defect::TooManyTags {
//!             assert_eq!(violations(&broken.request), [broken.expected]);
//!         }
//!     }
//! }
//! ```

use crate::api_error::MAX_TAGS;
use crate::splitmix::SplitMix64;
use crate::text_rules::{tag_index_ok, TAG_INDEX};
use crate::{ApiError, CreateSnapshotRequest, ErrorCode, SnapshotCategory, Tag, TagSpelling};

const LETTERS: &[char] = &[
    'a', 'b', 'k', 'q', 'z', 'A', 'B', 'K', 'Q', 'Z', 's', 'S', 'x', 'X',
];
const NAME_CHARS: &[char] = &['a', 'Z', 'm', '0', '7', '9', ':', '_', '-', 'q', 'R'];
/// Free text: ASCII, punctuation, and characters of two, three and four bytes.
const TEXT_CHARS: &[char] = &[
    'a', 'Z', ' ', '0', '.', '/', ':', '%', '+', '&', '=', 'é', 'ß', '快', '照', '🙂',
];
/// Tag text: like free text but without `:` and `/`, so no prefix or URL forms by chance.
const TAG_CHARS: &[char] = &['a', 'Z', ' ', '0', '.', '-', '_', 'é', '快', '🙂', '=', '&'];

/// A valid request, chosen by `seed`: every optional parameter present or not, lengths often
/// at their bounds, multi-byte text, deprecated tag spellings, and either `Category` or
/// `InstantAccess` (never both).
pub fn valid_request(seed: u64) -> CreateSnapshotRequest {
    let mut rng = SplitMix64::new(seed);
    let mut request =
        CreateSnapshotRequest::new(format!("d-{:016x}", rng.next_u64() & 0xFFFF_FFFF_FFFF));
    if rng.chance(60) {
        let length = rng.length(2, 128);
        let mut name = String::with_capacity(length);
        name.push(*rng.pick(LETTERS));
        name.push_str(&rng.text(NAME_CHARS, length - 1));
        if name.starts_with("auto") {
            name.replace_range(..1, "b");
        }
        request.snapshot_name = Some(name);
    }
    if rng.chance(60) {
        let length = rng.length(2, 256);
        let mut description = rng.text(TEXT_CHARS, length);
        if description.starts_with("http") {
            description.replace_range(..1, "H");
        }
        request.description = Some(description);
    }
    if rng.chance(50) {
        request.retention_days = Some(rng.length(1, 65536).try_into().unwrap_or(1).into());
    }
    if rng.chance(50) {
        let length = rng.length(0, 64);
        request.client_token = Some(
            (0..length)
                .map(|_| char::from(rng.between(32, 126) as u8))
                .collect(),
        );
    }
    let tag_count = if rng.chance(60) {
        rng.length(0, MAX_TAGS)
    } else {
        0
    };
    for n in 1..=tag_count {
        let key_length = rng.length(1, 128);
        // "keyN-" keys: distinct among themselves (no prefix is another's) and from those
        // `Defect` adds.
        let prefix = format!("key{n}-");
        let key_length = key_length.max(prefix.chars().count());
        let key = prefix.clone() + &rng.text(TAG_CHARS, key_length - prefix.chars().count());
        let key_spelling = spelling(&mut rng);
        let (value, value_spelling) = if rng.chance(80) {
            let length = rng.length(0, 128);
            (Some(rng.text(TAG_CHARS, length)), spelling(&mut rng))
        } else {
            (None, TagSpelling::Current)
        };
        request.tags.push(Tag {
            index: n as u32,
            key: Some(key),
            value,
            key_spelling,
            value_spelling,
        });
    }
    if rng.chance(30) {
        request.resource_group_id = Some(format!("rg-{:012x}", rng.next_u64() & 0xFFFF_FFFF_FFFF));
    }
    match rng.next_u64() % 4 {
        0 => {
            let category = *rng.pick(&[SnapshotCategory::Standard, SnapshotCategory::Flash]);
            request = request.category(category);
        }
        1 => request = request.instant_access(rng.chance(50)),
        _ => {}
    }
    if rng.chance(30) {
        request.instant_access_retention_days =
            Some(rng.length(1, 65535).try_into().unwrap_or(1).into());
    }
    if rng.chance(20) {
        request
            .other_parameters
            .push(("RegionId".to_owned(), "cn-hangzhou".to_owned()));
    }
    request
}

fn spelling(rng: &mut SplitMix64) -> TagSpelling {
    if rng.chance(20) {
        TagSpelling::Deprecated
    } else {
        TagSpelling::Current
    }
}

/// A request broken in one way, and the answer it must get.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Broken {
    /// The broken request.
    pub request: CreateSnapshotRequest,
    /// The error [`validate`](crate::validate) must return for it. It is also the only entry
    /// of [`violations`](crate::violations), but for [`Defect::TooManyTags`]: 21 tags need an
    /// N outside 1 to 20, and that tag is reported too.
    pub expected: ApiError,
}

macro_rules! defects {
    ($( $(#[doc = $doc:literal])* $variant:ident, )+) => {
        /// One documented way to break a valid request.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Defect {
            $( $(#[doc = $doc])* $variant, )+
        }

        impl Defect {
            /// Every defect.
            pub const ALL: &'static [Defect] = &[ $( Defect::$variant, )+ ];
        }
    };
}

defects! {
    /// No DiskId.
    MissingDiskId,
    /// `DiskId=` (empty).
    EmptyDiskId,
    /// A SnapshotName of one character.
    SnapshotNameTooShort,
    /// A SnapshotName of 129 characters.
    SnapshotNameTooLong,
    /// A SnapshotName that starts with a digit.
    SnapshotNameStartsWithDigit,
    /// A SnapshotName with a character outside letters, digits, `:`, `_`, `-`.
    SnapshotNameForbiddenCharacter,
    /// A SnapshotName that starts with `auto`.
    SnapshotNameStartsWithAuto,
    /// A SnapshotName that starts with `http://`.
    SnapshotNameStartsWithHttp,
    /// A Description of one character.
    DescriptionTooShort,
    /// A Description of 257 characters (multi-byte).
    DescriptionTooLong,
    /// A Description that starts with `http://`.
    DescriptionStartsWithHttp,
    /// A Description that starts with `https://`.
    DescriptionStartsWithHttps,
    /// RetentionDays 0.
    RetentionDaysZero,
    /// RetentionDays 65537.
    RetentionDaysTooMany,
    /// RetentionDays that is not an integer.
    RetentionDaysNotAnInteger,
    /// A Category that is neither Standard nor Flash.
    CategoryUnknown,
    /// A ClientToken of 65 characters.
    ClientTokenTooLong,
    /// A ClientToken with a character that is not ASCII.
    ClientTokenNotAscii,
    /// 21 tags.
    TooManyTags,
    /// A tag with an empty key.
    TagKeyEmpty,
    /// A tag with only a value.
    TagKeyMissing,
    /// A tag key of 129 characters.
    TagKeyTooLong,
    /// A tag key that starts with `acs:`.
    TagKeyStartsWithAcs,
    /// A tag key that starts with `aliyun`.
    TagKeyStartsWithAliyun,
    /// A tag key that contains `https://`.
    TagKeyContainsUrl,
    /// A tag whose N is 0.
    TagIndexZero,
    /// A tag whose N is 21.
    TagIndexTooHigh,
    /// A tag value of 129 characters.
    TagValueTooLong,
    /// A tag value that starts with `acs:`.
    TagValueStartsWithAcs,
    /// A tag value that contains `http://`.
    TagValueContainsUrl,
    /// Two tags with the same key.
    DuplicateTagKey,
    /// InstantAccess that is not a boolean.
    InstantAccessNotABoolean,
    /// InstantAccessRetentionDays 0.
    InstantAccessRetentionDaysZero,
    /// InstantAccessRetentionDays 65536.
    InstantAccessRetentionDaysTooMany,
    /// Category and InstantAccess together.
    CategoryWithInstantAccess,
}

impl Defect {
    /// Breaks `valid` (a request that passes [`validate`](crate::validate)) in this one way.
    /// The other parameters are left as they are, except where the defect needs room: a new
    /// tag needs fewer than 20 tags, a Category needs InstantAccess gone and the reverse.
    pub fn apply(self, valid: &CreateSnapshotRequest) -> Broken {
        let mut request = valid.clone();
        let expected = self.break_into(&mut request);
        Broken { request, expected }
    }

    fn break_into(self, request: &mut CreateSnapshotRequest) -> ApiError {
        use Defect::*;
        let name = set_snapshot_name;
        let description = set_description;
        let retention = set_retention_days;
        let token = set_client_token;
        let instant_days = |request: &mut CreateSnapshotRequest, days: i64| {
            set_instant_access_retention_days(request, days.into())
        };
        match self {
            MissingDiskId | EmptyDiskId => {
                request.disk_id = (self == EmptyDiskId).then(String::new);
                ApiError::new(ErrorCode::MissingParameter).with_parameter("DiskId")
            }
            SnapshotNameTooShort => name(request, "s".to_owned()),
            SnapshotNameTooLong => name(request, "s".repeat(129)),
            SnapshotNameStartsWithDigit => name(request, "1snapshot".to_owned()),
            SnapshotNameForbiddenCharacter => name(request, "snap.shot".to_owned()),
            SnapshotNameStartsWithAuto => name(request, "auto-snapshot".to_owned()),
            SnapshotNameStartsWithHttp => name(request, "http://snapshot".to_owned()),
            DescriptionTooShort => description(request, "d".to_owned()),
            DescriptionTooLong => description(request, "快".repeat(257)),
            DescriptionStartsWithHttp => description(request, "http://example.com".to_owned()),
            DescriptionStartsWithHttps => description(request, "https://example.com".to_owned()),
            RetentionDaysZero => retention(request, 0.into()),
            RetentionDaysTooMany => retention(request, 65537.into()),
            RetentionDaysNotAnInteger => {
                retention(request, crate::Typed::Unparsable("thirty".to_owned()))
            }
            CategoryUnknown => set_category_text(request, "standard".to_owned()),
            ClientTokenTooLong => token(request, "t".repeat(65)),
            ClientTokenNotAscii => token(request, "token-é".to_owned()),
            TooManyTags => {
                // Tags 1 to 21: the base request's own, and new ones where N is free.
                request.tags.retain(|tag| tag_index_ok(tag.index));
                for n in 1..=21 {
                    if !request.tags.iter().any(|tag| tag.index == n) {
                        insert_tag(request, extra_tag(n, &format!("x-quota-{n}")));
                    }
                }
                ApiError::too_many_tags(request.tags.len())
            }
            TagKeyEmpty
            | TagKeyMissing
            | TagKeyTooLong
            | TagKeyStartsWithAcs
            | TagKeyStartsWithAliyun
            | TagKeyContainsUrl
            | TagIndexZero
            | TagIndexTooHigh => {
                let free = free_index(request);
                let index = match self {
                    TagIndexZero => 0,
                    TagIndexTooHigh => 21,
                    _ => free,
                };
                let mut tag = extra_tag(index, "x-key");
                tag.key = match self {
                    TagKeyEmpty => Some(String::new()),
                    TagKeyMissing => None,
                    TagKeyTooLong => Some("k".repeat(129)),
                    TagKeyStartsWithAcs => Some("acs:key".to_owned()),
                    TagKeyStartsWithAliyun => Some("aliyunkey".to_owned()),
                    TagKeyContainsUrl => Some("see https://example.com".to_owned()),
                    _ => tag.key,
                };
                if matches!(self, TagIndexZero | TagIndexTooHigh) {
                    tag.value = None;
                }
                add_bad_tag_key(request, tag)
            }
            TagValueTooLong | TagValueStartsWithAcs | TagValueContainsUrl => {
                let mut tag = extra_tag(free_index(request), "x-value");
                tag.value = Some(match self {
                    TagValueTooLong => "v".repeat(129),
                    TagValueStartsWithAcs => "acs:value".to_owned(),
                    _ => "see http://example.com".to_owned(),
                });
                add_bad_tag_value(request, tag)
            }
            DuplicateTagKey => {
                make_room(request, 2);
                let first = free_index(request);
                insert_tag(request, extra_tag(first, "x-twice"));
                let second = free_index(request);
                insert_tag(request, extra_tag(second, "x-twice"));
                // The later of the two in N order is the repeat.
                let later = first.max(second);
                ApiError::new(ErrorCode::DuplicateTagKey).with_parameter(format!("Tag.{later}.Key"))
            }
            InstantAccessNotABoolean => set_instant_access_text(request, "yes".to_owned()),
            InstantAccessRetentionDaysZero => instant_days(request, 0),
            InstantAccessRetentionDaysTooMany => instant_days(request, 65536),
            CategoryWithInstantAccess => {
                request.category = Some(SnapshotCategory::Standard.into());
                request.instant_access = Some(true.into());
                ApiError::new(ErrorCode::InvalidCategoryAndInstantAccessMalformed)
                    .with_parameter("Category")
            }
        }
    }
}

// Setters that put a value the caller knows to be invalid into a valid request, and return
// the error it must get. `Defect` uses them with fixed values; the proptest strategies with
// generated ones.

/// Sets a SnapshotName that breaks its rule.
pub(crate) fn set_snapshot_name(request: &mut CreateSnapshotRequest, name: String) -> ApiError {
    request.snapshot_name = Some(name);
    ApiError::new(ErrorCode::InvalidSnapshotNameMalformed).with_parameter("SnapshotName")
}

/// Sets a Description that breaks its rule.
pub(crate) fn set_description(request: &mut CreateSnapshotRequest, text: String) -> ApiError {
    request.description = Some(text);
    ApiError::new(ErrorCode::InvalidDescriptionMalformed).with_parameter("Description")
}

/// Sets a RetentionDays out of range or not an integer.
pub(crate) fn set_retention_days(
    request: &mut CreateSnapshotRequest,
    days: crate::Typed<i64>,
) -> ApiError {
    request.retention_days = Some(days);
    ApiError::new(ErrorCode::InvalidRetentionDaysMalformed).with_parameter("RetentionDays")
}

/// Sets a ClientToken that breaks its rule.
pub(crate) fn set_client_token(request: &mut CreateSnapshotRequest, token: String) -> ApiError {
    request.client_token = Some(token);
    ApiError::new(ErrorCode::InvalidClientTokenMalformed).with_parameter("ClientToken")
}

/// Sets an InstantAccessRetentionDays out of range or not an integer.
pub(crate) fn set_instant_access_retention_days(
    request: &mut CreateSnapshotRequest,
    days: crate::Typed<i64>,
) -> ApiError {
    request.instant_access_retention_days = Some(days);
    ApiError::new(ErrorCode::InvalidInstantAccessRetentionDaysMalformed)
        .with_parameter("InstantAccessRetentionDays")
}

/// Sets a Category that is neither `Standard` nor `Flash`, without InstantAccess.
pub(crate) fn set_category_text(request: &mut CreateSnapshotRequest, text: String) -> ApiError {
    request.instant_access = None;
    request.category = Some(crate::Typed::Unparsable(text));
    ApiError::new(ErrorCode::InvalidSnapshotCategoryMalformed).with_parameter("Category")
}

/// Sets an InstantAccess that is not a boolean, without Category.
pub(crate) fn set_instant_access_text(
    request: &mut CreateSnapshotRequest,
    text: String,
) -> ApiError {
    request.category = None;
    request.instant_access = Some(crate::Typed::Unparsable(text));
    ApiError::invalid_parameter("InstantAccess")
}

/// Adds a tag whose key (or N) is bad; its value, if any, must be valid and its key unlike
/// any other.
pub(crate) fn add_bad_tag_key(request: &mut CreateSnapshotRequest, tag: Tag) -> ApiError {
    let parameter = tag.key_parameter();
    insert_tag(request, tag);
    ApiError::new(ErrorCode::InvalidTagKeyMalformed).with_parameter(parameter)
}

/// Adds a tag with a valid, new key and a bad value.
pub(crate) fn add_bad_tag_value(request: &mut CreateSnapshotRequest, tag: Tag) -> ApiError {
    let parameter = tag.value_parameter();
    insert_tag(request, tag);
    ApiError::new(ErrorCode::InvalidTagValueMalformed).with_parameter(parameter)
}

/// A valid tag whose key no valid request uses.
pub(crate) fn extra_tag(index: u32, key: &str) -> Tag {
    Tag {
        index,
        key: Some(key.to_owned()),
        value: Some("v".to_owned()),
        ..Tag::default()
    }
}

/// Makes room for `more` tags: drops tags with N outside 1..=20, then the last ones until
/// `more` fit within 20.
fn make_room(request: &mut CreateSnapshotRequest, more: usize) {
    request.tags.retain(|tag| tag_index_ok(tag.index));
    request.tags.truncate(MAX_TAGS - more);
}

/// An index in 1..=20 that no tag of `request` uses, after making room for one more tag.
pub(crate) fn free_index(request: &mut CreateSnapshotRequest) -> u32 {
    make_room(request, 1);
    TAG_INDEX
        .clone()
        .find(|n| !request.tags.iter().any(|tag| tag.index == *n))
        .unwrap_or(1)
}

/// Adds a tag whose N no other tag has, keeping ascending N.
fn insert_tag(request: &mut CreateSnapshotRequest, tag: Tag) {
    request.tags.push(tag);
    request.tags.sort_by_key(|t| t.index);
}
