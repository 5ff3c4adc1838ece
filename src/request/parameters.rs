//! The parameter table: every request parameter of CreateSnapshot, declared once, in the
//! order of the API reference's request table (which is also the order the rules judge them
//! in, `docs/DECISIONS.md` D1).
//!
//! Each row gives the parameter's name on the wire, its field and type in
//! [`CreateSnapshotRequest`], its documented constraint ([`Rule`]), the error a value that
//! breaks it gets, and, for a deprecated parameter, why ([`Deprecation`]). From the table come the
//! [`Parameter`] enum, the request's fields and builder methods, reading a parameter from its
//! wire text, the owned form, and the walk in table order that the rules, the writers and the
//! generators use. Adding a parameter is adding a row (and, when its constraint is new, a
//! rule to judge it).

use std::borrow::Cow;
use std::ops::ControlFlow;

use super::deprecation::Deprecation;
use super::tags::Tags;
use super::text_format::TextFormat;
use super::value::{FieldType, SnapshotCategory, Typed, Value};
use crate::catalogue::ErrorCode;

/// What the documents say a parameter's value must be: the table's column of constraints, which
/// the rules judge by, the generators draw values inside and outside of, and the tests compare
/// with the project's transcription of the documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Present and not empty (`DiskId`).
    Required,
    /// Text of `min` to `max` characters (Unicode scalar values, not bytes), in a format.
    Text {
        /// The fewest characters.
        min: usize,
        /// The most characters.
        max: usize,
        /// What else the text must (not) hold.
        format: TextFormat,
    },
    /// An integer from `min` to `max`.
    Integer {
        /// The lowest value.
        min: i64,
        /// The highest value.
        max: i64,
    },
    /// `true` or `false`.
    Boolean,
    /// One of these values, in any ASCII letter case.
    OneOf(&'static [&'static str]),
    /// `rule`, judged only when `flag` (a boolean parameter) is the boolean `true`; any
    /// value otherwise, where it has no effect (`InstantAccessRetentionDays`, which "takes
    /// effect only when InstantAccess is set to true").
    WhenTrue {
        /// The boolean parameter the rule depends on.
        flag: Parameter,
        /// The rule while it is true.
        rule: &'static Rule,
    },
    /// Nothing the request alone can break: the state it meets judges it
    /// (`ResourceGroupId` must name a resource group of the account).
    Unchecked,
}

/// What the request holds at one place of the table.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Slot<'r, 'a> {
    /// A parameter that comes once: its value, if present.
    Scalar(Parameter, Option<Value<'r>>),
    /// The tag list, at its place (`Tag.N.Key` and `Tag.N.Value` together).
    Tags(&'r Tags<'a>),
}

/// What walks the table ([`CreateSnapshotRequest::walk`]): told of each place in its order.
/// A closure is one; the rules implement it on a type of their own so that the visit of each
/// place can be inlined (always), and folds to that parameter's own code.
pub(crate) trait Visit<'r, 'a: 'r> {
    /// What stops the walk.
    type Break;

    /// One place of the table.
    fn visit(&mut self, slot: Slot<'r, 'a>) -> ControlFlow<Self::Break>;
}

impl<'r, 'a: 'r, B, F: FnMut(Slot<'r, 'a>) -> ControlFlow<B>> Visit<'r, 'a> for F {
    type Break = B;

    #[inline]
    fn visit(&mut self, slot: Slot<'r, 'a>) -> ControlFlow<B> {
        self(slot)
    }
}

/// The parameter came before: a request may carry each one once (`docs/DECISIONS.md`, D9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Repeated;

fn set<T>(slot: &mut Option<T>, value: T) -> Result<(), Repeated> {
    if slot.is_some() {
        return Err(Repeated);
    }
    *slot = Some(value);
    Ok(())
}

