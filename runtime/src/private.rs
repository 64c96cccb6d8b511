//! What generated code calls: the items every generated set shares, written once here as
//! macros that generated code invokes (`::sip_responses::__set_traits!(...)`), and the
//! helpers they use. Not public API: names start with `__`, and nothing here is covered by
//! semver. Generated code stays the per-spec facts (variants, reasons, references, flags,
//! handler traits); the shapes that are the same for every set live here.

use crate::{Class, ParseError, ParseErrorKind};

/// The class of a code known to be in 100..=699.
#[must_use]
#[inline]
pub const fn class_of(code: u16) -> Class {
    match code / 100 {
        1 => Class::Provisional,
        2 => Class::Success,
        3 => Class::Redirection,
        4 => Class::ClientError,
        5 => Class::ServerError,
        _ => Class::GlobalFailure,
    }
}

/// The error of `from_bytes` for a well-formed code the set does not have.
#[must_use]
#[inline]
pub const fn unknown(code: u16) -> ParseError {
    ParseError::new(ParseErrorKind::Unknown(code), 0)
}

/// `class`, `is_final` and the six class predicates of a set of codes of several classes,
/// from its `code`. `copy` for a generated enum (its methods take `self`), `borrow` for a
/// user's enum (its methods take `&self`).
#[doc(hidden)]
#[macro_export]
macro_rules! __class_methods {
    (copy) => {
        $crate::__class_methods!([]);
    };
    (borrow) => {
        $crate::__class_methods!([&]);
    };
    ([$($amp:tt)?]) => {
        /// The class of the code.
        #[must_use]
        #[inline]
        pub const fn class($($amp)? self) -> $crate::Class {
            $crate::__private::class_of(self.code())
        }

        /// Whether the code is final (any class but 1xx).
        #[must_use]
        #[inline]
        pub const fn is_final($($amp)? self) -> bool {
            self.class().is_final()
        }

        $crate::__class_methods!(@predicates [$($amp)?]
            is_provisional Provisional,
            is_success Success,
            is_redirection Redirection,
            is_client_error ClientError,
            is_server_error ServerError,
            is_global_failure GlobalFailure,
        );
    };
    (@predicates [$($amp:tt)?] $predicate:ident $class:ident, $($rest:tt)*) => {
        #[doc = ::core::concat!("Whether the code is of class `", ::core::stringify!($class), "`.")]
        #[must_use]
        #[inline]
        pub const fn $predicate($($amp)? self) -> bool {
            ::core::matches!(self.class(), $crate::Class::$class)
        }

        $crate::__class_methods!(@predicates [$($amp)?] $($rest)*);
    };
    (@predicates [$($amp:tt)?]) => {};
}

