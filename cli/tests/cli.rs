//! Every subcommand's output and exit status, pinned as trycmd cases in `tests/cmd/` (one
//! `NAME.toml` with the arguments and exit status, `NAME.stdout` and `NAME.stderr` beside it),
//! (`tests/readme.rs` runs the README's command-line examples the same way). After an
//! intended change, refresh them with `TRYCMD=overwrite cargo test -p sip-responses-cli` and
//! read the diff.

use std::process::Command;

#[test]
fn cli_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
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
