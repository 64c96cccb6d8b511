//! Users who only want the IANA types compile no proc macro: with the `derive` feature off,
//! the runtime has no dependency at all.

use std::process::Command;

#[test]
fn runtime_without_derive_has_no_dependencies() {
    let out = Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "sip-responses",
            "--no-default-features",
            "--edges",
            "normal,build",
            "--prefix",
            "none",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8(out.stdout).unwrap();
    let crates: Vec<&str> = tree.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(crates.len(), 1, "{tree}");
    assert!(crates[0].starts_with("sip-responses v"), "{tree}");
}

#[test]
fn the_macro_path_compiles_only_syn_quote_proc_macro2_and_the_toml_parser() {
    let out = Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "sip-responses-macros",
            "--edges",
            "normal",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8(out.stdout).unwrap();
    let allowed = [
        "sip-responses-macros",
        "sip-responses-codegen",
        "syn",
        "quote",
        "proc-macro2",
        "unicode-ident",
        // The TOML parser and its parts.
        "toml",
        "toml_parser",
        "toml_datetime",
        "serde_spanned",
        "winnow",
    ];
    for line in tree.lines().filter(|l| !l.trim().is_empty()) {
        let name = line.split_whitespace().next().unwrap();
        assert!(
            allowed.contains(&name),
            "unexpected crate on the macro path: {line}\n{tree}"
        );
    }
}
