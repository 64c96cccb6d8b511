//! `#[derive(SipResponses)]`: map a user's enum onto spec entries, check it, and hand the
//! resulting set to the codegen library. Every problem is collected and reported at once.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Expr, Fields, Lit, LitStr};

use sip_responses_codegen::generate::{set_impls, Origin, Set};
use sip_responses_codegen::options::{self, Key, Kind, KEYS};
use sip_responses_codegen::{names, Options, Response, Spec};

use crate::include;

/// The serde_derive way: push every error, combine them at the end.
#[derive(Default)]
struct Errors(Option<syn::Error>);

impl Errors {
    fn push(&mut self, span: Span, message: impl std::fmt::Display) {
        let e = syn::Error::new(span, message);
        match &mut self.0 {
            Some(all) => all.combine(e),
            None => self.0 = Some(e),
        }
    }

    fn push_error(&mut self, e: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(e),
            None => self.0 = Some(e),
        }
    }

    fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

/// The enum-level `#[sip(...)]` attributes.
#[derive(Default)]
struct EnumAttrs {
    spec: Option<LitStr>,
    /// Classes (1..=6) the enum must cover, with the attribute to point at.
    cover: Vec<(u16, Span)>,
    /// The option keys the derive takes (`Key::on_derive`: `crate`, `handlers`, `serde`),
    /// set through the same table and checks as include_spec!'s and the CLI's.
    options: Options,
    seen: Vec<Key>,
}

/// What an unknown enum-level key is told: the derive's own keys, then the option keys it
/// takes from the codegen table.
fn expected_enum_keys() -> String {
    let options: Vec<String> = KEYS
        .iter()
        .filter(|k| k.on_derive())
        .map(|k| match k.kind() {
            Kind::Bool => format!("`{k} = true|false`"),
            _ => format!("`{k} = \"...\"`"),
        })
        .collect();
    format!(
        "`spec = \"...\"`, `class = \"1xx\"`, `all`, {}",
        options.join(", ")
    )
}

fn enum_attrs(input: &DeriveInput, errors: &mut Errors) -> EnumAttrs {
    let mut attrs = EnumAttrs::default();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("sip")) {
        let result = attr.parse_nested_meta(|meta| {
            let name = meta
                .path
                .get_ident()
                .map(|i| syn::ext::IdentExt::unraw(i).to_string());
            let option = name.as_deref().and_then(options::key).filter(|k| k.on_derive());
            if meta.path.is_ident("spec") {
                let spec: LitStr = meta.value()?.parse()?;
                if attrs.spec.is_some() {
                    return Err(syn::Error::new(spec.span(), "duplicate `spec` in #[sip(...)]"));
                }
                attrs.spec = Some(spec);
            } else if let Some(key) = option {
                let (text, span) = match key.kind() {
                    Kind::Bool => {
                        let lit: syn::LitBool = meta.value()?.parse()?;
                        (lit.value.to_string(), lit.span())
                    }
                    _ => {
                        let lit: LitStr = meta.value()?.parse()?;
                        (lit.value(), lit.span())
                    }
                };
                if attrs.seen.contains(&key) {
                    return Err(syn::Error::new(span, format!("duplicate `{key}` in #[sip(...)]")));
                }
                attrs.seen.push(key);
                match options::check(key.kind(), &text) {
                    Ok(()) => {
                        attrs
                            .options
                            .set(key.name(), &text)
                            .map_err(|e| syn::Error::new(span, e.to_string()))?;
                    }
                    Err(why) => errors.push(span, format!("option `{key}`: {why}")),
                }
            } else if meta.path.is_ident("all") {
                attrs.cover.extend((1..=6).map(|d| (d, meta.path.span())));
            } else if meta.path.is_ident("class") {
                let lit: LitStr = meta.value()?.parse()?;
                if lit.value().trim().is_empty() {
                    errors.push(lit.span(), "`class` names no class: use 1xx, 2xx, 3xx, 4xx, 5xx or 6xx, several with commas, or `all`");
                }
                for class in lit.value().split(|c: char| c == ',' || c.is_whitespace()).filter(|s| !s.is_empty()) {
                    match class.as_bytes() {
                        [d @ b'1'..=b'6', b'x', b'x'] => attrs.cover.push((u16::from(d - b'0'), lit.span())),
                        _ => errors.push(lit.span(), format!("`{class}` is not a class: use 1xx, 2xx, 3xx, 4xx, 5xx or 6xx")),
                    }
                }
            } else {
                let key = name.unwrap_or_else(|| "?".to_owned());
                return Err(meta.error(format!(
                    "unknown key `{key}` in #[sip(...)] on an enum; expected {}",
                    expected_enum_keys()
                )));
            }
            Ok(())
        });
        if let Err(e) = result {
            errors.push_error(e);
        }
    }
    attrs
}

