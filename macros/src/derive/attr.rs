//! The `#[sip(...)]` attributes: the enum's (its spec, the classes it covers, and the option
//! keys the derive takes from the codegen table) and a variant's `code`.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{DeriveInput, LitStr};

use sip_responses_codegen::options::{self, Key, Kind, KEYS};
use sip_responses_codegen::Options;

use super::Errors;

/// The enum-level `#[sip(...)]` attributes.
#[derive(Default)]
pub(crate) struct EnumAttrs {
    pub(crate) spec: Option<LitStr>,
    /// Classes (1..=6) the enum must cover, with the attribute to point at.
    pub(crate) cover: Vec<(u16, Span)>,
    /// The option keys the derive takes (`Key::on_derive`: `crate`, `handlers`, `serde`),
    /// set through the same table and checks as `include_spec`!'s and the CLI's.
    pub(crate) options: Options,
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

pub(crate) fn enum_attrs(input: &DeriveInput, errors: &mut Errors) -> EnumAttrs {
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
                let (text, span) = if key.kind() == Kind::Bool {
                    let lit: syn::LitBool = meta.value()?.parse()?;
                    (lit.value.to_string(), lit.span())
                } else {
                    let lit: LitStr = meta.value()?.parse()?;
                    (lit.value(), lit.span())
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
pub(crate) fn variant_code(
    variant: &syn::Variant,
    errors: &mut Errors,
) -> Result<Option<(u16, Span)>, ()> {
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
