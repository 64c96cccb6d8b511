/// A set of codes from its rows, for every kind of set: an all-codes enum, a class enum and
/// a user's derived enum. Codegen emits the spec as rows, in ascending code order; this
/// makes them the set's table of `Facts` and writes everything else once: the methods (each
/// an ordinary `const fn` over the table, or over the code), the lookups, the handler's
/// `dispatch` and `dispatch_code`, and the trait impls.
///
/// ```text
/// __codes! {
///     StatusCode [Self];                              // the enum, and its methods' `self` type
///     class Provisional of StatusCode;                // a class enum only: its class, its parent
///     handler [ResponseHandler];                      // or [] (no handler trait)
///     flags [is_hop_by_hop "hop-by-hop" "meaning" [Trying];]
///     from_q850 [17 => [BusyHere]; 1 | 2 | 3 => [NotFound];] _ => [TemporarilyUnavailable];
///     rows [
///         // position code variant reason reference [flags] [required headers]
///         // [header requirements: level [one of]] [q850] handler-method
///         0 100 Trying "Trying" "RFC 3261, Section 21.1.1" ["hop-by-hop"] [] [] [] on_trying;
///         15 405 MethodNotAllowed "Method Not Allowed" "RFC 3261, Section 21.4.6" []
///             ["Allow"] [must ["Allow"]] [] on_method_not_allowed;
///     ]
/// }
/// ```
///
/// The receiver is the one difference between the kinds of enum: `[Self]` for a generated
/// enum (`Copy`, `#[repr(u16)]` with the codes as discriminants), whose methods take `self`,
/// and `[&Self]` for a user's derived enum (maybe not `Copy`: nothing in the expansion copies a
/// value), whose methods take `&self`. Every method is written once, as `self: $receiver`
/// (the `self` of a method and of its body must come from the same macro). It decides how a
/// value finds its row (a generated enum's `POSITION` table, indexed by the discriminant; a
/// derived enum's dense `match self`, which LLVM turns into the discriminant itself when the
/// variants are declared in code order) and what the lookup tables hold (the values; a
/// private `Copy` mirror of a derived enum). A class enum has no `from_q850`, a constant
/// `class()`, `status_code()` and the conversions with its parent instead of the class
/// predicates.
///
/// A set that lacks the RFC 3261 8.1.3.2 target of a class (183, or an x00) names the
/// handler's method for that class's other codes, and a set that stands for some classes only
/// the others: `handler [EarlyHandler other [1 on_other_provisional 4 on_other_client_error]
/// outside [2 | 3]];`. `dispatch_code` sends a code `interpret` refuses to the first, and
/// answers the second `CodeError::OtherClass`; a set with neither (the IANA sets) has only
/// `interpret`, then `dispatch`.
#[doc(hidden)]
#[macro_export]
macro_rules! __codes {
    (
        $ty:ident $receiver:tt;
        $(class $class:ident of $parent:ident;)?
        handler [$($handler:tt)*];
        flags [$($predicate:ident $flag:literal $meaning:literal [$($with:ident)*];)*]
        $(from_q850 [$($($cause:literal)|+ => $target:tt;)*] _ => $default:tt;)?
        rows [$(
            $pos:literal $code:literal $variant:ident $reason:literal $reference:literal
            [$($flags:literal),*] [$($headers:literal),*]
            [$($level:ident [$($one_of:literal),+])*] [$($q850:literal)?] $method:ident;
        )*]
    ) => {
        // In a block of its own: a derived enum's private mirror is one per enum, and two
        // derived enums may share a module.
        const _: () = {
        $crate::__codes!(@receiver $receiver $ty [$($pos $variant)*]);
        $crate::__codes!(@methods $receiver $ty [$($predicate $flag $meaning [$($with)*];)*]);
        $crate::__codes!(@class $receiver $ty [$($class $parent)?] [$($variant)*]);
        $crate::__codes!(@dispatch $receiver $ty [$($handler)*] [$($variant $method)*]);

        #[allow(clippy::too_many_lines, clippy::doc_markdown)]
        impl $ty {
            /// Every code of the set, in ascending order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The facts of each code, in the order of `ALL`.
            const FACTS: &'static [$crate::__private::Facts] = &[$($crate::__private::Facts {
                code: $code,
                reason: $reason,
                reference: $reference,
                as_str: ::core::concat!($code, " ", $reason),
                status_line: ::core::concat!("SIP/2.0 ", $code, " ", $reason, "\r\n"),
                flags: &[$($flags),*],
                q850_cause: $crate::__private::cause(&[$($q850)?]),
                required_headers: &[$($headers),*],
                header_requirements: &[$($crate::HeaderRequirement::$level(&[$($one_of),+])),*],
            }),*];

            /// Exact lookup: the value for `code`, if the set has it.
            #[must_use]
            #[inline]
            pub const fn from_u16(code: ::core::primitive::u16) -> ::core::option::Option<Self> {
                match $crate::__private::from_u16(&Self::BY_CODE, code) {
                    ::core::option::Option::Some(entry) => {
                        ::core::option::Option::Some(Self::lift(entry))
                    }
                    ::core::option::Option::None => ::core::option::Option::None,
                }
            }

            /// RFC 3261, Section 8.1.3.2: a known code maps to itself, an unknown 1xx code to
            /// 183 Session Progress, an unknown final code xyz to x00 of its class.
            ///
            /// # Errors
            /// `CodeError::OutOfRange` outside 100..=699; `CodeError::NoFallback` for an
            /// unknown code whose fallback this set lacks.
            #[inline]
            pub const fn interpret(
                code: ::core::primitive::u16,
            ) -> ::core::result::Result<Self, $crate::CodeError> {
                match $crate::__private::interpret(&Self::INTERPRET, code) {
                    ::core::result::Result::Ok(entry) => ::core::result::Result::Ok(Self::lift(entry)),
                    ::core::result::Result::Err(e) => ::core::result::Result::Err(e),
                }
            }

            /// Parses `NNN` or `NNN Reason-Phrase` (any phrase) into a known code.
            ///
            /// # Errors
            /// A parse error saying what is wrong and at which byte, or that the code is
            /// unknown.
            #[inline]
            pub const fn from_bytes(
                bytes: &[::core::primitive::u8],
            ) -> ::core::result::Result<Self, $crate::ParseError> {
                match $crate::__private::from_bytes(&Self::BY_CODE, bytes) {
                    ::core::result::Result::Ok(entry) => ::core::result::Result::Ok(Self::lift(entry)),
                    ::core::result::Result::Err(e) => ::core::result::Result::Err(e),
                }
            }

            $(
            /// The response a SIP-PSTN gateway sends when the PSTN side releases the call with
            /// ISUP/Q.850 `cause` (RFC 3398, Section 7.2.4.1), from the spec's `[q850]` table;
            /// `None` where no response is due (cause 16, normal call clearing, is a BYE).
            #[must_use]
            #[inline]
            pub const fn from_q850(cause: ::core::primitive::u8) -> ::core::option::Option<Self> {
                match cause {
                    $($($cause)|+ => $crate::__codes!(@some $target),)*
                    _ => $crate::__codes!(@some $default),
                }
            }
            )?

        }

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
            fn from_str(s: &::core::primitive::str) -> ::core::result::Result<Self, Self::Err> {
                Self::from_bytes(s.as_bytes())
            }
        }

        #[automatically_derived]
        impl ::core::convert::TryFrom<::core::primitive::u16> for $ty {
            type Error = $crate::CodeError;
            #[inline]
            fn try_from(code: ::core::primitive::u16) -> ::core::result::Result<Self, Self::Error> {
                match Self::from_u16(code) {
                    ::core::option::Option::Some(known) => ::core::result::Result::Ok(known),
                    ::core::option::Option::None => match code {
                        100..=699 => ::core::result::Result::Err($crate::CodeError::Unknown(code)),
                        _ => ::core::result::Result::Err($crate::CodeError::OutOfRange(code)),
                    },
                }
            }
        }

        /// The code's number, as `code()` gives it: `u16::from(code) == code.code()`.
        #[automatically_derived]
        impl ::core::convert::From<$ty> for ::core::primitive::u16 {
            #[inline]
            fn from(code: $ty) -> ::core::primitive::u16 {
                code.code()
            }
        }

        // The one pair of impls without `#[automatically_derived]`: they are not
        // `PartialEq<Self>`, but clippy's `derive_partial_eq_without_eq` (nursery) reads any
        // automatically derived `PartialEq` as one, and asks a user's enum for `Eq` at a lint
        // level only the enum's own attributes can set.
        impl ::core::cmp::PartialEq<::core::primitive::u16> for $ty {
            #[inline]
            fn eq(&self, other: &::core::primitive::u16) -> ::core::primitive::bool {
                self.code() == *other
            }
        }

        impl ::core::cmp::PartialEq<$ty> for ::core::primitive::u16 {
            #[inline]
            fn eq(&self, other: &$ty) -> ::core::primitive::bool {
                *self == other.code()
            }
        }

        // `StatusCode::Ok == relayed`, the reverse of core's `PartialEq<C> for Code<C>`.
        impl ::core::cmp::PartialEq<$crate::Code<$ty>> for $ty {
            #[inline]
            fn eq(&self, other: &$crate::Code<$ty>) -> ::core::primitive::bool {
                self.code() == other.get()
            }
        }

        // `(*self).code()` is the set's own method for either receiver: `self.code()` would
        // find this trait's method first where the set's takes `self`.
        #[automatically_derived]
        impl $crate::ResponseCode for $ty {
            const ALL: &'static [Self] = <$ty>::ALL;
            #[inline]
            fn code(&self) -> ::core::primitive::u16 {
                (*self).code()
            }
            #[inline]
            fn class(&self) -> $crate::Class {
                (*self).class()
            }
            $crate::__facts!($crate::__facts! { @impl });
            #[inline]
            fn from_u16(code: ::core::primitive::u16) -> ::core::option::Option<Self> {
                <$ty>::from_u16(code)
            }
            #[inline]
            fn interpret(code: ::core::primitive::u16) -> ::core::result::Result<Self, $crate::CodeError> {
                <$ty>::interpret(code)
            }
        }
        };
    };

    // The methods that take the receiver `self: $receiver`, beside the receiver's own.
    (@methods [$receiver:ty] $ty:ident
        [$($predicate:ident $flag:literal $meaning:literal [$($with:ident)*];)*]
    ) => {
        #[allow(clippy::doc_markdown)]
        impl $ty {
            /// The code's row of `FACTS`.
            #[inline]
            const fn facts(self: $receiver) -> &'static $crate::__private::Facts {
                &Self::FACTS[self.position()]
            }

            $crate::__facts!($crate::__facts! { @methods [$receiver] });

            /// Whether the code is final (any class but 1xx).
            #[must_use]
            #[inline]
            pub const fn is_final(self: $receiver) -> ::core::primitive::bool {
                self.class().is_final()
            }

            /// Whether a response with this code may be sent reliably (RFC 3262, Section 3):
            /// any provisional code but 100, a vendor's 1xx included.
            #[must_use]
            #[inline]
            pub const fn may_send_reliably(self: $receiver) -> ::core::primitive::bool {
                $crate::__private::may_send_reliably(self.code())
            }

            $(
            #[doc = ::core::concat!("Whether the code has the flag `", $flag, "`: ", $meaning)]
            #[must_use]
            #[inline]
            pub const fn $predicate(self: $receiver) -> ::core::primitive::bool {
                $crate::__codes!(@any self $($with)*)
            }
            )*
        }
    };

    // By value: a generated enum, `Copy`, `#[repr(u16)]` with the codes as discriminants. Its
    // lookup tables hold the values.
    (@receiver [Self] $ty:ident $rows:tt) => {
        impl $ty {
            /// The three-digit status code.
            #[must_use]
            #[inline]
            pub const fn code(self) -> ::core::primitive::u16 {
                self as ::core::primitive::u16
            }

            const POSITION: [::core::primitive::u16; 700] = $crate::__private::positions(Self::FACTS);

            /// The code's position in `ALL`.
            #[inline]
            const fn position(self) -> ::core::primitive::usize {
                let at = Self::POSITION[self as ::core::primitive::usize] as ::core::primitive::usize;
                if at < Self::ALL.len() { at } else { Self::ALL.len() - 1 }
            }

            const BY_CODE: [::core::option::Option<Self>; 701] =
                $crate::__private::by_code(Self::ALL, Self::FACTS);
            const INTERPRET: [::core::option::Option<Self>; 1025] =
                $crate::__private::interpreted(&Self::BY_CODE);

            /// The value of a lookup table's entry: the entry itself.
            #[inline]
            const fn lift(entry: Self) -> Self {
                entry
            }
        }
    };
    // By reference: a user's derived enum, any discriminants, maybe not `Copy`. Its lookup
    // tables hold `__Entry`, a private `Copy` mirror of it (the same variants, in code order),
    // lifted back by a dense `match` that LLVM compiles to nothing when the user declared the
    // variants in code order too.
    (@receiver [&Self] $ty:ident [$($pos:literal $variant:ident)*]) => {
        #[doc(hidden)]
        #[allow(non_camel_case_types, dead_code, clippy::enum_variant_names)]
        #[derive(::core::clone::Clone, ::core::marker::Copy)]
        enum __Entry { $($variant,)* }

        impl __Entry {
            const ALL: &'static [Self] = &[$(Self::$variant),*];
        }

        #[allow(clippy::too_many_lines)]
        impl $ty {
            /// The three-digit status code.
            #[must_use]
            #[inline]
            pub const fn code(&self) -> ::core::primitive::u16 {
                self.facts().code
            }

            /// The code's position in `ALL`.
            #[inline]
            const fn position(&self) -> ::core::primitive::usize {
                let at: ::core::primitive::usize = match self { $(Self::$variant => $pos,)* };
                if at < Self::ALL.len() { at } else { Self::ALL.len() - 1 }
            }

            const BY_CODE: [::core::option::Option<__Entry>; 701] =
                $crate::__private::by_code(__Entry::ALL, Self::FACTS);
            const INTERPRET: [::core::option::Option<__Entry>; 1025] =
                $crate::__private::interpreted(&Self::BY_CODE);

            /// The value of a lookup table's entry.
            #[inline]
            const fn lift(entry: __Entry) -> Self {
                match entry { $(__Entry::$variant => Self::$variant,)* }
            }
        }
    };

    // A class enum (generated: by value): its class is a constant; it converts losslessly
    // into the all-codes enum `$parent` and back with `TryFrom` (`CodeError::Unknown` for a
    // code of another class).
    (@class [Self] $ty:ident [$class:ident $parent:ident] [$($variant:ident)*]) => {
        impl $ty {
            /// The class of the code: the same for every code of this enum.
            #[must_use]
            #[inline]
            pub const fn class(self) -> $crate::Class {
                let _ = self;
                $crate::Class::$class
            }

            #[doc = ::core::concat!("The same code as a [`", ::core::stringify!($parent), "`].")]
            #[must_use]
            #[inline]
            pub const fn status_code(self) -> $parent {
                match self { $(Self::$variant => $parent::$variant,)* }
            }
        }

        #[automatically_derived]
        impl ::core::convert::From<$ty> for $parent {
            #[inline]
            fn from(code: $ty) -> Self {
                code.status_code()
            }
        }

        #[automatically_derived]
        #[doc = ::core::concat!(
            "Narrows to [`", ::core::stringify!($ty),
            "`], or `CodeError::Unknown` for a code of another class."
        )]
        impl ::core::convert::TryFrom<$parent> for $ty {
            type Error = $crate::CodeError;
            #[inline]
            fn try_from(code: $parent) -> ::core::result::Result<Self, Self::Error> {
                match Self::from_u16(code.code()) {
                    ::core::option::Option::Some(known) => ::core::result::Result::Ok(known),
                    ::core::option::Option::None => {
                        ::core::result::Result::Err($crate::CodeError::Unknown(code.code()))
                    }
                }
            }
        }
    };

    // A set of several classes: `class` from the code, and the six class predicates.
    (@class [$receiver:ty] $ty:ident [] $variants:tt) => {
        impl $ty {
            /// The class of the code.
            #[must_use]
            #[inline]
            pub const fn class(self: $receiver) -> $crate::Class {
                $crate::__private::class_of(self.code())
            }

            $crate::__codes!(@predicates [$receiver]
                is_provisional Provisional,
                is_success Success,
                is_redirection Redirection,
                is_client_error ClientError,
                is_server_error ServerError,
                is_global_failure GlobalFailure,
            );
        }
    };
    (@predicates [$receiver:ty] $($predicate:ident $class:ident,)*) => {$(
        #[doc = ::core::concat!("Whether the code is of class `", ::core::stringify!($class), "`.")]
        #[must_use]
        #[inline]
        pub const fn $predicate(self: $receiver) -> ::core::primitive::bool {
            ::core::matches!(self.class(), $crate::Class::$class)
        }
    )*};
    // No handler trait: no `dispatch`.
    (@dispatch $receiver:tt $ty:ident [] $rows:tt) => {};
    (@dispatch [$receiver:ty] $ty:ident
        [$handler:ident $(other [$($digit:literal $other:ident)*])? $(outside [$outside:pat])?]
        [$($variant:ident $method:ident)*]
    ) => {
        impl $ty {
            #[doc = ::core::concat!(
                "Calls the [`", ::core::stringify!($handler),
                "`] method for this code, passing `ctx` through."
            )]
            pub fn dispatch<H, Ctx>(self: $receiver, handler: &mut H, ctx: Ctx) -> H::Output
            where
                H: $handler<Ctx> + ?::core::marker::Sized,
            {
                match self { $(Self::$variant => handler.$method(ctx),)* }
            }

            /// Dispatches a code from the wire: [`Self::interpret`] (RFC 3261, Section
            /// 8.1.3.2), then [`Self::dispatch`]; a code of a class whose 8.1.3.2 target the
            /// set lacks reaches that class's `on_other_*` method, with the code.
            ///
            /// # Errors
            /// `CodeError::OutOfRange` outside 100..=699; `CodeError::OtherClass` for a code of
            /// a class the set does not stand for.
            pub fn dispatch_code<H, Ctx>(
                code: ::core::primitive::u16,
                handler: &mut H,
                ctx: Ctx,
            ) -> ::core::result::Result<H::Output, $crate::CodeError>
            where
                H: $handler<Ctx> + ?::core::marker::Sized,
            {
                // The known-code path is the same in every set; only a code `interpret`
                // refuses meets the guards.
                match Self::interpret(code) {
                    ::core::result::Result::Ok(known) => {
                        ::core::result::Result::Ok(known.dispatch(handler, ctx))
                    }
                    $($(::core::result::Result::Err(_) if code / 100 == $digit => {
                        ::core::result::Result::Ok(handler.$other($crate::__private::raw(code), ctx))
                    })*)?
                    $(::core::result::Result::Err(_) if ::core::matches!(code / 100, $outside) => {
                        ::core::result::Result::Err($crate::CodeError::OtherClass(code))
                    })?
                    ::core::result::Result::Err(e) => ::core::result::Result::Err(e),
                }
            }
        }
    };

    (@any $self:ident) => {{ let _ = $self; false }};
    (@any $self:ident $($with:ident)+) => { ::core::matches!($self, $(Self::$with)|+) };

    (@some []) => { ::core::option::Option::None };
    (@some [$variant:ident]) => { ::core::option::Option::Some(Self::$variant) };
}
