//! Serde support (feature `serde`): a response code is a number, as `http-serde` does for
//! HTTP. Reading accepts a number, or a string `"486"` or `"486 Busy Here"` (any reason);
//! an unknown code is an error that names it. RFC 3261 8.1.3.2 applies only where asked for,
//! with [`interpret`]. No `std` needed.
//!
//! ```
//! # use sip_responses_core as sip_responses;
//! use serde::{Deserialize, Serialize};
//! use sip_responses::StatusCode;
//!
//! #[derive(Serialize, Deserialize, Debug, PartialEq)]
//! struct Failover {
//!     on: Vec<StatusCode>,
//!     #[serde(with = "sip_responses::serde::interpret")]
//!     upstream: StatusCode,
//! }
//! let f: Failover = serde_json::from_str(r#"{"on": [486, "503"], "upstream": 499}"#).unwrap();
//! assert_eq!(f.upstream, StatusCode::BadRequest);
//! assert_eq!(serde_json::to_string(&StatusCode::Ringing).unwrap(), "180");
//! ```
//!
//! Generated sets get the same impls with the `serde` option (`include_spec! { path = ...,
//! serde = true }`, `Builder::serde(true)`, `sip-responses generate --serde`).

use core::fmt;
use core::marker::PhantomData;

pub use ::serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Class, CodeError, RawCode, ResponseCode};

/// Writes `code` as its number.
///
/// # Errors
/// What the serializer returns.
pub fn serialize<C: ResponseCode, S: Serializer>(code: &C, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u16(code.code())
}

/// Reads a code of the set `C` exactly: a number, or a string `"NNN"` or `"NNN Reason"`.
///
/// # Errors
/// Not a code, or a code the set does not have (the message names it).
pub fn deserialize<'de, C: ResponseCode, D: Deserializer<'de>>(d: D) -> Result<C, D::Error> {
    read(d, |code| C::from_u16(code).ok_or(CodeError::Unknown(code)))
}

/// `#[serde(with = "sip_responses::serde::interpret")]`: reads with RFC 3261 8.1.3.2
/// (`499` reads as 400 Bad Request, `155` as 183 Session Progress); writes the number.
pub mod interpret {
    use super::{read, Deserializer, ResponseCode, Serializer};

    /// Writes `code` as its number.
    ///
    /// # Errors
    /// What the serializer returns.
    pub fn serialize<C: ResponseCode, S: Serializer>(code: &C, s: S) -> Result<S::Ok, S::Error> {
        super::serialize(code, s)
    }

    /// Reads any code in 100..=699 and interprets it.
    ///
    /// # Errors
    /// Not a code, outside 100..=699, or no fallback in the set.
    pub fn deserialize<'de, C: ResponseCode, D: Deserializer<'de>>(d: D) -> Result<C, D::Error> {
        read(d, C::interpret)
    }
}

/// `#[serde(with = "sip_responses::serde::as_str")]`: writes `"NNN Reason"`; reads like the
/// default (a number or a string).
pub mod as_str {
    use super::{Deserializer, ResponseCode, Serializer};

    /// Writes `"NNN Reason"`.
    ///
    /// # Errors
    /// What the serializer returns.
    pub fn serialize<C: ResponseCode, S: Serializer>(code: &C, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(code.as_str())
    }

    /// Reads a code exactly: a number or a string in a self-describing format, the string
    /// this module writes in any other (postcard, bincode: a binary format must be told what
    /// to read).
    ///
    /// # Errors
    /// Not a code, or a code the set does not have.
    pub fn deserialize<'de, C: ResponseCode, D: Deserializer<'de>>(d: D) -> Result<C, D::Error> {
        super::read_as(d, super::Wire::Text, |code| {
            C::from_u16(code).ok_or(super::CodeError::Unknown(code))
        })
    }
}

