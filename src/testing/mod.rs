//! Requests for fuzzing campaigns and property tests: [`oracle`] makes valid requests from a
//! seed and breaks them in exactly one documented way, with the answer the API must give;
//! with the cargo feature `proptest`, `strategy` has proptest strategies over the whole
//! documented space.

pub mod oracle;
pub(crate) mod splitmix;
#[cfg(feature = "proptest")]
#[cfg_attr(docsrs, doc(cfg(feature = "proptest")))]
pub mod strategy;
