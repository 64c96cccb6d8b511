//! ISUP/Q.850 cause values (ITU-T Q.850, as carried by SIP-PSTN gateways, RFC 3398) and the
//! `Reason` header field of RFC 3326 that carries a cause or a SIP code.
//!
//! Which response maps to which cause, and back, is data in the spec (`q850 = N` per code,
//! the `[q850]` table): see `StatusCode::q850_cause` and `StatusCode::from_q850`.

use core::fmt;

use crate::ResponseCode;

/// The name ITU-T Q.850 gives cause value `cause`, if it defines it.
#[must_use]
pub const fn cause_text(cause: u8) -> Option<&'static str> {
    Some(match cause {
        1 => "Unallocated (unassigned) number",
        2 => "No route to specified transit network",
        3 => "No route to destination",
        4 => "Send special information tone",
        5 => "Misdialled trunk prefix",
        6 => "Channel unacceptable",
        7 => "Call awarded and being delivered in an established channel",
        8 => "Preemption",
        9 => "Preemption - circuit reserved for reuse",
        16 => "Normal call clearing",
        17 => "User busy",
        18 => "No user responding",
        19 => "No answer from user (user alerted)",
        20 => "Subscriber absent",
        21 => "Call rejected",
        22 => "Number changed",
        23 => "Redirection to new destination",
        25 => "Exchange routing error",
        26 => "Non-selected user clearing",
        27 => "Destination out of order",
        28 => "Invalid number format (address incomplete)",
        29 => "Facility rejected",
        30 => "Response to STATUS ENQUIRY",
        31 => "Normal, unspecified",
        34 => "No circuit/channel available",
        38 => "Network out of order",
        39 => "Permanent frame mode connection out of service",
        40 => "Permanent frame mode connection operational",
        41 => "Temporary failure",
        42 => "Switching equipment congestion",
        43 => "Access information discarded",
        44 => "Requested circuit/channel not available",
        46 => "Precedence call blocked",
        47 => "Resource unavailable, unspecified",
        49 => "Quality of service not available",
        50 => "Requested facility not subscribed",
        53 => "Outgoing calls barred within CUG",
        55 => "Incoming calls barred within CUG",
        57 => "Bearer capability not authorized",
        58 => "Bearer capability not presently available",
        62 => "Inconsistency in designated outgoing access information and subscriber class",
        63 => "Service or option not available, unspecified",
        65 => "Bearer capability not implemented",
        66 => "Channel type not implemented",
        69 => "Requested facility not implemented",
        70 => "Only restricted digital information bearer capability is available",
        79 => "Service or option not implemented, unspecified",
        81 => "Invalid call reference value",
        82 => "Identified channel does not exist",
        83 => "A suspended call exists, but this call identity does not",
        84 => "Call identity in use",
        85 => "No call suspended",
        86 => "Call having the requested call identity has been cleared",
        87 => "User not member of CUG",
        88 => "Incompatible destination",
        90 => "Non-existent CUG",
        91 => "Invalid transit network selection",
        95 => "Invalid message, unspecified",
        96 => "Mandatory information element is missing",
        97 => "Message type non-existent or not implemented",
        98 => {
            "Message not compatible with call state or message type non-existent or not implemented"
        }
        99 => "Information element / parameter non-existent or not implemented",
        100 => "Invalid information element contents",
        101 => "Message not compatible with call state",
        102 => "Recovery on timer expiry",
        103 => "Parameter non-existent or not implemented, passed on",
        110 => "Message with unrecognized parameter, discarded",
        111 => "Protocol error, unspecified",
        127 => "Interworking, unspecified",
        _ => return None,
    })
}

