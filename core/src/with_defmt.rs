//! `defmt::Format` (feature `defmt`): writes `"NNN Reason"`, as `Display` does.
//!
//! ```
//! # use sip_responses_core as sip_responses;
//! fn loggable<T: defmt::Format>() {}
//! loggable::<sip_responses::StatusCode>();
//! loggable::<sip_responses::ClientError>();
//! loggable::<sip_responses::RawCode>();
//! ```

use crate::RawCode;

macro_rules! format_as_str {
    ($($ty:ty),*) => {$(
        impl defmt::Format for $ty {
            fn format(&self, f: defmt::Formatter<'_>) {
                defmt::write!(f, "{=str}", self.as_str());
            }
        }
    )*};
}

for_iana_types!(format_as_str);

impl defmt::Format for RawCode {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "{=u16}", self.get());
    }
}
