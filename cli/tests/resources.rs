//! Inputs that once took the tools down: each is refused with exit status 1 and a message
//! saying why, and the run ends. The watchdog only catches a hang (a FIFO read forever); it is
//! no performance target: those are in `benches/benches/codegen.rs`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A fresh directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sip-responses-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `sip-responses check spec`; returns the exit status and stderr. Fails if the run
/// has not ended after a minute (it ends in milliseconds when it works).
fn check(spec: &Path) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sip-responses"))
        .arg("check")
        .arg(spec)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("`check {}` hangs", spec.display());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn refused(spec: &Path, want: &str) -> String {
    let (status, stderr) = check(spec);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains(want), "want {want:?} in:\n{stderr}");
    stderr
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo failed");
}

#[test]
fn a_fifo_is_refused_not_read() {
    let dir = scratch("fifo");
    let fifo = dir.join("spec.toml");
    mkfifo(&fifo);
    refused(&fifo, "is not a regular file");
    let top = dir.join("top.toml");
    std::fs::write(&top, "[spec]\nname = \"t\"\nextends = \"spec.toml\"\n").unwrap();
    refused(&top, "is not a regular file");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_device_is_refused_not_read() {
    refused(Path::new("/dev/zero"), "is not a regular file");
    let dir = scratch("device");
    let top = dir.join("top.toml");
    std::fs::write(&top, "[spec]\nname = \"t\"\nextends = \"/dev/zero\"\n").unwrap();
    let stderr = refused(&top, "is not a regular file");
    assert!(stderr.contains("top.toml:3:11"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_file_over_the_limit_is_refused() {
    let dir = scratch("large");
    let big = dir.join("big.toml");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(sip_responses_codegen::MAX_SPEC_BYTES + 1)
        .unwrap(); // sparse
    refused(&big, "is larger than 16 MiB");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn forty_thousand_errors_on_one_line_are_bounded() {
    let dir = scratch("errors");
    let spec = dir.join("errors.toml");
    // One 80 KB line: an array of 40,000 items each missing its comma.
    let line = "1 1,".repeat(20_000);
    std::fs::write(&spec, format!("[spec]\nname = \"x\"\nk = [{line}]\n")).unwrap();
    let stderr = refused(&spec, "more errors not shown");
    let shown = stderr.matches("\nerror: ").count() + usize::from(stderr.starts_with("error: "));
    assert!(
        shown <= sip_responses_codegen::MAX_KEPT + 2,
        "{shown} errors shown"
    );
    assert!(
        stderr.len() < 64 * 1024,
        "{} bytes of diagnostics",
        stderr.len()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn twenty_thousand_duplicates_are_refused() {
    let dir = scratch("duplicates");
    let spec = dir.join("dup.toml");
    let entry =
        "[[response]]\ncode = 200\nreason = \"OK\"\nreference = \"R\"\ndescription = \"D\"\n";
    std::fs::write(
        &spec,
        format!("[spec]\nname = \"x\"\n{}", entry.repeat(20_000)),
    )
    .unwrap();
    let stderr = refused(&spec, "duplicate code 200 (first defined at");
    assert!(stderr.contains("due to 19999 previous errors"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}