macro_rules! parameters {
    (
        $(
            $(#[doc = $doc:literal])*
            $variant:ident => $field:ident: $ty:ty = $wire:literal, $rule:expr, $code:expr, $deprecation:expr;
        )*
        @tags {
            $(
                $(#[doc = $tag_doc:literal])*
                $tag_variant:ident = $tag_wire:literal, $tag_rule:expr, $tag_code:expr;
            )*
        }
        $(
            $(#[doc = $after_doc:literal])*
            $after_variant:ident => $after_field:ident: $after_ty:ty = $after_wire:literal, $after_rule:expr, $after_code:expr, $after_deprecation:expr;
        )*
    ) => {
        /// A request parameter of CreateSnapshot: one row of the parameter table.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Parameter {
            $( $(#[doc = $doc])* $variant, )*
            $( $(#[doc = $tag_doc])* $tag_variant, )*
            $( $(#[doc = $after_doc])* $after_variant, )*
        }

        impl Parameter {
            /// Every parameter, in the order of the API reference's request table.
            pub const ALL: &'static [Parameter] = &[
                $( Parameter::$variant, )*
                $( Parameter::$tag_variant, )*
                $( Parameter::$after_variant, )*
            ];

            /// The name on the wire, `N` standing for a tag's number: `DiskId`, `Tag.N.Key`.
            pub const fn name(self) -> &'static str {
                match self {
                    $( Parameter::$variant => $wire, )*
                    $( Parameter::$tag_variant => $tag_wire, )*
                    $( Parameter::$after_variant => $after_wire, )*
                }
            }

            /// The documented constraint of its value.
            pub const fn rule(self) -> Rule {
                match self {
                    $( Parameter::$variant => $rule, )*
                    $( Parameter::$tag_variant => $tag_rule, )*
                    $( Parameter::$after_variant => $after_rule, )*
                }
            }

            /// The error a value that breaks the rule gets (`None` when the request alone
            /// cannot break it).
            pub const fn code(self) -> Option<ErrorCode> {
                match self {
                    $( Parameter::$variant => $code, )*
                    $( Parameter::$tag_variant => $tag_code, )*
                    $( Parameter::$after_variant => $after_code, )*
                }
            }

            /// For a deprecated parameter, why, and what to do instead. (The deprecated
            /// spellings of the tag fields are [`TagSpelling`](super::TagSpelling)s.)
            pub const fn deprecation(self) -> Option<Deprecation> {
                match self {
                    $( Parameter::$variant => $deprecation, )*
                    $( Parameter::$tag_variant => None, )*
                    $( Parameter::$after_variant => $after_deprecation, )*
                }
            }

            /// For a parameter deprecated in favour of another, the one to use instead.
            pub const fn replacement(self) -> Option<&'static str> {
                match self.deprecation() {
                    Some(Deprecation::ReplacedBy(other)) => Some(other),
                    Some(Deprecation::NoLongerUsed { .. }) | None => None,
                }
            }

            /// Whether it is a field of a tag (`Tag.N.Key`, `Tag.N.Value`), which a request
            /// holds in its tag list.
            pub const fn is_tag(self) -> bool {
                matches!(self, $( Parameter::$tag_variant )|*)
            }

            /// The parameter a wire name names, but a tag's (`Tag.3.Key`:
            /// [`Name::classify`](super::Name::classify) reads those). Case-sensitive.
            pub fn from_name(name: &str) -> Option<Parameter> {
                match name {
                    $( $wire => Some(Parameter::$variant), )*
                    $( $after_wire => Some(Parameter::$after_variant), )*
                    _ => None,
                }
            }
        }

        /// A CreateSnapshot request: every request parameter of the API reference, and
        /// whatever else came with it.
        ///
        /// Every parameter is an `Option`: `None` is absent, `Some("")` is present but empty,
        /// and the rules treat the two differently. Numbers and booleans are [`Typed`], so
        /// that a value that is not of its type (`RetentionDays=abc`) is kept and judged, not
        /// lost at parse time. Text is a `Cow`: a request read from the wire borrows what
        /// decoding leaves as it is, and [`into_owned`](CreateSnapshotRequest::into_owned)
        /// makes it independent of its input.
        ///
        /// Build one in code with [`CreateSnapshotRequest::new`] and the builder methods
        /// (one per parameter), or read one from the wire with
        /// [`parse_query`](crate::parse_query), [`parse_pairs`](crate::parse_pairs) or
        /// [`parse_json`](crate::parse_json).
        ///
        /// ```
        /// use ecs_snapshot_rules::{validate, CreateSnapshotRequest};
        ///
        /// let request = CreateSnapshotRequest::new("d-bp1s5fnvk4gn2tws0****")
        ///     .snapshot_name("nightly-2026-11-27")
        ///     .retention_days(30)
        ///     .tag("env", "prod");
        /// assert_eq!(validate(&request), Ok(()));
        /// ```
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        pub struct CreateSnapshotRequest<'a> {
            $( $(#[doc = $doc])* pub $field: Option<$ty>, )*
            /// `Tag.N.Key` / `Tag.N.Value` (or their deprecated spellings), one entry per N
            /// given, in ascending N.
            pub tags: Tags<'a>,
            $( $(#[doc = $after_doc])* pub $after_field: Option<$after_ty>, )*
            /// Every other parameter that came with the request, in order: common parameters
            /// (`RegionId`, `Signature`, ...) and names the API does not know, which it
            /// ignores.
            pub other_parameters: Vec<(Cow<'a, str>, Cow<'a, str>)>,
        }

        impl<'a> CreateSnapshotRequest<'a> {
            $(
                #[doc = concat!("Sets `", $wire, "`.")]
                pub fn $field(mut self, value: impl Into<$ty>) -> Self {
                    self.$field = Some(value.into());
                    self
                }
            )*
            $(
                #[doc = concat!("Sets `", $after_wire, "`.")]
                pub fn $after_field(mut self, value: impl Into<$after_ty>) -> Self {
                    self.$after_field = Some(value.into());
                    self
                }
            )*

            /// What the request holds for `parameter`, as the rules see it; `None` when it is
            /// absent, and for the tag fields, which are in [`tags`](Self::tags).
            pub fn get(&self, parameter: Parameter) -> Option<Value<'_>> {
                match parameter {
                    $( Parameter::$variant => self.$field.as_ref().map(FieldType::value), )*
                    $( Parameter::$tag_variant => None, )*
                    $( Parameter::$after_variant => self.$after_field.as_ref().map(FieldType::value), )*
                }
            }

            /// Sets `parameter` from its wire text, as a reader of the wire would (text
            /// that is not of the parameter's type is kept as such), replacing what was there.
            /// The tag fields are set through [`tags`](Self::tags) instead: for them this
            /// does nothing.
            pub fn set(&mut self, parameter: Parameter, text: impl Into<Cow<'a, str>>) {
                self.remove(parameter);
                let _ = self.set_read(parameter, text.into());
            }

            /// Makes `parameter` absent. The tag fields are removed through
            /// [`tags`](Self::tags) instead: for them this does nothing.
            pub fn remove(&mut self, parameter: Parameter) {
                match parameter {
                    $( Parameter::$variant => self.$field = None, )*
                    $( Parameter::$tag_variant => {}, )*
                    $( Parameter::$after_variant => self.$after_field = None, )*
                }
            }

            /// Sets a parameter that is not a tag's from its wire text, unless it is set
            /// already.
            pub(crate) fn set_read(
                &mut self,
                parameter: Parameter,
                text: Cow<'a, str>,
            ) -> Result<(), Repeated> {
                match parameter {
                    $( Parameter::$variant => set(&mut self.$field, FieldType::read(text)), )*
                    $( Parameter::$tag_variant => Ok(()), )*
                    $( Parameter::$after_variant => set(&mut self.$after_field, FieldType::read(text)), )*
                }
            }

            /// Sets a parameter that is not a tag's from a JSON integer, unless it is set
            /// already.
            pub(crate) fn set_integer(
                &mut self,
                parameter: Parameter,
                number: i64,
            ) -> Result<(), Repeated> {
                match parameter {
                    $( Parameter::$variant => set(&mut self.$field, FieldType::read_integer(number)), )*
                    $( Parameter::$tag_variant => Ok(()), )*
                    $( Parameter::$after_variant => set(&mut self.$after_field, FieldType::read_integer(number)), )*
                }
            }

            /// Calls `visit` at each place of the table, in its order: each parameter that
            /// comes once with its value, and the tag list once, at the place of its fields.
            /// Written out in full, so that each call is made with a constant parameter and
            /// a visitor that is inlined folds to that parameter's own code.
            #[inline(always)]
            pub(crate) fn walk<'r, V: Visit<'r, 'a>>(
                &'r self,
                mut visitor: V,
            ) -> ControlFlow<V::Break> {
                $( visitor.visit(Slot::Scalar(Parameter::$variant, self.$field.as_ref().map(FieldType::value)))?; )*
                visitor.visit(Slot::Tags(&self.tags))?;
                $( visitor.visit(Slot::Scalar(Parameter::$after_variant, self.$after_field.as_ref().map(FieldType::value)))?; )*
                ControlFlow::Continue(())
            }

            /// The same request, owning all its text, independent of the input it was read
            /// from.
            pub fn into_owned(self) -> CreateSnapshotRequest<'static> {
                CreateSnapshotRequest {
                    $( $field: self.$field.map(FieldType::into_owned), )*
                    tags: self.tags.into_owned(),
                    $( $after_field: self.$after_field.map(FieldType::into_owned), )*
                    other_parameters: self
                        .other_parameters
                        .into_iter()
                        .map(|(name, value)| {
                            (Cow::Owned(name.into_owned()), Cow::Owned(value.into_owned()))
                        })
                        .collect(),
                }
            }
        }
    };
}

parameters! {
    /// `DiskId`: the disk (or Shared Block Storage device) to snapshot; the one required
    /// parameter.
    DiskId => disk_id: Cow<'a, str> = "DiskId",
        Rule::Required, Some(ErrorCode::MissingParameter), None;
    /// `SnapshotName`.
    SnapshotName => snapshot_name: Cow<'a, str> = "SnapshotName",
        Rule::Text { min: 2, max: 128, format: TextFormat::SnapshotName },
        Some(ErrorCode::InvalidSnapshotNameMalformed), None;
    /// `Description`.
    Description => description: Cow<'a, str> = "Description",
        Rule::Text { min: 2, max: 256, format: TextFormat::NoUrlPrefix },
        Some(ErrorCode::InvalidDescriptionMalformed), None;
    /// `RetentionDays`, in days: the snapshot is released when they are over.
    RetentionDays => retention_days: Typed<'a, i64> = "RetentionDays",
        Rule::Integer { min: 1, max: 65536 },
        Some(ErrorCode::InvalidRetentionDaysMalformed), None;
    /// `Category` (no longer used: `Standard` or `Flash`, in any letter case).
    Category => category: Typed<'a, SnapshotCategory> = "Category",
        Rule::OneOf(&["Standard", "Flash"]),
        Some(ErrorCode::InvalidSnapshotCategoryMalformed), Some(LEGACY);
    /// `ClientToken`, for idempotency.
    ClientToken => client_token: Cow<'a, str> = "ClientToken",
        Rule::Text { min: 0, max: 64, format: TextFormat::Ascii },
        Some(ErrorCode::InvalidClientTokenMalformed), None;
    @tags {
        /// `Tag.N.Key`: the key of tag N (deprecated spelling `Tag.N.key`).
        TagKey = "Tag.N.Key",
            Rule::Text { min: 1, max: 128, format: TextFormat::TagKey },
            Some(ErrorCode::InvalidTagKeyMalformed);
        /// `Tag.N.Value`: the value of tag N (deprecated spelling `Tag.N.value`).
        TagValue = "Tag.N.Value",
            Rule::Text { min: 0, max: 128, format: TextFormat::TagValue },
            Some(ErrorCode::InvalidTagValueMalformed);
    }
    /// `ResourceGroupId`.
    ResourceGroupId => resource_group_id: Cow<'a, str> = "ResourceGroupId",
        Rule::Unchecked, None, None;
    /// `InstantAccess` (no longer used).
    InstantAccess => instant_access: Typed<'a, bool> = "InstantAccess",
        Rule::Boolean, Some(ErrorCode::InvalidParameter), Some(LEGACY);
    /// `InstantAccessRetentionDays`, in days (no longer used; judged only when
    /// `InstantAccess` is true).
    InstantAccessRetentionDays => instant_access_retention_days: Typed<'a, i64> = "InstantAccessRetentionDays",
        Rule::WhenTrue { flag: Parameter::InstantAccess, rule: &Rule::Integer { min: 1, max: 65535 } },
        Some(ErrorCode::InvalidInstantAccessRetentionDaysMalformed), Some(LEGACY);
    /// `StorageLocationArn`: "unavailable for public use"; the state it meets judges whether
    /// the caller may name it.
    StorageLocationArn => storage_location_arn: Cow<'a, str> = "StorageLocationArn",
        Rule::Unchecked, None, None;
}

/// The deprecation of `Category`, `InstantAccess` and `InstantAccessRetentionDays`: the
/// current reference marks them no longer used, and they still take effect only for accounts
/// that used local snapshots before 2020-12-14.
const LEGACY: Deprecation = Deprecation::NoLongerUsed {
    still_for: "accounts that used local snapshots before 2020-12-14",
};
