//! The examples against SIPp, a real SIP peer we did not write: `invite_client` against its
//! built-in `uas` scenario, `tests/sipp/unusual.xml` (extension 1xx and final codes, 182, 183
//! with a body) and UASes with odd reliable provisionals (`tests/sipp/*_uas.xml`);
//! `invite_server` against `tests/sipp/queued_caller.xml`, a caller that checks 100, two
//! counting-down 182 Queued, 180 and 200, then sends ACK and BYE, and against callers that
//! require 100rel (`tests/sipp/*_caller.xml`). Where a test asserts on what crossed the wire
//! it reads SIPp's message log (`-trace_msg`). All traffic stays on 127.0.0.1; every wait is
//! bounded.
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

/// SIPp's message log (`-trace_msg -message_file`) for one test, in the temporary directory;
/// removed when dropped.
struct Trace(PathBuf);

/// One message in a [`Trace`]: when (since midnight), whether SIPp received it (or sent it),
/// and its text.
struct Wire {
    at: Duration,
    received: bool,
    text: String,
}

impl Wire {
    fn first_line(&self) -> &str {
        self.text.lines().next().unwrap_or("")
    }

    /// The first header field `name` (exact case), its value.
    fn header(&self, name: &str) -> Option<&str> {
        let prefix = format!("{name}:");
        self.text
            .lines()
            .find_map(|l| l.strip_prefix(prefix.as_str()))
            .map(str::trim)
    }
}

impl Trace {
    fn new(name: &str) -> Trace {
        let path = std::env::temp_dir().join(format!("sipp-{name}-{}.log", std::process::id()));
        let _ = std::fs::remove_file(&path);
        Trace(path)
    }

    /// The SIPp arguments that write this log.
    fn args(&self) -> [&str; 3] {
        let path = self.0.to_str().expect("a UTF-8 temporary directory");
        ["-trace_msg", "-message_file", path]
    }

    /// Every message, in order. An entry starts with a line of 47 dashes and the time
    /// (`2026-01-02 12:34:56.789012`), then `UDP message received [N] bytes :` or `UDP message
    /// sent (N bytes):`, then the message.
    fn messages(&self) -> Vec<Wire> {
        let log = std::fs::read_to_string(&self.0).expect("sipp wrote its message log");
        let dashes = format!("{} ", "-".repeat(47));
        log.split(dashes.as_str())
            .skip(1)
            .map(|entry| {
                let (stamp, rest) = entry.split_once('\n').expect("a time stamp line");
                let time = stamp.split_whitespace().nth(1).expect("a time of day");
                let seconds = time
                    .split(':')
                    .map(|part| part.parse::<f64>().expect("a number"))
                    .fold(0.0, |acc, part| acc * 60.0 + part);
                let (kind, text) = rest.split_once('\n').expect("a direction line");
                Wire {
                    at: Duration::from_secs_f64(seconds),
                    received: kind.contains("received"),
                    text: text.trim().to_owned(),
                }
            })
            .collect()
    }

    /// The first line and `header` of each message SIPp received whose first line starts with
    /// `start`.
    fn received<'a>(messages: &'a [Wire], start: &str, header: &str) -> Vec<Option<&'a str>> {
        messages
            .iter()
            .filter(|m| m.received && m.first_line().starts_with(start))
            .map(|m| m.header(header))
            .collect()
    }
}

