//! The resolver: one file's [`WrittenSpec`] spec plus the spec it extends, to the merged list of
//! responses. Inherited codes are overridden key by key, `[handling]` applies per class,
//! variant names are derived, flags are checked against the declared vocabulary.

use std::ops::Range;

use crate::diag::{Errors, SourceMap};
use crate::model::{Flag, HeaderRequirement, Response, Spec};
use crate::names;
use crate::walk::{Located, WrittenHeader, WrittenResponse, WrittenSpec};

/// A response with the span of its `[[response]]` in this file (`None` when inherited).
pub struct Entry {
    pub response: Response,
    pub span: Option<Range<usize>>,
}

/// A spec after inheritance, before the checks that span entries.
pub struct InheritedSpec {
    pub name: String,
    pub description: Option<String>,
    pub extends: Option<String>,
    pub flags: Vec<Flag>,
    /// Sorted by code; a code written twice in this file appears twice.
    pub entries: Vec<Entry>,
    /// Where the `response` key is, if written.
    pub responses_span: Option<Range<usize>>,
    /// `[q850]` merged over the base's, sorted by cause.
    pub q850: Vec<(u8, Option<u16>)>,
    pub q850_default: Option<u16>,
    /// This file's `[q850]` codes with their spans, for the check that they exist.
    pub q850_written: Vec<(u16, Range<usize>)>,
    /// Whether some `[[response]]` of this file was dropped for its own problems (then
    /// checks about what is missing would only add noise).
    pub incomplete: bool,
}

/// Merges `raw` onto `base`.
pub fn resolve(
    raw: WrittenSpec,
    base: Option<&Spec>,
    map: &SourceMap<'_>,
    errors: &mut Errors,
) -> InheritedSpec {
    let mut flags: Vec<Flag> = raw
        .flags
        .iter()
        .map(|(name, meaning, _)| Flag {
            name: name.clone(),
            meaning: meaning.clone(),
        })
        .collect();
    if let Some(base) = base {
        for flag in &base.flags {
            if !flags.iter().any(|f| f.name == flag.name) {
                flags.push(flag.clone());
            }
        }
    }
    if raw.responses.is_none() && base.is_none() && raw.header_span.is_some() {
        errors.at(map, 0..0, "the spec has no `[[response]]` tables");
    }
    let mut cx = Cx {
        map,
        errors,
        flags: &flags,
        class_required: raw
            .handling
            .iter()
            .filter(|(_, required)| *required)
            .map(|(digit, _)| *digit)
            .collect(),
    };
    let written = raw.responses.unwrap_or_default();
    let count = written.len();
    let mut own: Vec<Entry> = Vec::with_capacity(count);
    for r in written {
        if r.broken {
            // No response, but its flags are still checked: every problem at once.
            for flag in r.flags.iter().flatten() {
                cx.declared(flag);
            }
            continue;
        }
        let span = r.span.clone();
        if let Some(response) = cx.response(r, base) {
            own.push(Entry {
                response,
                span: Some(span),
            });
        }
    }
    let incomplete = own.len() < count;
    let mut entries: Vec<Entry> = base
        .map(|b| b.responses.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|b| !own.iter().any(|e| e.response.code == b.code))
        .map(|b| {
            let mut response = b.clone();
            response.required |= cx.class_required.contains(&response.class_digit());
            Entry {
                response,
                span: None,
            }
        })
        .collect();
    entries.extend(own);
    entries.sort_by_key(|e| e.response.code);
    let mut q850: Vec<(u8, Option<u16>)> = base.map(|b| b.q850.clone()).unwrap_or_default();
    let mut q850_written = Vec::new();
    for (cause, code, span) in &raw.q850 {
        q850.retain(|(c, _)| c != cause);
        q850.push((*cause, *code));
        q850_written.extend(code.map(|c| (c, span.clone())));
    }
    q850.sort_by_key(|(c, _)| *c);
    q850_written.extend(raw.q850_default.clone());
    let q850_default = raw
        .q850_default
        .map(|(c, _)| c)
        .or(base.and_then(|b| b.q850_default));
    InheritedSpec {
        q850,
        q850_default,
        q850_written,
        name: raw.name.map(|t| t.value).unwrap_or_default(),
        description: raw
            .description
            .map(|t| t.value)
            .filter(|d| !d.trim().is_empty()),
        extends: raw.extends.map(|t| t.value),
        flags,
        entries,
        responses_span: raw.responses_span,
        incomplete,
    }
}

