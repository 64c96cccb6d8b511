//! The code types: [`RawCode`], a code as it came off the wire, [`Code`], a code of a set or
//! one it does not know (what a relay carries), and [`ResponseCode`], what every generated
//! set of codes implements.

use crate::{Class, CodeError, ParseError};

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
        crate::__private::class_of(self.0)
    }

    /// `"NNN "`: the three digits and the space a status line puts after them, as a
    /// `&'static str` for any code (from one compile-time table of every code).
    #[must_use]
    #[inline]
    pub fn digits(self) -> &'static str {
        let at = usize::from(self.0).saturating_sub(100) * 4;
        DIGITS.get(at..at + 4).unwrap_or_default()
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

/// `"100 101 102 ... 699 "`: every code with its space, for [`RawCode::digits`].
#[allow(clippy::cast_possible_truncation)] // each digit is below 10
const DIGITS: &str = {
    const BYTES: [u8; 2400] = {
        let mut table = [b' '; 2400];
        let mut code = 100;
        while code < 700 {
            let at = (code - 100) * 4;
            table[at] = b'0' + (code / 100) as u8;
            table[at + 1] = b'0' + (code / 10 % 10) as u8;
            table[at + 2] = b'0' + (code % 10) as u8;
            code += 1;
        }
        table
    };
    match core::str::from_utf8(&BYTES) {
        Ok(digits) => digits,
        Err(_) => panic!("ASCII digits and spaces are UTF-8"),
    }
};

impl core::str::FromStr for RawCode {
    type Err = ParseError;

    /// `NNN` or `NNN Reason-Phrase`, as a generated set's `FromStr` reads them, for any code
    /// in 100..=699.
    fn from_str(s: &str) -> Result<Self, ParseError> {
        crate::parse::parse_code(s.as_bytes()).map(RawCode)
    }
}

impl TryFrom<u16> for RawCode {
    type Error = CodeError;

    /// Any code in 100..=699.
    fn try_from(code: u16) -> Result<Self, CodeError> {
        RawCode::new(code).ok_or(CodeError::OutOfRange(code))
    }
}

impl From<RawCode> for u16 {
    fn from(code: RawCode) -> u16 {
        code.0
    }
}

impl<C: ResponseCode> From<C> for RawCode {
    /// The code of a known value (every generated code is in 100..=699).
    fn from(code: C) -> RawCode {
        RawCode(code.code())
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
/// `C: ResponseCode + Copy` (as [`crate::Status`] and the proxy response context of
/// `sip-responses-proto` do);
/// every generated enum is `Copy`.
pub trait ResponseCode: core::fmt::Display + Sized + 'static {
    /// Every code of the set, in ascending order.
    const ALL: &'static [Self];
    /// The three-digit code.
    fn code(&self) -> u16;
    /// The class of the code.
    fn class(&self) -> Class;
    // `reason`, `status_line`, `header_requirements`, ...: one method per fact of the list in
    // `private/facts.rs`, which every set implements with its `const fn`s of the same names.
    crate::__facts!(crate::__facts! { @trait });
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

/// How strongly a spec asks for something, in the key words of RFC 2119.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RequirementLevel {
    /// MUST (or REQUIRED, SHALL): a response without it is not conformant.
    Must,
    /// SHOULD (or RECOMMENDED): it may be left out, for a valid reason.
    Should,
}

impl RequirementLevel {
    /// `"MUST"` or `"SHOULD"`, as RFC 2119 writes them.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            RequirementLevel::Must => "MUST",
            RequirementLevel::Should => "SHOULD",
        }
    }
}

