//! [`OwnedStatus`]: a status a relay or a B2BUA keeps across legs or tasks (feature `alloc`).

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;

use crate::error::ReasonError;
use crate::{check_reason_phrase, Code, LenientStatusLine, ResponseCode, Status, StatusText};

/// A response code and its reason phrase, owned: what a relay or a B2BUA stores when the
/// status outlives the message it came in (feature `alloc`, still `no_std`).
///
/// It writes back exactly what it kept, the code and the reason: the reason a
/// [`crate::StatusLine`] or a [`LenientStatusLine`] read (a peer's `<` or a Latin-1 byte
/// included, which [`Status::with_reason`] would refuse), or a reason checked against RFC
/// 3261's grammar, in a status line of Section 25's shape (with the SP before the reason,
/// which a lenient peer may have left out before an empty one).
/// Never a line break: every way to make one keeps CR, LF and NUL out of the reason, and its
/// fields are private.
///
/// ```
/// # use sip_responses_core as sip_responses;
/// use sip_responses::{Code, LenientStatusLine, OwnedStatus, StatusCode};
///
/// let wire = b"SIP/2.0 499 Odd <Thing>\r\nVia: ...";
/// let kept: OwnedStatus<Code<StatusCode>> = OwnedStatus::from(&LenientStatusLine::parse(wire)?);
/// assert_eq!(kept.code().get(), 499);
/// assert_eq!(kept.reason(), Some("Odd <Thing>"));
/// assert_eq!(kept.status_line(), b"SIP/2.0 499 Odd <Thing>\r\n"); // as it came
///
/// let own = OwnedStatus::with_reason(StatusCode::Queued, "2 calls queued".into())?;
/// assert_eq!(own.to_string(), "182 2 calls queued");
/// assert!(OwnedStatus::with_reason(StatusCode::Queued, "x\r\nVia: evil".into()).is_err());
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OwnedStatus<C> {
    code: C,
    /// Never CR, LF or NUL.
    reason: Box<[u8]>,
}

impl<C: StatusText> OwnedStatus<C> {
    /// `code` with its own reason phrase, which must be a Reason-Phrase of RFC 3261,
    /// Section 25 ([`check_reason_phrase`]), as [`Status::with_reason`] checks it.
    ///
    /// # Errors
    /// A [`ReasonError`] naming the first character the grammar does not allow, and where.
    pub fn with_reason(code: C, reason: alloc::string::String) -> Result<Self, ReasonError> {
        check_reason_phrase(&reason)?;
        Ok(OwnedStatus {
            code,
            reason: reason.into_bytes().into_boxed_slice(),
        })
    }

    /// The code.
    #[must_use]
    pub fn code(&self) -> C {
        self.code
    }

    /// The reason phrase as kept, as bytes (possibly not UTF-8, never CR, LF or NUL).
    #[must_use]
    pub fn reason_bytes(&self) -> &[u8] {
        &self.reason
    }

    /// The reason phrase as text, if it is UTF-8.
    #[must_use]
    pub fn reason(&self) -> Option<&str> {
        core::str::from_utf8(&self.reason).ok()
    }

    /// The status line, `SIP/2.0 NNN Reason-Phrase` and CRLF, as bytes: exactly the reason
    /// kept.
    #[must_use]
    pub fn status_line(&self) -> Vec<u8> {
        let digits = self.code.digits().as_bytes();
        let mut line = Vec::with_capacity(8 + digits.len() + self.reason.len() + 2);
        line.extend_from_slice(b"SIP/2.0 ");
        line.extend_from_slice(digits);
        line.extend_from_slice(&self.reason);
        line.extend_from_slice(b"\r\n");
        line
    }

    /// The borrowed [`Status`], when the reason is one a `Status` can hold: UTF-8 without a
    /// control character but HTAB (what [`crate::StatusLine::parse`] accepts).
    #[must_use]
    pub fn as_status(&self) -> Option<Status<'_, C>> {
        let reason = self.reason()?;
        let clean = !reason
            .bytes()
            .any(|b| (b < 0x20 && b != b'\t') || b == 0x7f);
        clean.then(|| Status::received(self.code, reason))
    }
}

impl<C: StatusText> From<Status<'_, C>> for OwnedStatus<C> {
    /// Keeps what the `Status` holds (its reason has no line break, whichever way it was
    /// made).
    fn from(status: Status<'_, C>) -> Self {
        OwnedStatus {
            code: status.code(),
            reason: status.reason().as_bytes().into(),
        }
    }
}

impl<C: ResponseCode + Copy> From<&LenientStatusLine<'_>> for OwnedStatus<Code<C>> {
    /// Keeps the code (a code of `C`, or one `C` does not know) and the reason exactly as the
    /// lenient reader read them: no CR, LF or NUL, which that reader never lets into a reason.
    fn from(line: &LenientStatusLine<'_>) -> Self {
        OwnedStatus {
            code: Code::new(line.code()),
            reason: line.reason_bytes().into(),
        }
    }
}

impl<C: StatusText> fmt::Display for OwnedStatus<C> {
    /// `NNN Reason-Phrase`; a reason that is not UTF-8 is written with U+FFFD for each
    /// invalid sequence (use [`OwnedStatus::status_line`] for the exact bytes).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code.digits())?;
        for chunk in self.reason.utf8_chunks() {
            f.write_str(chunk.valid())?;
            if !chunk.invalid().is_empty() {
                f.write_str("\u{fffd}")?;
            }
        }
        Ok(())
    }
}
