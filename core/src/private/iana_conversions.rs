/// The conversions between a set `$ty` built on the IANA registry (a spec that `extends =
/// "iana"`, or a derived enum over the bundled spec) and [`crate::StatusCode`], from the
/// pairs of variants that stand for the same code (`Set Iana`, the set's first):
/// - `into total`: every code of the set is IANA's, so `From<$ty> for StatusCode`;
///   `into partial`: `TryFrom`, `CodeError::Unknown` for a code IANA lacks;
/// - `from total`: the set has every IANA code, so `From<StatusCode> for $ty`;
///   `from partial`: `TryFrom`, `CodeError::Unknown` for a code the set lacks.
///
/// They live in the set's crate (the orphan rule allows both directions there), and each is
/// a `match`: no lookup, no panic path.
#[doc(hidden)]
#[macro_export]
macro_rules! __iana_conversions {
    ($ty:ident; into $into:ident; from $from:ident; [$($v:ident $iana:ident)*]) => {
        $crate::__iana_conversions!(@into $into $ty [$($v $iana)*]);
        $crate::__iana_conversions!(@from $from $ty [$($v $iana)*]);
    };
    (@into total $ty:ident [$($v:ident $iana:ident)*]) => {
        #[doc = ::core::concat!(
            "The same code as a `StatusCode`: every code of `", ::core::stringify!($ty),
            "` is in the IANA registry."
        )]
        #[automatically_derived]
        impl ::core::convert::From<$ty> for $crate::StatusCode {
            #[inline]
            fn from(code: $ty) -> Self {
                match code { $($ty::$v => $crate::StatusCode::$iana,)* }
            }
        }
    };
    (@into partial $ty:ident [$($v:ident $iana:ident)*]) => {
        #[doc = ::core::concat!(
            "The same code as a `StatusCode`, or `CodeError::Unknown` for a code of `",
            ::core::stringify!($ty), "` the IANA registry lacks."
        )]
        #[automatically_derived]
        impl ::core::convert::TryFrom<$ty> for $crate::StatusCode {
            type Error = $crate::CodeError;
            #[inline]
            fn try_from(code: $ty) -> ::core::result::Result<Self, Self::Error> {
                match code {
                    $($ty::$v => ::core::result::Result::Ok($crate::StatusCode::$iana),)*
                    other => ::core::result::Result::Err($crate::CodeError::Unknown(other.code())),
                }
            }
        }
    };
    (@from total $ty:ident [$($v:ident $iana:ident)*]) => {
        #[doc = ::core::concat!(
            "The same code as a `", ::core::stringify!($ty),
            "`, which has every code of the IANA registry."
        )]
        #[automatically_derived]
        impl ::core::convert::From<$crate::StatusCode> for $ty {
            #[inline]
            fn from(code: $crate::StatusCode) -> Self {
                match code { $($crate::StatusCode::$iana => $ty::$v,)* }
            }
        }
    };
    (@from partial $ty:ident [$($v:ident $iana:ident)*]) => {
        #[doc = ::core::concat!(
            "The same code as a `", ::core::stringify!($ty),
            "`, or `CodeError::Unknown` for a code it lacks."
        )]
        #[automatically_derived]
        impl ::core::convert::TryFrom<$crate::StatusCode> for $ty {
            type Error = $crate::CodeError;
            #[inline]
            fn try_from(code: $crate::StatusCode) -> ::core::result::Result<Self, Self::Error> {
                match code {
                    $($crate::StatusCode::$iana => ::core::result::Result::Ok($ty::$v),)*
                    other => ::core::result::Result::Err($crate::CodeError::Unknown(other.code())),
                }
            }
        }
    };
}
