//! A few seconds of load on `invite_server` (the full run is `benches/load.sh`, legs 3 and 4):
//! SIPp's queued caller and its 100rel caller each place 300 calls at 100 calls/s, every
//! response and reason checked by SIPp, and every call must succeed. The proxy's few seconds
//! are `three_seconds_of_load` in `forking_proxy.rs`.

#[allow(dead_code)]
#[path = "sipp/support.rs"]
mod support;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills a child process when dropped.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn invite_server() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap().join("examples");
    let path = dir.join(format!("invite_server{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} was not built; run cargo build --examples",
        path.display()
    );
    path
}

/// 300 calls of `scenario` at 100 calls/s against a fresh `invite_server --step 400` (the 100
/// at 200 ms comes before the first 182, which the 100rel caller requires). `None` without
/// sipp; otherwise SIPp's exit status and its error log.
fn load(scenario: &str) -> Option<(bool, String)> {
    if !support::sipp_available() {
        return None;
    }
    let port = support::free_port();
    let address = format!("127.0.0.1:{port}");
    let _server = Killed(
        Command::new(invite_server())
            .args([address.as_str(), "--step", "400"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("invite_server starts"),
    );
    let errors = std::env::temp_dir().join(format!("server-load-{port}.log"));
    let scenario = format!("{}/tests/sipp/{scenario}", env!("CARGO_MANIFEST_DIR"));
    let mut sipp = Killed(
        Command::new("sipp")
            .args(["-sf", &scenario, &address, "-i", "127.0.0.1", "-nostdin"])
            .args([
                "-p",
                &support::free_port().to_string(),
                "-m",
                "300",
                "-r",
                "100",
            ])
            .args(["-timeout", "40s", "-trace_err", "-error_file"])
            .arg(&errors)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sipp starts"),
    );
    let until = Instant::now() + Duration::from_secs(45);
    let ok = loop {
        match sipp.0.try_wait().unwrap() {
            Some(status) => break status.success(),
            None if Instant::now() > until => break false,
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    let log = std::fs::read_to_string(&errors).unwrap_or_default();
    let _ = std::fs::remove_file(&errors);
    Some((ok, log))
}

/// 21.1 under load: every caller hears its two 182s counting the queue down, the 180 and the
/// 200, and its ACK and BYE are answered.
#[test]
fn three_seconds_of_queued_calls() {
    if let Some((ok, log)) = load("queued_caller.xml") {
        assert!(ok, "SIPp had failed calls:\n{log}");
    }
}

/// RFC 3262 under load: every reliable provisional acknowledged by a PRACK that gets 200, the
/// 182 whose PRACK is withheld sent again, the stray PRACK answered 481.
#[test]
fn three_seconds_of_reliable_calls() {
    if let Some((ok, log)) = load("reliable_caller.xml") {
        assert!(ok, "SIPp had failed calls:\n{log}");
    }
}