/// A `Reason` header field's value (RFC 3326): why a request ended, as a SIP code, a Q.850
/// cause, or another protocol's. `Display` writes the value alone (what a stack with typed
/// headers stores); [`Reason::header`] writes the whole field, `Reason: ` and the value.
///
/// ```
/// # use sip_responses_core as sip_responses;
/// use sip_responses::{q850::Reason, StatusCode};
///
/// assert_eq!(Reason::sip(StatusCode::BusyHere).to_string(), r#"SIP;cause=486;text="Busy Here""#);
/// let cause = StatusCode::BusyHere.q850_cause().unwrap();
/// let reason = Reason::q850(cause).unwrap();
/// assert_eq!(reason.header().to_string(), r#"Reason: Q.850;cause=17;text="User busy""#);
///
/// // What a gateway receives: parsed with RFC 3326's grammar, the text borrowed.
/// let got = Reason::parse(r#"Q.850 ; cause=16 ; text="Terminated""#)?;
/// assert_eq!(got, Reason::Q850 { cause: 16, text: Some("Terminated") });
/// assert_eq!(got.to_string(), r#"Q.850;cause=16;text="Terminated""#);
/// # Ok::<(), sip_responses::q850::ReasonError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason<'a> {
    /// `SIP;cause=NNN;text="Reason-Phrase"`.
    Sip {
        /// The status code, 100..=699.
        cause: u16,
        /// The text, as written between the quotes (escapes kept), if there is one.
        text: Option<&'a str>,
    },
    /// `Q.850;cause=N;text="..."`.
    Q850 {
        /// The cause value, 0..=127.
        cause: u8,
        /// The text, as written between the quotes (escapes kept), if there is one.
        text: Option<&'a str>,
    },
    /// Another protocol's value (RFC 3326 allows any token, e.g. `preemption` of RFC 4411).
    Other {
        /// The protocol token, as written.
        protocol: &'a str,
        /// Its cause, if given.
        cause: Option<u32>,
        /// The text, as written between the quotes (escapes kept), if there is one.
        text: Option<&'a str>,
    },
}

impl Reason<'static> {
    /// The `Reason` for a response code, with its registered reason phrase as the text.
    #[must_use]
    pub fn sip<C: ResponseCode + Copy>(code: C) -> Self {
        Reason::Sip {
            cause: code.code(),
            text: Some(code.reason()),
        }
    }

    /// The `Reason` for a Q.850 cause value Q.850 defines, with its name as the text.
    #[must_use]
    pub const fn q850(cause: u8) -> Option<Self> {
        match cause_text(cause) {
            Some(text) => Some(Reason::Q850 {
                cause,
                text: Some(text),
            }),
            None => None,
        }
    }
}

impl<'a> Reason<'a> {
    /// Parses one `reason-value` of RFC 3326 Section 2 (the header field's value without
    /// `Reason:`; a field with several values separated by commas is read with
    /// [`Reason::parse_list`]):
    ///
    /// ```text
    /// reason-value      =  protocol *(SEMI reason-params)
    /// protocol          =  "SIP" / "Q.850" / token
    /// reason-params     =  protocol-cause / reason-text / reason-extension
    /// protocol-cause    =  "cause" EQUAL cause
    /// cause             =  1*DIGIT
    /// reason-text       =  "text" EQUAL quoted-string
    /// ```
    ///
    /// Names compare case-insensitively, whitespace around `;` and `=` is allowed, other
    /// parameters (`reason-extension`) are skipped. A `SIP` value needs a cause in 100..=699,
    /// a `Q.850` value one in 0..=127: a gateway has nothing to map without it.
    ///
    /// # Errors
    /// A [`ReasonError`] saying what is wrong and at which byte.
    pub fn parse(value: &'a str) -> Result<Self, ReasonError> {
        let mut p = Cursor { text: value, at: 0 };
        p.skip_ws();
        let protocol = p.token().ok_or(p.error(ReasonErrorKind::NotAToken))?;
        let (mut cause, mut cause_at, mut text) = (None, 0, None);
        loop {
            p.skip_ws();
            if p.at == value.len() {
                break;
            }
            if !p.eat(b';') {
                return Err(p.error(ReasonErrorKind::ExpectedSemicolon));
            }
            p.skip_ws();
            let name_at = p.at;
            let name = p.token().ok_or(p.error(ReasonErrorKind::NotAToken))?;
            p.skip_ws();
            let has_value = p.eat(b'=');
            p.skip_ws();
            if name.eq_ignore_ascii_case("cause") {
                if cause.is_some() {
                    return Err(ReasonError::new(
                        ReasonErrorKind::Duplicate("cause"),
                        name_at,
                    ));
                }
                cause_at = p.at;
                let digits = p.take_while(|b| b.is_ascii_digit());
                if !has_value || digits.is_empty() {
                    return Err(p.error(ReasonErrorKind::CauseNotDigits));
                }
                cause =
                    Some(digits.parse::<u32>().map_err(|_| {
                        ReasonError::new(ReasonErrorKind::CauseOutOfRange, cause_at)
                    })?);
            } else if name.eq_ignore_ascii_case("text") {
                if text.is_some() {
                    return Err(ReasonError::new(
                        ReasonErrorKind::Duplicate("text"),
                        name_at,
                    ));
                }
                if !has_value {
                    return Err(p.error(ReasonErrorKind::TextNotQuoted));
                }
                text = Some(p.quoted()?);
            } else if has_value {
                // reason-extension = generic-param: token [EQUAL gen-value]
                if p.peek() == Some(b'"') {
                    p.quoted()?;
                } else if p.token().is_none() {
                    return Err(p.error(ReasonErrorKind::NotAToken));
                }
            }
        }
        let at_cause = |kind| ReasonError::new(kind, cause_at);
        if protocol.eq_ignore_ascii_case("SIP") {
            let cause = cause.ok_or(ReasonError::new(ReasonErrorKind::MissingCause, 0))?;
            match u16::try_from(cause) {
                Ok(cause @ 100..=699) => Ok(Reason::Sip { cause, text }),
                _ => Err(at_cause(ReasonErrorKind::CauseOutOfRange)),
            }
        } else if protocol.eq_ignore_ascii_case("Q.850") {
            let cause = cause.ok_or(ReasonError::new(ReasonErrorKind::MissingCause, 0))?;
            match u8::try_from(cause) {
                Ok(cause @ 0..=127) => Ok(Reason::Q850 { cause, text }),
                _ => Err(at_cause(ReasonErrorKind::CauseOutOfRange)),
            }
        } else {
            Ok(Reason::Other {
                protocol,
                cause,
                text,
            })
        }
    }