/// `#[sip(code = NNN)]` on a variant: `Err` when the attribute is there but wrong (the
/// error is pushed, and the variant is not looked up by name as well).
fn variant_code(variant: &syn::Variant, errors: &mut Errors) -> Result<Option<(u16, Span)>, ()> {
    let mut code = None;
    let mut wrong = false;
    for attr in variant.attrs.iter().filter(|a| a.path().is_ident("sip")) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("code") {
                let lit: syn::LitInt = meta.value()?.parse()?;
                let digits = lit.to_string();
                let digits = digits.strip_suffix(lit.suffix()).unwrap_or(&digits);
                if !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(syn::Error::new(
                        lit.span(),
                        format!("code `{lit}` must be written in decimal, as three digits (as a spec file writes it)"),
                    ));
                }
                let value: u16 = lit.base10_parse()?;
                if code.is_some() {
                    return Err(syn::Error::new(
                        lit.span(),
                        "duplicate `code` in #[sip(...)]",
                    ));
                }
                code = Some((value, lit.span()));
                Ok(())
            } else {
                Err(meta.error("unknown key in #[sip(...)] on a variant; expected `code = NNN`"))
            }
        });
        if let Err(e) = result {
            errors.push_error(e);
            wrong = true;
        }
    }
    if wrong {
        Err(())
    } else {
        Ok(code)
    }
}

/// Levenshtein distance, for did-you-mean suggestions.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

fn suggest<'a>(name: &str, spec: &'a Spec) -> Option<&'a Response> {
    let lower = name.to_ascii_lowercase();
    spec.responses
        .iter()
        .map(|r| (distance(&lower, &r.ident.to_ascii_lowercase()), r))
        .filter(|(d, r)| *d <= (r.ident.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, r)| r)
}