struct Cx<'a, 'm> {
    map: &'a SourceMap<'m>,
    errors: &'a mut Errors,
    flags: &'a [Flag],
    class_required: Vec<u16>,
}

impl Cx<'_, '_> {
    fn response(&mut self, r: WrittenResponse, base: Option<&Spec>) -> Option<Response> {
        let (code, _) = r.code?;
        let what = format!("[[response]] {code}");
        let inherited = base.and_then(|b| b.get(code));
        let before = self.errors.len();
        let mut required =
            |key: &str, own: Option<Located>, from: Option<&String>| match (own, from) {
                (Some(t), _) => Some(t.value),
                (None, Some(value)) => Some(value.clone()),
                (None, None) => {
                    self.errors.at(
                        self.map,
                        r.span.clone(),
                        format!("missing key `{key}` in {what}"),
                    );
                    None
                }
            };
        let reason_span = r.reason.as_ref().map(|t| t.span.clone());
        let reason = required("reason", r.reason, inherited.map(|b| &b.reason));
        let reference = required("reference", r.reference, inherited.map(|b| &b.reference));
        let description = required(
            "description",
            r.description,
            inherited.map(|b| &b.description),
        );
        if let (Some(base), Some(reason), Some(span)) = (inherited, &reason, &reason_span) {
            if base.reason != *reason {
                let d = self.map.at(
                    span.clone(),
                    format!(
                        "code {code} is redefined as \"{reason}\", but the spec it extends defines it as \"{}\"",
                        base.reason
                    ),
                )
                .note(format!("{code} is defined at {}", crate::pipeline::shown(&base.location)))
                .note("an extending spec may change flags, headers, handling and description, not the reason");
                self.errors.push(d);
            }
        }
        let flags = match r.flags {
            None => inherited.map(|b| b.flags.clone()).unwrap_or_default(),
            Some(list) => list
                .into_iter()
                .filter(|f| self.declared(f))
                .map(|f| f.value)
                .collect(),
        };
        let (headers, header_requirements) = headers(r.headers, inherited);
        let ident = match (r.ident, inherited) {
            (Some(ident), _) => ident.value,
            (None, Some(base)) => base.ident.clone(),
            (None, None) => {
                let derived = names::variant_ident(reason.as_deref().unwrap_or_default());
                if let (Some(span), Err(why)) = (&reason_span, names::check_variant(&derived)) {
                    let d = self
                        .map
                        .at(
                            span.clone(),
                            format!("the reason of {what} derives no usable Rust name: {why}"),
                        )
                        .note("set `ident = \"...\"` in this [[response]] to name the variant");
                    self.errors.push(d);
                }
                derived
            }
        };
        let required = r.handling.unwrap_or_else(|| {
            self.class_required.contains(&(code / 100)) || inherited.is_some_and(|b| b.required)
        });
        if self.errors.len() > before {
            return None;
        }
        Some(Response {
            code,
            reason: reason?,
            reference: reference?,
            description: description?,
            flags,
            headers,
            header_requirements,
            ident,
            required,
            q850: r.q850.or(inherited.and_then(|b| b.q850)),
            location: self.map.location(r.span.start),
        })
    }

    fn declared(&mut self, flag: &Located) -> bool {
        if self.flags.iter().any(|f| f.name == flag.value) {
            return true;
        }
        let declared: Vec<&str> = self.flags.iter().map(|f| f.name.as_str()).collect();
        self.errors.at(
            self.map,
            flag.span.clone(),
            format!(
                "flag `{}` is not declared in `[flags]` (declared: {})",
                flag.value,
                if declared.is_empty() {
                    "none".to_owned()
                } else {
                    declared.join(", ")
                }
            ),
        );
        false
    }
}

/// A response's `headers` as written, or its base's: the MUST entries naming one field (what
/// `required_headers` gives) and every entry.
fn headers(
    written: Option<Vec<WrittenHeader>>,
    inherited: Option<&Response>,
) -> (Vec<String>, Vec<HeaderRequirement>) {
    let all: Vec<HeaderRequirement> = match written {
        None => inherited
            .map(|b| b.header_requirements.clone())
            .unwrap_or_default(),
        Some(list) => list
            .into_iter()
            .map(|h| HeaderRequirement {
                should: h.should,
                one_of: h.one_of.into_iter().map(|t| t.value).collect(),
            })
            .collect(),
    };
    let musts = all
        .iter()
        .filter(|h| !h.should)
        .filter_map(|h| match h.one_of.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        })
        .collect();
    (musts, all)
}