impl core::fmt::Display for RequirementLevel {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A header field a response with some code carries, or one of several: the spec's `headers`
/// entry of a code (RFC 3261, Section 21.4.6: a 405 MUST carry `Allow`; Section 21.4.13: a
/// 415 MUST carry one of `Accept`, `Accept-Encoding` and `Accept-Language`).
///
/// ```
/// # use sip_responses_core as sip_responses;
/// use sip_responses::{RequirementLevel, StatusCode};
///
/// let [accept] = StatusCode::UnsupportedMediaType.header_requirements() else { panic!() };
/// assert_eq!(accept.level(), RequirementLevel::Must);
/// assert_eq!(accept.one_of(), ["Accept", "Accept-Encoding", "Accept-Language"]);
/// assert!(accept.is_met_by(["Via", "accept-encoding"])); // names compare case-insensitively
/// assert!(!accept.is_met_by(["Via"]));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HeaderRequirement {
    level: RequirementLevel,
    one_of: &'static [&'static str],
}

impl HeaderRequirement {
    /// A response MUST carry one of the fields `one_of` (one name: that field).
    #[must_use]
    pub const fn must(one_of: &'static [&'static str]) -> Self {
        HeaderRequirement {
            level: RequirementLevel::Must,
            one_of,
        }
    }

    /// A response SHOULD carry one of the fields `one_of` (one name: that field).
    #[must_use]
    pub const fn should(one_of: &'static [&'static str]) -> Self {
        HeaderRequirement {
            level: RequirementLevel::Should,
            one_of,
        }
    }

    /// How strongly the field is asked for.
    #[must_use]
    pub const fn level(&self) -> RequirementLevel {
        self.level
    }

    /// The field's name, or the names of which one is enough (never empty).
    #[must_use]
    pub const fn one_of(&self) -> &'static [&'static str] {
        self.one_of
    }

    /// Whether header fields named `present` meet it: one of [`Self::one_of`] is among them,
    /// compared case-insensitively (RFC 3261, Section 7.3.1). Compact forms (`m` for
    /// `Contact`) are not expanded: pass the full names.
    pub fn is_met_by<'a>(&self, present: impl IntoIterator<Item = &'a str>) -> bool {
        present
            .into_iter()
            .any(|p| self.one_of.iter().any(|name| name.eq_ignore_ascii_case(p)))
    }
}

impl core::fmt::Display for HeaderRequirement {
    /// `MUST Allow`, `MUST one of Accept, Accept-Encoding, Accept-Language`.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{} ", self.level)?;
        if self.one_of.len() > 1 {
            f.write_str("one of ")?;
        }
        for (i, name) in self.one_of.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(name)?;
        }
        Ok(())
    }
}

/// A code of the set `C`, or a code in 100..=699 that `C` does not know: what a relay, a B2BUA
/// or a gateway carries from one side to the other unchanged. Matching stays exhaustive:
/// `Code::Known` holds the set's enum, and `Code::Unknown` is the one place for the rest.
///
/// ```
/// # use sip_responses_core as sip_responses;
/// use sip_responses::{Code, StatusCode, StatusLine};
///
/// let wire = StatusLine::parse(b"SIP/2.0 499 Vendor Specific\r\n")?;
/// let relayed = wire.relay::<StatusCode>();
/// assert_eq!(relayed.code(), "499".parse::<Code<StatusCode>>()?);
/// assert_eq!(relayed.to_string(), "499 Vendor Specific"); // forwarded as received
/// match relayed.code() {
///     Code::Known(code) => println!("{code}"),
///     // RFC 3261 8.1.3.2 when the relay must act on it: 499 is treated as 400.
///     Code::Unknown(raw) => assert_eq!(raw.interpret::<StatusCode>()?, StatusCode::BadRequest),
/// }
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code<C> {
    /// A code of the set.
    Known(C),
    /// A code in 100..=699 the set does not have.
    Unknown(RawCode),
}

impl<C: ResponseCode> Code<C> {
    /// `raw` as a code of `C` where the set has it.
    #[must_use]
    pub fn new(raw: RawCode) -> Self {
        match C::from_u16(raw.get()) {
            Some(code) => Code::Known(code),
            None => Code::Unknown(raw),
        }
    }