    /// Each `reason-value` of a header field's value that may hold several separated by
    /// commas (`Reason: SIP;cause=200;text="Call completed elsewhere", Q.850;cause=16`), each
    /// parsed with [`Reason::parse`]. A comma inside a quoted text does not separate.
    pub fn parse_list(value: &'a str) -> impl Iterator<Item = Result<Reason<'a>, ReasonError>> {
        let mut rest = Some(value);
        let mut offset = 0;
        core::iter::from_fn(move || {
            let text = rest?;
            let end = top_level_comma(text);
            let (one, after) = match end {
                Some(comma) => (&text[..comma], Some(&text[comma + 1..])),
                None => (text, None),
            };
            let start = offset;
            offset += one.len() + 1;
            rest = after;
            Some(Reason::parse(one).map_err(|e| ReasonError::new(e.kind, start + e.at)))
        })
    }

    /// The text, if the value has one.
    #[must_use]
    pub const fn text(&self) -> Option<&'a str> {
        match self {
            Reason::Sip { text, .. } | Reason::Q850 { text, .. } | Reason::Other { text, .. } => {
                *text
            }
        }
    }

    /// The whole header field: `Reason: ` and the value (no CRLF).
    #[must_use]
    pub const fn header(&self) -> Header<'_, 'a> {
        Header(self)
    }
}

/// [`Reason::header`]: writes `Reason: ` and the value.
#[derive(Debug, Clone, Copy)]
pub struct Header<'r, 'a>(&'r Reason<'a>);

impl fmt::Display for Header<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Reason: {}", self.0)
    }
}

impl fmt::Display for Reason<'_> {
    /// The value: `SIP;cause=486;text="Busy Here"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Sip { cause, .. } => write!(f, "SIP;cause={cause}")?,
            Reason::Q850 { cause, .. } => write!(f, "Q.850;cause={cause}")?,
            Reason::Other {
                protocol, cause, ..
            } => {
                f.write_str(protocol)?;
                if let Some(cause) = cause {
                    write!(f, ";cause={cause}")?;
                }
            }
        }
        match self.text() {
            Some(text) => write!(f, ";text=\"{text}\""),
            None => Ok(()),
        }
    }
}

