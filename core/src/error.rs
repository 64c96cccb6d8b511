use core::fmt;

/// Why a numeric code has no value in a set of response codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodeError {
    /// The code is not in 100..=699, so it is no SIP response code at all.
    OutOfRange(u16),
    /// The code is valid SIP but not in this set (exact lookup only).
    Unknown(u16),
    /// The code is unknown and the set lacks the code RFC 3261, Section 8.1.3.2 would map
    /// it to (183 for 1xx, x00 for the final classes).
    NoFallback(u16),
    /// The code is of a class this set does not stand for: a final code given to a class
    /// enum's `dispatch_code` (`Provisional::dispatch_code(486, ..)`), or to a derived enum's
    /// whose `#[sip(class = "...")]` leaves that class out. Its handler has no method for it.
    OtherClass(u16),
}

impl CodeError {
    /// The code that was looked up.
    #[must_use]
    #[inline]
    pub const fn code(self) -> u16 {
        match self {
            CodeError::OutOfRange(c)
            | CodeError::Unknown(c)
            | CodeError::NoFallback(c)
            | CodeError::OtherClass(c) => c,
        }
    }
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            CodeError::OutOfRange(c) => write!(f, "status code {c} is outside 100..=699"),
            CodeError::Unknown(c) => {
                write!(f, "status code {c} is not in this set of response codes")
            }
            CodeError::NoFallback(c) => write!(
                f,
                "status code {c} is unknown and this set lacks its RFC 3261 8.1.3.2 fallback ({})",
                crate::rules::fallback(c)
            ),
            CodeError::OtherClass(c) => write!(
                f,
                "status code {c} is of a class this set of response codes does not stand for"
            ),
        }
    }
}

impl core::error::Error for CodeError {}

/// What is wrong with a piece of text or bytes that should hold a status code or status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParseErrorKind {
    /// The input is empty.
    Empty,
    /// The status line does not start with `SIP/2.0` (RFC 3261, Section 25: `SIP-Version`).
    BadVersion,
    /// A single space (SP) must stand here.
    MissingSpace,
    /// The status code is not exactly three ASCII digits.
    NotThreeDigits,
    /// The status code is three digits but not in 100..=699.
    OutOfRange(u16),
    /// The reason phrase holds a control character other than HTAB.
    ControlCharacter,
    /// The reason phrase is not valid UTF-8.
    InvalidUtf8,
    /// The status line does not end with CRLF.
    MissingLineEnd,
    /// The code is valid SIP but not in the set being parsed into.
    Unknown(u16),
}

/// A parse failure: what is wrong and at which byte offset of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParseError {
    kind: ParseErrorKind,
    at: usize,
}

impl ParseError {
    /// An error of `kind` at byte offset `at`.
    #[must_use]
    #[inline]
    pub const fn new(kind: ParseErrorKind, at: usize) -> Self {
        ParseError { kind, at }
    }

    /// What is wrong.
    #[must_use]
    #[inline]
    pub const fn kind(&self) -> ParseErrorKind {
        self.kind
    }

    /// The byte offset in the input where the problem starts.
    #[must_use]
    #[inline]
    pub const fn at(&self) -> usize {
        self.at
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.at;
        match self.kind {
            ParseErrorKind::Empty => f.write_str("empty input: expected a status code"),
            ParseErrorKind::BadVersion => write!(f, "expected `SIP/2.0` at byte {at}"),
            ParseErrorKind::MissingSpace => write!(f, "expected a single space at byte {at}"),
            ParseErrorKind::NotThreeDigits => {
                write!(
                    f,
                    "the status code must be exactly three digits (at byte {at})"
                )
            }
            ParseErrorKind::OutOfRange(c) => {
                write!(f, "status code {c} is outside 100..=699 (at byte {at})")
            }
            ParseErrorKind::ControlCharacter => {
                write!(f, "control character in the reason phrase at byte {at}")
            }
            ParseErrorKind::InvalidUtf8 => write!(f, "the reason phrase is not UTF-8 at byte {at}"),
            ParseErrorKind::MissingLineEnd => write!(f, "expected CRLF at byte {at}"),
            ParseErrorKind::Unknown(c) => {
                write!(
                    f,
                    "status code {c} is not in this set of response codes (at byte {at})"
                )
            }
        }
    }
}

impl core::error::Error for ParseError {}

/// A reason phrase that RFC 3261, Section 25 does not allow: the first character refused
/// and its byte offset in the phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReasonError {
    found: char,
    at: usize,
}

impl ReasonError {
    /// `found` refused at byte offset `at`.
    #[must_use]
    #[inline]
    pub const fn new(found: char, at: usize) -> Self {
        ReasonError { found, at }
    }

    /// The character refused (a `%` when its two hex digits are missing).
    #[must_use]
    #[inline]
    pub const fn found(&self) -> char {
        self.found
    }

    /// Its byte offset in the reason phrase.
    #[must_use]
    #[inline]
    pub const fn at(&self) -> usize {
        self.at
    }
}

impl fmt::Display for ReasonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (found, at) = (self.found, self.at);
        if found == '%' {
            write!(f, "the reason phrase has a `%` without two hex digits after it at byte {at} (RFC 3261, Section 25)")
        } else if found.is_control() {
            write!(f, "the reason phrase has the control character {found:?} at byte {at}; it must be one line of text (RFC 3261, Section 25)")
        } else {
            write!(f, "the reason phrase has {found:?} at byte {at}, which RFC 3261, Section 25 does not allow")
        }
    }
}

impl core::error::Error for ReasonError {}
