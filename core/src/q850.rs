//! ISUP/Q.850 cause values (ITU-T Q.850, as carried by SIP-PSTN gateways, RFC 3398) and the
//! `Reason` header field of RFC 3326 that carries a cause or a SIP code.
//!
//! Which response maps to which cause, and back, is data in the spec (`q850 = N` per code,
//! the `[q850]` table): see `StatusCode::q850_cause` and `StatusCode::from_q850`.

use core::fmt;

use crate::StatusText;

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

/// The protocol of a [`Reason`] value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol<'a> {
    /// `SIP`: the cause is a status code, 100..=699.
    Sip,
    /// `Q.850`: the cause is a Q.850 cause value, 0..=127.
    Q850,
    /// Another protocol's token (RFC 3326 allows any, e.g. `preemption` of RFC 4411), as
    /// written.
    Other(&'a str),
}

/// A `Reason` header field's value (RFC 3326): why a request ended, as a SIP code, a Q.850
/// cause, or another protocol's. `Display` writes the value alone (what a stack with typed
/// headers stores); [`Reason::header`] writes the whole field, `Reason: ` and the value.
///
/// Every way to make one checks RFC 3326's grammar ([`Reason::parse`], [`Reason::new`]) or
/// builds it from checked parts ([`Reason::sip`], [`Reason::q850`]); the fields are private,
/// so no value writes a second header line, a cause out of its protocol's range or a
/// protocol that is not a token. Extension parameters (`location=LN`) of a parsed value are
/// written back.
///
/// ```
/// # use sip_responses_core as sip_responses;
/// use sip_responses::{q850::{Protocol, Reason}, Code, StatusCode};
///
/// assert_eq!(Reason::sip(StatusCode::BusyHere).to_string(), r#"SIP;cause=486;text="Busy Here""#);
/// let relayed: Code<StatusCode> = Code::try_from(499)?;
/// assert_eq!(Reason::sip(relayed).to_string(), "SIP;cause=499"); // a code the set lacks
/// let cause = StatusCode::BusyHere.q850_cause().unwrap();
/// let reason = Reason::q850(cause).unwrap();
/// assert_eq!(reason.header().to_string(), r#"Reason: Q.850;cause=17;text="User busy""#);
///
/// // What a gateway receives: parsed with RFC 3326's grammar, the text borrowed, extension
/// // parameters kept.
/// let got = Reason::parse(r#"Q.850 ; cause=16 ; text="Terminated";location=LN"#)?;
/// assert_eq!((got.protocol(), got.q850_cause(), got.text()), (Protocol::Q850, Some(16), Some("Terminated")));
/// assert_eq!(got.to_string(), r#"Q.850;cause=16;text="Terminated";location=LN"#);
///
/// // What would inject a header line is refused:
/// assert!(Reason::new("Q.850", Some(16), Some("Busy\r\nVia: evil")).is_err());
/// assert!(Reason::new("Q.850", Some(9999), None).is_err());
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Reason<'a> {
    protocol: Protocol<'a>,
    cause: Option<u32>,
    text: Option<&'a str>,
    /// The value a parsed `Reason` came from (its extension parameters are written back);
    /// empty for one built from parts.
    source: &'a str,
}

impl Reason<'static> {
    /// The `Reason` for a response code of any set, or a [`crate::Code`] a relay carries (a
    /// code the set does not know included): `SIP;cause=NNN`, with the registered reason
    /// phrase as the text where the code has one.
    #[must_use]
    pub fn sip<T: StatusText>(code: T) -> Self {
        let cause = code
            .digits()
            .bytes()
            .take(3)
            .fold(0, |n, d| n * 10 + u32::from(d.wrapping_sub(b'0')));
        Reason {
            protocol: Protocol::Sip,
            cause: Some(cause),
            text: code.registered_reason(),
            source: "",
        }
    }

    /// The `Reason` for a Q.850 cause value Q.850 defines, with its name as the text.
    #[must_use]
    pub const fn q850(cause: u8) -> Option<Self> {
        match cause_text(cause) {
            Some(text) => Some(Reason {
                protocol: Protocol::Q850,
                cause: Some(cause as u32),
                text: Some(text),
                source: "",
            }),
            None => None,
        }
    }
}

