//! The status-line readers (`StatusLine`, `LenientStatusLine`) and the parsing of status codes
//! from text and bytes beneath them: plain arithmetic on three ASCII digits.

use crate::code::RawCode;
use crate::error::{ParseError, ParseErrorKind};

/// Reads the three-digit status code at `bytes[at..]`: exactly three ASCII digits, in 100..=699.
/// The byte after the digits is looked at only to tell an over-long code (`0486`, `6999`:
/// [`ParseErrorKind::NotThreeDigits`] at the fourth digit) from one out of range (`099`).
///
/// # Errors
/// [`ParseErrorKind::NotThreeDigits`] or [`ParseErrorKind::OutOfRange`], at the offending byte.
#[inline]
pub const fn code_at(bytes: &[u8], at: usize) -> Result<u16, ParseError> {
    // `at` may be any value: no `at + 3`, which could overflow.
    if at <= bytes.len() && bytes.len() - at >= 3 {
        let (a, b, c) = (bytes[at], bytes[at + 1], bytes[at + 2]);
        if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit() {
            if bytes.len() - at > 3 && bytes[at + 3].is_ascii_digit() {
                return Err(ParseError::new(ParseErrorKind::NotThreeDigits, at + 3));
            }
            let value = (a - b'0') as u16 * 100 + (b - b'0') as u16 * 10 + (c - b'0') as u16;
            if value < 100 || value > 699 {
                return Err(ParseError::new(ParseErrorKind::OutOfRange(value), at));
            }
            return Ok(value);
        }
    }
    // The error path: find the first byte that is not a digit.
    let mut i = at;
    while i < bytes.len() && i - at < 3 && bytes[i].is_ascii_digit() {
        i += 1;
    }
    Err(ParseError::new(ParseErrorKind::NotThreeDigits, i))
}

/// Three bytes as a code in 100..=699: the first a digit 1 to 6, the others any digit. In
/// `u32` arithmetic and returned as computed: `from_bytes` indexes its 701-entry table with
/// it, which LLVM sees is at most 699, so with no clamp and no narrowing (2.71 -> 2.25 ns).
#[inline]
pub(crate) const fn three_digits(a: u8, b: u8, c: u8) -> Option<u32> {
    let (a, b, c) = (
        (a as u32).wrapping_sub(b'0' as u32),
        (b as u32).wrapping_sub(b'0' as u32),
        (c as u32).wrapping_sub(b'0' as u32),
    );
    if a.wrapping_sub(1) < 6 && b < 10 && c < 10 {
        return Some(a * 100 + b * 10 + c);
    }
    None
}

/// A code from [`three_digits`] as the `u16` it fits in (at most 699: no truncation).
#[inline]
#[allow(clippy::cast_possible_truncation)]
const fn narrow(code: Option<u32>) -> Option<u16> {
    match code {
        Some(code) => Some(code as u16),
        None => None,
    }
}

/// [`code_at`] out of line, for callers whose fast path already read the digits: it only
/// runs to explain (or, for a caller's own reasons, accept) what the fast path did not.
#[cold]
#[inline(never)]
const fn code_at_cold(bytes: &[u8], at: usize) -> Result<u16, ParseError> {
    code_at(bytes, at)
}

/// Checks a reason phrase (RFC 3261, Section 25: any UTF-8 text, SP and HTAB, no other
/// control character) that starts at byte `offset` of the whole input, and returns it.
///
/// # Errors
/// [`ParseErrorKind::ControlCharacter`] or [`ParseErrorKind::InvalidUtf8`] at the offending byte.
#[inline]
pub const fn reason_phrase(reason: &[u8], offset: usize) -> Result<&str, ParseError> {
    let scan = reason_scan(reason, 0);
    if scan.end < reason.len() {
        return Err(ParseError::new(
            ParseErrorKind::ControlCharacter,
            offset.saturating_add(scan.end),
        ));
    }
    match reason_str(reason, scan.ascii) {
        Ok(reason) => Ok(reason),
        Err(e) => Err(ParseError::new(
            ParseErrorKind::InvalidUtf8,
            offset.saturating_add(e.valid_up_to()),
        )),
    }
}

