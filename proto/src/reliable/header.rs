//! The `RSeq` and `RAck` header field values (RFC 3262, Sections 7.1, 7.2 and 10) and what
//! is wrong with one that does not parse.

use core::fmt;
use core::num::NonZeroU32;

/// An `RSeq` value (RFC 3262, Section 7.1: "a single numeric value from 1 to 2**32 - 1"),
/// the sequence number of a reliable provisional response. Only the *first* one of a
/// transaction is at most 2^31 - 1 ([`RSeq::MAX_INITIAL`], Section 3); the numbers after it
/// grow by one up to 2^32 - 1 and never wrap around.
///
/// ```
/// use sip_responses_proto::reliable::{HeaderErrorKind, RSeq};
/// let rseq: RSeq = "988789".parse()?;
/// assert_eq!(rseq.next().map(RSeq::get), Some(988_790));
/// assert_eq!("2147483648".parse::<RSeq>()?.get(), 1 << 31); // past the first value's limit
/// assert_eq!(RSeq::new(RSeq::MAX).and_then(RSeq::next), None); // no wrap-around
/// assert_eq!("0".parse::<RSeq>().unwrap_err().kind(), HeaderErrorKind::Zero);
/// assert_eq!("4294967296".parse::<RSeq>().unwrap_err().kind(), HeaderErrorKind::TooLarge);
/// # Ok::<(), sip_responses_proto::reliable::HeaderError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RSeq(NonZeroU32);

impl RSeq {
    /// The largest value, 2^32 - 1 (RFC 3262, Section 7.1).
    pub const MAX: u32 = u32::MAX;
    /// The largest value of the first reliable provisional of a transaction, 2^31 - 1 (RFC
    /// 3262, Section 3: "MUST be between 1 and 2**31 - 1").
    pub const MAX_INITIAL: u32 = (1 << 31) - 1;

    /// `value`, if it is in 1..=2^32-1.
    #[must_use]
    pub const fn new(value: u32) -> Option<RSeq> {
        match NonZeroU32::new(value) {
            Some(v) => Some(RSeq(v)),
            None => None,
        }
    }

    /// The number.
    #[must_use]
    pub const fn get(self) -> u32 {
        self.0.get()
    }

    /// The next number, `None` past 2^32 - 1 ("RSeq numbers MUST NOT wrap around").
    #[must_use]
    pub const fn next(self) -> Option<RSeq> {
        match self.get().checked_add(1) {
            Some(next) => RSeq::new(next),
            None => None,
        }
    }
}

impl fmt::Display for RSeq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.get(), f)
    }
}

impl core::str::FromStr for RSeq {
    type Err = HeaderError;

    /// `response-num` (`1*DIGIT`) in 1..=2^32-1, surrounding whitespace allowed.
    fn from_str(s: &str) -> Result<Self, HeaderError> {
        let bytes = s.as_bytes();
        let start = value_start(bytes);
        let end = field_end(bytes, start);
        let rseq = response_num(bytes, start, end)?;
        let rest = skip_wsp(bytes, end);
        if rest < bytes.len() {
            return Err(HeaderError::new(HeaderErrorKind::Trailing, rest));
        }
        Ok(rseq)
    }
}

/// An `RAck` value (RFC 3262, Section 7.2): `response-num LWS CSeq-num LWS Method`, the
/// reliable provisional response a PRACK acknowledges. A UAC gets one from
/// [`super::Uac::handle_response`] for a response that arrived, never from loose numbers; a
/// UAS parses the one a PRACK carries.
///
/// Both numbers are 32-bit: the response number is an [`RSeq`] (1..=2^32-1), and the CSeq
/// number may be any 32-bit value (RFC 3261 12.2.1.1 with erratum 3102: only the initial
/// CSeq of a dialog is below 2^31; within the dialog it grows to 2^32-1, and a re-INVITE may
/// use 100rel). The method is case-sensitive (RFC 3262 7.2: "The method name in the RAck
/// header is case sensitive").
///
/// ```
/// use sip_responses_proto::reliable::{HeaderErrorKind, RAck};
/// let rack = RAck::parse("776656 1 INVITE")?;
/// assert_eq!((rack.rseq().get(), rack.cseq(), rack.method()), (776_656, 1, "INVITE"));
/// // LWS may fold onto a new line (RFC 3261 25.1: LWS = [*WSP CRLF] 1*WSP).
/// assert_eq!(RAck::parse("776656\r\n 3000000000 INVITE")?.cseq(), 3_000_000_000);
/// // What buggy stacks send is refused, with where:
/// let e = RAck::parse("undefined 2641 INVITE").unwrap_err();
/// assert_eq!((e.kind(), e.at()), (HeaderErrorKind::NotDigits, 0));
/// # Ok::<(), sip_responses_proto::reliable::HeaderError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RAck<'a> {
    rseq: RSeq,
    cseq: u32,
    method: &'a str,
}

