//! The code types: [`RawCode`], a code as it came off the wire, and [`ResponseCode`], what
//! every generated set of codes implements.

use crate::{Class, CodeError};

/// A status code as it came off the wire: any three-digit code in 100..=699, known to a spec
/// or not. Convert it with [`RawCode::known`] (exact) or [`RawCode::interpret`] (RFC 3261,
/// Section 8.1.3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RawCode(u16);

impl RawCode {
    /// The code, if it is in 100..=699.
    #[must_use]
    #[inline]
    pub const fn new(code: u16) -> Option<RawCode> {
        match code {
            100..=699 => Some(RawCode(code)),
            _ => None,
        }
    }

    /// The three-digit value.
    #[must_use]
    #[inline]
    pub const fn get(self) -> u16 {
        self.0
    }

    /// The class of the code.
    #[must_use]
    #[inline]
    pub const fn class(self) -> Class {
        match self.0 {
            100..=199 => Class::Provisional,
            200..=299 => Class::Success,
            300..=399 => Class::Redirection,
            400..=499 => Class::ClientError,
            500..=599 => Class::ServerError,
            _ => Class::GlobalFailure,
        }
    }

    /// Exact lookup in a generated set: `None` for a code the set does not know.
    #[must_use]
    #[inline]
    pub fn known<T: ResponseCode>(self) -> Option<T> {
        T::from_u16(self.0)
    }

    /// RFC 3261, Section 8.1.3.2 into a generated set: unknown 1xx as 183, unknown xyz as x00.
    ///
    /// # Errors
    /// [`CodeError::NoFallback`] when the set lacks the fallback code.
    #[inline]
    pub fn interpret<T: ResponseCode>(self) -> Result<T, CodeError> {
        T::interpret(self.0)
    }
}

impl core::fmt::Display for RawCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Display::fmt(&self.0, f)
    }
}

impl RawCode {
    /// A code the parser has already checked to be in 100..=699.
    pub(crate) const fn from_checked(code: u16) -> RawCode {
        RawCode(code)
    }
}

/// What every generated set of response codes implements, so generic code can work over
/// any spec's types.
///
/// The methods borrow and `Copy` is not required, so a `#[derive(SipResponses)]` enum
/// without `Clone, Copy` implements it too. Generic code that stores codes asks for
/// `C: ResponseCode + Copy` (as [`crate::Status`] and [`crate::proxy::ResponseContext`] do);
/// every generated enum is `Copy`.
pub trait ResponseCode: core::fmt::Display + Sized + 'static {
    /// Every code of the set, in ascending order.
    const ALL: &'static [Self];
    /// The three-digit code.
    fn code(&self) -> u16;
    /// The reason phrase, exactly as registered.
    fn reason(&self) -> &'static str;
    /// Where the code is defined, e.g. "RFC 3261, Section 21.1.2".
    fn reference(&self) -> &'static str;
    /// The class of the code.
    fn class(&self) -> Class;
    /// `"NNN Reason"`, what `Display` writes.
    fn as_str(&self) -> &'static str;
    /// `"SIP/2.0 NNN Reason\r\n"`, the status line with the registered reason.
    fn status_line(&self) -> &'static str;
    /// The spec's flags of this code (e.g. `hop-by-hop`, `challenge`).
    fn flags(&self) -> &'static [&'static str];
    /// The ISUP/Q.850 cause a gateway releases the call with on this response (RFC 3398).
    fn q850_cause(&self) -> Option<u8>;
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
