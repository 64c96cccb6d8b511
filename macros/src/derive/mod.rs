//! `#[derive(SipResponses)]`, in thiserror's stages: [`attr`] parses the `#[sip(...)]`
//! attributes, [`valid`] maps the variants onto spec entries and checks them, [`expand`]
//! hands the resulting set to the codegen library. Every problem is collected and reported
//! at once, each on its own span.

mod attr;
mod expand;
mod valid;

use proc_macro2::{Span, TokenStream};
use syn::DeriveInput;

/// The `serde_derive` way: push every error, combine them at the end.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, span: Span, message: impl std::fmt::Display) {
        let e = syn::Error::new(span, message);
        match &mut self.0 {
            Some(all) => all.combine(e),
            None => self.0 = Some(e),
        }
    }

    pub(crate) fn push_error(&mut self, e: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(e),
            None => self.0 = Some(e),
        }
    }

    pub(crate) fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

/// The derive: attributes, then the checked mapping, then the impls (with the errors, if
/// any, and impls that compile beside them so the errors are not buried in a cascade).
pub(crate) fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let mut errors = Errors::default();
    let Some(data) = valid::shape(input, &mut errors)? else {
        return errors.finish().map(|()| TokenStream::new());
    };
    let attrs = attr::enum_attrs(input, &mut errors);
    let owned;
    let spec = match &attrs.spec {
        Some(path) => match crate::include::read(path) {
            Ok(spec) => {
                owned = spec;
                &owned
            }
            Err(e) => {
                errors.push_error(e);
                return errors.finish().map(|()| TokenStream::new());
            }
        },
        None => sip_responses_codegen::Spec::iana_ref(),
    };
    let mapping = valid::map(input, data, spec, &attrs, &mut errors);
    if let Err(e) = errors.finish() {
        let mut out = e.to_compile_error();
        if let Some(variants) = mapping.fallback() {
            out.extend(expand::impls(input, spec, variants, &attrs));
        }
        return Ok(out);
    }
    let mut out = expand::impls(input, spec, mapping.variants, &attrs);
    out.extend(crate::include::track(spec));
    Ok(out)
}