impl<'a> Reason<'a> {
    /// A value from its parts, checked as [`Reason::parse`] checks them: `protocol` a token
    /// (`SIP` and `Q.850` in any case are those protocols), a `SIP` cause in 100..=699, a
    /// `Q.850` cause in 0..=127 (both required), `text` the content of a quoted string as
    /// written between the quotes (`qdtext` and `quoted-pair`: no CR or LF, a `"` or `\` only
    /// escaped with `\`).
    ///
    /// # Errors
    /// A [`ValueError`]; its byte is in `protocol` for [`ValueErrorKind::NotAToken`], in
    /// `text` for [`ValueErrorKind::TextNotQuotable`], 0 otherwise.
    pub fn new(
        protocol: &'a str,
        cause: Option<u32>,
        text: Option<&'a str>,
    ) -> Result<Self, ValueError> {
        if let Some(at) = not_token(protocol) {
            return Err(ValueError::new(ValueErrorKind::NotAToken, at));
        }
        if let Some(at) = text.and_then(not_quotable) {
            return Err(ValueError::new(ValueErrorKind::TextNotQuotable, at));
        }
        Self::checked(protocol, cause, text, 0, "")
    }

    /// The protocol, the cause's range and presence checked; `cause_at` locates an error.
    fn checked(
        protocol: &'a str,
        cause: Option<u32>,
        text: Option<&'a str>,
        cause_at: usize,
        source: &'a str,
    ) -> Result<Self, ValueError> {
        let (protocol, range) = if protocol.eq_ignore_ascii_case("SIP") {
            (Protocol::Sip, Some(100..=699))
        } else if protocol.eq_ignore_ascii_case("Q.850") {
            (Protocol::Q850, Some(0..=127))
        } else {
            (Protocol::Other(protocol), None)
        };
        if let Some(range) = range {
            let cause = cause.ok_or(ValueError::new(ValueErrorKind::MissingCause, 0))?;
            if !range.contains(&cause) {
                return Err(ValueError::new(ValueErrorKind::CauseOutOfRange, cause_at));
            }
        }
        Ok(Reason {
            protocol,
            cause,
            text,
            source,
        })
    }

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
    /// parameters (`reason-extension`) are kept and written back. A `SIP` value needs a cause
    /// in 100..=699, a `Q.850` value one in 0..=127: a gateway has nothing to map without it.
    ///
    /// # Errors
    /// A [`ValueError`] saying what is wrong and at which byte.
    pub fn parse(value: &'a str) -> Result<Self, ValueError> {
        let mut p = Cursor { text: value, at: 0 };
        p.skip_ws();
        let protocol = p.token().ok_or(p.error(ValueErrorKind::NotAToken))?;
        let (mut cause, mut cause_at, mut text) = (None, 0, None);
        while let Some(param) = p.param()? {
            match param {
                Param::Cause {
                    digits,
                    at,
                    name_at,
                } => {
                    if cause.is_some() {
                        return Err(ValueError::new(ValueErrorKind::Duplicate("cause"), name_at));
                    }
                    cause_at = at;
                    cause = Some(
                        digits
                            .parse::<u32>()
                            .map_err(|_| ValueError::new(ValueErrorKind::CauseOutOfRange, at))?,
                    );
                }
                Param::Text { content, name_at } => {
                    if text.is_some() {
                        return Err(ValueError::new(ValueErrorKind::Duplicate("text"), name_at));
                    }
                    text = Some(content);
                }
                Param::Extension(_) => {}
            }
        }
        Self::checked(protocol, cause, text, cause_at, value)
    }

