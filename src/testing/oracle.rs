//! Requests for fuzzing campaigns and property tests: valid ones from a seed, and ones broken
//! in exactly one documented way together with the error the API must answer.
//!
//! ```
//! use ecs_snapshot_rules::testing::oracle::{valid_request, Defect};
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

use std::borrow::Cow;

use super::splitmix::SplitMix64;
use crate::catalogue::{ApiError, ErrorCode};
use crate::request::{
    CreateSnapshotRequest, Parameter, SnapshotCategory, Tag, TagSpelling, MAX_TAGS, TAG_INDEX,
};

/// Letters a SnapshotName may start with: English, Chinese, and other scripts' (D224).
const LETTERS: &[char] = &[
    'a', 'b', 'k', 'q', 'z', 'A', 'B', 'K', 'Q', 'Z', 's', 'S', 'x', 'X', '快', '照', 'é', 'ж',
];
const NAME_CHARS: &[char] = &[
    'a', 'Z', 'm', '0', '7', '9', ':', '_', '-', '.', 'q', 'R', '备', '份', 'ß', 'の',
];
/// Free text: ASCII, punctuation, and characters of two, three and four bytes.
const TEXT_CHARS: &[char] = &[
    'a', 'Z', ' ', '0', '.', '/', ':', '%', '+', '&', '=', 'é', 'ß', '快', '照', '🙂',
];
/// Tag text: like free text but without `:` and `/`, so no prefix or URL forms by chance.
const TAG_CHARS: &[char] = &['a', 'Z', ' ', '0', '.', '-', '_', 'é', '快', '🙂', '=', '&'];

/// A valid request, chosen by `seed`: every optional parameter present or not, lengths often
/// at their bounds, multi-byte text (Chinese names among it), deprecated tag spellings,
/// `Category` in any letter case, `InstantAccess`, or both with `InstantAccess=false`, and
/// `InstantAccessRetentionDays` out of its range where `InstantAccess` is not true.
pub fn valid_request(seed: u64) -> CreateSnapshotRequest<'static> {
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
        request.snapshot_name = Some(name.into());
    }
    if rng.chance(60) {
        let length = rng.length(2, 256);
        let mut description = rng.text(TEXT_CHARS, length);
        if description.starts_with("http") {
            description.replace_range(..1, "H");
        }
        request.description = Some(description.into());
    }
    if rng.chance(50) {
        request.retention_days = Some(rng.length(1, 65536).try_into().unwrap_or(1).into());
    }
    if rng.chance(50) {
        let length = rng.length(0, 64);
        let token: String = (0..length)
            .map(|_| char::from(rng.between(32, 126) as u8))
            .collect();
        request.client_token = Some(token.into());
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
            (Some(rng.text(TAG_CHARS, length).into()), spelling(&mut rng))
        } else {
            (None, TagSpelling::Current)
        };
        request.tags.insert(Tag {
            index: n as u32,
            key: Some(key.into()),
            value,
            key_spelling,
            value_spelling,
        });
    }
    if rng.chance(30) {
        request.resource_group_id =
            Some(format!("rg-{:012x}", rng.next_u64() & 0xFFFF_FFFF_FFFF).into());
    }
    match rng.next_u64() % 5 {
        0 => {
            // Any letter case (D221): `standard` is what the Terraform provider sends.
            let category = *rng.pick(&["Standard", "Flash", "standard", "flash", "FLASH"]);
            request.set(Parameter::Category, category);
        }
        1 => request = request.instant_access(rng.chance(50)),
        // Category beside InstantAccess=false (D222).
        2 => {
            request = request
                .category(SnapshotCategory::Standard)
                .instant_access(false);
        }
        _ => {}
    }
    if rng.chance(30) {
        let days = if request.wants_instant_access() || rng.chance(50) {
            rng.length(1, 65535).try_into().unwrap_or(1)
        } else {
            // Not judged without InstantAccess=true (D223): the CSI driver sent 0.
            *rng.pick(&[0, -1, 65536, 1 << 40])
        };
        request.instant_access_retention_days = Some(days.into());
    }
    if rng.chance(20) {
        request
            .other_parameters
            .push((Cow::Borrowed("RegionId"), Cow::Borrowed("cn-hangzhou")));
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
    pub request: CreateSnapshotRequest<'static>,
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
    /// A SnapshotName with a character outside letters, digits, `:`, `_`, `.`, `-`.
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
    /// A tag value that contains `http://`.
    TagValueContainsUrl,
    /// Two tags with the same key.
    DuplicateTagKey,
    /// InstantAccess that is not a boolean.
    InstantAccessNotABoolean,
    /// InstantAccessRetentionDays 0, with InstantAccess=true.
    InstantAccessRetentionDaysZero,
    /// InstantAccessRetentionDays 65536, with InstantAccess=true.
    InstantAccessRetentionDaysTooMany,
    /// Category together with InstantAccess=true.
    CategoryWithInstantAccess,
}

