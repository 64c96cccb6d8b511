//! `arbitrary::Arbitrary` (feature `arbitrary`): any registered code of the type, any code in
//! 100..=699 for `RawCode`, any class for `Class`.
//!
//! ```
//! # use sip_responses_core as sip_responses;
//! use arbitrary::{Arbitrary, Unstructured};
//! use sip_responses::{RawCode, StatusCode};
//!
//! let mut u = Unstructured::new(&[7, 1, 2, 3]);
//! let code = StatusCode::arbitrary(&mut u).unwrap();
//! assert!(StatusCode::ALL.contains(&code));
//! let raw = RawCode::arbitrary(&mut u).unwrap();
//! assert!((100..=699).contains(&raw.get()));
//! ```

use arbitrary::{Arbitrary, Result, Unstructured};

use crate::{Class, RawCode, ResponseCode};

macro_rules! choose_registered {
    ($($ty:ty),*) => {$(
        impl<'a> Arbitrary<'a> for $ty {
            fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
                u.choose(<$ty as ResponseCode>::ALL).copied()
            }
        }
    )*};
}

for_iana_types!(choose_registered);

impl<'a> Arbitrary<'a> for RawCode {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let code = u.int_in_range(100..=699u16)?;
        RawCode::new(code).ok_or(arbitrary::Error::IncorrectFormat)
    }
}

impl<'a> Arbitrary<'a> for Class {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let digit = u.int_in_range(1..=6u16)?;
        Class::from_code(digit * 100).ok_or(arbitrary::Error::IncorrectFormat)
    }
}
