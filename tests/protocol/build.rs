//! Generates ACME's status-code types from `spec/acme.toml` into `OUT_DIR`, and (as the CLI's
//! `generate` would, through the same formatting path) every accepted hostile spec of
//! `../hostile/accepted/`, to be compiled under the crate's strict lints.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let result = sip_responses_codegen::Builder::new()
        .spec("spec/acme.toml")
        .name("AcmeStatus")
        .prefix("Acme")
        .generate();
    if let Err(e) = result {
        eprintln!("{}", e.render(false));
        std::process::exit(1);
    }
    hostile();
    random_sample();
}

// The generator is test code shared with `tests/tests/spec_grammar.rs`: its casts are of
// small bounded numbers and it builds strings with `format!`, as a test would.
#[allow(clippy::cast_possible_truncation, clippy::format_push_string)]
mod gen {
    include!("../hostile/gen.rs");
}
use gen::random_spec;

/// A fixed sample of generated specs (`../hostile/gen.rs`, the property test's generator):
/// the first twelve seeds whose spec `check` accepts, compiled here.
fn random_sample() {
    println!("cargo:rerun-if-changed=../hostile/gen.rs");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut modules = String::new();
    let accepted = (0..5000u64)
        .map(|seed| (seed, random_spec(seed)))
        .filter(|(_, text)| sip_responses_codegen::Spec::parse("random.toml", text).is_ok())
        .take(12);
    for (seed, text) in accepted {
        let spec = Path::new(&out).join(format!("random_{seed}.toml"));
        std::fs::write(&spec, text).expect("writing OUT_DIR");
        let file = format!("random_{seed}.rs");
        let result = sip_responses_codegen::Builder::new()
            .spec(&spec)
            .out_dir(&out)
            .file_name(&file)
            .quiet() // no rerun-if-changed for a file in OUT_DIR
            .generate();
        if let Err(e) = result {
            eprintln!("{}", e.render(false));
            std::process::exit(1);
        }
        let _ = writeln!(
            modules,
            "/// Seed {seed}.\npub mod seed_{seed} {{ include!(concat!(env!(\"OUT_DIR\"), \"/{file}\")); }}"
        );
    }
    std::fs::write(Path::new(&out).join("random.rs"), modules).expect("writing OUT_DIR");
}

/// One module per accepted hostile spec, each generated twice: default options, and a
/// renamed set without handlers.
fn hostile() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let dir = Path::new("../hostile/accepted");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut specs: Vec<_> = std::fs::read_dir(dir)
        .expect("the hostile corpus")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    specs.sort();
    let mut modules = String::new();
    let mut scoped = String::new();
    for spec in &specs {
        let stem = spec.file_stem().unwrap().to_string_lossy().into_owned();
        for (suffix, renamed) in [("", false), ("_renamed", true)] {
            let file = format!("hostile_{stem}{suffix}.rs");
            let mut builder = sip_responses_codegen::Builder::new();
            builder.spec(spec).out_dir(&out).file_name(&file);
            if renamed {
                builder.name("Renamed").prefix("Re").handlers(false);
            }
            if let Err(e) = builder.generate() {
                eprintln!("{}", e.render(false));
                std::process::exit(1);
            }
            let include = format!(
                "::core::include!(::core::concat!(::core::env!(\"OUT_DIR\"), \"/{file}\"));"
            );
            let _ = writeln!(
                modules,
                "/// `{stem}`{suffix}.\npub mod {stem}{suffix} {{ {include} }}"
            );
            // The same file in a caller's hardest scope: no prelude, primitives shadowed.
            let _ = writeln!(
                scoped,
                "/// `{stem}`{suffix}, without a prelude.\n#[no_implicit_prelude]\npub mod {stem}{suffix} {{ crate::shadow_prelude!(); {include} }}"
            );
        }
    }
    std::fs::write(Path::new(&out).join("hostile.rs"), modules).expect("writing OUT_DIR");
    std::fs::write(Path::new(&out).join("hostile_scoped.rs"), scoped).expect("writing OUT_DIR");
}