/// `#[serde(with = "sip_responses::serde::option")]` for an `Option` of a code: `None` is
/// the format's null (`null` in JSON), `Some` the number; as `http-serde`'s
/// `option::status_code`. Its modules do the same for [`interpret`] and [`as_str`].
///
/// ```
/// # use sip_responses_core as sip_responses;
/// # use serde::{Deserialize, Serialize};
/// # use sip_responses::StatusCode;
/// #[derive(Serialize, Deserialize, Debug, PartialEq)]
/// struct Retry {
///     #[serde(with = "sip_responses::serde::option")]
///     last: Option<StatusCode>,
///     #[serde(with = "sip_responses::serde::option::interpret")]
///     upstream: Option<StatusCode>,
/// }
/// let r: Retry = serde_json::from_str(r#"{"last": null, "upstream": 499}"#).unwrap();
/// assert_eq!(r, Retry { last: None, upstream: Some(StatusCode::BadRequest) });
/// assert_eq!(serde_json::to_string(&r).unwrap(), r#"{"last":null,"upstream":400}"#);
/// ```
pub mod option {
    use super::{Deserializer, ResponseCode, Serializer};

    /// Writes `None` as null, `Some(code)` as the number.
    ///
    /// # Errors
    /// What the serializer returns.
    pub fn serialize<C: ResponseCode, S: Serializer>(
        code: &Option<C>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        super::write_option(code.as_ref(), s, super::Wire::Number)
    }

    /// Reads null as `None`, a code exactly as `Some`.
    ///
    /// # Errors
    /// Not null and not a code, or a code the set does not have.
    pub fn deserialize<'de, C: ResponseCode, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<C>, D::Error> {
        super::read_option(d, super::Wire::Number, |code| {
            C::from_u16(code).ok_or(super::CodeError::Unknown(code))
        })
    }

    /// [`super::interpret`] for an `Option`: null as `None`, a code with RFC 3261 8.1.3.2.
    pub mod interpret {
        use super::super::{Deserializer, ResponseCode, Serializer, Wire};

        /// Writes `None` as null, `Some(code)` as the number.
        ///
        /// # Errors
        /// What the serializer returns.
        pub fn serialize<C: ResponseCode, S: Serializer>(
            code: &Option<C>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            super::super::write_option(code.as_ref(), s, Wire::Number)
        }

        /// Reads null as `None`, any code in 100..=699 interpreted as `Some`.
        ///
        /// # Errors
        /// Not null and not a code, outside 100..=699, or no fallback in the set.
        pub fn deserialize<'de, C: ResponseCode, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<C>, D::Error> {
            super::super::read_option(d, Wire::Number, C::interpret)
        }
    }

    /// [`super::as_str`] for an `Option`: null as `None`, `"NNN Reason"` as `Some`.
    pub mod as_str {
        use super::super::{Deserializer, ResponseCode, Serializer, Wire};

        /// Writes `None` as null, `Some(code)` as `"NNN Reason"`.
        ///
        /// # Errors
        /// What the serializer returns.
        pub fn serialize<C: ResponseCode, S: Serializer>(
            code: &Option<C>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            super::super::write_option(code.as_ref(), s, Wire::Text)
        }

        /// Reads null as `None`, a code exactly as `Some`.
        ///
        /// # Errors
        /// Not null and not a code, or a code the set does not have.
        pub fn deserialize<'de, C: ResponseCode, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<C>, D::Error> {
            super::super::read_option(d, Wire::Text, |code| {
                C::from_u16(code).ok_or(super::super::CodeError::Unknown(code))
            })
        }
    }
}

/// How a code is written: what a format that is not self-describing is told to read back.
#[derive(Clone, Copy)]
enum Wire {
    /// The number (the default, and `interpret`).
    Number,
    /// `"NNN Reason"` (`as_str`).
    Text,
}

/// `None` as null, `Some` as `wire` says.
fn write_option<C: ResponseCode, S: Serializer>(
    code: Option<&C>,
    s: S,
    wire: Wire,
) -> Result<S::Ok, S::Error> {
    /// `Some`'s content, written as `wire` says.
    struct Inner<'a, C>(&'a C, Wire);
    impl<C: ResponseCode> Serialize for Inner<'_, C> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match self.1 {
                Wire::Number => s.serialize_u16(self.0.code()),
                Wire::Text => s.serialize_str(self.0.as_str()),
            }
        }
    }
    match code {
        Some(code) => s.serialize_some(&Inner(code, wire)),
        None => s.serialize_none(),
    }
}

