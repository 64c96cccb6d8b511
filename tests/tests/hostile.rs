//! The hostile-spec corpus (`tests/hostile/`): every spec under `refused/` is refused with the
//! diagnostics pinned beside it (`.stderr`), every spec under `accepted/` is accepted and
//! generates a Rust file that parses. `src/lib.rs` (`include_spec`!) and `protocol/` (the
//! build.rs Builder, the CLI's formatting path) compile the accepted ones under
//! `#![deny(warnings, missing_docs)]`. Refresh the pins with
//! `SIP_RESPONSES_BLESS=1 cargo test -p sip-responses-tests --test hostile` and read the diff.

use std::path::{Path, PathBuf};

use sip_responses_codegen::{format_source, generate_spec, Options, Spec};

fn corpus(kind: &str) -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("hostile")
        .join(kind);
    let mut files: Vec<(PathBuf, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| {
            let name = format!(
                "hostile/{kind}/{}",
                p.file_name().unwrap().to_string_lossy()
            );
            (p, name)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn refused_specs_report_pinned_diagnostics() {
    let bless = std::env::var_os("SIP_RESPONSES_BLESS").is_some();
    let files = corpus("refused");
    assert!(files.len() >= 15, "the corpus is missing");
    let mut differ = Vec::new();
    for (path, name) in files {
        let got = match Spec::read_named(&path, &name) {
            Ok(_) => panic!("{name} was accepted"),
            // Absolute paths (a "looked for" note) differ from machine to machine.
            Err(e) => e.render(false).replace(env!("CARGO_MANIFEST_DIR"), "$DIR"),
        };
        let pin = path.with_extension("stderr");
        if bless {
            std::fs::write(&pin, &got).unwrap();
        } else if std::fs::read_to_string(&pin).unwrap_or_default() != got {
            differ.push(format!("{name}:\n{got}"));
        }
    }
    assert!(
        differ.is_empty(),
        "diagnostics differ from the pins:\n{}",
        differ.join("\n")
    );
}

#[test]
fn accepted_specs_generate_a_rust_file() {
    let files = corpus("accepted");
    assert!(files.len() >= 6, "the corpus is missing");
    for (path, name) in files {
        let spec = Spec::read_named(&path, &name).unwrap_or_else(|e| panic!("{}", e.render(false)));
        for options in [Options::default(), {
            let mut o = Options::default();
            o.name("Odd").prefix("Odd").handlers(false);
            o
        }] {
            format_source(generate_spec(&spec, &options).unwrap(), "test").unwrap();
        }
    }
}

/// What the issue names, pinned as plain facts besides the rendered files.
#[test]
fn the_named_cases_are_refused_for_the_right_reason() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("hostile/refused");
    let cases = [
        ("empty_response_list", "defines no response codes"),
        ("reason_error", "`Error` is the name of an item generated on the enum"),
        ("reason_error", "`Err` is the name of an item generated on the enum"),
        ("ident_case_clash", "`Busy_Here` is not UpperCamelCase"),
        ("ident_case_clash", "`ok` is not UpperCamelCase"),
        ("extends_ident_lowercase", "`busy_here` is not UpperCamelCase"),
        ("ident_shadows_items", "`ALL` is all capitals"),
        ("ident_shadows_items", "`from_u16` is not UpperCamelCase"),
        ("bare_cr_in_one_line_text", "`reference` in [[response]] 202 contains the control character '\\r'; it must be one line"),
        ("bidi_controls", "bidirectional control character '\\u{202e}'"),
        ("reason_grammar", "a `%` without two hex digits after it"),
        ("override_empty_text", "`description` in [[response]] 486 is empty"),
        ("hex_code", "code `0x1F4` must be written in decimal"),
        ("bom_column", ":3:1: unknown key `colour`"),
        ("not_utf8", ":3:12: spec file is not valid UTF-8"),
        ("extends_missing", "that this spec extends cannot be used: spec file not found"),
        ("cycle_a", "`extends` forms a cycle: hostile/refused/cycle_a.toml -> hostile/refused/cycle_b.toml -> hostile/refused/cycle_a.toml"),
    ];
    for (file, want) in cases {
        let path = dir.join(format!("{file}.toml"));
        let got = Spec::read_named(&path, &format!("hostile/refused/{file}.toml"))
            .unwrap_err()
            .to_string();
        assert!(got.contains(want), "{file}: want {want:?} in\n{got}");
    }
    // A failed extends adds nothing that follows from the missing base.
    let missing = Spec::read_named(&dir.join("extends_missing.toml"), "x").unwrap_err();
    assert_eq!(missing.diagnostics().len(), 1, "{missing}");
}
