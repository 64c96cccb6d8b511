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
#![warn(clippy::pedantic)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Generated code names this crate by its absolute path, also inside the crate itself.
extern crate self as sip_responses;

mod class;
mod error;
#[rustfmt::skip]
mod iana;
pub mod parse;
pub mod proxy;
pub mod q850;
mod status;

pub use class::Class;
pub use error::{CodeError, ParseError, ParseErrorKind, ReasonError};
pub use iana::*;
pub use parse::{RawCode, StatusLine};
pub use status::{check_reason_phrase, Status};

#[cfg(feature = "derive")]
pub use sip_responses_macros::{include_spec, SipResponses};

/// What every generated set of response codes implements, so generic code can work over
/// any spec's types.
pub trait ResponseCode: Copy + core::fmt::Display + 'static {
    /// Every code of the set, in ascending order.
    const ALL: &'static [Self];
    /// The three-digit code.
    fn code(self) -> u16;
    /// The reason phrase, exactly as registered.
    fn reason(self) -> &'static str;
    /// Where the code is defined, e.g. "RFC 3261, Section 21.1.2".
    fn reference(self) -> &'static str;
    /// The class of the code.
    fn class(self) -> Class;
    /// `"NNN Reason"`, what `Display` writes.
    fn as_str(self) -> &'static str;
    /// `"SIP/2.0 NNN Reason\r\n"`, the status line with the registered reason.
    fn status_line(self) -> &'static str;
    /// The spec's flags of this code (e.g. `hop-by-hop`, `challenge`).
    fn flags(self) -> &'static [&'static str];
    /// The ISUP/Q.850 cause a gateway releases the call with on this response (RFC 3398).
    fn q850_cause(self) -> Option<u8>;
    /// Exact lookup: the value for `code`, if the set has it.
    fn from_u16(code: u16) -> Option<Self>;
    /// RFC 3261, Section 8.1.3.2: a known code maps to itself, an unknown 1xx to 183,
    /// an unknown final code xyz to x00.
    ///
    /// # Errors
    /// [`CodeError::OutOfRange`] outside 100..=699; [`CodeError::NoFallback`] when the set
    /// lacks the fallback code.
    fn interpret(code: u16) -> Result<Self, CodeError>;
}
