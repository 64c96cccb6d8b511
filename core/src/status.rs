//! [`Status`]: a response code with the reason phrase actually sent or received, for servers
//! that say more than the registered phrase (RFC 3261 21.1.4's "5 calls queued; expected
//! waiting time is 15 minutes") and relays that keep the reason they received.

use core::fmt;

use crate::error::ReasonError;
use crate::{Code, ResponseCode};

/// What [`Status`] needs of its code: the digits a status line starts with, and the registered
/// text where there is one. Implemented by every generated set's codes and by [`Code`], a
/// code of a set or one it does not know.
pub trait StatusText: Copy {
    /// `"NNN "`: the three digits and the space after them.
    fn digits(&self) -> &'static str;
    /// The registered reason phrase, if the code has one.
    fn registered_reason(&self) -> Option<&'static str>;
    /// `"SIP/2.0 NNN Reason\r\n"` with the registered reason, if the code has one.
    fn registered_status_line(&self) -> Option<&'static str>;
}

impl<C: ResponseCode + Copy> StatusText for C {
    fn digits(&self) -> &'static str {
        code_digits(self)
    }
    fn registered_reason(&self) -> Option<&'static str> {
        Some(self.reason())
    }
    fn registered_status_line(&self) -> Option<&'static str> {
        Some(self.status_line())
    }
}

impl<C: ResponseCode + Copy> StatusText for Code<C> {
    fn digits(&self) -> &'static str {
        match self {
            Code::Known(code) => code_digits(code),
            Code::Unknown(raw) => raw.digits(),
        }
    }
    fn registered_reason(&self) -> Option<&'static str> {
        self.known().map(ResponseCode::reason)
    }
    fn registered_status_line(&self) -> Option<&'static str> {
        self.known().map(ResponseCode::status_line)
    }
}

/// A response code and its reason phrase, borrowed (no allocation, `no_std`). Works for any
/// generated set of codes, not only the IANA one, and for [`Code`] (a code of a set or one it
/// does not know, for relays).
///
/// What the reason is guaranteed to be depends on where the `Status` came from:
/// - [`Status::with_reason`]: a Reason-Phrase of RFC 3261, Section 25, checked in full
///   ([`check_reason_phrase`]: no `<`, `"`, `%` without two hex digits, ...); for what a
///   server writes itself.
/// - [`crate::StatusLine::status`] and [`crate::StatusLine::relay`]: the reason exactly as
///   received, only known to be one line of UTF-8 text without a control character but HTAB
///   (what [`crate::StatusLine::parse`] accepts); a relay forwards it unchanged, so it does
///   not refuse a peer's `<` or stray `%`.
/// - `From<C>`: the registered reason.
///
/// ```
/// # use sip_responses_core as sip_responses;
/// use sip_responses::{Status, StatusCode};
///
/// let q = Status::with_reason(StatusCode::Queued, "2 calls queued; expected waiting time is 1 minute")?;
/// assert_eq!(q.to_string(), "182 2 calls queued; expected waiting time is 1 minute");
/// assert!(!q.is_registered_reason());
/// assert!(Status::with_reason(StatusCode::Queued, "x\r\nVia: evil").is_err());
/// # Ok::<(), sip_responses::ReasonError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Status<'a, C> {
    code: C,
    reason: &'a str,
}

impl<'a, C: StatusText> Status<'a, C> {
    /// `code` with its own reason phrase, which must be a Reason-Phrase of RFC 3261,
    /// Section 25 (see [`check_reason_phrase`]).
    ///
    /// # Errors
    /// A [`ReasonError`] naming the first character the grammar does not allow, and where.
    pub const fn with_reason(code: C, reason: &'a str) -> Result<Self, ReasonError> {
        match check_reason_phrase(reason) {
            Ok(()) => Ok(Status { code, reason }),
            Err(e) => Err(e),
        }
    }

    /// A reason phrase taken from a status line that [`crate::StatusLine::parse`] accepted
    /// (one line of UTF-8 text without control characters), kept as received.
    pub(crate) const fn received(code: C, reason: &'a str) -> Self {
        Status { code, reason }
    }

    /// The code.
    #[must_use]
    #[inline]
    pub const fn code(&self) -> C {
        self.code
    }

    /// The reason phrase.
    #[must_use]
    #[inline]
    pub const fn reason(&self) -> &'a str {
        self.reason
    }

    /// Whether the reason phrase is the registered one (never for a code without one).
    #[must_use]
    pub fn is_registered_reason(&self) -> bool {
        self.code.registered_reason() == Some(self.reason)
    }

    /// Writes the status line, `SIP/2.0 NNN Reason-Phrase` and CRLF, into any
    /// [`fmt::Write`]: one `write_str` for the registered reason, four otherwise.
    ///
    /// # Errors
    /// What the writer returns.
    pub fn write_status_line<W: fmt::Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        if self.is_registered_reason() {
            if let Some(line) = self.code.registered_status_line() {
                return w.write_str(line);
            }
        }
        w.write_str("SIP/2.0 ")?;
        w.write_str(self.code.digits())?;
        w.write_str(self.reason)?;
        w.write_str("\r\n")
    }
}

/// `"NNN "`: the code and the space after it, from the code's `as_str`.
fn code_digits<C: ResponseCode>(code: &C) -> &'static str {
    code.as_str().get(..4).unwrap_or_default()
}

impl<C: ResponseCode + Copy> From<C> for Status<'static, C> {
    /// The code with its registered reason phrase.
    fn from(code: C) -> Self {
        Status {
            code,
            reason: code.reason(),
        }
    }
}

impl<C: StatusText> fmt::Display for Status<'_, C> {
    /// `NNN Reason-Phrase`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code.digits())?;
        f.write_str(self.reason)
    }
}

/// Checks `reason` against RFC 3261, Section 25:
///
/// ```text
/// Reason-Phrase = *(reserved / unreserved / escaped / UTF8-NONASCII / UTF8-CONT / SP / HTAB)
/// ```
///
/// UTF-8 text is allowed, with SP and HTAB; refused are CR, LF and every other control
/// character, the characters the grammar leaves out (`"`, `<`, `>`, `[`, `]`, `{`, `}`, `|`,
/// `\`, `^`, backtick, `#`), and a `%` that two hex digits do not follow. An empty phrase is
/// allowed. The rule is `rules::reason_phrase_refused`, the one definition the spec checker of
/// `sip-responses-codegen` applies to registered reasons too (adding what only a registered
/// phrase must be: non-empty, trimmed, without other controls or bidi characters).
///
/// # Errors
/// A [`ReasonError`] with the first character refused and its byte offset.
pub const fn check_reason_phrase(reason: &str) -> Result<(), ReasonError> {
    let bytes = reason.as_bytes();
    match crate::rules::reason_phrase_refused(bytes) {
        // The refused bytes are all ASCII, so the byte is the character.
        Some(at) => Err(ReasonError::new(bytes[at] as char, at)),
        None => Ok(()),
    }
}
