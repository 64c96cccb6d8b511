//! The examples against SIPp, a real SIP peer we did not write: `invite_client` against its
//! built-in `uas` scenario and `tests/sipp/unusual.xml` (extension 1xx and final codes, 182,
//! 183 with a body); `invite_server` against `tests/sipp/queued_caller.xml`, a caller that
//! checks 100, two counting-down 182 Queued, 180 and 200, then sends ACK and BYE. All traffic
//! stays on 127.0.0.1; every wait is bounded.
//!
//! SIPp is Debian's `sip-tester`; `.ci/run` installs it. Without it the tests say so and
//! pass, except under CI (`CI` set), where a missing sipp fails them.

#[path = "sipp/support.rs"]
mod support;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::{free_port, place_call, place_call_with, sipp_available, Sipp};

/// The example binary, which `cargo test` builds next to the test binaries.
fn example() -> PathBuf {
    example_named("invite_client")
}

fn example_named(name: &str) -> PathBuf {
    let deps = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .to_owned();
    let path = deps
        .parent()
        .unwrap()
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} was not built; run cargo test",
        path.display()
    );
    path
}

/// Runs the example against a sipp scenario and returns its output lines.
fn call(scenario: &[&str]) -> Option<Vec<String>> {
    place_call(&example(), "INVITE_CLIENT_TIMEOUT_SECS", scenario)
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

/// RFC 3262 from the client side, against a SIPp UAS that sends reliable provisionals the way
/// odd peers do (`tests/sipp/reliable_uas.xml`): a retransmitted 183 is dispatched and
/// PRACKed once, the 180 after it is PRACKed with the next RAck, a 181 after a skipped RSeq
/// is neither dispatched nor PRACKed, and SIPp checks every RAck, every CSeq number (PRACKs
/// counting up from the INVITE's, the ACK with the INVITE's, the BYE above them all).
#[test]
fn sipp_reliable_provisionals_are_pracked_in_order() {
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sipp/reliable_uas.xml");
    let Some(lines) = place_call_with(
        &example(),
        &["--100rel"],
        "INVITE_CLIENT_TIMEOUT_SECS",
        &["-sf", scenario],
    ) else {
        return;
    };
    assert_eq!(
        lines,
        [
            "100 Trying -> on_trying",
            "183 Session Progress -> on_session_progress",
            "180 Ringing -> on_ringing",
            "181 Call Is Being Forwarded: RSeq 10 out of order (expected 9), not acknowledged",
            "200 OK -> on_ok",
            "200 OK -> on_ok (BYE)",
        ]
    );
}

/// Runs `invite_server --once` against the SIPp caller `tests/sipp/{scenario}`; both must
/// succeed, and the server must exit after the BYE. Returns the server's output.
fn serve_one_call(scenario: &str) -> String {
    let server_port = free_port();
    let mut server = Killed(
        Command::new(example_named("invite_server"))
            .args([format!("127.0.0.1:{server_port}").as_str(), "--once"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("invite_server starts"),
    );
    let scenario = format!("{}/tests/sipp/{scenario}", env!("CARGO_MANIFEST_DIR"));
    // The INVITE is retransmitted every 500 ms, so a server still starting does not matter.
    let mut sipp = Sipp::start_uac(&scenario, server_port, free_port());
    assert!(
        sipp.finished_ok(),
        "sipp's caller scenario {scenario} failed"
    );
    let until = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < until,
            "invite_server did not exit after the BYE"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut out = String::new();
    std::io::Read::read_to_string(server.0.stdout.as_mut().unwrap(), &mut out).unwrap();
    assert!(status.success(), "invite_server failed:\n{out}");
    out
}

/// Kills a child process when dropped (a failed assertion must not leave it running).
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn sipp_caller_hears_the_queue_count_down() {
    if !sipp_available() {
        return;
    }
    let out = serve_one_call("queued_caller.xml");
    let mut sent: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("sent "))
        .collect();
    // A 2xx retransmitted before the ACK came (RFC 3261 13.3.1.4) is the same line again; the
    // BYE's 200 is checked by sipp.
    sent.dedup();
    assert_eq!(
        sent,
        [
            "SIP/2.0 100 Trying",
            "SIP/2.0 182 2 calls queued; expected waiting time is 1 minute",
            "SIP/2.0 182 1 call queued; expected waiting time is 1 minute",
            "SIP/2.0 180 Ringing",
            "SIP/2.0 200 OK",
        ],
        "{out}"
    );
}

/// RFC 3262 against a SIPp caller that requires 100rel (`tests/sipp/reliable_caller.xml`):
/// every provisional but 100 goes reliably, the unacknowledged 182 is retransmitted with the
/// same RSeq (SIPp withholds the first PRACK and PRACKs the retransmission's RSeq, which
/// must get 200), each next provisional waits for the PRACK of the one before, RSeqs count
/// up by one, a stray PRACK gets 481, and the 200 OK follows the last PRACK.
#[test]
fn sipp_reliable_caller_prack_every_provisional() {
    if !sipp_available() {
        return;
    }
    let out = serve_one_call("reliable_caller.xml");
    let lines: Vec<&str> = out.lines().collect();
    // The first 182 went out, then its retransmission, before any PRACK came in.
    let first_prack = lines
        .iter()
        .position(|l| l.starts_with("received PRACK"))
        .expect("a PRACK arrived");
    assert!(
        lines[..first_prack]
            .iter()
            .any(|l| l.starts_with("retransmit RSeq")),
        "{out}"
    );
    let received: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("received "))
        .map(|l| l.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(
        received,
        ["INVITE", "PRACK", "PRACK", "PRACK", "PRACK", "ACK", "BYE"],
        "{out}"
    );
    let mut sent: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("sent "))
        .collect();
    sent.dedup();
    assert_eq!(
        sent,
        [
            "SIP/2.0 100 Trying",
            "SIP/2.0 182 2 calls queued; expected waiting time is 1 minute",
            "SIP/2.0 200 OK",
            "SIP/2.0 182 1 call queued; expected waiting time is 1 minute",
            "SIP/2.0 200 OK",
            "SIP/2.0 180 Ringing",
            "SIP/2.0 200 OK",
            "SIP/2.0 481 Call/Transaction Does Not Exist",
            "SIP/2.0 200 OK",
        ],
        "{out}"
    );
}