impl Drop for Trace {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Runs `invite_client ADDR args` against the SIPp UAS `tests/sipp/{scenario}` (or built-in
/// `-sn uas` when `scenario` is `uas`) with SIPp's message log: the client's lines and the
/// messages.
fn traced_call(args: &[&str], scenario: &str, trace: &Trace) -> Option<(Vec<String>, Vec<Wire>)> {
    let file = format!("{}/tests/sipp/{scenario}", env!("CARGO_MANIFEST_DIR"));
    let mut sipp: Vec<&str> = match scenario {
        "uas" => vec!["-sn", "uas"],
        _ => vec!["-sf", &file],
    };
    sipp.extend(trace.args());
    let lines = place_call_with(&example(), args, "INVITE_CLIENT_TIMEOUT_SECS", &sipp)?;
    Some((lines, trace.messages()))
}

/// RFC 3262 7.1: the RSeq header field "contains a single numeric value from 1 to 2**32 - 1"
/// (only the first of a transaction is at most 2^31 - 1, Section 3). A SIPp UAS sends a
/// reliable 183 with RSeq 2147483648 (2^31) and then a 180 with 2147483649
/// (`tests/sipp/large_rseq_uas.xml`): both are dispatched and PRACKed, each with its own RAck.
#[test]
fn sipp_rseq_past_2_pow_31_is_pracked() {
    let trace = Trace::new("large-rseq");
    let Some((lines, wire)) = traced_call(&["--100rel"], "large_rseq_uas.xml", &trace) else {
        return;
    };
    assert_eq!(
        lines,
        [
            "100 Trying -> on_trying",
            "183 Session Progress -> on_session_progress",
            "180 Ringing -> on_ringing",
            "200 OK -> on_ok",
            "200 OK -> on_ok (BYE)",
        ]
    );
    let sent_rseqs: Vec<Option<&str>> = wire
        .iter()
        .filter(|m| !m.received && m.first_line().starts_with("SIP/2.0 18"))
        .map(|m| m.header("RSeq"))
        .collect();
    assert_eq!(sent_rseqs, [Some("2147483648"), Some("2147483649")]);
    assert_eq!(
        Trace::received(&wire, "PRACK ", "RAck"),
        [Some("2147483648 1 INVITE"), Some("2147483649 1 INVITE")]
    );
    assert_eq!(
        Trace::received(&wire, "PRACK ", "CSeq"),
        [Some("2 PRACK"), Some("3 PRACK")]
    );
}

/// RFC 3262 Section 4: "If the response is a 100 (Trying) (as opposed to 101 to 199), this
/// option tag MUST be ignored, and the procedures below MUST NOT be used." A SIPp UAS sends a
/// 100 with `Require: 100rel` and `RSeq: 1` on the early dialog of the reliable 183 (RSeq 2)
/// that follows (`tests/sipp/trying_100rel_uas.xml`): the only PRACK is the 183's.
#[test]
fn sipp_100_with_require_100rel_is_not_pracked() {
    let trace = Trace::new("trying-100rel");
    let Some((lines, wire)) = traced_call(&["--100rel"], "trying_100rel_uas.xml", &trace) else {
        return;
    };
    assert_eq!(
        lines,
        [
            "100 Trying -> on_trying",
            "183 Session Progress -> on_session_progress",
            "200 OK -> on_ok",
            "200 OK -> on_ok (BYE)",
        ]
    );
    let trying = wire
        .iter()
        .find(|m| !m.received && m.first_line() == "SIP/2.0 100 Trying")
        .expect("sipp sent its 100");
    assert_eq!(
        (trying.header("Require"), trying.header("RSeq")),
        (Some("100rel"), Some("1"))
    );
    assert_eq!(
        Trace::received(&wire, "PRACK ", "RAck"),
        [Some("2 1 INVITE")]
    );
    let methods: Vec<&str> = wire
        .iter()
        .filter(|m| m.received)
        .map(|m| m.first_line().split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(methods, ["INVITE", "PRACK", "ACK", "BYE"]);
}

/// Two runs of `invite_client` are two calls with their own identifiers. RFC 3261 8.1.1.4: "In
/// a new request created by a UAC outside of any dialog, the Call-ID header field MUST be
/// selected by the UAC as a globally unique identifier over space and time"; 19.3, of the From
/// tag: "it MUST be globally unique"; 8.1.1.7: "The branch parameter value MUST be unique
/// across space and time for all requests sent by the UA". SIPp's built-in `uas` logs each
/// run's INVITE.
#[test]
fn invite_client_call_id_tag_and_branch_differ_per_run() {
    let mut seen: Vec<[String; 3]> = Vec::new();
    for run in ["first", "second"] {
        let trace = Trace::new(&format!("unique-{run}"));
        let Some((_, wire)) = traced_call(&[], "uas", &trace) else {
            return;
        };
        let invite = wire
            .iter()
            .find(|m| m.received && m.first_line().starts_with("INVITE "))
            .expect("sipp received the INVITE");
        let field = |name: &str, after: &str| {
            let value = invite.header(name).unwrap_or_default();
            value.split(after).nth(1).unwrap_or(value).to_owned()
        };
        seen.push([
            field("Call-ID", "\0"),
            field("From", ";tag="),
            field("Via", ";branch="),
        ]);
    }
    let [first, second] = seen.as_slice() else {
        panic!("two runs")
    };
    for (a, b) in first.iter().zip(second) {
        assert!(!a.is_empty(), "{first:?}");
        assert_ne!(
            a, b,
            "Call-ID, From tag and branch of two runs: {first:?} {second:?}"
        );
    }
}

/// RFC 3262 Section 3: "If a reliable provisional response is retransmitted for 64*T1
/// seconds without reception of a corresponding PRACK, the UAS SHOULD reject the original
/// request with a 5xx response." A SIPp caller requires 100rel and never PRACKs
/// (`tests/sipp/unpracked_caller.xml`): the 182 comes at T1 doubling (0, 0.5, 1.5, 3.5, 7.5,
/// 15.5 and 31.5 s), then a 500 64*T1 = 32 s after the first 182, not at a later
/// retransmission's time. Takes 32 s.
#[test]
fn sipp_unpracked_provisional_gets_500_at_64_t1() {
    if !sipp_available() {
        return;
    }
    let server_port = free_port();
    let mut server = Killed(
        Command::new(example_named("invite_server"))
            .arg(format!("127.0.0.1:{server_port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("invite_server starts"),
    );
    let trace = Trace::new("unpracked");
    let scenario = format!(
        "{}/tests/sipp/unpracked_caller.xml",
        env!("CARGO_MANIFEST_DIR")
    );
    let remote = format!("127.0.0.1:{server_port}");
    let mut args = vec!["-sf", scenario.as_str(), remote.as_str()];
    args.extend(trace.args());
    let mut sipp = Sipp::start_for(&args, free_port(), Duration::from_secs(45));
    let finished = sipp.finished_ok_within(Duration::from_secs(45));
    let _ = server.0.kill();
    let _ = server.0.wait();
    let mut out = String::new();
    std::io::Read::read_to_string(server.0.stdout.as_mut().unwrap(), &mut out).unwrap();
    assert!(finished, "sipp's caller failed; the server printed:\n{out}");
    let wire = trace.messages();
    let queued: Vec<&Wire> = wire
        .iter()
        .filter(|m| m.received && m.first_line().starts_with("SIP/2.0 182 "))
        .collect();
    let rejected = wire
        .iter()
        .find(|m| m.received && m.first_line() == "SIP/2.0 500 Server Internal Error")
        .expect("the INVITE was rejected with a 500");
    assert_eq!(queued.len(), 7, "{out}");
    assert!(queued.iter().all(|m| m.text == queued[0].text), "{out}");
    let after = rejected.at.saturating_sub(queued[0].at);
    assert!(
        (Duration::from_millis(31_950)..Duration::from_secs(34)).contains(&after),
        "the 500 came {after:?} after the first 182:\n{out}"
    );
    assert!(out.contains("failed: no PRACK for RSeq"), "{out}");
}
