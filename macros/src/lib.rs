//! Proc macros for `sip-responses`. Thin: tokens in, a call of the codegen library, tokens out.
//! Use them through the `sip-responses` crate, which re-exports both.

use proc_macro::TokenStream;

mod derive;
mod include;

/// Generates the full set of types for a spec file, in the caller's module: the same output
/// as `sip-responses generate SPEC`.
///
/// ```ignore
/// sip_responses::include_spec!("spec/my-codes.toml");
/// sip_responses::include_spec! { path = "spec/my-codes.toml", name = SipStatus, prefix = Sip, vis = pub(crate), derive(serde::Serialize) }
/// ```
///
/// The path is relative to the calling crate's `CARGO_MANIFEST_DIR`. Editing the file
/// rebuilds the caller.
#[proc_macro]
pub fn include_spec(input: TokenStream) -> TokenStream {
    include::expand(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Implements a spec's response codes on a field-less enum: `code`, `reason`, `class`,
/// `Display`, `FromStr`, `TryFrom<u16>`, `ResponseCode`, and a handler trait `<Enum>Handler`.
///
/// Attributes: `#[sip(spec = "path")]` (default: the bundled IANA spec),
/// `#[sip(class = "1xx")]` or `#[sip(class = "4xx, 5xx")]` or `#[sip(all)]` (the enum must
/// cover every code of those classes), and `#[sip(code = 182)]` on a variant.
#[proc_macro_derive(SipResponses, attributes(sip))]
pub fn derive_sip_responses(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    derive::expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