/// The methods of a class enum (`Provisional`, ...), each the same as the all-codes enum's
/// (`$parent`) for the same code; its class is a constant. The enum is `#[repr(u16)]` with
/// the codes as discriminants. `$flag`s are the spec's flag predicates.
#[doc(hidden)]
#[macro_export]
macro_rules! __class_enum_methods {
    ($parent:ident, $class:ident; $($flag:ident),* $(,)?) => {
        /// The three-digit status code.
        #[must_use]
        #[inline]
        pub const fn code(self) -> u16 {
            self as u16
        }

        /// The class of the code: the same for every code of this enum.
        #[must_use]
        #[inline]
        pub const fn class(self) -> $crate::Class {
            let _ = self;
            $crate::Class::$class
        }

        /// Whether the code is final (any class but 1xx).
        #[must_use]
        #[inline]
        pub const fn is_final(self) -> bool {
            self.class().is_final()
        }

        $crate::__class_enum_methods!(@delegate $parent
            /// The reason phrase, exactly as registered.
            reason -> &'static str;
            /// Where the code is defined.
            reference -> &'static str;
            /// `"NNN Reason"`, what `Display` writes; for appending without the fmt machinery.
            as_str -> &'static str;
            /// `"SIP/2.0 NNN Reason\r\n"`: the status line with the registered reason, ready
            /// to send (RFC 3261, Section 7.2).
            status_line -> &'static str;
            /// The spec's flags of this code.
            flags -> &'static [&'static str];
            /// The ISUP/Q.850 cause a SIP-PSTN gateway releases the call with when it receives
            /// this response (RFC 3398, Section 8.2.6.1), if the spec maps one.
            q850_cause -> ::core::option::Option<u8>;
            /// Header fields a response with this code must carry.
            required_headers -> &'static [&'static str];
        );
        $(
            #[doc = ::core::concat!(
                "Whether the code has the flag [`", ::core::stringify!($parent), "::",
                ::core::stringify!($flag), "`] tests."
            )]
            #[must_use]
            #[inline]
            pub const fn $flag(self) -> bool {
                self.status_code().$flag()
            }
        )*
    };
    (@delegate $parent:ident $($(#[$doc:meta])* $method:ident -> $ret:ty;)*) => {$(
        $(#[$doc])*
        #[must_use]
        #[inline]
        pub const fn $method(self) -> $ret {
            self.status_code().$method()
        }
    )*};
}

/// `from_u16`, `interpret` and `from_bytes`.
///
/// `table, BASE, LEN` (a generated enum, `Copy`, codes `BASE..BASE + LEN`): two tables the
/// compiler computes from `ALL`, so each lookup is one clamped index and one load: `BY_CODE`
/// indexed by the code itself over `0..=BASE + LEN`, whose last entry (`None`) every larger
/// code lands on, and `INTERPRET` over 100..=699 (at `code - 100`) with RFC 3261 Section
/// 8.1.3.2's fallbacks filled in, plus a final `None` for every other code. Two bytes an entry
/// (the niche of a `#[repr(u16)]` enum): 1.2 KB each for the IANA set, in the binary only
/// where used. Indexing `BY_CODE` by the code instead of `code - BASE` measured 1.17 -> 0.51 ns
/// per `from_u16` (http's range check: 0.55 ns); for `INTERPRET` it measured slower (1.29 ns
/// against 1.17: LLVM turns the known-`None` ends of the table into a range check).
///
/// `match CODE => Variant, ...` (a user's enum, maybe not `Copy`): matches that build each
/// value.
#[doc(hidden)]
#[macro_export]
macro_rules! __lookups {
    (table, $base:literal, $len:literal) => {
        /// Exact lookup: the value for `code`, if the set has it.
        #[must_use]
        #[inline]
        pub const fn from_u16(code: u16) -> ::core::option::Option<Self> {
            // Indexed by the code itself; every code past the last is clamped to the final
            // entry, which is `None`: no branch, no bounds check, no subtraction.
            let i = code as usize;
            Self::BY_CODE[if i < $base + $len { i } else { $base + $len }]
        }

        /// RFC 3261, Section 8.1.3.2: a known code maps to itself, an unknown 1xx code to
        /// 183 Session Progress, an unknown final code xyz to x00 of its class.
        ///
        /// # Errors
        /// `CodeError::OutOfRange` outside 100..=699; `CodeError::NoFallback` for an unknown
        /// code whose fallback this set lacks.
        #[inline]
        pub const fn interpret(code: u16) -> ::core::result::Result<Self, $crate::CodeError> {
            // 100..=699 at 0..600; every other code wraps or clamps onto the final `None`.
            let i = code.wrapping_sub(100) as usize;
            match Self::INTERPRET[if i < 600 { i } else { 600 }] {
                ::core::option::Option::Some(known) => ::core::result::Result::Ok(known),
                ::core::option::Option::None if i < 600 => {
                    ::core::result::Result::Err($crate::CodeError::NoFallback(code))
                }
                ::core::option::Option::None => {
                    ::core::result::Result::Err($crate::CodeError::OutOfRange(code))
                }
            }
        }

        const BY_CODE: [::core::option::Option<Self>; $base + $len + 1] = {
            let mut table = [::core::option::Option::None; $base + $len + 1];
            let mut i = 0;
            while i < Self::ALL.len() {
                let known = Self::ALL[i];
                table[known.code() as usize] = ::core::option::Option::Some(known);
                i += 1;
            }
            table
        };

        const INTERPRET: [::core::option::Option<Self>; 601] = {
            let mut table = [::core::option::Option::None; 601];
            let mut code = 100;
            while code < 700 {
                table[code as usize - 100] = match Self::from_u16(code) {
                    ::core::option::Option::Some(known) => ::core::option::Option::Some(known),
                    ::core::option::Option::None => {
                        Self::from_u16(if code < 200 { 183 } else { code / 100 * 100 })
                    }
                };
                code += 1;
            }
            table
        };

        $crate::__lookups!(@from_bytes);
    };
    (match $($code:literal => $variant:ident),* $(,)?) => {
        /// Exact lookup: the value for `code`, if the set has it.
        #[must_use]
        #[inline]
        pub const fn from_u16(code: u16) -> ::core::option::Option<Self> {
            match code {
                $($code => ::core::option::Option::Some(Self::$variant),)*
                _ => ::core::option::Option::None,
            }
        }

        /// RFC 3261, Section 8.1.3.2: a known code maps to itself, an unknown 1xx code to
        /// 183 Session Progress, an unknown final code xyz to x00 of its class.
        ///
        /// # Errors
        /// `CodeError::OutOfRange` outside 100..=699; `CodeError::NoFallback` for an unknown
        /// code whose fallback this set lacks.
        #[inline]
        pub const fn interpret(code: u16) -> ::core::result::Result<Self, $crate::CodeError> {
            if let ::core::option::Option::Some(known) = Self::from_u16(code) {
                return ::core::result::Result::Ok(known);
            }
            let fallback = match code {
                100..=199 => 183,
                200..=699 => code / 100 * 100,
                _ => return ::core::result::Result::Err($crate::CodeError::OutOfRange(code)),
            };
            match Self::from_u16(fallback) {
                ::core::option::Option::Some(known) => ::core::result::Result::Ok(known),
                ::core::option::Option::None => {
                    ::core::result::Result::Err($crate::CodeError::NoFallback(code))
                }
            }
        }

        $crate::__lookups!(@from_bytes);
    };
    (@from_bytes) => {
        /// Parses `NNN` or `NNN Reason-Phrase` (any phrase) into a known code.
        ///
        /// # Errors
        /// A parse error saying what is wrong and at which byte, or that the code is unknown.
        #[inline]
        pub const fn from_bytes(bytes: &[u8]) -> ::core::result::Result<Self, $crate::ParseError> {
            match $crate::parse::parse_code(bytes) {
                ::core::result::Result::Ok(code) => match Self::from_u16(code) {
                    ::core::option::Option::Some(known) => ::core::result::Result::Ok(known),
                    ::core::option::Option::None => {
                        ::core::result::Result::Err($crate::__private::unknown(code))
                    }
                },
                ::core::result::Result::Err(e) => ::core::result::Result::Err(e),
            }
        }
    };
}

/// The trait impls of a set: `Display`, `FromStr`, `TryFrom<u16>`, `u16: From`,
/// `PartialEq<u16>` both ways and `ResponseCode`. `copy` for a generated enum (its methods
/// take `self`), `borrow` for a user's enum (its methods take `&self`).
#[doc(hidden)]
#[macro_export]
macro_rules! __set_traits {
    (copy $ty:ident) => {
        $crate::__set_traits!([*] $ty);
    };
    (borrow $ty:ident) => {
        $crate::__set_traits!([] $ty);
    };
    ([$($deref:tt)?] $ty:ident) => {
        #[automatically_derived]
        impl ::core::fmt::Display for $ty {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #[automatically_derived]
        impl ::core::str::FromStr for $ty {
            type Err = $crate::ParseError;
            #[inline]
            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                Self::from_bytes(s.as_bytes())
            }
        }

        #[automatically_derived]
        impl ::core::convert::TryFrom<u16> for $ty {
            type Error = $crate::CodeError;
            #[inline]
            fn try_from(code: u16) -> ::core::result::Result<Self, Self::Error> {
                match Self::from_u16(code) {
                    ::core::option::Option::Some(known) => ::core::result::Result::Ok(known),
                    ::core::option::Option::None => match code {
                        100..=699 => ::core::result::Result::Err($crate::CodeError::Unknown(code)),
                        _ => ::core::result::Result::Err($crate::CodeError::OutOfRange(code)),
                    },
                }
            }
        }

        #[automatically_derived]
        impl ::core::convert::From<$ty> for u16 {
            #[inline]
            fn from(code: $ty) -> u16 {
                code.code()
            }
        }

        #[automatically_derived]
        impl ::core::cmp::PartialEq<u16> for $ty {
            #[inline]
            fn eq(&self, other: &u16) -> bool {
                self.code() == *other
            }
        }

        #[automatically_derived]
        impl ::core::cmp::PartialEq<$ty> for u16 {
            #[inline]
            fn eq(&self, other: &$ty) -> bool {
                *self == other.code()
            }
        }

        #[automatically_derived]
        impl $crate::ResponseCode for $ty {
            const ALL: &'static [Self] = <$ty>::ALL;
            fn code(&self) -> u16 {
                <$ty>::code($($deref)? self)
            }
            fn reason(&self) -> &'static str {
                <$ty>::reason($($deref)? self)
            }
            fn reference(&self) -> &'static str {
                <$ty>::reference($($deref)? self)
            }
            fn class(&self) -> $crate::Class {
                <$ty>::class($($deref)? self)
            }
            fn as_str(&self) -> &'static str {
                <$ty>::as_str($($deref)? self)
            }
            fn status_line(&self) -> &'static str {
                <$ty>::status_line($($deref)? self)
            }
            fn flags(&self) -> &'static [&'static str] {
                <$ty>::flags($($deref)? self)
            }
            fn q850_cause(&self) -> ::core::option::Option<u8> {
                <$ty>::q850_cause($($deref)? self)
            }
            fn from_u16(code: u16) -> ::core::option::Option<Self> {
                <$ty>::from_u16(code)
            }
            fn interpret(code: u16) -> ::core::result::Result<Self, $crate::CodeError> {
                <$ty>::interpret(code)
            }
        }
    };
}