/// Null as `None`; otherwise a code read as `wire` says and handed to `map`.
fn read_option<'de, T, D: Deserializer<'de>>(
    d: D,
    wire: Wire,
    map: fn(u16) -> Result<T, CodeError>,
) -> Result<Option<T>, D::Error> {
    struct OptionVisitor<T> {
        wire: Wire,
        map: fn(u16) -> Result<T, CodeError>,
    }
    impl<'de, T> ::serde::de::Visitor<'de> for OptionVisitor<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("null or a SIP status code")
        }
        fn visit_none<E: ::serde::de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_unit<E: ::serde::de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
            read_as(d, self.wire, self.map).map(Some)
        }
    }
    d.deserialize_option(OptionVisitor { wire, map })
}

/// Reads a number or a `"NNN[ reason]"` string and hands the code to `map`.
fn read<'de, T, D: Deserializer<'de>>(
    d: D,
    map: fn(u16) -> Result<T, CodeError>,
) -> Result<T, D::Error> {
    read_as(d, Wire::Number, map)
}

/// [`read`], telling a format that is not self-describing which of the two `wire` wrote.
fn read_as<'de, T, D: Deserializer<'de>>(
    d: D,
    wire: Wire,
    map: fn(u16) -> Result<T, CodeError>,
) -> Result<T, D::Error> {
    let visitor = CodeVisitor {
        map,
        out: PhantomData,
    };
    match (d.is_human_readable(), wire) {
        (true, _) => d.deserialize_any(visitor),
        (false, Wire::Number) => d.deserialize_u16(visitor),
        (false, Wire::Text) => d.deserialize_str(visitor),
    }
}

struct CodeVisitor<T> {
    map: fn(u16) -> Result<T, CodeError>,
    out: PhantomData<T>,
}

impl<T> CodeVisitor<T> {
    fn code<E: ::serde::de::Error>(&self, code: u64) -> Result<T, E> {
        let code = u16::try_from(code)
            .map_err(|_| E::custom(format_args!("{code} is not a SIP status code")))?;
        (self.map)(code).map_err(E::custom)
    }
}

impl<T> ::serde::de::Visitor<'_> for CodeVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a SIP status code: a number, or a string \"NNN\" or \"NNN Reason\"")
    }

    fn visit_u64<E: ::serde::de::Error>(self, v: u64) -> Result<T, E> {
        self.code(v)
    }

    fn visit_i64<E: ::serde::de::Error>(self, v: i64) -> Result<T, E> {
        match u64::try_from(v) {
            Ok(v) => self.code(v),
            Err(_) => Err(E::custom(format_args!("{v} is not a SIP status code"))),
        }
    }

    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<T, E> {
        self.visit_bytes(v.as_bytes())
    }

    fn visit_bytes<E: ::serde::de::Error>(self, v: &[u8]) -> Result<T, E> {
        match crate::parse::parse_code(v) {
            Ok(code) => self.code(u64::from(code)),
            Err(e) => Err(E::custom(e)),
        }
    }
}

impl Serialize for RawCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u16(self.get())
    }
}

impl<'de> Deserialize<'de> for RawCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        read(d, |code| {
            RawCode::new(code).ok_or(CodeError::OutOfRange(code))
        })
    }
}

impl Serialize for Class {
    /// `"4xx"`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(CLASS_NAMES[usize::from(self.digit() - 1)])
    }
}

const CLASS_NAMES: [&str; 6] = ["1xx", "2xx", "3xx", "4xx", "5xx", "6xx"];

impl<'de> Deserialize<'de> for Class {
    /// `"4xx"`.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ClassVisitor;
        impl ::serde::de::Visitor<'_> for ClassVisitor {
            type Value = Class;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a response class, \"1xx\" to \"6xx\"")
            }
            fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<Class, E> {
                (1..=6u16)
                    .zip(CLASS_NAMES)
                    .find(|(_, name)| *name == v)
                    .and_then(|(digit, _)| Class::from_code(digit * 100))
                    .ok_or_else(|| {
                        E::custom(format_args!("`{v}` is not a response class (1xx to 6xx)"))
                    })
            }
        }
        d.deserialize_str(ClassVisitor)
    }
}

for_iana_types!(crate::__impl_serde);
