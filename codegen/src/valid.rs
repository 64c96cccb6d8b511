//! The checks that span entries: duplicate codes, the name registry (no two codes share a
//! variant or handler method), and RFC 3261 8.1.3.2's fallbacks. Linear in the number of
//! entries.

use std::collections::HashMap;

use crate::diag::{Errors, SourceMap};
use crate::names;
use crate::resolve::{Entry, InheritedSpec};
use crate::rfc;

/// Runs every cross-entry check on `spec`.
pub fn check(spec: &InheritedSpec, map: &SourceMap<'_>, errors: &mut Errors) {
    if spec.entries.is_empty() {
        if let (Some(span), false) = (&spec.responses_span, spec.incomplete) {
            errors.at(
                map,
                span.clone(),
                "the spec defines no response codes: add at least one [[response]]",
            );
        }
        return;
    }
    duplicates(&spec.entries, map, errors);
    names_unique(&spec.entries, map, errors);
    if !spec.incomplete {
        fallbacks(&spec.entries, map, errors);
        q850_codes(spec, map, errors);
    }
}

fn duplicates(entries: &[Entry], map: &SourceMap<'_>, errors: &mut Errors) {
    let mut first: HashMap<u16, &Entry> = HashMap::with_capacity(entries.len());
    for e in entries {
        match first.get(&e.response.code) {
            Some(earlier) => errors.at(
                map,
                e.span.clone().unwrap_or(0..0),
                format!(
                    "duplicate code {} (first defined at {})",
                    e.response.code, earlier.response.location
                ),
            ),
            None => {
                first.insert(e.response.code, e);
            }
        }
    }
}

/// Every generated per-code name (the variant, the handler method, the http-style constant)
/// belongs to one code, and no constant takes the name of an item generated on the enum.
fn names_unique(entries: &[Entry], map: &SourceMap<'_>, errors: &mut Errors) {
    let mut owners: HashMap<String, &Entry> = HashMap::with_capacity(entries.len() * 2);
    for e in entries {
        let r = &e.response;
        if let (Some(constant), Some(span)) = (names::http_const(&r.ident), &e.span) {
            if names::http_const_clashes(&constant) {
                let d = map
                    .at(
                        span.clone(),
                        format!(
                            "code {} gives the http-style constant `{constant}`, the name of an item generated on the enum",
                            r.code
                        ),
                    )
                    .note(format!(
                        "set `ident = \"...\"` in the [[response]] of {} to name it apart",
                        r.code
                    ));
                errors.push(d);
            }
        }
        for (kind, name) in [
            ("Rust name", r.ident.clone()),
            ("handler method", names::handler_method(&r.ident)),
        ] {
            let Some(other) = owners.get(&name) else {
                owners.insert(name, e);
                continue;
            };
            if other.response.code == r.code {
                continue; // a duplicate code, reported once as such
            }
            // Reported on the entry of this file (an inherited one has no span here).
            let (here, there) = match (&e.span, &other.span) {
                (Some(_), _) => (e, *other),
                (None, Some(_)) => (*other, e),
                (None, None) => continue,
            };
            let d = map
                .at(
                    here.span.clone().unwrap_or(0..0),
                    format!(
                        "codes {} and {} both give the {kind} `{name}`",
                        other.response.code, r.code
                    ),
                )
                .note(format!(
                    "{} is defined at {}",
                    there.response.code,
                    crate::pipeline::shown(&there.response.location)
                ))
                .note(format!(
                    "set `ident = \"...\"` in the [[response]] of {} to name it apart",
                    here.response.code
                ));
            errors.push(d);
            break;
        }
    }
}

/// RFC 3261 8.1.3.2: a spec that uses a class must have the class's fallback code.
fn fallbacks(entries: &[Entry], map: &SourceMap<'_>, errors: &mut Errors) {
    for class in &rfc::CLASSES {
        let fallback = rfc::class_fallback(class.digit);
        let mut in_class = entries
            .iter()
            .filter(|e| e.response.class_digit() == class.digit);
        let Some(first) = in_class.next() else {
            continue;
        };
        if entries.iter().any(|e| e.response.code == fallback) {
            continue;
        }
        let d = map
            .at(
                first.span.clone().unwrap_or(0..0),
                format!(
                    "the spec uses class {}xx (code {}) but lacks code {fallback}, which RFC 3261 Section 8.1.3.2 needs as that class's fallback",
                    class.digit, first.response.code
                ),
            )
            .note(format!("add a [[response]] with code = {fallback}"));
        errors.push(d);
    }
}

/// Every code the `[q850]` table names is a code of the spec.
fn q850_codes(spec: &InheritedSpec, map: &SourceMap<'_>, errors: &mut Errors) {
    for (code, span) in &spec.q850_written {
        if !spec.entries.iter().any(|e| e.response.code == *code) {
            errors.at(
                map,
                span.clone(),
                format!("[q850] maps a cause to code {code}, which the spec does not have"),
            );
        }
    }
}
