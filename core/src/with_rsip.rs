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

use crate::{Code, CodeError, ResponseCode, StatusCode};

/// `rsip::StatusCode` from the IANA set's code: rsip's variant, or `Other` with the
/// registered reason.
impl From<StatusCode> for rsip::StatusCode {
    fn from(code: StatusCode) -> Self {
        match rsip::StatusCode::from(code.code()) {
            rsip::StatusCode::Other(n, _) => rsip::StatusCode::Other(n, code.reason().to_string()),
            known => known,
        }
    }
}

/// A [`Code`] of any set (a code the set does not know included, which is what a relay
/// carries): rsip's variant where rsip has the number, `Other(code, reason)` elsewhere (the
/// registered reason of a known code, the class name for an unknown one).
impl<C: ResponseCode> From<Code<C>> for rsip::StatusCode {
    fn from(code: Code<C>) -> Self {
        match rsip::StatusCode::from(code.get()) {
            rsip::StatusCode::Other(n, _) => rsip::StatusCode::Other(n, code.reason().to_string()),
            known => known,
        }
    }
}

/// Any rsip code in 100..=699 as a [`Code`] of any set: the set's code, or `Unknown` with the
/// number kept exactly; [`CodeError::OutOfRange`] outside 100..=699.
impl<C: ResponseCode> TryFrom<&rsip::StatusCode> for Code<C> {
    type Error = CodeError;

    fn try_from(theirs: &rsip::StatusCode) -> Result<Self, CodeError> {
        Code::try_from(theirs.code())
    }
}

/// The IANA set's code for rsip's, if the registry has it.
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

    #[test]
    fn a_relayed_code_keeps_its_number_both_ways() {
        let theirs = rsip::StatusCode::Other(499, "Vendor".into());
        let ours = Code::<StatusCode>::try_from(&theirs).unwrap();
        assert_eq!(ours.get(), 499);
        assert_eq!(rsip::StatusCode::from(ours).code(), 499);
        let busy = Code::<StatusCode>::try_from(&rsip::StatusCode::BusyHere).unwrap();
        assert_eq!(busy, Code::Known(StatusCode::BusyHere));
        assert_eq!(rsip::StatusCode::from(busy), rsip::StatusCode::BusyHere);
        assert!(Code::<StatusCode>::try_from(&rsip::StatusCode::Other(700, "x".into())).is_err());
    }
}
