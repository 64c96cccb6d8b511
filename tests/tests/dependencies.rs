//! Users who only want the IANA types compile no proc macro: with the `derive` feature off,
//! the runtime has no dependency at all. The macro path stays minimal.

use std::process::Command;

/// `cargo tree` for one package, one crate name per line.
fn tree(args: &[&str]) -> Vec<String> {
    let out = Command::new(env!("CARGO"))
        .arg("tree")
        .args(args)
        .args(["--prefix", "none", "--format", "{p}"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn runtime_without_derive_has_no_dependencies() {
    let crates = tree(&[
        "-p",
        "sip-responses",
        "--no-default-features",
        "--edges",
        "normal,build",
    ]);
    assert_eq!(crates, ["sip-responses"]);
}

#[test]
fn the_macro_path_compiles_only_syn_quote_proc_macro2_and_the_toml_parser() {
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
    for name in tree(&["-p", "sip-responses-macros", "--edges", "normal"]) {
        assert!(
            allowed.contains(&name.as_str()),
            "unexpected crate on the macro path: {name}"
        );
    }
}
