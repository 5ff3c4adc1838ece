//! Why a parameter of the table is deprecated, and what to do instead.

/// How the API reference deprecates a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Deprecation {
    /// It will be removed: use the named parameter instead.
    ReplacedBy(&'static str),
    /// The current reference marks it "no longer used": leave it out. It still takes effect
    /// for some accounts, which the text says (e.g. "for accounts that used local snapshots
    /// before 2020-12-14").
    NoLongerUsed {
        /// Where it still takes effect, in a few words.
        still_for: &'static str,
    },
}