/// The offset of the first comma of `text` outside a quoted string.
fn top_level_comma(text: &str) -> Option<usize> {
    let (mut quoted, mut escaped) = (false, false);
    for (i, b) in text.bytes().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' if quoted => escaped = true,
            b'"' => quoted = !quoted,
            b',' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

/// A reader over a header value.
struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        let ate = self.peek() == Some(b);
        self.at += usize::from(ate);
        ate
    }

    fn skip_ws(&mut self) {
        self.take_while(|b| b == b' ' || b == b'\t');
    }

    fn take_while(&mut self, keep: impl Fn(u8) -> bool) -> &'a str {
        let start = self.at;
        while self.peek().is_some_and(&keep) {
            self.at += 1;
        }
        // Every byte taken is ASCII (the predicates accept nothing else), so `at` is on a
        // character boundary.
        self.text.get(start..self.at).unwrap_or_default()
    }

    /// RFC 3261's `token`: one or more of alphanum and `-.!%*_+` backtick `'~`.
    fn token(&mut self) -> Option<&'a str> {
        let token = self.take_while(|b| b.is_ascii_alphanumeric() || b"-.!%*_+`'~".contains(&b));
        (!token.is_empty()).then_some(token)
    }

    /// RFC 3261's `quoted-string`, its content returned as written (escapes kept).
    fn quoted(&mut self) -> Result<&'a str, ReasonError> {
        if !self.eat(b'"') {
            return Err(self.error(ReasonErrorKind::TextNotQuoted));
        }
        let start = self.at;
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(self.at) {
            match b {
                b'"' => {
                    let content = self.text.get(start..self.at).unwrap_or_default();
                    self.at += 1;
                    return Ok(content);
                }
                b'\\' => self.at += 2,
                b'\r' | b'\n' => break,
                _ => self.at += 1,
            }
        }
        Err(ReasonError::new(
            ReasonErrorKind::UnterminatedText,
            start - 1,
        ))
    }

    fn error(&self, kind: ReasonErrorKind) -> ReasonError {
        ReasonError::new(kind, self.at)
    }
}

/// What is wrong with a `Reason` header field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReasonErrorKind {
    /// A protocol or parameter name is missing or is not a token.
    NotAToken,
    /// Something other than `;` follows a parameter.
    ExpectedSemicolon,
    /// `cause` has no value, or its value is not decimal digits.
    CauseNotDigits,
    /// The cause is outside its protocol's range (SIP 100..=699, Q.850 0..=127).
    CauseOutOfRange,
    /// A `SIP` or `Q.850` value without a cause.
    MissingCause,
    /// `text` has no value, or its value is not a quoted string.
    TextNotQuoted,
    /// A quoted string without its closing quote on the line.
    UnterminatedText,
    /// The parameter is given twice.
    Duplicate(&'static str),
}

/// A `Reason` parse failure: what is wrong and at which byte of the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReasonError {
    kind: ReasonErrorKind,
    at: usize,
}

impl ReasonError {
    const fn new(kind: ReasonErrorKind, at: usize) -> Self {
        ReasonError { kind, at }
    }

    /// What is wrong.
    #[must_use]
    pub const fn kind(&self) -> ReasonErrorKind {
        self.kind
    }

    /// The byte offset in the value where it is wrong.
    #[must_use]
    pub const fn at(&self) -> usize {
        self.at
    }
}

impl fmt::Display for ReasonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            ReasonErrorKind::NotAToken => "a protocol or parameter name must be a token",
            ReasonErrorKind::ExpectedSemicolon => "expected `;` before the next parameter",
            ReasonErrorKind::CauseNotDigits => "`cause` must be decimal digits",
            ReasonErrorKind::CauseOutOfRange => {
                "the cause is out of its protocol's range (SIP 100..=699, Q.850 0..=127)"
            }
            ReasonErrorKind::MissingCause => "a SIP or Q.850 reason needs `cause=`",
            ReasonErrorKind::TextNotQuoted => "`text` must be a quoted string",
            ReasonErrorKind::UnterminatedText => "the quoted text has no closing quote",
            ReasonErrorKind::Duplicate(name) => {
                return write!(f, "`{name}` is given twice (at byte {})", self.at)
            }
        };
        write!(f, "Reason header: {what} (at byte {})", self.at)
    }
}

impl core::error::Error for ReasonError {}
