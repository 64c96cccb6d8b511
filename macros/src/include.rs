//! `include_spec!`: options in, the codegen library's output plus a rebuild dependency out.

#[cfg(feature = "spec-files")]
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{Ident, LitStr, Token};

use sip_responses_codegen::options::{self, Kind};
#[cfg(feature = "spec-files")]
use sip_responses_codegen::Diagnostic;
use sip_responses_codegen::{generate_spec, Options, Spec};

struct Args {
    path: LitStr,
    options: Options,
}

/// One `key = value` (or `derive(...)`, `attribute(...)`) of `include_spec`!, parsed by the
/// kind the codegen key table gives it; each value is checked where it is written.
fn option(
    input: ParseStream,
    k: options::Key,
    options: &mut Options,
    spans: &mut Vec<(String, proc_macro2::Span)>,
) -> syn::Result<()> {
    let kind = k.kind();
    let name = k.name();
    let mut set = |text: String, span: proc_macro2::Span| -> syn::Result<()> {
        spans.push((text.clone(), span));
        options::check(kind, &text)
            .map_err(|e| syn::Error::new(span, format!("option `{name}`: {e}")))?;
        options
            .set(name, &text)
            .map(drop)
            .map_err(|e| syn::Error::new(span, e.to_string()))
    };
    match (kind, k.repeats()) {
        // Lists: `derive(A, B)`, `attribute(non_exhaustive, doc = "...")`.
        (Kind::Path | Kind::Attribute, true) => {
            let content;
            syn::parenthesized!(content in input);
            let items: Vec<TokenStream> = if kind == Kind::Path {
                let paths = content.parse_terminated(syn::Path::parse_mod_style, Token![,])?;
                paths.iter().map(ToTokens::to_token_stream).collect()
            } else {
                let metas = content.parse_terminated(syn::Meta::parse, Token![,])?;
                metas.iter().map(ToTokens::to_token_stream).collect()
            };
            for item in items {
                // Paths as written, without the spaces token printing puts around `::`.
                let text = if kind == Kind::Path {
                    item.to_string().split_whitespace().collect()
                } else {
                    item.to_string()
                };
                set(text, item.span())?;
            }
        }
        (Kind::Path | Kind::Attribute, false) => {
            // `crate = "::path"`, as serde's `#[serde(crate = "...")]` writes it.
            input.parse::<Token![=]>()?;
            let path: LitStr = input.parse()?;
            set(path.value(), path.span())?;
        }
        (Kind::TypeName | Kind::Prefix, _) => {
            input.parse::<Token![=]>()?;
            let value: Ident = input.parse()?;
            set(value.to_string(), value.span())?;
        }
        (Kind::Visibility, _) => {
            input.parse::<Token![=]>()?;
            let vis: syn::Visibility = input.parse()?;
            set(vis.to_token_stream().to_string(), vis.span())?;
        }
        (Kind::Bool, _) => {
            input.parse::<Token![=]>()?;
            let value: syn::LitBool = input.parse()?;
            set(value.value.to_string(), value.span())?;
        }
    }
    Ok(())
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut options = Options::default();
        if input.peek(LitStr) {
            let path: LitStr = input.parse()?;
            input.parse::<Option<Token![,]>>()?;
            if !input.is_empty() {
                return Err(input.error("after the path, nothing more is expected; use the `path = \"...\", key = value` form for options"));
            }
            return Ok(Args { path, options });
        }
        let mut path = None;
        let mut seen: Vec<String> = Vec::new();
        // Where each key was written, so a problem found across options points at it.
        let mut spans: Vec<(String, proc_macro2::Span)> = Vec::new();
        let mut value_spans: Vec<(String, proc_macro2::Span)> = Vec::new();
        while !input.is_empty() {
            // `crate` is a keyword; the key table has it.
            let key = Ident::parse_any(input)?;
            let name = key.to_string();
            let repeats = options::key(&name).is_some_and(options::Key::repeats);
            if !repeats && seen.contains(&name) {
                return Err(syn::Error::new(
                    key.span(),
                    format!("duplicate include_spec! option `{name}`"),
                ));
            }
            seen.push(name.clone());
            spans.push((name.clone(), key.span()));
            if name == "path" {
                input.parse::<Token![=]>()?;
                path = Some(input.parse::<LitStr>()?);
            } else if let Some(k) = options::key(&name) {
                option(input, k, &mut options, &mut value_spans)?;
            } else {
                return Err(syn::Error::new(
                    key.span(),
                    format!(
                        "unknown include_spec! option `{name}`; expected one of: path, {}",
                        options::key_list()
                    ),
                ));
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        if let Err(problems) = options.validate() {
            let mut all: Option<syn::Error> = None;
            for problem in problems.0 {
                let span = value_spans
                    .iter()
                    .find(|(v, _)| *v == problem.value)
                    .or_else(|| {
                        let key = problem.key.map_or("", options::Key::name);
                        spans.iter().rev().find(|(k, _)| k == key)
                    })
                    .map_or_else(proc_macro2::Span::call_site, |(_, s)| *s);
                let e = syn::Error::new(span, problem.to_string());
                match &mut all {
                    Some(all) => all.combine(e),
                    None => all = Some(e),
                }
            }
            if let Some(e) = all {
                return Err(e);
            }
        }
        let path =
            path.ok_or_else(|| input.error("missing `path = \"...\"`: the spec file to include"))?;
        Ok(Args { path, options })
    }
}

/// Resolves a spec path against the calling crate's manifest directory.
#[cfg(feature = "spec-files")]
pub(crate) fn resolve(path: &LitStr) -> syn::Result<PathBuf> {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").ok_or_else(|| {
        syn::Error::new(
            path.span(),
            "CARGO_MANIFEST_DIR is not set; build with cargo to resolve the spec path",
        )
    })?;
    Ok(PathBuf::from(dir).join(path.value()))
}

