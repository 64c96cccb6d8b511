//! SIP response codes as exhaustive, compiler-checked Rust types.
//!
//! The crate root holds the complete IANA "Response Codes" registry, generated from
//! `spec/iana.toml`: [`StatusCode`] (every code), one enum per class ([`Provisional`],
//! [`Success`], [`Redirection`], [`ClientError`], [`ServerError`], [`GlobalFailure`]),
//! and the handler traits [`ProvisionalHandler`] and [`ResponseHandler`].
//!
//! ```
//! use sip_responses::{Classified, StatusCode};
//!
//! let code: StatusCode = "486 Busy Here".parse().unwrap();
//! assert_eq!(code, StatusCode::BusyHere);
//! assert_eq!(code.to_string(), "486 Busy Here");
//! // RFC 3261 8.1.3.2: an unknown final code xyz is treated as x00.
//! assert_eq!(StatusCode::interpret(499), Ok(StatusCode::BadRequest));
//! assert!(matches!(StatusCode::Ringing.classify(), Classified::Provisional(_)));
//! ```
#![no_std]
#![deny(missing_docs)]
// One exception, `parse::reason_str`, with its proof and its test.
#![deny(unsafe_code)]
#![warn(clippy::pedantic)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(any(feature = "rsip", feature = "rsipstack"))]
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
#[path = "private.rs"]
pub mod __private;
mod class;
mod code;
mod error;
#[rustfmt::skip]
mod iana;
pub mod parse;
pub mod proxy;
pub mod q850;
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
pub use code::{Code, RawCode, ResponseCode};
pub use error::{CodeError, ParseError, ParseErrorKind, ReasonError};
pub use iana::*;
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

#[cfg(feature = "derive")]
#[cfg_attr(docsrs, doc(cfg(feature = "derive")))]
pub use sip_responses_macros::{include_spec, SipResponses};
