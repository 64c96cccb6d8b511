//! The checks: the enum's shape, then each variant mapped onto a spec entry (by name or
//! `#[sip(code)]`), and the classes the enum must cover. Every problem goes to the context.

use syn::spanned::Spanned;
use syn::{Data, DataEnum, DeriveInput, Expr, Fields, Lit};

use sip_responses_codegen::{names, Response, Spec};

use super::attr::{variant_code, EnumAttrs};
use super::Errors;

/// The variants mapped onto spec entries, and what a failed derive needs for its fallback.
pub(crate) struct Mapping<'s> {
    pub(crate) variants: Vec<(syn::Ident, &'s Response)>,
    /// Variants that map to no entry (or to one already taken): only a failed derive has them.
    unmapped: Vec<syn::Ident>,
    placeholders: Vec<Response>,
    /// Whether impls can be emitted at all beside the errors: a field-less, non-generic,
    /// non-empty enum with no variant named like a generated item.
    fallback_ok: bool,
}

impl<'s> Mapping<'s> {
    /// The variants for the impls a failed derive emits beside its errors, if it can: the
    /// mapped ones and a stand-in for each unmapped one.
    pub(crate) fn fallback(&'s self) -> Option<Vec<(syn::Ident, &'s Response)>> {
        self.fallback_ok.then(|| {
            let mut all = self.variants.clone();
            all.extend(self.unmapped.iter().cloned().zip(&self.placeholders));
            all
        })
    }
}

/// The enum's data, or `Ok(None)` (with the error pushed) for what cannot be checked further.
///
/// # Errors
/// A struct or a union, reported alone.
pub(crate) fn shape<'a>(
    input: &'a DeriveInput,
    errors: &mut Errors,
) -> syn::Result<Option<&'a DataEnum>> {
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
    Ok(Some(data))
}

/// Maps every variant onto an entry of `spec` and checks the mapping and the coverage.
// One pass over the variants that collects every error (serde_derive's way); splitting it
// would thread the collected state through several functions for no clearer reading.
#[allow(clippy::too_many_lines)]
pub(crate) fn map<'s>(
    input: &DeriveInput,
    data: &DataEnum,
    spec: &'s Spec,
    attrs: &EnumAttrs,
    errors: &mut Errors,
) -> Mapping<'s> {
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
        let Ok(explicit) = variant_code(variant, errors) else {
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
        let method = names::handler_method(&name);
        if names::is_other_method(&method) {
            clash = true;
            errors.push(
                variant.ident.span(),
                format!("a variant cannot be named `{name}`: its handler method would be `{method}`, the handler's method for the codes of a class whose RFC 3261 8.1.3.2 target the enum lacks; rename it and map it with #[sip(code = NNN)]"),
            );
        }
        let entry = if let Some((code, span)) = explicit {
            let found = spec.get(code);
            if found.is_none() {
                errors.push(span, format!("code {code} is not in {spec_name}"));
            }
            found
        } else {
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
    let placeholders = super::expand::placeholders(&variants, &unmapped);
    Mapping {
        variants,
        unmapped,
        placeholders,
        fallback_ok: shape_ok && !clash,
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