/// Reads and validates a spec, turning its diagnostics into one error on `path`.
#[cfg(feature = "spec-files")]
pub(crate) fn read(path: &LitStr) -> syn::Result<Spec> {
    let full = resolve(path)?;
    let spec = Spec::read_named(&full, &path.value()).map_err(|e| {
        let whole_file = e.diagnostics().iter().all(Diagnostic::is_whole_file);
        let message = if whole_file {
            e.to_string()
        } else {
            format!("invalid spec:\n{e}")
        };
        syn::Error::new(path.span(), message)
    })?;
    Ok(spec)
}

/// Without the `spec-files` feature there is no TOML parser to read a spec with: the error,
/// on the path, says which feature reads one.
#[cfg(not(feature = "spec-files"))]
pub(crate) fn read(path: &LitStr) -> syn::Result<Spec> {
    Err(syn::Error::new(
        path.span(),
        format!(
            "cannot read the spec file `{}`: reading spec files is the `spec-files` feature \
             (`sip-responses = {{ features = [\"spec-files\"] }}`), which this build leaves \
             out; without it only the bundled IANA spec is known (the derive without \
             `spec = \"...\"`)",
            path.value()
        ),
    ))
}

/// `const _: &[::core::primitive::u8] = ::core::include_bytes!(...)` for every file the spec
/// was built from, so that editing any of them rebuilds the caller.
pub(crate) fn track(spec: &Spec) -> TokenStream {
    let files = spec.sources.iter().map(|f| f.display().to_string());
    quote!(#(const _: &[::core::primitive::u8] = ::core::include_bytes!(#files);)*)
}

pub(crate) fn expand(input: TokenStream) -> syn::Result<TokenStream> {
    let Args { path, options } = syn::parse2(input)?;
    let spec = read(&path)?;
    let mut out =
        generate_spec(&spec, &options).map_err(|e| syn::Error::new(path.span(), e.to_string()))?;
    out.extend(track(&spec));
    Ok(out)
}
