/// The per-code facts of every set, each with its type and its doc, written once:
/// `__facts!(path::to::macro! { args })` calls the macro with `args`, then the list. The arms
/// below make [`Facts`](crate::__private::Facts) (one field each), the `ResponseCode`
/// methods (one each) and their impl, and a set's `const fn`s (one each, reading its row of
/// the set's table); `__codes!` fills the table from a set's rows.
///
/// A fact is read through its method alone: `code`, `class` and the predicates are computed
/// from the code instead, so they are not on this list.
#[doc(hidden)]
#[macro_export]
macro_rules! __facts {
    // `Facts`: a row of a set's table.
    (@struct $($(#[$doc:meta])* $fact:ident -> $ty:ty;)*) => {
        /// One code's row of a set's table: the code and each of its facts, as the spec gives
        /// them.
        #[derive(Debug)]
        pub struct Facts {
            /// The three-digit status code.
            pub code: ::core::primitive::u16,
            $($(#[$doc])* pub $fact: $ty,)*
        }
    };
    // The `ResponseCode` methods, inside the trait.
    (@trait $($(#[$doc:meta])* $fact:ident -> $ty:ty;)*) => {$(
        $(#[$doc])*
        fn $fact(&self) -> $ty;
    )*};
    // Their impl, inside `impl ResponseCode for ...`: the set's method of the same name.
    (@impl $($(#[$doc:meta])* $fact:ident -> $ty:ty;)*) => {$(
        #[inline]
        fn $fact(&self) -> $ty {
            (*self).$fact()
        }
    )*};
    // A set's methods, inside its `impl`, taking `self: $receiver` (`Self` or `&Self`).
    (@methods [$receiver:ty] $($(#[$doc:meta])* $fact:ident -> $ty:ty;)*) => {$(
        $(#[$doc])*
        #[must_use]
        #[inline]
        pub const fn $fact(self: $receiver) -> $ty {
            self.facts().$fact
        }
    )*};
    ($($callback:ident)::+ ! { $($args:tt)* }) => {
        $($callback)::+! { $($args)*
            /// The reason phrase, exactly as registered.
            reason -> &'static ::core::primitive::str;
            /// Where the code is defined, e.g. "RFC 3261, Section 21.1.2".
            reference -> &'static ::core::primitive::str;
            /// `"NNN Reason"`, what `Display` writes; for appending without the fmt machinery.
            as_str -> &'static ::core::primitive::str;
            /// `"SIP/2.0 NNN Reason\r\n"`: the status line with the registered reason, ready to
            /// send (RFC 3261, Section 7.2).
            status_line -> &'static ::core::primitive::str;
            /// The spec's flags of this code (e.g. `hop-by-hop`, `challenge`).
            flags -> &'static [&'static ::core::primitive::str];
            /// The ISUP/Q.850 cause a SIP-PSTN gateway releases the call with when it receives
            /// this response (RFC 3398, Section 8.2.6.1), if the spec maps one.
            q850_cause -> ::core::option::Option<::core::primitive::u8>;
            /// The header fields a response with this code must carry, each by name: the
            /// spec's MUST requirements that name one field. A one-of group and a SHOULD are in
            /// `header_requirements`.
            required_headers -> &'static [&'static ::core::primitive::str];
            /// What the spec says a response with this code carries: each header field (or one
            /// of a group) with its RFC 2119 level, e.g. 405's `Allow` (MUST) or 415's one of
            /// `Accept`, `Accept-Encoding`, `Accept-Language` (MUST).
            header_requirements -> &'static [$crate::HeaderRequirement];
        }
    };
}