impl<'a> RAck<'a> {
    pub(super) const fn of(rseq: RSeq, cseq: u32, method: &'a str) -> Self {
        RAck { rseq, cseq, method }
    }

    /// The `RSeq` of the response acknowledged.
    #[must_use]
    pub const fn rseq(&self) -> RSeq {
        self.rseq
    }

    /// The CSeq number of the request the response answers.
    #[must_use]
    pub const fn cseq(&self) -> u32 {
        self.cseq
    }

    /// The method of the request the response answers.
    #[must_use]
    pub const fn method(&self) -> &'a str {
        self.method
    }

    /// Parses an `RAck` header field's value (RFC 3262, Section 10):
    ///
    /// ```text
    /// RAck         = "RAck" HCOLON response-num LWS CSeq-num LWS Method
    /// response-num = 1*DIGIT
    /// CSeq-num     = 1*DIGIT
    /// LWS          = [*WSP CRLF] 1*WSP          (RFC 3261, Section 25.1)
    /// ```
    ///
    /// The response number in 1..=2^32-1, the CSeq number in 0..=2^32-1, the method a token,
    /// kept exactly as written (method names are case-sensitive). Whitespace before the value
    /// (a line fold too: `SWS`) and spaces or tabs after it are allowed.
    ///
    /// # Errors
    /// A [`HeaderError`] saying which part is wrong and at which byte.
    pub fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let bytes = value.as_bytes();
        let start = value_start(bytes);
        let end = field_end(bytes, start);
        let rseq = response_num(bytes, start, end)?;
        let start = lws(bytes, end)?;
        let end = field_end(bytes, start);
        let cseq = number(bytes, start, end)?;
        let start = lws(bytes, end)?;
        let end = field_end(bytes, start);
        if start == end {
            return Err(HeaderError::new(HeaderErrorKind::Missing, start));
        }
        let method = &value[start..end];
        if let Some(bad) = method.bytes().position(|b| !is_token_byte(b)) {
            return Err(HeaderError::new(HeaderErrorKind::NotAToken, start + bad));
        }
        let rest = skip_wsp(bytes, end);
        if rest < bytes.len() {
            return Err(HeaderError::new(HeaderErrorKind::Trailing, rest));
        }
        Ok(RAck { rseq, cseq, method })
    }

    /// The header field, `RAck: 4711 1 INVITE` (no line end), for a PRACK.
    #[must_use]
    pub fn header(&self) -> impl fmt::Display + '_ {
        Header("RAck", self)
    }
}

/// `name: value`.
struct Header<'v, V>(&'static str, &'v V);

impl<V: fmt::Display> fmt::Display for Header<'_, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.0, self.1)
    }
}

impl RSeq {
    /// The header field, `RSeq: 4711` (no line end), for a reliable provisional response
    /// (beside `Require: 100rel`).
    #[must_use]
    pub fn header(&self) -> impl fmt::Display + '_ {
        Header("RSeq", self)
    }
}

impl fmt::Display for RAck<'_> {
    /// `4711 1 INVITE`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.rseq, self.cseq, self.method)
    }
}

impl<'a> TryFrom<&'a str> for RAck<'a> {
    type Error = HeaderError;

    fn try_from(value: &'a str) -> Result<Self, HeaderError> {
        RAck::parse(value)
    }
}

impl core::str::FromStr for RAck<'_> {
    type Err = HeaderError;

    /// [`RAck::parse`], for a value that outlives nothing (`"4711 1 INVITE".parse()`): the
    /// method must be one of the methods of RFC 3261 and its extensions, spelled exactly
    /// (method names are case-sensitive), or the error says it is not one a `'static` value
    /// can borrow. Use [`RAck::parse`] to borrow any token.
    fn from_str(s: &str) -> Result<Self, HeaderError> {
        let parsed = RAck::parse(s)?;
        let method =
            KNOWN_METHODS
                .iter()
                .find(|m| **m == parsed.method)
                .ok_or(HeaderError::new(
                    HeaderErrorKind::UnknownMethod,
                    s.trim_end_matches([' ', '\t']).len() - parsed.method.len(),
                ))?;
        Ok(RAck {
            rseq: parsed.rseq,
            cseq: parsed.cseq,
            method,
        })
    }
}

/// The methods of RFC 3261 and its extensions, as `FromStr` borrows them for `'static`.
const KNOWN_METHODS: [&str; 14] = [
    "INVITE",
    "ACK",
    "BYE",
    "CANCEL",
    "OPTIONS",
    "REGISTER",
    "PRACK",
    "SUBSCRIBE",
    "NOTIFY",
    "PUBLISH",
    "INFO",
    "REFER",
    "MESSAGE",
    "UPDATE",
];

/// RFC 3261's `token` characters: letters, digits and ``- . ! % * _ + ` ' ~``.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-.!%*_+`'~".contains(&b)
}