    /// The code for `code`, if it is in 100..=699.
    #[must_use]
    pub fn from_u16(code: u16) -> Option<Self> {
        RawCode::new(code).map(Code::new)
    }

    /// The three-digit value, as the set types' `code()` says it.
    #[must_use]
    pub fn code(&self) -> u16 {
        self.get()
    }

    /// The three-digit value.
    #[must_use]
    pub fn get(&self) -> u16 {
        match self {
            Code::Known(code) => code.code(),
            Code::Unknown(raw) => raw.get(),
        }
    }

    /// The code as it goes on the wire.
    #[must_use]
    pub fn raw(&self) -> RawCode {
        RawCode(self.get())
    }

    /// The class of the code.
    #[must_use]
    pub fn class(&self) -> Class {
        crate::__private::class_of(self.get())
    }

    /// Whether the code is final (any class but 1xx), as the set types' `is_final()`.
    #[must_use]
    pub fn is_final(&self) -> bool {
        self.class().is_final()
    }

    /// Whether the code is provisional (1xx).
    #[must_use]
    pub fn is_provisional(&self) -> bool {
        !self.is_final()
    }

    /// The set's value, if it knows the code.
    #[must_use]
    pub fn known(&self) -> Option<&C> {
        match self {
            Code::Known(code) => Some(code),
            Code::Unknown(_) => None,
        }
    }

    /// The registered reason phrase of a known code; for an unknown one its class's name
    /// ("Client Error" for 499), the nearest thing to a reason a relay that must write the
    /// code without one can send.
    #[must_use]
    pub fn reason(&self) -> &'static str {
        match self {
            Code::Known(code) => code.reason(),
            Code::Unknown(raw) => raw.class().name(),
        }
    }
}

impl<C: ResponseCode> From<C> for Code<C> {
    fn from(code: C) -> Self {
        Code::Known(code)
    }
}

impl<C: ResponseCode> From<RawCode> for Code<C> {
    /// [`Code::new`]: the set's code when it has it, `Unknown` otherwise.
    fn from(raw: RawCode) -> Self {
        Code::new(raw)
    }
}

impl<C: ResponseCode> From<Code<C>> for RawCode {
    /// [`Code::raw`].
    fn from(code: Code<C>) -> RawCode {
        code.raw()
    }
}

impl<C: ResponseCode> TryFrom<u16> for Code<C> {
    type Error = CodeError;

    /// Any code in 100..=699.
    fn try_from(code: u16) -> Result<Self, CodeError> {
        Code::from_u16(code).ok_or(CodeError::OutOfRange(code))
    }
}

impl<C: ResponseCode> core::str::FromStr for Code<C> {
    type Err = ParseError;

    /// `NNN` or `NNN Reason-Phrase` for any code in 100..=699.
    fn from_str(s: &str) -> Result<Self, ParseError> {
        s.parse::<RawCode>().map(Code::new)
    }
}

impl<C: ResponseCode> core::fmt::Display for Code<C> {
    /// `NNN Reason` for a known code, the three digits for an unknown one.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Code::Known(code) => f.write_str(code.as_str()),
            Code::Unknown(raw) => core::fmt::Display::fmt(raw, f),
        }
    }
}

impl<C: ResponseCode> From<Code<C>> for u16 {
    fn from(code: Code<C>) -> u16 {
        code.get()
    }
}

/// `relayed == StatusCode::Ok`: a `Code` equals a code of its set when the numbers are equal
/// (also when it holds the number as `Unknown`). Every generated set has the reverse,
/// `StatusCode::Ok == relayed`.
impl<C: ResponseCode> PartialEq<C> for Code<C> {
    fn eq(&self, other: &C) -> bool {
        self.get() == other.code()
    }
}

impl<C: ResponseCode> PartialEq<u16> for Code<C> {
    fn eq(&self, other: &u16) -> bool {
        self.get() == *other
    }
}
