//! Every subcommand's output and exit status, pinned as snapshots in `tests/snapshots/`.
//! After an intended change, refresh them with `SIP_RESPONSES_BLESS=1 cargo test -p sip-responses-cli`
//! and read the diff.

use std::path::Path;
use std::process::Command;

/// Runs the CLI from the repository root (so spec paths read as a user types them) and
/// compares `exit status`, stdout and stderr with the snapshot `name`.
fn pinned(name: &str, args: &[&str]) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sip-responses"))
        .args(args)
        .current_dir(root)
        .output()
        .unwrap();
    let got = format!(
        "$ sip-responses {}\nexit status: {}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.txt"));
    if std::env::var_os("SIP_RESPONSES_BLESS").is_some() {
        std::fs::write(&snapshot, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&snapshot).unwrap_or_default();
    assert!(
        got == want,
        "output of `sip-responses {}` differs from {}:\n{got}",
        args.join(" "),
        snapshot.display()
    );
}

#[test]
fn generate_small_spec() {
    pinned("generate-small", &["generate", "tests/specs/small.toml"]);
}

#[test]
fn generate_with_options() {
    pinned(
        "generate-small-options",
        &[
            "generate",
            "tests/specs/small.toml",
            "--name",
            "SmallStatus",
            "--prefix",
            "Small",
            "--no-handlers",
            "--vis",
            "pub(crate)",
            "--derive",
            "serde::Serialize",
            "--attribute",
            "non_exhaustive",
            "--crate",
            "crate::runtime",
        ],
    );
    pinned("generate-bad-name", &["generate", "--name", "Self"]);
    // Every problem of the options at once, each naming its key.
    pinned(
        "generate-bad-options",
        &[
            "generate",
            "--vis",
            "public",
            "--derive",
            "Clone",
            "--attribute",
            "repr(u8)",
            "--crate",
            "not a path",
        ],
    );
    pinned(
        "generate-option-twice",
        &["generate", "--name", "A", "--name", "B"],
    );
}

#[test]
fn generate_missing_spec() {
    pinned("generate-missing", &["generate", "tests/specs/nope.toml"]);
}

#[test]
fn check_good_and_bad_specs() {
    pinned(
        "check-ok",
        &["check", "spec/iana.toml", "tests/specs/vendor.toml"],
    );
    pinned(
        "check-broken",
        &["check", "tests/specs/broken.toml", "tests/specs/small.toml"],
    );
    pinned("check-conflict", &["check", "tests/specs/conflict.toml"]);
    pinned("check-nothing", &["check"]);
}

#[test]
fn table_in_each_format() {
    pinned("table-markdown", &["table", "tests/specs/small.toml"]);
    pinned(
        "table-csv",
        &["table", "tests/specs/small.toml", "--format", "csv"],
    );
    pinned(
        "table-json",
        &["table", "tests/specs/small.toml", "--format", "json"],
    );
    pinned("table-bad-format", &["table", "--format", "yaml"]);
}

#[test]
fn explain_known_unknown_and_invalid_codes() {
    pinned("explain-486", &["explain", "486"]);
    pinned("explain-401", &["explain", "401"]);
    pinned("explain-499", &["explain", "499"]);
    pinned(
        "explain-155-small",
        &["explain", "155", "tests/specs/small.toml"],
    );
    pinned(
        "explain-404-small",
        &["explain", "404", "tests/specs/small.toml"],
    );
    pinned("explain-799", &["explain", "799"]);
    pinned("explain-not-a-code", &["explain", "4861"]);
    pinned("explain-leading-zero", &["explain", "099"]);
    pinned("explain-signed", &["explain", "+18"]);
}

/// Options whose generated type names clash with other generated types or primitives are
/// usage errors, never code that fails to compile.
#[test]
fn clashing_names_are_refused() {
    pinned(
        "generate-name-provisional",
        &["generate", "--name", "Provisional"],
    );
    pinned(
        "generate-name-clash-prefix",
        &["generate", "--name", "XSuccess", "--prefix", "X"],
    );
    pinned("generate-name-primitive", &["generate", "--name", "u16"]);
}

#[test]
fn table_cells_are_escaped() {
    pinned(
        "table-markdown-cells",
        &["table", "tests/hostile/accepted/table_cells.toml"],
    );
}

/// `generate | head`: a reader that goes away ends the run quietly, with status 0.
#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_sip-responses"))
        .arg("generate")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap(); // then drop: closed
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn usage_errors() {
    pinned("no-command", &[]);
    pinned("unknown-command", &["frobnicate"]);
    pinned("help", &["--help"]);
}

/// The IANA table is the registry: 75 rows, one per code.
#[test]
fn iana_table_has_every_code() {
    let out = Command::new(env!("CARGO_BIN_EXE_sip-responses"))
        .args(["table", "--format", "csv"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 76);
    assert!(
        text.contains("\n608,Rejected,6xx Global Failure,RFC 8688,,\n"),
        "{text}"
    );
}
