//! A checked mapping to tokens: the codegen library's `set_impls` on the user's enum.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::DeriveInput;

use sip_responses_codegen::generate::{set_impls, Receiver, Set};
use sip_responses_codegen::{Response, Spec};

use super::attr::EnumAttrs;

pub(crate) fn impls(
    input: &DeriveInput,
    spec: &Spec,
    mut variants: Vec<(syn::Ident, &Response)>,
    attrs: &EnumAttrs,
) -> TokenStream {
    variants.sort_by_key(|(_, r)| r.code);
    // The classes the enum stands for: those `#[sip(class = "...")]` names (its variants are
    // all of them), or all six. `dispatch_code` answers a code of another class
    // `CodeError::OtherClass`, and a class whose 8.1.3.2 target the enum lacks gets its
    // handler's `on_other_*` method.
    let mut classes: Vec<u16> = attrs.cover.iter().map(|(digit, _)| *digit).collect();
    if classes.is_empty() {
        classes.extend(1..=6);
    }
    classes.sort_unstable();
    classes.dedup();
    let set = Set {
        ty: input.ident.clone(),
        variants,
        receiver: Receiver::Ref,
        classes,
    };
    // The options were checked where they are written; what is left is a bug of ours.
    set_impls(&set, spec, &attrs.options, &input.vis.to_token_stream())
        .unwrap_or_else(|e| syn::Error::new(Span::call_site(), e).to_compile_error())
}

/// Stand-in entries for the fallback impls: each on a code no mapped variant uses.
pub(crate) fn placeholders(
    mapped: &[(syn::Ident, &Response)],
    unmapped: &[syn::Ident],
) -> Vec<Response> {
    let free = (100..=699u16).filter(|c| !mapped.iter().any(|(_, r)| r.code == *c));
    unmapped
        .iter()
        .zip(free)
        .map(|(ident, code)| Response::unmapped(&ident.to_string(), code))
        .collect()
}
