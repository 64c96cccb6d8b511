//! `include_spec!`: options in, the codegen library's output plus a rebuild dependency out.

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Token};

use sip_responses_codegen::{generate_spec, Options, Spec};

struct Args {
    path: LitStr,
    options: Options,
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
        let mut derives = Vec::new();
        let mut vis = None;
        let mut seen: Vec<String> = Vec::new();
        while !input.is_empty() {
            let key: Ident = input.parse()?;
            let name = key.to_string();
            // `derive(...)` may be repeated (the lists add up); any other key only once.
            if name != "derive" && seen.contains(&name) {
                return Err(syn::Error::new(
                    key.span(),
                    format!("duplicate include_spec! option `{name}`"),
                ));
            }
            seen.push(name);
            match key.to_string().as_str() {
                "path" => {
                    input.parse::<Token![=]>()?;
                    path = Some(input.parse::<LitStr>()?);
                }
                "name" | "prefix" => {
                    input.parse::<Token![=]>()?;
                    let value: Ident = input.parse()?;
                    let set = if key == "name" {
                        options.name(&value.to_string()).map(drop)
                    } else {
                        options.prefix(&value.to_string()).map(drop)
                    };
                    set.map_err(|e| syn::Error::new(value.span(), e))?;
                }
                "vis" => {
                    input.parse::<Token![=]>()?;
                    vis = Some(input.parse::<syn::Visibility>()?.into_token_stream());
                }
                "derive" => {
                    let content;
                    syn::parenthesized!(content in input);
                    let paths = content.parse_terminated(syn::Path::parse_mod_style, Token![,])?;
                    derives.extend(paths.iter().map(ToTokens::to_token_stream));
                }
                "handlers" => {
                    input.parse::<Token![=]>()?;
                    options.handlers(input.parse::<syn::LitBool>()?.value);
                }
                "serde" => {
                    input.parse::<Token![=]>()?;
                    options.serde(input.parse::<syn::LitBool>()?.value);
                }
                _ => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!("unknown include_spec! option `{key}`; expected one of: path, name, prefix, vis, derive(...), handlers, serde"),
                    ))
                }
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        options.set_tokens(vis, derives);
        if let Err(problems) = options.validate() {
            return Err(input.error(problems.join("; ")));
        }
        let path =
            path.ok_or_else(|| input.error("missing `path = \"...\"`: the spec file to include"))?;
        Ok(Args { path, options })
    }
}

/// Resolves a spec path against the calling crate's manifest directory.
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
pub(crate) fn read(path: &LitStr) -> syn::Result<Spec> {
    let full = resolve(path)?;
    let spec = Spec::read_named(&full, &path.value()).map_err(|e| {
        let whole_file = e.diagnostics().iter().all(|d| d.line == 0);
        let message = if whole_file {
            e.to_string()
        } else {
            format!("invalid spec:\n{e}")
        };
        syn::Error::new(path.span(), message)
    })?;
    Ok(spec)
}

/// `const _: &[u8] = include_bytes!(...)` for every file the spec was built from, so that
/// editing any of them rebuilds the caller.
pub(crate) fn track(spec: &Spec) -> TokenStream {
    let files = spec.sources.iter().map(|f| f.display().to_string());
    quote!(#(const _: &[u8] = ::core::include_bytes!(#files);)*)
}

pub(crate) fn expand(input: TokenStream) -> syn::Result<TokenStream> {
    let Args { path, options } = syn::parse2(input)?;
    let spec = read(&path)?;
    let mut out = generate_spec(&spec, &options);
    out.extend(track(&spec));
    Ok(out)
}
