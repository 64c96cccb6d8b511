//! The types of [`sip-responses`](https://docs.rs/sip-responses) without its proc macros.
//! Depend on `sip-responses`, which re-exports everything here (and, with its `derive`
//! feature, `#[derive(SipResponses)]` and `include_spec!`); this crate exists so that the
//! types compile in parallel with syn and the macros, as `serde_core` does for serde.
#![no_std]
#![deny(missing_docs)]
// One exception, `parse::reason_str`, with its proof and its test.
#![deny(unsafe_code)]
#![warn(clippy::pedantic)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(any(feature = "alloc", feature = "rsip", feature = "rsipstack"))]
extern crate alloc;

/// Calls `$mac!` with every enum of the bundled IANA set: the one list the optional trait
/// impls (serde, defmt, arbitrary) share.
#[allow(unused_macros)]
macro_rules! for_iana_types {
    ($mac:path) => {
        $mac!(
            crate::StatusCode,
            crate::Provisional,
            crate::Success,
            crate::Redirection,
            crate::ClientError,
            crate::ServerError,
            crate::GlobalFailure
        );
    };
}

// Generated code names this crate by its absolute path, also inside the crate itself.
extern crate self as sip_responses;

/// What generated code calls (macros and helpers shared by every generated set). Not public
/// API.
#[doc(hidden)]
#[path = "private/mod.rs"]
pub mod __private;
mod class;
mod code;
mod error;
#[rustfmt::skip]
mod iana;
#[cfg(feature = "alloc")]
mod owned;
pub mod parse;
pub mod q850;
mod rules;
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
pub mod serde;
mod status;
#[cfg(feature = "arbitrary")]
#[cfg_attr(docsrs, doc(cfg(feature = "arbitrary")))]
pub mod with_arbitrary;
#[cfg(feature = "defmt")]
#[cfg_attr(docsrs, doc(cfg(feature = "defmt")))]
pub mod with_defmt;
#[cfg(feature = "ezk-sip-types")]
#[cfg_attr(docsrs, doc(cfg(feature = "ezk-sip-types")))]
pub mod with_ezk;
#[cfg(feature = "rsip")]
#[cfg_attr(docsrs, doc(cfg(feature = "rsip")))]
pub mod with_rsip;
#[cfg(feature = "rsipstack")]
#[cfg_attr(docsrs, doc(cfg(feature = "rsipstack")))]
pub mod with_rsipstack;

pub use class::Class;
pub use code::{Code, HeaderRequirement, RawCode, RequirementLevel, ResponseCode};
pub use error::{CodeError, ParseError, ParseErrorKind, ReasonError};
pub use iana::*;
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use owned::OwnedStatus;
pub use parse::{LenientStatusLine, Relaxed, StatusLine};
pub use status::{check_reason_phrase, Status, StatusText};

#[cfg(feature = "serde")]
/// `Serialize` and `Deserialize` for generated enums (the number; see the module docs).
/// Generated code calls it when the `serde` option is on.
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_serde {
    ($($ty:ty),* $(,)?) => {$(
        #[automatically_derived]
        impl $crate::serde::Serialize for $ty {
            fn serialize<S: $crate::serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::serde::serialize(self, s)
            }
        }

        #[automatically_derived]
        impl<'de> $crate::serde::Deserialize<'de> for $ty {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
                $crate::serde::deserialize(d)
            }
        }
    )*};
}

/// Without the `serde` feature, the `serde` option of generated code says what to enable.
#[cfg(not(feature = "serde"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_serde {
    ($($ty:ty),* $(,)?) => {
        ::core::compile_error!(
            "the `serde` option needs the `serde` feature of sip-responses: features = [\"serde\"]"
        );
    };
}
