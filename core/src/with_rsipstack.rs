//! Conversions with `rsipstack` 0.7's own `sip::StatusCode` (feature `rsipstack`).
//!
//! `From<StatusCode> for rsipstack::sip::StatusCode` gives rsipstack's variant where it has
//! the code, and `Other(code, reason)` with the registered reason everywhere else (rsipstack's
//! own `From<u16>` writes the reason `"Other"` there). The way back is an exact lookup of
//! `code()`; hand a received code to [`StatusCode::interpret`] or
//! [`StatusCode::dispatch_code`] instead when RFC 3261 Section 8.1.3.2 should apply.
//!
//! ```
//! # use sip_responses_core as sip_responses;
//! use rsipstack::sip::StatusCode as Theirs;
//! use sip_responses::StatusCode;
//!
//! assert_eq!(Theirs::from(StatusCode::BusyHere), Theirs::BusyHere);
//! assert_eq!(StatusCode::try_from(&Theirs::Accepted), Ok(StatusCode::Accepted));
//! // 199 is registered; rsipstack has a variant for it, 421 too: every code round-trips.
//! assert_eq!(StatusCode::try_from(Theirs::EarlyDialogTerminated), Ok(StatusCode::EarlyDialogTerminated));
//! // A code rsipstack lacks keeps its registered reason.
//! assert_eq!(
//!     Theirs::from(StatusCode::PushNotificationServiceNotSupported),
//!     Theirs::Other(555, "Push Notification Service Not Supported".into())
//! );
//! assert!(StatusCode::try_from(Theirs::Other(499, "Vendor".into())).is_err());
//! ```

use alloc::string::ToString;

use crate::{Code, CodeError, ResponseCode, StatusCode};

/// `rsipstack::sip::StatusCode` from the IANA set's code: rsipstack's variant, or `Other`
/// with the registered reason.
impl From<StatusCode> for rsipstack::sip::StatusCode {
    fn from(code: StatusCode) -> Self {
        match rsipstack::sip::StatusCode::from(code.code()) {
            rsipstack::sip::StatusCode::Other(n, _) => {
                rsipstack::sip::StatusCode::Other(n, code.reason().to_string())
            }
            known => known,
        }
    }
}

/// A [`Code`] of any set (a code the set does not know included): rsipstack's variant where
/// it has the number, `Other(code, reason)` elsewhere (the registered reason of a known code,
/// the class name for an unknown one).
impl<C: ResponseCode> From<Code<C>> for rsipstack::sip::StatusCode {
    fn from(code: Code<C>) -> Self {
        match rsipstack::sip::StatusCode::from(code.get()) {
            rsipstack::sip::StatusCode::Other(n, _) => {
                rsipstack::sip::StatusCode::Other(n, code.reason().to_string())
            }
            known => known,
        }
    }
}

/// Any rsipstack code in 100..=699 as a [`Code`] of any set, the number kept exactly;
/// [`CodeError::OutOfRange`] outside 100..=699.
impl<C: ResponseCode> TryFrom<&rsipstack::sip::StatusCode> for Code<C> {
    type Error = CodeError;

    fn try_from(theirs: &rsipstack::sip::StatusCode) -> Result<Self, CodeError> {
        Code::try_from(theirs.code())
    }
}

/// The IANA set's code for rsipstack's, if the registry has it.
impl TryFrom<&rsipstack::sip::StatusCode> for StatusCode {
    type Error = CodeError;

    /// Exact lookup of rsipstack's code: [`CodeError::Unknown`] for a code in 100..=699 the
    /// registry lacks, [`CodeError::OutOfRange`] outside it.
    fn try_from(theirs: &rsipstack::sip::StatusCode) -> Result<Self, CodeError> {
        StatusCode::try_from(theirs.code())
    }
}

impl TryFrom<rsipstack::sip::StatusCode> for StatusCode {
    type Error = CodeError;

    fn try_from(theirs: rsipstack::sip::StatusCode) -> Result<Self, CodeError> {
        StatusCode::try_from(&theirs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relayed_code_keeps_its_number_both_ways() {
        let theirs = rsipstack::sip::StatusCode::Other(499, "Vendor".into());
        let ours = Code::<StatusCode>::try_from(&theirs).unwrap();
        assert_eq!(ours.get(), 499);
        assert_eq!(rsipstack::sip::StatusCode::from(ours).code(), 499);
        let ok = Code::<StatusCode>::try_from(&rsipstack::sip::StatusCode::OK).unwrap();
        assert_eq!(ok, Code::Known(StatusCode::Ok));
    }

    #[test]
    fn every_registered_code_round_trips() {
        let mut theirs_named = 0;
        for &code in StatusCode::ALL {
            let theirs = rsipstack::sip::StatusCode::from(code);
            assert_eq!(theirs.code(), code.code(), "{code}");
            assert_eq!(StatusCode::try_from(&theirs), Ok(code), "{code}");
            match &theirs {
                rsipstack::sip::StatusCode::Other(_, reason) => {
                    assert_eq!(reason, code.reason(), "{code}");
                }
                _ => theirs_named += 1,
            }
        }
        // rsipstack names most of the registry; the rest travel as `Other`.
        assert!(theirs_named > 60, "{theirs_named}");
        assert_eq!(
            StatusCode::try_from(rsipstack::sip::StatusCode::Other(499, "Vendor".into())),
            Err(CodeError::Unknown(499))
        );
        assert_eq!(
            StatusCode::try_from(rsipstack::sip::StatusCode::Other(99, "Low".into())),
            Err(CodeError::OutOfRange(99))
        );
    }
}
