//! `defmt::Format` (feature `defmt`): writes `"NNN Reason"`, as `Display` does.
//!
//! ```
//! fn loggable<T: defmt::Format>() {}
//! loggable::<sip_responses::StatusCode>();
//! loggable::<sip_responses::ClientError>();
//! loggable::<sip_responses::RawCode>();
//! ```

use crate::{
    ClientError, GlobalFailure, Provisional, RawCode, Redirection, ServerError, StatusCode, Success,
};

macro_rules! format_as_str {
    ($($ty:ty),*) => {$(
        impl defmt::Format for $ty {
            fn format(&self, f: defmt::Formatter<'_>) {
                defmt::write!(f, "{=str}", self.as_str());
            }
        }
    )*};
}

format_as_str!(
    StatusCode,
    Provisional,
    Success,
    Redirection,
    ClientError,
    ServerError,
    GlobalFailure
);

impl defmt::Format for RawCode {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "{=u16}", self.get());
    }
}
