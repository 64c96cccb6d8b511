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

use crate::{CodeError, StatusCode};

impl From<StatusCode> for ezk_sip_types::StatusCode {
    fn from(code: StatusCode) -> Self {
        ezk_sip_types::StatusCode::from(code.code())
    }
}

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