/// What [`reason_scan`] found.
#[derive(Clone, Copy)]
struct Scan {
    /// The offset of the first byte a Reason-Phrase cannot hold, or the input's length.
    end: usize,
    /// Whether every byte from the scan's start to `end` is ASCII (below 0x80).
    ascii: bool,
}

/// The reason phrase as `&str`: UTF-8 checked, unless [`reason_scan`] found it all ASCII.
///
/// `reason_scan` already looked at every byte, so a second pass is only needed when it saw
/// a byte of a multi-byte character. This is the crate's one `unsafe`, kept because the status
/// line benchmark shows it is the way to its target (4.6x the bare three-digit parse with
/// `from_utf8` on every reason, 2.8x without it for ASCII); `tests/tests/status_line.rs` checks
/// it against `from_utf8` for every registered code and for ASCII, non-ASCII and invalid
/// bytes at every position of the scan's word and byte paths.
#[inline]
#[allow(unsafe_code)]
const fn reason_str(reason: &[u8], ascii: bool) -> Result<&str, core::str::Utf8Error> {
    if ascii {
        // SAFETY: `ascii` comes from `reason_scan` over exactly these bytes, and is true only
        // if each of them is below 0x80 (see the proof there); a sequence of ASCII bytes is
        // valid UTF-8.
        Ok(unsafe { core::str::from_utf8_unchecked(reason) })
    } else {
        core::str::from_utf8(reason)
    }
}

/// The one reason-phrase scanner: where the Reason-Phrase starting at `from` ends (the first
/// byte it cannot hold: a control character other than HTAB; CR and LF end the line), or
/// `bytes.len()`; and whether all of it is ASCII. Eight bytes at a time: a word of printable
/// ASCII is skipped whole, otherwise the scan jumps to its first other byte and decides that
/// one.
///
/// Proof that `ascii` is true only when every byte in `from..end` is below 0x80: a byte is
/// passed over in one of two ways. (1) In a word whose `not_printable` mask is zero: the mask
/// includes each byte's own high bit (`word | ...`), so every byte of that word is below 0x80.
/// (2) Below the lowest flagged byte of a word (`skip`): that lowest flag is exact (borrows
/// and carries only run upward), so those bytes are printable ASCII. Every other byte passed
/// over is the flagged one itself, decided one at a time, where `ascii` is cleared if it is
/// 0x80 or above. The scan returns at the first byte it does not pass over, which is `end`.
// Inlined into `StatusLine::parse`, the status line bench goes from 12.8 to 10.2 ns; LLVM
// does not inline it on its own.
#[allow(clippy::inline_always)]
#[inline(always)]
const fn reason_scan(bytes: &[u8], from: usize) -> Scan {
    let Some((_, mut rest)) = bytes.split_at_checked(from) else {
        return Scan {
            end: bytes.len(),
            ascii: true,
        };
    };
    let mut i = from;
    let mut ascii = true;
    loop {
        // Slices that shrink from the front: every index below is in bounds by construction.
        let skip = if let Some((word, tail)) = rest.split_first_chunk::<8>() {
            let mask = not_printable(u64::from_le_bytes(*word));
            if mask == 0 {
                i += 8;
                rest = tail;
                continue;
            }
            (mask.trailing_zeros() / 8) as usize
        } else {
            0
        };
        let Some((_, [b, tail @ ..])) = rest.split_at_checked(skip) else {
            return Scan {
                end: bytes.len(),
                ascii,
            };
        };
        i += skip;
        if (*b < 0x20 && *b != b'\t') || *b == 0x7f {
            return Scan { end: i, ascii };
        }
        // Bytes of multi-byte characters pass here; UTF-8 is checked once, afterwards.
        ascii &= *b < 0x80;
        i += 1;
        rest = tail;
    }
}

/// Parses `NNN` or `NNN SP Reason-Phrase` (the status line without version and CRLF), as
/// generated `FromStr` and `from_bytes` accept it. Any reason phrase is accepted (the code
/// decides); it is only checked to be one line of text.
///
/// # Errors
/// A [`ParseError`] saying what is wrong and at which byte.
#[inline]
pub const fn parse_code(bytes: &[u8]) -> Result<u16, ParseError> {
    // The common case, a bare code, in straight-line arithmetic; the rest out of line.
    match bare_code(bytes) {
        Some(code) => Ok(code),
        None => parse_code_slow(bytes),
    }
}