    /// Each `reason-value` of a header field's value that may hold several separated by
    /// commas (`Reason: SIP;cause=200;text="Call completed elsewhere", Q.850;cause=16`), each
    /// parsed with [`Reason::parse`]. A comma inside a quoted text does not separate.
    pub fn parse_list(value: &'a str) -> impl Iterator<Item = Result<Reason<'a>, ValueError>> {
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
            Some(Reason::parse(one).map_err(|e| ValueError::new(e.kind, start + e.at)))
        })
    }

    /// The protocol.
    #[must_use]
    pub const fn protocol(&self) -> Protocol<'a> {
        self.protocol
    }

    /// The cause, if the value has one (always for `SIP` and `Q.850`).
    #[must_use]
    pub const fn cause(&self) -> Option<u32> {
        self.cause
    }

    /// The status code of a `SIP` value.
    #[must_use]
    pub fn sip_code(&self) -> Option<crate::RawCode> {
        match self.protocol {
            Protocol::Sip => self
                .cause
                .and_then(|c| u16::try_from(c).ok())
                .and_then(crate::RawCode::new),
            _ => None,
        }
    }

    /// The cause value of a `Q.850` value.
    #[must_use]
    pub fn q850_cause(&self) -> Option<u8> {
        match self.protocol {
            Protocol::Q850 => self.cause.and_then(|c| u8::try_from(c).ok()),
            _ => None,
        }
    }

    /// The text, as written between the quotes (escapes kept), if the value has one.
    #[must_use]
    pub const fn text(&self) -> Option<&'a str> {
        self.text
    }

    /// The extension parameters of a parsed value (`location=LN`, `flag`), as written, in
    /// order; none for a value built from parts.
    pub fn extensions(&self) -> impl Iterator<Item = &'a str> + 'a {
        let mut p = Cursor {
            text: self.source,
            at: 0,
        };
        p.skip_ws();
        let parsed = p.token().is_some();
        core::iter::from_fn(move || loop {
            if !parsed {
                return None;
            }
            // The source parsed once, so it parses again; an error ends the iteration.
            match p.param().ok()?? {
                Param::Extension(raw) => return Some(raw),
                Param::Cause { .. } | Param::Text { .. } => {}
            }
        })
    }

    /// The whole header field: `Reason: ` and the value (no CRLF).
    #[must_use]
    pub const fn header(&self) -> Header<'_, 'a> {
        Header(self)
    }
}

impl PartialEq for Reason<'_> {
    /// The same protocol (`SIP` and `sip` alike), cause, text and extension parameters.
    fn eq(&self, other: &Self) -> bool {
        self.protocol == other.protocol
            && self.cause == other.cause
            && self.text == other.text
            && self.extensions().eq(other.extensions())
    }
}

impl Eq for Reason<'_> {}

impl core::hash::Hash for Reason<'_> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.protocol.hash(state);
        self.cause.hash(state);
        self.text.hash(state);
        for extension in self.extensions() {
            extension.hash(state);
        }
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
    /// The value: `SIP;cause=486;text="Busy Here"`, then the extension parameters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.protocol {
            Protocol::Sip => f.write_str("SIP")?,
            Protocol::Q850 => f.write_str("Q.850")?,
            Protocol::Other(protocol) => f.write_str(protocol)?,
        }
        if let Some(cause) = self.cause {
            write!(f, ";cause={cause}")?;
        }
        if let Some(text) = self.text {
            write!(f, ";text=\"{text}\"")?;
        }
        for extension in self.extensions() {
            write!(f, ";{extension}")?;
        }
        Ok(())
    }
}

/// The first byte of `text` that is not a token character, or 0 for an empty one.
fn not_token(text: &str) -> Option<usize> {
    if text.is_empty() {
        return Some(0);
    }
    text.bytes().position(|b| !is_token_byte(b))
}

/// RFC 3261's `token` characters: letters, digits and ``- . ! % * _ + ` ' ~``.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-.!%*_+`'~".contains(&b)
}

/// The first byte of `text` that cannot stand between the quotes of a `quoted-string` as
/// written (RFC 3261 25.1: `qdtext = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII`,
/// `quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)`), with no line break at all.
fn not_quotable(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => match bytes.get(i + 1) {
                Some(&next) if next <= 0x7f && next != b'\r' && next != b'\n' => i += 2,
                _ => return Some(i),
            },
            b' ' | b'\t' | 0x21 | 0x23..=0x5b | 0x5d..=0x7e | 0x80.. => i += 1,
            _ => return Some(i),
        }
    }
    None
}

