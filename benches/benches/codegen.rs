//! What `include_spec!` does at expansion time, without rustc around it: read the spec text,
//! parse and validate it, generate the tokens, and turn them into the string form a proc
//! macro hands back. For the IANA spec and a 600-code stress spec (every code 100..=699); and
//! checking a 20,000-entry spec of duplicates (refused, in linear time).
//!
//! Run: `cargo bench -p sip-responses-benches --bench codegen`

use std::hint::black_box;

use std::fmt::Write as _;

use criterion::{criterion_group, criterion_main, Criterion};
use sip_responses_codegen::{generate_spec, Options, Spec, IANA_TOML};

fn stress_spec() -> String {
    let mut text = String::from("[spec]\nname = \"stress\"\n\n");
    for code in 100..=699 {
        let _ = write!(
            text,
            "[[response]]\ncode = {code}\nreason = \"Code {code}\"\nreference = \"Stress\"\ndescription = \"Generated.\"\n\n"
        );
    }
    text
}

fn expand(text: &str) -> usize {
    let spec = Spec::parse("bench.toml", text).expect("valid spec");
    generate_spec(&spec, &Options::default())
        .expect("default options")
        .to_string()
        .len()
}

fn expansion(c: &mut Criterion) {
    let stress = stress_spec();
    let mut g = c.benchmark_group("include_spec! expansion");
    g.sample_size(20);
    g.bench_function("IANA (75 codes)", |b| {
        b.iter(|| expand(black_box(IANA_TOML)));
    });
    g.bench_function("stress (600 codes)", |b| {
        b.iter(|| expand(black_box(&stress)));
    });
    g.finish();
}

/// 20,000 `[[response]]` tables (600 codes, each written 33 or 34 times): checking must stay
/// linear, every duplicate found, the report bounded.
fn duplicates_spec() -> String {
    let mut text = String::from("[spec]\nname = \"duplicates\"\n\n");
    for i in 0..20_000u32 {
        let code = 100 + i % 600;
        let _ = write!(
            text,
            "[[response]]\ncode = {code}\nreason = \"Code {code}\"\nreference = \"Stress\"\ndescription = \"Generated.\"\n\n"
        );
    }
    text
}

fn check(c: &mut Criterion) {
    let text = duplicates_spec();
    let mut g = c.benchmark_group("check");
    g.sample_size(10);
    g.bench_function("20,000 entries, 19,400 duplicates", |b| {
        b.iter(|| {
            let e = Spec::parse("bench.toml", black_box(&text)).expect_err("duplicates");
            e.diagnostics().len() + e.omitted()
        });
    });
    g.finish();
}

criterion_group!(benches, expansion, check);
criterion_main!(benches);
