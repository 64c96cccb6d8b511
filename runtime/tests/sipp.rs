//! The `invite_client` example against SIPp, a real SIP peer we did not write: its built-in
//! `uas` scenario, and `tests/sipp/unusual.xml` (extension 1xx and final codes, 182, 183 with
//! a body). All traffic stays on 127.0.0.1; every wait is bounded.
//!
//! SIPp is Debian's `sip-tester`; `.ci/run` installs it. Without it the tests say so and
//! pass, except under CI (`CI` set), where a missing sipp fails them.

use std::net::UdpSocket;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn sipp_available() -> bool {
    let found = Command::new("sipp")
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "sipp is not installed, but CI must run this test (apt-get install sip-tester)"
        );
        eprintln!("skipped: sipp is not installed (Debian package sip-tester)");
    }
    found
}

fn free_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The example binary, which `cargo test` builds next to the test binaries.
fn example() -> PathBuf {
    let deps = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .to_owned();
    let path = deps
        .parent()
        .unwrap()
        .join("examples")
        .join(format!("invite_client{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} was not built; run cargo test",
        path.display()
    );
    path
}

struct Sipp(Child);

impl Drop for Sipp {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Sipp {
    fn start(scenario: &[&str], port: u16) -> Sipp {
        let child = Command::new("sipp")
            .args(scenario)
            .args([
                "-i",
                "127.0.0.1",
                "-p",
                &port.to_string(),
                "-m",
                "1",
                "-nostdin",
                "-timeout",
                "20s",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sipp starts");
        Sipp(child)
    }

    /// Waits (bounded) for sipp to finish its one call; true if it reported success.
    fn finished_ok(&mut self) -> bool {
        let until = Instant::now() + Duration::from_secs(15);
        while Instant::now() < until {
            if let Some(status) = self.0.try_wait().unwrap() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }
}

/// Runs the example against a sipp scenario and returns its output lines.
fn call(scenario: &[&str]) -> Option<Vec<String>> {
    if !sipp_available() {
        return None;
    }
    let port = free_port();
    let mut sipp = Sipp::start(scenario, port);
    // The INVITE is retransmitted on Timer A, so a sipp still starting up does not matter.
    let out = Command::new(example())
        .arg(format!("127.0.0.1:{port}"))
        .env("INVITE_CLIENT_TIMEOUT_SECS", "10")
        .output()
        .expect("the example runs");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "invite_client failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        sipp.finished_ok(),
        "sipp did not complete its call; client printed:\n{stdout}"
    );
    Some(stdout.lines().map(str::to_owned).collect())
}

#[test]
fn sipp_builtin_uas_rings_then_answers() {
    let Some(lines) = call(&["-sn", "uas"]) else {
        return;
    };
    assert_eq!(
        lines,
        [
            "180 Ringing -> on_ringing",
            "200 OK -> on_ok",
            "200 OK -> on_ok (BYE)"
        ]
    );
}

#[test]
fn sipp_unusual_responses_follow_rfc3261_8_1_3_2() {
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sipp/unusual.xml");
    let Some(lines) = call(&["-sf", scenario]) else {
        return;
    };
    assert_eq!(
        lines,
        [
            "100 Trying -> on_trying",
            "182 Queued -> on_queued",
            "155 Vendor Specific Progress -> on_session_progress",
            "183 Session Progress -> on_session_progress",
            "499 Vendor Rejection -> on_bad_request",
        ]
    );
}