pub(crate) fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let mut errors = Errors::default();
    let data = match &input.data {
        Data::Enum(data) => data,
        Data::Struct(s) => {
            return Err(syn::Error::new(
                s.struct_token.span,
                "SipResponses can only be derived for a field-less enum, not a struct",
            ))
        }
        Data::Union(u) => {
            return Err(syn::Error::new(
                u.union_token.span,
                "SipResponses can only be derived for a field-less enum, not a union",
            ))
        }
    };
    if data.variants.is_empty() {
        errors.push(
            input.ident.span(),
            format!("`{}` has no variants: a response-code enum needs one variant per code it stands for", input.ident),
        );
    }
    if !input.generics.params.is_empty() {
        errors.push(input.generics.span(), "SipResponses cannot be derived for a generic enum: response-code enums take no parameters");
    }
    let attrs = enum_attrs(input, &mut errors);
    let owned;
    let spec: &Spec = match &attrs.spec {
        Some(path) => match include::read(path) {
            Ok(spec) => {
                owned = spec;
                &owned
            }
            Err(e) => {
                errors.push_error(e);
                return errors.finish().map(|()| TokenStream::new());
            }
        },
        None => Spec::iana_ref(),
    };
    let spec_name = attrs.spec.as_ref().map_or_else(
        || "the IANA spec".to_owned(),
        |p| format!("the spec {:?}", p.value()),
    );

    let mut variants: Vec<(syn::Ident, &Response)> = Vec::new();
    // Variants that map to no entry (or to one already taken): only a failed derive has them.
    let mut unmapped: Vec<syn::Ident> = Vec::new();
    let shape_ok = input.generics.params.is_empty()
        && !data.variants.is_empty()
        && data
            .variants
            .iter()
            .all(|v| matches!(v.fields, Fields::Unit));
    // A variant named like a generated item: no fallback impls then (they would be ambiguous).
    let mut clash = false;
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            errors.push(
                variant.fields.span(),
                format!(
                    "variant `{}` has fields; a response-code enum is field-less",
                    variant.ident
                ),
            );
        }
        let Ok(explicit) = variant_code(variant, &mut errors) else {
            unmapped.push(variant.ident.clone());
            continue;
        };
        let name = syn::ext::IdentExt::unraw(&variant.ident).to_string();
        if names::ASSOCIATED.contains(&name.as_str()) {
            clash = true;
            errors.push(
                variant.ident.span(),
                format!("a variant cannot be named `{name}`: the derive generates an item of that name (`Self::{name}` would be ambiguous); rename it and map it with #[sip(code = NNN)]"),
            );
        }
        let entry = match explicit {
            Some((code, span)) => {
                let found = spec.get(code);
                if found.is_none() {
                    errors.push(span, format!("code {code} is not in {spec_name}"));
                }
                found
            }
            None => {
                let found = spec.responses.iter().find(|r| r.ident == name);
                if found.is_none() {
                    let hint = suggest(&name, spec).map_or_else(
                        || "; name it after a reason phrase or set #[sip(code = NNN)]".to_owned(),
                        |r| format!("; did you mean `{}` ({} {})?", r.ident, r.code, r.reason),
                    );
                    errors.push(
                        variant.ident.span(),
                        format!("`{name}` is not a response code of {spec_name}{hint}"),
                    );
                }
                found
            }
        };
        let Some(entry) = entry else {
            unmapped.push(variant.ident.clone());
            continue;
        };
        if let Some((_, Expr::Lit(lit))) = &variant.discriminant {
            if let Lit::Int(int) = &lit.lit {
                if int.base10_parse::<u16>().ok() != Some(entry.code) {
                    errors.push(int.span(), format!("discriminant {int} disagrees with the code of `{name}`, {} {}; remove it or write {}", entry.code, entry.reason, entry.code));
                }
            }
        } else if let Some((_, expr)) = &variant.discriminant {
            errors.push(
                expr.span(),
                format!(
                    "write the discriminant of `{name}` as the literal code {}, or remove it",
                    entry.code
                ),
            );
        }
        if let Some((other, _)) = variants.iter().find(|(_, r)| r.code == entry.code) {
            errors.push(
                variant.ident.span(),
                format!(
                    "`{name}` and `{other}` both stand for {} {}; keep one",
                    entry.code, entry.reason
                ),
            );
            unmapped.push(variant.ident.clone());
            continue;
        }
        if !attrs.cover.is_empty() && !attrs.cover.iter().any(|(d, _)| *d == entry.class_digit()) {
            let classes: Vec<String> = attrs.cover.iter().map(|(d, _)| format!("{d}xx")).collect();
            errors.push(
                variant.ident.span(),
                format!(
                    "`{name}` is {} {}, outside the classes this enum covers ({})",
                    entry.code,
                    entry.reason,
                    classes.join(", ")
                ),
            );
        }
        variants.push((variant.ident.clone(), entry));
    }

    // Coverage: every code of the covered classes needs a variant.
    let mut reported = Vec::new();
    for (digit, span) in &attrs.cover {
        if reported.contains(digit) {
            continue;
        }
        reported.push(*digit);
        for r in spec.class(*digit) {
            if !variants.iter().any(|(_, v)| v.code == r.code) {
                errors.push(
                    *span,
                    format!(
                        "missing {} {} ({}): add a variant `{}`",
                        r.code, r.reason, r.reference, r.ident
                    ),
                );
            }
        }
    }
    if let Err(e) = errors.finish() {
        // As thiserror does: next to the errors, impls that compile, so the user sees the
        // real problem and not a cascade of "no function `reason`" elsewhere.
        let mut out = e.to_compile_error();
        if shape_ok && !clash {
            let placeholders = placeholders(&variants, &unmapped);
            variants.extend(unmapped.into_iter().zip(&placeholders));
            out.extend(impls(input, spec, variants, &attrs));
        }
        return Ok(out);
    }
    let mut out = impls(input, spec, variants, &attrs);
    out.extend(include::track(spec));
    Ok(out)
}

fn impls(
    input: &DeriveInput,
    spec: &Spec,
    mut variants: Vec<(syn::Ident, &Response)>,
    attrs: &EnumAttrs,
) -> TokenStream {
    variants.sort_by_key(|(_, r)| r.code);
    let set = Set {
        ty: input.ident.clone(),
        variants,
        origin: Origin::Derived,
    };
    // The options were checked where they are written; what is left is a bug of ours.
    set_impls(&set, spec, &attrs.options, &input.vis.to_token_stream())
        .unwrap_or_else(|e| syn::Error::new(Span::call_site(), e).to_compile_error())
}

/// Stand-in entries for the fallback impls: each on a code no mapped variant uses.
fn placeholders(mapped: &[(syn::Ident, &Response)], unmapped: &[syn::Ident]) -> Vec<Response> {
    let free = (100..=699u16).filter(|c| !mapped.iter().any(|(_, r)| r.code == *c));
    unmapped
        .iter()
        .zip(free)
        .map(|(ident, code)| Response {
            code,
            reason: "Unmapped".to_owned(),
            reference: String::new(),
            description: String::new(),
            flags: Vec::new(),
            headers: Vec::new(),
            ident: ident.to_string(),
            required: false,
            q850: None,
            location: String::new(),
        })
        .collect()
}
