/// The http-style constants of an all-codes enum, inside its `impl`: `NAME Variant code;`
/// each, `pub const OK: Self = Self::Ok;`, the names `http::StatusCode` and rsip give codes,
/// so code written against them compiles unchanged, in patterns too (the enum derives
/// `PartialEq` and `Eq`).
#[doc(hidden)]
#[macro_export]
macro_rules! __http_names {
    ($($name:ident $variant:ident $code:literal;)*) => {$(
        #[doc = ::core::concat!(
            "`", $code, "`: [`Self::", ::core::stringify!($variant),
            "`] by its http-style name."
        )]
        pub const $name: Self = Self::$variant;
    )*};
}
