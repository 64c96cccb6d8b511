//! Conversions with `ezk-sip-types` 0.6's `StatusCode` (feature `ezk-sip-types`), a wrapper
//! around any `u16`.
//!
//! ```
//! # use sip_responses_core as sip_responses;
//! use sip_responses::StatusCode;
//!
//! let theirs = ezk_sip_types::StatusCode::from(StatusCode::BusyHere);
//! assert_eq!(theirs.into_u16(), 486);
//! assert_eq!(StatusCode::try_from(theirs), Ok(StatusCode::BusyHere));
//! assert!(StatusCode::try_from(ezk_sip_types::StatusCode::from(499)).is_err());
//! ```

use crate::{Code, CodeError, ResponseCode, StatusCode};

/// `ezk_sip_types::StatusCode` from the IANA set's code.
impl From<StatusCode> for ezk_sip_types::StatusCode {
    fn from(code: StatusCode) -> Self {
        ezk_sip_types::StatusCode::from(code.code())
    }
}

/// A [`Code`] of any set, a code the set does not know included.
impl<C: ResponseCode> From<Code<C>> for ezk_sip_types::StatusCode {
    fn from(code: Code<C>) -> Self {
        ezk_sip_types::StatusCode::from(code.get())
    }
}

/// Any ezk code in 100..=699 as a [`Code`] of any set, the number kept exactly;
/// [`CodeError::OutOfRange`] outside 100..=699.
impl<C: ResponseCode> TryFrom<ezk_sip_types::StatusCode> for Code<C> {
    type Error = CodeError;

    fn try_from(theirs: ezk_sip_types::StatusCode) -> Result<Self, CodeError> {
        Code::try_from(theirs.into_u16())
    }
}

/// The IANA set's code for ezk's, if the registry has it.
impl TryFrom<ezk_sip_types::StatusCode> for StatusCode {
    type Error = CodeError;

    /// Exact lookup; [`CodeError::Unknown`] or [`CodeError::OutOfRange`] otherwise.
    fn try_from(theirs: ezk_sip_types::StatusCode) -> Result<Self, CodeError> {
        StatusCode::try_from(theirs.into_u16())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relayed_code_keeps_its_number_both_ways() {
        let ours = Code::<StatusCode>::try_from(ezk_sip_types::StatusCode::from(499)).unwrap();
        assert_eq!(ours.get(), 499);
        assert_eq!(ezk_sip_types::StatusCode::from(ours).into_u16(), 499);
        assert!(Code::<StatusCode>::try_from(ezk_sip_types::StatusCode::from(99)).is_err());
    }

    #[test]
    fn every_registered_code_round_trips() {
        for &code in StatusCode::ALL {
            let theirs = ezk_sip_types::StatusCode::from(code);
            assert_eq!(StatusCode::try_from(theirs), Ok(code), "{code}");
            // ezk knows the phrase of most registered codes; where it does, it is ours.
            if let Some(text) = theirs.text() {
                assert!(!text.is_empty(), "{code}");
            }
        }
        assert_eq!(
            StatusCode::try_from(ezk_sip_types::StatusCode::from(799)),
            Err(CodeError::OutOfRange(799))
        );
    }
}
