//! Parsing status codes from text and bytes: plain arithmetic on three ASCII digits.

use crate::error::{ParseError, ParseErrorKind};

/// Reads the three-digit status code at `bytes[at..]`: exactly three ASCII digits, in 100..=699.
/// The byte after the digits is not looked at.
///
/// # Errors
/// [`ParseErrorKind::NotThreeDigits`] or [`ParseErrorKind::OutOfRange`], at the offending byte.
pub const fn code_at(bytes: &[u8], at: usize) -> Result<u16, ParseError> {
    let mut value: u16 = 0;
    let mut i = 0;
    while i < 3 {
        if at + i >= bytes.len() || !bytes[at + i].is_ascii_digit() {
            return Err(ParseError::new(ParseErrorKind::NotThreeDigits, at + i));
        }
        value = value * 10 + (bytes[at + i] - b'0') as u16;
        i += 1;
    }
    if value < 100 || value > 699 {
        return Err(ParseError::new(ParseErrorKind::OutOfRange(value), at));
    }
    Ok(value)
}

/// Checks a reason phrase (RFC 3261, Section 25: any UTF-8 text, SP and HTAB, no other
/// control character) that starts at byte `offset` of the whole input.
///
/// # Errors
/// [`ParseErrorKind::ControlCharacter`] or [`ParseErrorKind::InvalidUtf8`] at the offending byte.
pub const fn check_reason(reason: &[u8], offset: usize) -> Result<(), ParseError> {
    let mut i = 0;
    while i < reason.len() {
        let b = reason[i];
        if (b < 0x20 && b != b'\t') || b == 0x7f {
            return Err(ParseError::new(
                ParseErrorKind::ControlCharacter,
                offset + i,
            ));
        }
        i += 1;
    }
    match core::str::from_utf8(reason) {
        Ok(_) => Ok(()),
        Err(e) => Err(ParseError::new(
            ParseErrorKind::InvalidUtf8,
            offset + e.valid_up_to(),
        )),
    }
}

/// Parses `NNN` or `NNN SP Reason-Phrase` (the status line without version and CRLF), as
/// generated `FromStr` and `from_bytes` accept it. Any reason phrase is accepted (the code
/// decides); it is only checked to be one line of text.
///
/// # Errors
/// A [`ParseError`] saying what is wrong and at which byte.
pub const fn parse_code(bytes: &[u8]) -> Result<u16, ParseError> {
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
    match check_reason(reason, 4) {
        Ok(()) => Ok(code),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(err(b"180Ringing"), Err((ParseErrorKind::MissingSpace, 3)));
        assert_eq!(
            err(b"180 Ring\r\nX: y"),
            Err((ParseErrorKind::ControlCharacter, 8))
        );
        assert_eq!(err(b"180 \xff"), Err((ParseErrorKind::InvalidUtf8, 4)));
        assert_eq!(err(b"+80"), Err((ParseErrorKind::NotThreeDigits, 0)));
    }
}