/// The common case of [`parse_code`]: exactly three digits, the first 1 to 6. `None` for
/// anything else, which [`parse_code_slow`] then parses (or explains).
#[inline]
pub(crate) const fn bare_code(bytes: &[u8]) -> Option<u16> {
    match *bytes {
        [a, b, c] => narrow(three_digits(a, b, c)),
        _ => None,
    }
}

/// [`parse_code`] for every input [`bare_code`] leaves: a code with a reason phrase, or an
/// error saying what is wrong and where.
///
/// # Errors
/// A [`ParseError`] saying what is wrong and at which byte.
#[cold]
#[inline(never)]
pub(crate) const fn parse_code_slow(bytes: &[u8]) -> Result<u16, ParseError> {
    if bytes.is_empty() {
        return Err(ParseError::new(ParseErrorKind::Empty, 0));
    }
    let code = match code_at(bytes, 0) {
        Ok(code) => code,
        Err(e) => return Err(e),
    };
    if bytes.len() == 3 {
        return Ok(code);
    }
    if bytes[3] != b' ' {
        let kind = if bytes[3].is_ascii_digit() {
            ParseErrorKind::NotThreeDigits
        } else {
            ParseErrorKind::MissingSpace
        };
        return Err(ParseError::new(kind, 3));
    }
    let (_, reason) = bytes.split_at(4);
    match reason_phrase(reason, 4) {
        Ok(_) => Ok(code),
        Err(e) => Err(e),
    }
}

/// Where and why the input does not start with `SIP/2.0 `.
const fn version_error(input: &[u8]) -> ParseError {
    let version = b"SIP/2.0";
    let mut i = 0;
    while i < version.len() {
        if i >= input.len() || input[i].to_ascii_uppercase() != version[i] {
            return ParseError::new(ParseErrorKind::BadVersion, i);
        }
        i += 1;
    }
    let kind = if i < input.len() && input[i].is_ascii_digit() {
        ParseErrorKind::BadVersion
    } else {
        ParseErrorKind::MissingSpace
    };
    ParseError::new(kind, i)
}

/// The high bit of each byte of `word` (little-endian) that is not in 0x20..=0x7e. Bits above
/// the lowest set one may be false positives (borrows); the lowest set one is exact.
#[inline]
const fn not_printable(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte >= 0x80, a byte < 0x20 (borrow when subtracting 0x20), or 0x7f (+1 carries to
    // 0x80) sets that byte's high bit in one of the three terms.
    let below_space = word.wrapping_sub(ONES * 0x20) & !word;
    let del = (word ^ (ONES * 0x7f)).wrapping_sub(ONES) & !(word ^ (ONES * 0x7f));
    (word | below_space | del) & HIGH
}

/// A parsed status line (RFC 3261, Section 25: `SIP-Version SP Status-Code SP Reason-Phrase
/// CRLF`). The reason phrase borrows the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusLine<'a> {
    code: RawCode,
    /// Checked once, at parse time: UTF-8 with no control character but HTAB.
    reason: &'a str,
    len: usize,
}

