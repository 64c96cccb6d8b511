//! Conversions with `rsip` 0.4's `StatusCode` (feature `rsip`).
//!
//! `From<StatusCode> for rsip::StatusCode` gives rsip's own variant where rsip has the code,
//! and `Other(code, reason)` with the registered reason everywhere else. Two of rsip's defects
//! to know: its `Accepted` variant carries 201 (202 is registered as Accepted), so 202 becomes
//! `Other(202, "Accepted")` and rsip's `Accepted` converts back as the unknown code 201; and
//! rsip's `Display` writes variant names (`"200 OK"` but `"486 BusyHere"`), so write status lines
//! with [`StatusCode::as_str`] or [`StatusCode::status_line`], not with rsip's `Display`.
//!
//! ```
//! # use sip_responses_core as sip_responses;
//! use sip_responses::StatusCode;
//!
//! let theirs = rsip::StatusCode::from(StatusCode::BusyHere);
//! assert_eq!(theirs, rsip::StatusCode::BusyHere);
//! assert_eq!(StatusCode::try_from(theirs), Ok(StatusCode::BusyHere));
//! assert_eq!(
//!     rsip::StatusCode::from(StatusCode::Accepted),
//!     rsip::StatusCode::Other(202, "Accepted".into())
//! );
//! assert!(StatusCode::try_from(rsip::StatusCode::Accepted).is_err()); // rsip's 201
//! ```

use alloc::string::ToString;

use crate::{CodeError, StatusCode};

impl From<StatusCode> for rsip::StatusCode {
    fn from(code: StatusCode) -> Self {
        match rsip::StatusCode::from(code.code()) {
            rsip::StatusCode::Other(n, _) => rsip::StatusCode::Other(n, code.reason().to_string()),
            known => known,
        }
    }
}

impl TryFrom<&rsip::StatusCode> for StatusCode {
    type Error = CodeError;

    /// Exact lookup of rsip's code; [`CodeError::Unknown`] for a code this crate does not
    /// know (rsip's `Accepted`, 201, among them).
    fn try_from(theirs: &rsip::StatusCode) -> Result<Self, CodeError> {
        StatusCode::try_from(theirs.code())
    }
}

impl TryFrom<rsip::StatusCode> for StatusCode {
    type Error = CodeError;

    fn try_from(theirs: rsip::StatusCode) -> Result<Self, CodeError> {
        StatusCode::try_from(&theirs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_code_round_trips() {
        for &code in StatusCode::ALL {
            let theirs = rsip::StatusCode::from(code);
            assert_eq!(theirs.code(), code.code(), "{code}");
            assert_eq!(StatusCode::try_from(&theirs), Ok(code), "{code}");
            if let rsip::StatusCode::Other(_, reason) = &theirs {
                assert_eq!(reason, code.reason(), "{code}");
            }
        }
        assert_eq!(
            StatusCode::try_from(rsip::StatusCode::Other(499, "Vendor".into())),
            Err(CodeError::Unknown(499))
        );
    }
}
