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
            let _ = writeln!(
                modules,
                "/// `{stem}`{suffix}.\npub mod {stem}{suffix} {{ include!(concat!(env!(\"OUT_DIR\"), \"/{file}\")); }}"
            );
        }
    }
    std::fs::write(Path::new(&out).join("hostile.rs"), modules).expect("writing OUT_DIR");
}