impl<'a> StatusLine<'a> {
    /// Parses the status line at the start of `input` (a whole response may follow it).
    ///
    /// Accepts `SIP/2.0` (case-insensitive, as RFC 3261 Section 7.1 allows), any three-digit
    /// code in 100..=699, and any reason phrase the grammar allows: UTF-8 text with SP and
    /// HTAB, possibly empty.
    ///
    /// # Errors
    /// What is wrong and at which byte: [`ParseErrorKind::Empty`], [`ParseErrorKind::BadVersion`],
    /// [`ParseErrorKind::MissingSpace`], [`ParseErrorKind::NotThreeDigits`] (also for overlarge
    /// codes such as 4294967301), [`ParseErrorKind::OutOfRange`],
    /// [`ParseErrorKind::ControlCharacter`], [`ParseErrorKind::InvalidUtf8`],
    /// [`ParseErrorKind::MissingLineEnd`].
    #[inline]
    pub const fn parse(input: &'a [u8]) -> Result<StatusLine<'a>, ParseError> {
        if input.is_empty() {
            return Err(ParseError::new(ParseErrorKind::Empty, 0));
        }
        // `SIP/2.0 ` in one comparison: the letters compared case-insensitively (RFC 3261
        // Section 7.1), the rest exactly. The slow loop only runs to report where it differs.
        if input.len() >= 8 {
            let word = u64::from_le_bytes([
                input[0], input[1], input[2], input[3], input[4], input[5], input[6], input[7],
            ]);
            if word | 0x20_2020 != u64::from_le_bytes(*b"sip/2.0 ") {
                return Err(version_error(input));
            }
        } else {
            return Err(version_error(input));
        }
        // The code in straight-line arithmetic; `code_at` only to say what is wrong with it
        // (6.15 -> 4.87 ns a line with `code_at` alone on the fast path).
        let digits = match input {
            [_, _, _, _, _, _, _, _, a, b, c, ..] => narrow(three_digits(*a, *b, *c)),
            _ => None,
        };
        let code = match digits {
            Some(code) => RawCode::from_checked(code),
            None => match code_at_cold(input, 8) {
                Ok(code) => RawCode::from_checked(code),
                Err(e) => return Err(e),
            },
        };
        let after = 11;
        if after >= input.len() || input[after] != b' ' {
            let kind = if after < input.len() && input[after].is_ascii_digit() {
                ParseErrorKind::NotThreeDigits
            } else {
                ParseErrorKind::MissingSpace
            };
            return Err(ParseError::new(kind, after));
        }
        let start = after + 1;
        // The reason phrase runs to the first byte it cannot hold, which must be CR LF.
        let scan = reason_scan(input, start);
        let end = scan.end;
        if end >= input.len() {
            return Err(ParseError::new(ParseErrorKind::MissingLineEnd, end));
        }
        match input[end] {
            b'\r' if end + 1 < input.len() && input[end + 1] == b'\n' => {}
            b'\r' | b'\n' => return Err(ParseError::new(ParseErrorKind::MissingLineEnd, end)),
            _ => return Err(ParseError::new(ParseErrorKind::ControlCharacter, end)),
        }
        // `start <= end <= input.len()`: the scan starts at `start` and stops inside the
        // input; `split_at_checked` keeps that a fact of the code, not of a panic path.
        let Some((head, _)) = input.split_at_checked(end) else {
            return Err(ParseError::new(ParseErrorKind::MissingLineEnd, end));
        };
        let Some((_, reason)) = head.split_at_checked(start) else {
            return Err(ParseError::new(ParseErrorKind::MissingLineEnd, end));
        };
        // The one UTF-8 check (none for ASCII, which the scan has seen); `reason()` is free.
        let reason = match reason_str(reason, scan.ascii) {
            Ok(reason) => reason,
            Err(e) => {
                return Err(ParseError::new(
                    ParseErrorKind::InvalidUtf8,
                    start + e.valid_up_to(),
                ))
            }
        };
        Ok(StatusLine {
            code,
            reason,
            len: end + 2,
        })
    }

    /// The status code as sent.
    #[must_use]
    #[inline]
    pub const fn code(&self) -> RawCode {
        self.code
    }

    /// The reason phrase as sent (a sub-slice of the input; may be empty).
    #[must_use]
    #[inline]
    pub const fn reason(&self) -> &'a str {
        self.reason
    }

