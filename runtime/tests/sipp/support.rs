//! SIPp, started and awaited with bounds: shared by the runtime's example tests and the
//! rsipstack example's (`#[path]`-included there). Every wait is bounded; a dropped `Sipp`
//! is killed.

use std::net::UdpSocket;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Whether `sipp` runs here. Without it a test says so and passes, except under CI (`CI`
/// set), where a missing sipp is a failure.
pub fn sipp_available() -> bool {
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

/// A UDP port free on 127.0.0.1 right now.
pub fn free_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running sipp, killed when dropped (a failed assertion must not leave it running).
pub struct Sipp(Child);

impl Drop for Sipp {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Sipp {
    /// sipp with `scenario` arguments on 127.0.0.1:`port`, one call, 20 s at most.
    pub fn start(scenario: &[&str], port: u16) -> Sipp {
        Sipp::start_for(scenario, port, Duration::from_secs(20))
    }

    /// [`Sipp::start`] with `timeout` (whole seconds) instead of 20 s.
    pub fn start_for(scenario: &[&str], port: u16, timeout: Duration) -> Sipp {
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
                &format!("{}s", timeout.as_secs()),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sipp starts");
        Sipp(child)
    }

    /// SIPp as the caller: `scenario` against a server on `remote_port`.
    #[allow(dead_code)] // the rsipstack example's tests only place calls
    pub fn start_uac(scenario: &str, remote_port: u16, port: u16) -> Sipp {
        let remote = format!("127.0.0.1:{remote_port}");
        Sipp::start(&["-sf", scenario, remote.as_str()], port)
    }

    /// Waits (bounded) for sipp to finish its one call; true if it reported success.
    pub fn finished_ok(&mut self) -> bool {
        self.finished_ok_within(Duration::from_secs(15))
    }

    /// [`Sipp::finished_ok`], waiting up to `within`.
    pub fn finished_ok_within(&mut self, within: Duration) -> bool {
        let until = Instant::now() + within;
        while Instant::now() < until {
            if let Some(status) = self.0.try_wait().unwrap() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }
}

/// Runs `caller` (a program that takes `host:port` and calls it once) against sipp playing
/// `scenario`, with `timeout_env` set to 10 seconds; returns the caller's output lines, or
/// `None` when sipp is not installed. Both must succeed.
pub fn place_call(caller: &Path, timeout_env: &str, scenario: &[&str]) -> Option<Vec<String>> {
    place_call_with(caller, &[], timeout_env, scenario)
}

/// [`place_call`] with more arguments for the caller after the address.
pub fn place_call_with(
    caller: &Path,
    args: &[&str],
    timeout_env: &str,
    scenario: &[&str],
) -> Option<Vec<String>> {
    if !sipp_available() {
        return None;
    }
    let port = free_port();
    let mut sipp = Sipp::start(scenario, port);
    // The INVITE is retransmitted on Timer A, so a sipp still starting up does not matter.
    let out = Command::new(caller)
        .arg(format!("127.0.0.1:{port}"))
        .args(args)
        .env(timeout_env, "10")
        .output()
        .expect("the caller runs");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{} failed: {}\n{stdout}",
        caller.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        sipp.finished_ok(),
        "sipp did not complete its call; the caller printed:\n{stdout}"
    );
    Some(stdout.lines().map(str::to_owned).collect())
}