/// One parameter of a value, as [`Cursor::param`] reads it.
enum Param<'a> {
    Cause {
        digits: &'a str,
        at: usize,
        name_at: usize,
    },
    Text {
        content: &'a str,
        name_at: usize,
    },
    Extension(&'a str),
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
    fn quoted(&mut self) -> Result<&'a str, ValueError> {
        if !self.eat(b'"') {
            return Err(self.error(ValueErrorKind::TextNotQuoted));
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
        Err(ValueError::new(ValueErrorKind::UnterminatedText, start - 1))
    }

    fn error(&self, kind: ValueErrorKind) -> ValueError {
        ValueError::new(kind, self.at)
    }

    /// The next `SEMI reason-params`, or `None` at the end of the value.
    fn param(&mut self) -> Result<Option<Param<'a>>, ValueError> {
        self.skip_ws();
        if self.at == self.text.len() {
            return Ok(None);
        }
        if !self.eat(b';') {
            return Err(self.error(ValueErrorKind::ExpectedSemicolon));
        }
        self.skip_ws();
        let name_at = self.at;
        let name = self.token().ok_or(self.error(ValueErrorKind::NotAToken))?;
        self.skip_ws();
        let has_value = self.eat(b'=');
        self.skip_ws();
        if name.eq_ignore_ascii_case("cause") {
            let at = self.at;
            let digits = self.take_while(|b| b.is_ascii_digit());
            if !has_value || digits.is_empty() {
                return Err(self.error(ValueErrorKind::CauseNotDigits));
            }
            return Ok(Some(Param::Cause {
                digits,
                at,
                name_at,
            }));
        }
        if name.eq_ignore_ascii_case("text") {
            if !has_value {
                return Err(self.error(ValueErrorKind::TextNotQuoted));
            }
            let start = self.at + 1;
            let content = self.quoted()?;
            if let Some(at) = not_quotable(content) {
                return Err(ValueError::new(ValueErrorKind::TextNotQuotable, start + at));
            }
            return Ok(Some(Param::Text { content, name_at }));
        }
        // reason-extension = generic-param: token [EQUAL gen-value]
        if has_value {
            if self.peek() == Some(b'"') {
                let start = self.at + 1;
                let content = self.quoted()?;
                if let Some(at) = not_quotable(content) {
                    return Err(ValueError::new(ValueErrorKind::TextNotQuotable, start + at));
                }
            } else if self.token().is_none() {
                return Err(self.error(ValueErrorKind::NotAToken));
            }
        }
        let raw = self.text.get(name_at..self.at).unwrap_or_default();
        Ok(Some(Param::Extension(raw)))
    }
}

/// What is wrong with a `Reason` header field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueErrorKind {
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
    /// A byte a quoted string cannot hold as written: a line break, a control character, or
    /// a `"` or `\` not escaped with `\`.
    TextNotQuotable,
    /// The parameter is given twice.
    Duplicate(&'static str),
}

/// A `Reason` parse failure: what is wrong and at which byte of the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ValueError {
    kind: ValueErrorKind,
    at: usize,
}

impl ValueError {
    const fn new(kind: ValueErrorKind, at: usize) -> Self {
        ValueError { kind, at }
    }

    /// What is wrong.
    #[must_use]
    pub const fn kind(&self) -> ValueErrorKind {
        self.kind
    }

    /// The byte offset in the value where it is wrong.
    #[must_use]
    pub const fn at(&self) -> usize {
        self.at
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            ValueErrorKind::NotAToken => "a protocol or parameter name must be a token",
            ValueErrorKind::ExpectedSemicolon => "expected `;` before the next parameter",
            ValueErrorKind::CauseNotDigits => "`cause` must be decimal digits",
            ValueErrorKind::CauseOutOfRange => {
                "the cause is out of its protocol's range (SIP 100..=699, Q.850 0..=127)"
            }
            ValueErrorKind::MissingCause => "a SIP or Q.850 reason needs `cause=`",
            ValueErrorKind::TextNotQuoted => "`text` must be a quoted string",
            ValueErrorKind::UnterminatedText => "the quoted text has no closing quote",
            ValueErrorKind::TextNotQuotable => {
                "the text holds a byte a quoted string cannot (a line break, a control, or an unescaped `\"` or `\\`)"
            }
            ValueErrorKind::Duplicate(name) => {
                return write!(f, "`{name}` is given twice (at byte {})", self.at)
            }
        };
        write!(f, "Reason header: {what} (at byte {})", self.at)
    }
}

impl core::error::Error for ValueError {}