    /// The code, if the set `T` has it, with the reason phrase as received: what a relay
    /// forwards, keeping the peer's reason end to end.
    ///
    /// ```
    /// # use sip_responses_core as sip_responses;
    /// use sip_responses::{StatusCode, StatusLine};
    /// let wire = StatusLine::parse(b"SIP/2.0 182 2 calls ahead of you\r\n")?;
    /// let status = wire.status::<StatusCode>()?;
    /// assert_eq!(status.to_string(), "182 2 calls ahead of you");
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`crate::CodeError::Unknown`] for a code the set does not have.
    pub fn status<T: crate::ResponseCode + Copy>(
        &self,
    ) -> Result<crate::Status<'a, T>, crate::CodeError> {
        match self.code.known::<T>() {
            Some(code) => Ok(crate::Status::received(code, self.reason())),
            None => Err(crate::CodeError::Unknown(self.code.get())),
        }
    }

    /// The code in the set `T`'s terms whether the set knows it or not, with the reason
    /// phrase as received: what a relay forwards unchanged. Never fails: a code the set does
    /// not know is [`crate::Code::Unknown`], kept exactly.
    ///
    /// ```
    /// # use sip_responses_core as sip_responses;
    /// use sip_responses::{Code, StatusCode, StatusLine};
    /// let line = StatusLine::parse(b"SIP/2.0 499 Custom\r\n")?.relay::<StatusCode>();
    /// assert!(matches!(line.code(), Code::Unknown(raw) if raw.get() == 499));
    /// let mut out = String::new();
    /// line.write_status_line(&mut out)?;
    /// assert_eq!(out, "SIP/2.0 499 Custom\r\n");
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    #[must_use]
    pub fn relay<T: crate::ResponseCode + Copy>(&self) -> crate::Status<'a, crate::Code<T>> {
        crate::Status::received(crate::Code::new(self.code), self.reason())
    }

    /// The reason phrase as bytes, without the UTF-8 conversion of [`Self::reason`].
    #[must_use]
    #[inline]
    pub const fn reason_bytes(&self) -> &'a [u8] {
        self.reason.as_bytes()
    }

    /// Where the line ends in the input: the offset just past its CRLF, where the header
    /// fields start.
    #[must_use]
    #[inline]
    pub const fn end(&self) -> usize {
        self.len
    }
}

/// What [`LenientStatusLine::parse`] let through that [`StatusLine::parse`] refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[allow(clippy::struct_excessive_bools)]
pub struct Relaxed {
    /// No SP between the code and the line end (`SIP/2.0 200\r\n`): RFC 3261 Section 25
    /// writes `Status-Code SP Reason-Phrase`, with the SP even before an empty phrase.
    pub missing_space: bool,
    /// The reason phrase is not UTF-8 (a Latin-1 `Occup\xe9` from an old PBX): Section 25
    /// allows `UTF8-NONASCII` and `UTF8-CONT` only.
    pub not_utf8: bool,
    /// The reason phrase holds a control character other than HTAB (but no CR, LF or NUL,
    /// which would end or corrupt the line).
    pub control_character: bool,
}

impl Relaxed {
    /// Whether the line was strict after all.
    #[must_use]
    pub const fn is_strict(&self) -> bool {
        !(self.missing_space || self.not_utf8 || self.control_character)
    }
}

/// A status line read leniently: the code is checked exactly as [`StatusLine::parse`] checks
/// it, and only the reason phrase or its separator may be off, as odd peers send them. What
/// was relaxed is in [`Self::relaxed`], and the line's bytes are kept for a relay to forward
/// unchanged.
///
/// Robustness, not a second grammar: the version, the code and the CRLF line end are as
/// strict as in [`StatusLine::parse`] (RFC 3261 Section 25: `SIP-Version SP Status-Code SP
/// Reason-Phrase CRLF`); relaxed are the SP before an empty Reason-Phrase, and the
/// Reason-Phrase's `*(reserved / unreserved / escaped / UTF8-NONASCII / UTF8-CONT / SP /
/// HTAB)` to any bytes but CR, LF and NUL. Where the strict parser accepts a line, this one
/// returns the same code, reason and end, with nothing relaxed (a fuzz target and a property
/// test hold the two to it).
///
/// ```
/// # use sip_responses_core as sip_responses;
/// use sip_responses::{LenientStatusLine, StatusCode, StatusLine};
///
/// let wire = b"SIP/2.0 486 Occup\xe9\r\nVia: ...";
/// assert!(StatusLine::parse(wire).is_err());
/// let line = LenientStatusLine::parse(wire)?;
/// assert_eq!(line.code().known::<StatusCode>(), Some(StatusCode::BusyHere));
/// assert_eq!(line.reason_bytes(), b"Occup\xe9");
/// assert!(line.relaxed().not_utf8);
/// assert_eq!(line.as_bytes(), b"SIP/2.0 486 Occup\xe9\r\n"); // forwarded as received
///
/// let bare = LenientStatusLine::parse(b"SIP/2.0 200\r\n")?;
/// assert_eq!((bare.code().get(), bare.reason_bytes()), (200, &b""[..]));
/// assert!(bare.relaxed().missing_space);
/// # Ok::<(), sip_responses::ParseError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LenientStatusLine<'a> {
    code: RawCode,
    line: &'a [u8],
    reason: &'a [u8],
    relaxed: Relaxed,
}

