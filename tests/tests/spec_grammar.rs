//! The invariant, as a property: a spec generated from the whole grammar (`hostile/gen.rs`:
//! reasons with any allowed or refused character, idents in any case, codes across
//! 100..=699, `extends`) is either refused, or every generated name is unique and the output
//! parses as a Rust file. `protocol/build.rs` compiles a fixed sample of the accepted ones.

use std::collections::HashSet;

use proptest::prelude::*;
use sip_responses_codegen::{format_source, generate_spec, names, Options, Spec};

// The generator is shared test code (see protocol/build.rs): its casts are of small bounded
// numbers and it builds strings with `format!`.
#[allow(clippy::cast_possible_truncation, clippy::format_push_string)]
mod gen {
    include!("../hostile/gen.rs");
}
use gen::random_spec;

fn holds(seed: u64) -> Result<(), TestCaseError> {
    let text = random_spec(seed);
    let spec = match Spec::parse("random.toml", &text) {
        Err(e) => {
            // Refused: with at least one located problem, rendered without panicking.
            prop_assert!(!e.diagnostics().is_empty());
            let _ = e.render(false);
            return Ok(());
        }
        Ok(spec) => spec,
    };
    let mut variants = HashSet::new();
    let mut methods = HashSet::new();
    for r in &spec.responses {
        prop_assert!(
            names::check_variant(&r.ident).is_ok(),
            "{}: {}",
            r.ident,
            text
        );
        prop_assert!(
            variants.insert(r.ident.clone()),
            "two variants {}: {}",
            r.ident,
            text
        );
        prop_assert!(methods.insert(names::handler_method(&r.ident)), "{text}");
    }
    let codes: HashSet<u16> = spec.responses.iter().map(|r| r.code).collect();
    prop_assert_eq!(codes.len(), spec.responses.len());
    let tokens = generate_spec(&spec, &Options::default());
    prop_assert!(tokens.is_ok(), "{:?}", tokens.err());
    let file = format_source(tokens.unwrap(), "random");
    prop_assert!(file.is_ok(), "{:?}\n{}", file.err(), text);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]
    #[test]
    fn generated_specs_are_refused_or_generate_unique_names(seed in any::<u64>()) {
        holds(seed)?;
    }
}

/// The generator is not so hostile that nothing passes: the sample build.rs compiles exists.
#[test]
fn some_generated_specs_are_accepted() {
    let accepted = (0..2000u64)
        .filter(|&seed| Spec::parse("random.toml", &random_spec(seed)).is_ok())
        .count();
    assert!(accepted >= 50, "only {accepted} of 2000 accepted");
}