impl Defect {
    /// Breaks `valid` (a request that passes [`validate`](crate::validate)) in this one way.
    /// The other parameters are left as they are, except where the defect needs room: a new
    /// tag needs fewer than 20 tags, a Category needs InstantAccess gone and the reverse, and
    /// InstantAccessRetentionDays, judged only with InstantAccess=true, needs it (and no
    /// Category).
    pub fn apply(self, valid: &CreateSnapshotRequest<'_>) -> Broken {
        let mut request = valid.clone().into_owned();
        let expected = self.break_into(&mut request);
        Broken { request, expected }
    }

    fn break_into(self, request: &mut CreateSnapshotRequest<'static>) -> ApiError {
        use Defect::*;
        let set = |request: &mut CreateSnapshotRequest<'static>, parameter, text: &str| {
            break_with(request, parameter, text.to_owned())
        };
        match self {
            MissingDiskId | EmptyDiskId => {
                request.disk_id = (self == EmptyDiskId).then(Cow::default);
                expected_refusal(Parameter::DiskId)
            }
            SnapshotNameTooShort => set(request, Parameter::SnapshotName, "s"),
            SnapshotNameTooLong => set(request, Parameter::SnapshotName, &"s".repeat(129)),
            SnapshotNameStartsWithDigit => set(request, Parameter::SnapshotName, "1snapshot"),
            SnapshotNameForbiddenCharacter => set(request, Parameter::SnapshotName, "snap/shot"),
            SnapshotNameStartsWithAuto => set(request, Parameter::SnapshotName, "auto-snapshot"),
            SnapshotNameStartsWithHttp => set(request, Parameter::SnapshotName, "http://snapshot"),
            DescriptionTooShort => set(request, Parameter::Description, "d"),
            DescriptionTooLong => set(request, Parameter::Description, &"快".repeat(257)),
            DescriptionStartsWithHttp => set(request, Parameter::Description, "http://example.com"),
            DescriptionStartsWithHttps => {
                set(request, Parameter::Description, "https://example.com")
            }
            RetentionDaysZero => set(request, Parameter::RetentionDays, "0"),
            RetentionDaysTooMany => set(request, Parameter::RetentionDays, "65537"),
            RetentionDaysNotAnInteger => set(request, Parameter::RetentionDays, "thirty"),
            CategoryUnknown => set(request, Parameter::Category, "Local"),
            ClientTokenTooLong => set(request, Parameter::ClientToken, &"t".repeat(65)),
            ClientTokenNotAscii => set(request, Parameter::ClientToken, "token-é"),
            TooManyTags => {
                // Tags 1 to 21: the base request's own, and new ones where N is free.
                request.tags.retain(|tag| TAG_INDEX.contains(&tag.index));
                for n in 1..=21 {
                    if request.tags.get(n).is_none() {
                        insert_tag(request, extra_tag(n, &format!("x-quota-{n}")));
                    }
                }
                crate::rules::too_many_tags(request.tags.len())
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
                    TagKeyEmpty => Some(Cow::default()),
                    TagKeyMissing => None,
                    TagKeyTooLong => Some("k".repeat(129).into()),
                    TagKeyStartsWithAcs => Some("acs:key".into()),
                    TagKeyStartsWithAliyun => Some("aliyunkey".into()),
                    TagKeyContainsUrl => Some("see https://example.com".into()),
                    _ => tag.key,
                };
                if matches!(self, TagIndexZero | TagIndexTooHigh) {
                    tag.value = None;
                }
                add_bad_tag_key(request, tag)
            }
            TagValueTooLong | TagValueContainsUrl => {
                let mut tag = extra_tag(free_index(request), "x-value");
                tag.value = Some(match self {
                    TagValueTooLong => "v".repeat(129).into(),
                    _ => "see http://example.com".into(),
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
            InstantAccessNotABoolean => set(request, Parameter::InstantAccess, "yes"),
            InstantAccessRetentionDaysZero | InstantAccessRetentionDaysTooMany => {
                request.remove(Parameter::Category);
                request.instant_access = Some(true.into());
                let days = if self == InstantAccessRetentionDaysZero {
                    "0"
                } else {
                    "65536"
                };
                set(request, Parameter::InstantAccessRetentionDays, days)
            }
            CategoryWithInstantAccess => {
                request.category = Some(SnapshotCategory::Standard.into());
                request.instant_access = Some(true.into());
                // Judged now that InstantAccess is true (D223): out of its range, it goes.
                let in_range = request
                    .instant_access_retention_days
                    .as_ref()
                    .and_then(|days| days.value())
                    .is_some_and(|days| (1..=65535).contains(&days));
                if !in_range {
                    request.remove(Parameter::InstantAccessRetentionDays);
                }
                ApiError::new(ErrorCode::InvalidCategoryAndInstantAccessMalformed)
                    .with_parameter(Parameter::Category.name())
            }
        }
    }
}

/// The error a value that breaks `parameter`'s rule gets, as the parameter table names it.
pub(crate) fn expected_refusal(parameter: Parameter) -> ApiError {
    match parameter.code() {
        Some(ErrorCode::InvalidParameter) | None => ApiError::invalid_parameter(parameter.name()),
        Some(code) => ApiError::new(code).with_parameter(parameter.name()),
    }
}

/// Sets `parameter` of a valid request to `text`, which the caller knows to break its rule,
/// and returns the error it must get. A parameter that excludes another (`Category`,
/// `InstantAccess`) drops the other, so that only its own rule is broken.
fn break_with(
    request: &mut CreateSnapshotRequest<'static>,
    parameter: Parameter,
    text: String,
) -> ApiError {
    match parameter {
        Parameter::Category => request.remove(Parameter::InstantAccess),
        Parameter::InstantAccess => request.remove(Parameter::Category),
        _ => {}
    }
    request.set(parameter, text);
    expected_refusal(parameter)
}

/// Adds a tag whose key (or N) is bad; its value, if any, must be valid and its key unlike
/// any other.
pub(crate) fn add_bad_tag_key(
    request: &mut CreateSnapshotRequest<'static>,
    tag: Tag<'static>,
) -> ApiError {
    let parameter = tag.key_parameter();
    insert_tag(request, tag);
    ApiError::new(ErrorCode::InvalidTagKeyMalformed).with_parameter(parameter)
}

/// Adds a tag with a valid, new key and a bad value.
pub(crate) fn add_bad_tag_value(
    request: &mut CreateSnapshotRequest<'static>,
    tag: Tag<'static>,
) -> ApiError {
    let parameter = tag.value_parameter();
    insert_tag(request, tag);
    ApiError::new(ErrorCode::InvalidTagValueMalformed).with_parameter(parameter)
}

/// A valid tag whose key no valid request uses.
pub(crate) fn extra_tag(index: u32, key: &str) -> Tag<'static> {
    Tag::new(index, key.to_owned(), "v")
}

/// Makes room for `more` tags: drops tags with N outside 1..=20, then the last ones until
/// `more` fit within 20.
fn make_room(request: &mut CreateSnapshotRequest<'_>, more: usize) {
    request.tags.retain(|tag| TAG_INDEX.contains(&tag.index));
    let keep = MAX_TAGS - more;
    let mut kept = 0;
    request.tags.retain(|_| {
        kept += 1;
        kept <= keep
    });
}

/// An index in 1..=20 that no tag of `request` uses, after making room for one more tag.
pub(crate) fn free_index(request: &mut CreateSnapshotRequest<'_>) -> u32 {
    make_room(request, 1);
    TAG_INDEX
        .clone()
        .find(|n| request.tags.get(*n).is_none())
        .unwrap_or(1)
}

/// Adds a tag whose N no other tag has.
fn insert_tag(request: &mut CreateSnapshotRequest<'static>, tag: Tag<'static>) {
    request.tags.insert(tag);
}