impl<'a> LenientStatusLine<'a> {
    /// Parses the status line at the start of `input`, leniently in the reason phrase and its
    /// separator only.
    ///
    /// # Errors
    /// What is wrong and at which byte, as [`StatusLine::parse`] says it, for anything but
    /// the relaxed points: [`ParseErrorKind::Empty`], [`ParseErrorKind::BadVersion`],
    /// [`ParseErrorKind::MissingSpace`] (after the version, or where neither SP nor CRLF
    /// follows the code), [`ParseErrorKind::NotThreeDigits`], [`ParseErrorKind::OutOfRange`],
    /// [`ParseErrorKind::ControlCharacter`] (a NUL), [`ParseErrorKind::MissingLineEnd`].
    pub fn parse(input: &'a [u8]) -> Result<Self, ParseError> {
        let error = match StatusLine::parse(input) {
            Ok(line) => {
                let (line_bytes, _) = input.split_at(line.end().min(input.len()));
                return Ok(LenientStatusLine {
                    code: line.code(),
                    line: line_bytes,
                    reason: line.reason_bytes(),
                    relaxed: Relaxed::default(),
                });
            }
            Err(error) => error,
        };
        // The strict parser reads the version (bytes 0..8) and the code (8..11) first, so an
        // error before byte 11 is in one of them: never relaxed.
        if error.at() < 11 {
            return Err(error);
        }
        // An over-long code is an error at byte 11 too: the code again, as strictly.
        let code = match code_at(input, 8) {
            Ok(code) => RawCode::from_checked(code),
            Err(e) => return Err(e),
        };
        let mut relaxed = Relaxed::default();
        let start = match input.get(11..13) {
            Some(b"\r\n") => {
                relaxed.missing_space = true;
                11
            }
            _ if input.get(11) == Some(&b' ') => 12,
            _ => return Err(error),
        };
        let rest = input.get(start..).unwrap_or_default();
        let Some(end) = rest
            .iter()
            .position(|&b| b == b'\r' || b == b'\n' || b == 0)
        else {
            return Err(ParseError::new(ParseErrorKind::MissingLineEnd, input.len()));
        };
        let (reason, after) = rest.split_at(end);
        match after {
            [b'\r', b'\n', ..] => {}
            [0, ..] => {
                return Err(ParseError::new(
                    ParseErrorKind::ControlCharacter,
                    start + end,
                ))
            }
            _ => return Err(ParseError::new(ParseErrorKind::MissingLineEnd, start + end)),
        }
        relaxed.not_utf8 = core::str::from_utf8(reason).is_err();
        relaxed.control_character = reason
            .iter()
            .any(|&b| (b < 0x20 && b != b'\t') || b == 0x7f);
        let (line, _) = input.split_at(start + end + 2);
        Ok(LenientStatusLine {
            code,
            line,
            reason,
            relaxed,
        })
    }

    /// The status code as sent (checked as strictly as by [`StatusLine::parse`]).
    #[must_use]
    pub const fn code(&self) -> RawCode {
        self.code
    }

