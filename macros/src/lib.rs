//! Proc macros for `sip-responses`. Thin: tokens in, a call of the codegen library, tokens out.
//! Use them through the `sip-responses` crate, which re-exports both.

use proc_macro::TokenStream;

mod derive;
mod include;

/// Generates the full set of types for a spec file, in the caller's module: the same output
/// as `sip-responses generate SPEC` and the build.rs `Builder`.
///
/// ```ignore
/// sip_responses::include_spec!("spec/my-codes.toml");
/// sip_responses::include_spec! {
///     path = "spec/my-codes.toml",
///     name = SipStatus,                 // the all-codes enum (default StatusCode)
///     prefix = Sip,                     // SipProvisional, SipResponseHandler, ...
///     vis = pub(crate),                 // default pub
///     derive(arbitrary::Arbitrary),     // extra derives; repeatable
///     attribute(non_exhaustive),        // extra attributes; repeatable
///     handlers = false,                 // no handler traits, no dispatch (default true)
///     serde = true,                     // Serialize/Deserialize as the code's number
///     crate = "::sip_responses",        // the runtime's path, if renamed or re-exported
/// }
/// ```
///
/// Every key is in `sip_responses_codegen::options::KEYS`, the table the CLI's `generate`
/// reads too. For serde, use `serde = true`: it writes a code as its number (`486`), where
/// `derive(serde::Serialize)` would write the variant's name (`"BusyHere"`), and the two
/// together are refused.
///
/// With `handlers` on, `ResponseHandler` has a method per code and `ProvisionalHandler` one
/// per 1xx code (see the README's "Handler traits"). A spec without a class (no 4xx code, say)
/// has no RFC 3261 8.1.3.2 target for it, so `ResponseHandler` gets one more required method
/// for that class, given the code that arrived: `on_other_client_error(&mut self, code:
/// RawCode, ctx: Ctx)`; `dispatch_code` of every code in 100..=699 reaches a method. A class
/// enum's `dispatch_code` answers a code of another class `CodeError::OtherClass`.
///
/// The path is relative to the calling crate's `CARGO_MANIFEST_DIR`. Editing the file
/// rebuilds the caller. Needs the `derive` feature of `sip-responses`.
#[proc_macro]
pub fn include_spec(input: TokenStream) -> TokenStream {
    include::expand(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Implements a spec's response codes on a field-less enum (it needs no other derive: no
/// `Clone`, `Copy` or `PartialEq`): the constant `ALL`; every method of `ResponseCode` as a
/// `const fn` taking `&self` (`code`, `class`, `reason`, `status_line`,
/// `header_requirements`, ...); `is_final`, the class and flag predicates; `from_u16`,
/// `interpret` (RFC 3261 Section 8.1.3.2), `from_bytes`, `from_q850`; `Display`, `FromStr`,
/// `TryFrom<u16>`, `PartialEq<u16>`, `ResponseCode`; and a handler trait `<Enum>Handler` with
/// `dispatch` and `dispatch_code` (codes from the wire, through 8.1.3.2 first). The lookups are
/// compile-time tables, as fast as the generated enums'.
///
/// Attributes on the enum:
/// - `#[sip(spec = "path")]`: the spec (default: the bundled IANA registry); relative to
///   `CARGO_MANIFEST_DIR`.
/// - `#[sip(class = "1xx")]`, `#[sip(class = "4xx, 5xx")]` or `#[sip(all)]`: the enum must
///   cover every code of those classes (a missing one is an error that names it).
/// - `#[sip(handlers = false)]`: no handler trait, no `dispatch`.
/// - `#[sip(serde = true)]`: `Serialize`/`Deserialize` as the code's number.
/// - `#[sip(crate = "::path")]`: the runtime's path, if renamed or re-exported.
///
/// The handler trait `<Enum>Handler<Ctx>` has:
/// - a method per variant, `on_` and its name in `snake_case` (`on_busy_here`): required for a
///   1xx, an x00 and a final code whose x00 the enum lacks; any other defaults to its x00's;
/// - for each class the enum stands for whose RFC 3261 8.1.3.2 target (183, or the x00) it
///   lacks, one more required method, given the code that arrived:
///   `fn on_other_client_error(&mut self, code: RawCode, ctx: Ctx) -> Self::Output`, and
///   `on_other_provisional`, `on_other_success`, `on_other_redirection`,
///   `on_other_server_error`, `on_other_global_failure` likewise.
///
/// So `enum Rejections { BusyHere, Decline }` has `on_busy_here`, `on_decline` and all six
/// `on_other_*`, `enum Early { Trying, Ringing }` has `on_trying`, `on_ringing` and all six,
/// and `dispatch_code` of every code in 100..=699 reaches a method: a handler that leaves a
/// case out does not compile. The enum stands for the classes `#[sip(class = "...")]` names,
/// or all six without it; `dispatch_code` answers a code of another class
/// `CodeError::OtherClass`. A variant may not be named `OtherClientError` (and so on for each
/// class): its method would be one of these.
///
/// On a variant, `#[sip(code = 182)]` maps a freely named variant to its code; otherwise the
/// name is the spec's variant name (`Queued`). A discriminant, if written, must be the code.
/// Needs the `derive` feature of `sip-responses`.
#[proc_macro_derive(SipResponses, attributes(sip))]
pub fn derive_sip_responses(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    derive::expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
