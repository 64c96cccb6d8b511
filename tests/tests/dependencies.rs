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

/// With its default features the runtime is the types alone: `sip-responses` and the crate
/// that holds them (`sip-responses-core`, split off as serde splits off `serde_core`), which
/// has no dependency at all.
#[test]
fn runtime_without_derive_has_no_dependencies() {
    let crates = tree(&["-p", "sip-responses", "--edges", "normal,build"]);
    assert_eq!(crates, ["sip-responses", "sip-responses-core"]);
    let core = tree(&["-p", "sip-responses-core", "--edges", "normal,build"]);
    assert_eq!(core, ["sip-responses-core"]);
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

/// A crate that uses serde's derive and ours compiles one `syn`: the macro path follows the
/// syn major of `serde_derive` and thiserror (syn 3). This crate is such a crate.
#[test]
fn serde_derive_and_ours_share_one_syn() {
    let crates = tree(&["-p", "sip-responses-tests", "--edges", "normal"]);
    assert!(crates.iter().any(|c| c == "serde_derive"), "{crates:?}");
    assert!(
        crates.iter().any(|c| c == "sip-responses-macros"),
        "{crates:?}"
    );
    let out = Command::new(env!("CARGO"))
        .args(["tree", "-p", "sip-responses-tests", "--edges", "normal"])
        .args(["--prefix", "none", "--format", "{p}", "-i", "syn"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    // `-i syn` is ambiguous (and fails) when two versions of syn are in the tree.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "more than one syn: {stderr}");
    let first = String::from_utf8(out.stdout).unwrap();
    assert!(first.starts_with("syn v3."), "{first}");
}

/// The default features are the types alone; a user who writes the derive without
/// `features = ["derive"]` is told which feature it needs (rustc names the `cfg`-gated item).
#[test]
fn derive_without_the_feature_names_the_feature() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let out = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--offline", "--manifest-path"])
        .arg(format!("{root}/tests/fixtures/no-derive/Cargo.toml"))
        .env("CARGO_TARGET_DIR", format!("{root}/target/fixtures"))
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("cannot find `SipResponses` in `sip_responses`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the item is gated behind the `derive` feature"),
        "{stderr}"
    );
}