    /// The reason phrase as sent, as bytes (possibly not UTF-8, possibly empty).
    #[must_use]
    pub const fn reason_bytes(&self) -> &'a [u8] {
        self.reason
    }

    /// The reason phrase as text, if it is UTF-8.
    #[must_use]
    pub fn reason(&self) -> Option<&'a str> {
        core::str::from_utf8(self.reason).ok()
    }

    /// What was relaxed ([`Relaxed::is_strict`] when nothing was).
    #[must_use]
    pub const fn relaxed(&self) -> Relaxed {
        self.relaxed
    }

    /// The whole status line with its CRLF, exactly as received: what a relay forwards.
    #[must_use]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.line
    }

    /// Where the line ends in the input: the offset just past its CRLF.
    #[must_use]
    pub const fn end(&self) -> usize {
        self.line.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_printable_finds_the_first_other_byte() {
        for b in 0..=255u8 {
            for pos in 0..8 {
                for filler in [b'a', b' ', b'~', 0x00, 0x80] {
                    let mut bytes = [filler; 8];
                    bytes[pos] = b;
                    let first = bytes.iter().position(|&x| !(0x20..0x7f).contains(&x));
                    let mask = not_printable(u64::from_le_bytes(bytes));
                    let got = (mask != 0).then(|| (mask.trailing_zeros() / 8) as usize);
                    assert_eq!(got, first, "{bytes:?}");
                }
            }
        }
    }

    /// The fast path (as `bare_code` and as `from_bytes`'s `bare_index`) against the general
    /// one for every three-byte input: it takes exactly the inputs `code_at` accepts, with the
    /// same value.
    #[test]
    fn bare_code_agrees_with_code_at_for_every_three_bytes() {
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                for c in 0..=255u8 {
                    let bytes = [a, b, c];
                    let want = code_at(&bytes, 0).ok();
                    assert_eq!(bare_code(&bytes), want, "{bytes:?}");
                    let index = crate::__private::bare_index(&bytes);
                    assert_eq!(index, want.map(usize::from), "{bytes:?}");
                }
            }
        }
    }

    /// `StatusLine::parse` reads the code on its own fast path and asks `code_at` only when
    /// that refuses: the two agree, value and error, for every byte that matters in each of
    /// the three places (digits, their neighbours, SP, NUL, non-ASCII).
    #[test]
    fn status_line_code_agrees_with_code_at() {
        let bytes = *b"./0123456789: a\x00\x7f\x80\xff";
        for a in bytes {
            for b in bytes {
                for c in bytes {
                    let mut line = *b"SIP/2.0 NNN Reason\r\n";
                    line[8..11].copy_from_slice(&[a, b, c]);
                    let got = StatusLine::parse(&line).map(|l| l.code().get());
                    let want = code_at(&line, 8);
                    match (got, want) {
                        (Ok(got), Ok(want)) => assert_eq!(got, want, "{line:?}"),
                        (Err(got), Err(want)) => assert_eq!(got, want, "{line:?}"),
                        (got, want) => panic!("{line:?}: {got:?} against {want:?}"),
                    }
                }
            }
        }
    }

    #[test]
    fn parses_codes_with_and_without_reason() {
        assert_eq!(parse_code(b"180"), Ok(180));
        assert_eq!(parse_code(b"180 Ringing"), Ok(180));
        assert_eq!(parse_code(b"180 "), Ok(180));
        assert_eq!(parse_code("699 Ça\tva".as_bytes()), Ok(699));
    }

    #[test]
    fn rejects_with_kind_and_offset() {
        let err = |b: &[u8]| parse_code(b).map_err(|e| (e.kind(), e.at()));
        assert_eq!(err(b""), Err((ParseErrorKind::Empty, 0)));
        assert_eq!(err(b"18"), Err((ParseErrorKind::NotThreeDigits, 2)));
        assert_eq!(err(b"1800"), Err((ParseErrorKind::NotThreeDigits, 3)));
        assert_eq!(err(b"4294967301"), Err((ParseErrorKind::NotThreeDigits, 3)));
        assert_eq!(err(b"799"), Err((ParseErrorKind::OutOfRange(799), 0)));
        assert_eq!(err(b"099"), Err((ParseErrorKind::OutOfRange(99), 0)));
        // Over-long is over-long whatever the first three digits say (not "48 is out of
        // range"), as the README's table says.
        assert_eq!(err(b"0486"), Err((ParseErrorKind::NotThreeDigits, 3)));
        assert_eq!(err(b"6999"), Err((ParseErrorKind::NotThreeDigits, 3)));
        assert_eq!(err(b"0486 Busy"), Err((ParseErrorKind::NotThreeDigits, 3)));
        assert_eq!(err(b"180Ringing"), Err((ParseErrorKind::MissingSpace, 3)));
        assert_eq!(
            err(b"180 Ring\r\nX: y"),
            Err((ParseErrorKind::ControlCharacter, 8))
        );
        assert_eq!(err(b"180 \xff"), Err((ParseErrorKind::InvalidUtf8, 4)));
        assert_eq!(err(b"+80"), Err((ParseErrorKind::NotThreeDigits, 0)));
    }
}