/// Where the value starts: after `SWS = [LWS]` (RFC 3261 25.1), whitespace that may fold.
fn value_start(bytes: &[u8]) -> usize {
    let start = skip_wsp(bytes, 0);
    if bytes[start..].starts_with(b"\r\n") {
        let folded = skip_wsp(bytes, start + 2);
        if folded > start + 2 {
            return folded;
        }
    }
    start
}

/// The first byte at or after `at` that is not SP or HTAB.
fn skip_wsp(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && matches!(bytes[at], b' ' | b'\t') {
        at += 1;
    }
    at
}

/// The end of the part starting at `at`: the next SP, HTAB, CR or LF, or the end.
fn field_end(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && !matches!(bytes[at], b' ' | b'\t' | b'\r' | b'\n') {
        at += 1;
    }
    at
}

/// `LWS = [*WSP CRLF] 1*WSP` from `at` (the end of a part): where the next part starts.
fn lws(bytes: &[u8], at: usize) -> Result<usize, HeaderError> {
    if at >= bytes.len() {
        return Err(HeaderError::new(HeaderErrorKind::Missing, at));
    }
    let mut next = skip_wsp(bytes, at);
    if bytes[next..].starts_with(b"\r\n") {
        let folded = next + 2;
        next = skip_wsp(bytes, folded);
        if next == folded {
            // A line break must be followed by whitespace to fold.
            return Err(HeaderError::new(HeaderErrorKind::Separator, at));
        }
    } else if next == at {
        // A CR or LF that does not start CRLF.
        return Err(HeaderError::new(HeaderErrorKind::Separator, at));
    }
    if next < bytes.len() && matches!(bytes[next], b'\r' | b'\n') {
        return Err(HeaderError::new(HeaderErrorKind::Separator, next));
    }
    Ok(next)
}

/// The digits of `bytes[start..end]` as a 32-bit number.
fn number(bytes: &[u8], start: usize, end: usize) -> Result<u32, HeaderError> {
    if start == end {
        return Err(HeaderError::new(HeaderErrorKind::Missing, start));
    }
    let mut value: u32 = 0;
    for (i, &b) in bytes[start..end].iter().enumerate() {
        if !b.is_ascii_digit() {
            return Err(HeaderError::new(HeaderErrorKind::NotDigits, start + i));
        }
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u32::from(b - b'0')))
            .ok_or(HeaderError::new(HeaderErrorKind::TooLarge, start))?;
    }
    Ok(value)
}

/// `response-num` at `bytes[start..end]`: a number in 1..=2^32-1.
fn response_num(bytes: &[u8], start: usize, end: usize) -> Result<RSeq, HeaderError> {
    RSeq::new(number(bytes, start, end)?).ok_or(HeaderError::new(HeaderErrorKind::Zero, start))
}

/// What is wrong with an `RSeq` or `RAck` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeaderErrorKind {
    /// A part is missing.
    Missing,
    /// A number holds something other than digits.
    NotDigits,
    /// A response number of 0 (RSeq is 1..=2^32-1).
    Zero,
    /// A number above 2^32 - 1.
    TooLarge,
    /// The parts are not separated by LWS (`[*WSP CRLF] 1*WSP`): a CR or LF that is not a
    /// line fold.
    Separator,
    /// The method is not a token.
    NotAToken,
    /// Something follows the value.
    Trailing,
    /// `FromStr` was given a method it cannot borrow for `'static` (an extension method, or
    /// a known one spelled in another case): [`RAck::parse`] borrows any token.
    UnknownMethod,
}

/// A parse failure of an `RSeq` or `RAck` value: what is wrong and at which byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HeaderError {
    kind: HeaderErrorKind,
    at: usize,
}

impl HeaderError {
    const fn new(kind: HeaderErrorKind, at: usize) -> Self {
        HeaderError { kind, at }
    }

    /// What is wrong.
    #[must_use]
    pub const fn kind(&self) -> HeaderErrorKind {
        self.kind
    }

    /// The byte offset where it is wrong.
    #[must_use]
    pub const fn at(&self) -> usize {
        self.at
    }
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            HeaderErrorKind::Missing => "a part is missing (RAck is `RSeq CSeq-number Method`)",
            HeaderErrorKind::NotDigits => "a number must be decimal digits",
            HeaderErrorKind::Zero => "an RSeq must be at least 1",
            HeaderErrorKind::TooLarge => "a number must be at most 2^32 - 1 (4294967295)",
            HeaderErrorKind::Separator => {
                "parts are separated by whitespace; a line break must be followed by whitespace"
            }
            HeaderErrorKind::NotAToken => "the method must be a token (INVITE, ...)",
            HeaderErrorKind::Trailing => "nothing may follow the value",
            HeaderErrorKind::UnknownMethod => {
                "not a method `parse()` knows (methods are case-sensitive); RAck::parse borrows any token"
            }
        };
        write!(f, "{what} (at byte {})", self.at)
    }
}

impl core::error::Error for HeaderError {}
