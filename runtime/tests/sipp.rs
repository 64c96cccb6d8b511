//! The examples against SIPp, a real SIP peer we did not write: `invite_client` against its
//! built-in `uas` scenario, `tests/sipp/unusual.xml` (extension 1xx and final codes, 182, 183
//! with a body), UASes with odd reliable provisionals (`tests/sipp/*_uas.xml`) and UASes that
//! withhold, lose (SIPp's `lost` attribute) or repeat messages to hold the client's
//! transaction timers; `invite_server` against SIPp callers (`tests/sipp/*_caller.xml`).
//! Every assertion is on what crossed the wire (SIPp's message log, `-trace_msg`) or on SIPp's
//! own checks of each message, plus the lines the examples print (each with the time it
//! came). Scenarios that must see a retransmission run SIPp with `-nr`, so that SIPp does not
//! absorb it. The tests of the timers that run for 64*T1 give the examples `--t1 100`, so
//! that each takes seconds. All traffic stays on 127.0.0.1; every wait is bounded.
//!
//! SIPp is Debian's `sip-tester`; `.ci/run` installs it. Without it the tests say so and
//! pass, except under CI (`CI` set), where a missing sipp fails them.

// Shared with other tests, which use the rest of it.
#[allow(dead_code)]
#[path = "sipp/support.rs"]
mod support;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use support::{free_port, sipp_available, Sipp};

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
        "{} was not built; run cargo build --examples",
        path.display()
    );
    path
}

fn scenario(name: &str) -> String {
    format!("{}/tests/sipp/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// One line an example printed: when it came (since the example was started), whether on
/// stderr, and the text.
struct Line {
    at: Duration,
    stderr: bool,
    text: String,
}

/// The lines on stdout, in order.
fn stdout_lines(printed: &[Line]) -> Vec<String> {
    printed
        .iter()
        .filter(|l| !l.stderr)
        .map(|l| l.text.clone())
        .collect()
}

/// When the first line starting with `start` came.
fn printed_at(printed: &[Line], start: &str) -> Duration {
    printed
        .iter()
        .find(|l| l.text.starts_with(start))
        .map_or_else(
            || panic!("no line `{start}...` among {:?}", texts(printed)),
            |l| l.at,
        )
}

fn texts(printed: &[Line]) -> Vec<&str> {
    printed.iter().map(|l| l.text.as_str()).collect()
}

/// Kills a child process when dropped (a failed assertion must not leave it running). What
/// it prints is read as it comes, each line with its time (Rust's stdout is line-buffered,
/// even into a pipe).
struct Killed {
    child: Child,
    readers: Vec<JoinHandle<Vec<Line>>>,
}

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads `stream` line by line until it closes, stamping each line with the time since
/// `started`.
fn stamped(
    stream: impl std::io::Read + Send + 'static,
    started: Instant,
    stderr: bool,
) -> JoinHandle<Vec<Line>> {
    std::thread::spawn(move || {
        BufReader::new(stream)
            .lines()
            .map_while(Result::ok)
            .map(|text| Line {
                at: started.elapsed(),
                stderr,
                text,
            })
            .collect()
    })
}

impl Killed {
    fn spawn(name: &str, args: &[&str]) -> Killed {
        let mut child = Command::new(example_named(name))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the example starts");
        let started = Instant::now();
        let out = child.stdout.take().map(|s| stamped(s, started, false));
        let err = child.stderr.take().map(|s| stamped(s, started, true));
        Killed {
            child,
            readers: out.into_iter().chain(err).collect(),
        }
    }

    /// Waits up to `within` for the exit; `Some(success)`, or `None` (then killed).
    fn exited_within(&mut self, within: Duration) -> Option<bool> {
        let until = Instant::now() + within;
        while Instant::now() < until {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status.success());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        None
    }

    /// Every line it printed, stdout's and stderr's, in the order they came (after it exited
    /// or was killed).
    fn printed(&mut self) -> Vec<Line> {
        let mut lines: Vec<Line> = self
            .readers
            .drain(..)
            .flat_map(|r| r.join().expect("a reader thread"))
            .collect();
        lines.sort_by_key(|l| l.at);
        lines
    }
}

/// How a run of `invite_client` ends.
#[derive(Clone, Copy, PartialEq)]
enum Ends {
    /// It exits 0 by itself once SIPp is done (a call with BYE).
    Exits,
    /// It is still in Timer D (32 s after a 300-699) when SIPp is done: killed then.
    InTimerD,
    /// It exits non-zero by itself: a transaction timed out (Timer B or F).
    TimesOut,
}

/// Runs `invite_client ADDR args` against SIPp playing `sipp` (`-sn uas`, or `-sf FILE`
/// with more options) with `trace`: the client's lines and the messages on the wire. `None`
/// when sipp is not installed.
fn client(
    args: &[&str],
    sipp: &[&str],
    trace: &Trace,
    ends: Ends,
) -> Option<(Vec<String>, Vec<Wire>)> {
    let (printed, wire) = client_printed(args, sipp, trace, ends)?;
    Some((stdout_lines(&printed), wire))
}

/// [`client`], with every line the client printed (stdout's and stderr's) and when.
fn client_printed(
    args: &[&str],
    sipp: &[&str],
    trace: &Trace,
    ends: Ends,
) -> Option<(Vec<Line>, Vec<Wire>)> {
    if !sipp_available() {
        return None;
    }
    let port = free_port();
    let mut sipp_args = sipp.to_vec();
    sipp_args.extend(trace.args());
    let mut sipp = Sipp::start(&sipp_args, port);
    // SIPp binds its port before it reads a datagram; the INVITE is retransmitted (Timer A)
    // anyway, but a scenario run with -nr counts every INVITE, so wait for the bind.
    std::thread::sleep(Duration::from_millis(300));
    let address = format!("127.0.0.1:{port}");
    let mut all = vec![address.as_str()];
    all.extend(args);
    let mut client = Killed::spawn("invite_client", &all);
    let sipp_ok = sipp.finished_ok_within(Duration::from_secs(20));
    let exited = match ends {
        Ends::Exits | Ends::TimesOut => client.exited_within(Duration::from_secs(10)),
        Ends::InTimerD => client.exited_within(Duration::from_millis(300)),
    };
    let printed = client.printed();
    let out = texts(&printed).join("\n");
    assert!(
        sipp_ok,
        "sipp did not complete its call; the client printed:\n{out}"
    );
    match ends {
        Ends::Exits => assert_eq!(exited, Some(true), "invite_client failed:\n{out}"),
        Ends::InTimerD => assert_eq!(exited, None, "invite_client left Timer D early:\n{out}"),
        Ends::TimesOut => assert_eq!(exited, Some(false), "invite_client did not fail:\n{out}"),
    }
    Some((printed, trace.messages()))
}

/// Runs `invite_server 127.0.0.1:PORT args` against the SIPp caller `sipp` (options, the
/// scenario file) with `trace`; SIPp must succeed. The server's output and the wire.
fn server(args: &[&str], sipp: &[&str], trace: &Trace) -> Option<(String, Vec<Wire>)> {
    let (printed, wire) = server_printed(args, sipp, trace)?;
    Some((stdout_lines(&printed).join("\n"), wire))
}

/// [`server`], with every line the server printed and when.
fn server_printed(args: &[&str], sipp: &[&str], trace: &Trace) -> Option<(Vec<Line>, Vec<Wire>)> {
    let run = server_run(args, sipp, trace)?;
    let out = texts(&run.printed).join("\n");
    assert!(
        run.sipp_ok,
        "sipp's caller failed; the server printed:\n{out}"
    );
    if args.contains(&"--once") {
        assert_eq!(
            run.exited,
            Some(true),
            "invite_server --once did not exit 0 after the BYE:\n{out}"
        );
    }
    Some((run.printed, run.wire))
}

/// A run of `invite_server` against a SIPp caller, whatever its outcome.
struct ServerRun {
    /// Whether SIPp's call succeeded.
    sipp_ok: bool,
    /// How the server exited (with `--once`; `None`: it was killed).
    exited: Option<bool>,
    printed: Vec<Line>,
    wire: Vec<Wire>,
}

/// Runs `invite_server 127.0.0.1:PORT args` against the SIPp caller `sipp` with `trace`,
/// asserting nothing.
fn server_run(args: &[&str], sipp: &[&str], trace: &Trace) -> Option<ServerRun> {
    if !sipp_available() {
        return None;
    }
    let server_port = free_port();
    let address = format!("127.0.0.1:{server_port}");
    let mut all = vec![address.as_str()];
    all.extend(args);
    let mut server = Killed::spawn("invite_server", &all);
    std::thread::sleep(Duration::from_millis(200)); // bound before SIPp's first INVITE
    let mut sipp_args = sipp.to_vec();
    sipp_args.push(&address);
    sipp_args.extend(trace.args());
    let mut sipp = Sipp::start_for(&sipp_args, free_port(), Duration::from_secs(45));
    let sipp_ok = sipp.finished_ok_within(Duration::from_secs(45));
    let exited = server.exited_within(Duration::from_secs(if args.contains(&"--once") {
        10
    } else {
        0
    }));
    Some(ServerRun {
        sipp_ok,
        exited,
        printed: server.printed(),
        wire: trace.messages(),
    })
}

/// The first lines of the messages SIPp received, in order.
fn received(wire: &[Wire]) -> Vec<&str> {
    wire.iter()
        .filter(|m| m.received)
        .map(Wire::first_line)
        .collect()
}

/// When each message SIPp received whose first line starts with `start` came, after the
/// first of them.
fn gaps(wire: &[Wire], start: &str) -> Vec<Duration> {
    let at: Vec<Duration> = wire
        .iter()
        .filter(|m| m.received && m.first_line().starts_with(start))
        .map(|m| m.at)
        .collect();
    at.windows(2).map(|w| w[1].saturating_sub(w[0])).collect()
}

/// `gap` is `expected_ms`: at most 20 ms less (SIPp's log time stamps), at most 150 ms plus
/// 10% more (a scheduler's delay: a 4 s socket timeout was measured to overshoot by up to
/// 230 ms on the CI machine kind). Tight enough to tell T1 from 2*T1 and T2 from 2*T1.
fn about(gap: Duration, expected_ms: u64) -> bool {
    let expected = Duration::from_millis(expected_ms);
    gap + Duration::from_millis(20) >= expected
        && gap <= expected + expected / 10 + Duration::from_millis(150)
}

/// The T1 (ms) the timer tests give every example (`--t1`; T2 = 8*T1 and T4 = 10*T1 follow
/// it): 64*T1 is 6.4 s.
const T1: u64 = 100;

/// When each message SIPp received whose first line starts with `start` came.
fn times(wire: &[Wire], start: &str) -> Vec<Duration> {
    wire.iter()
        .filter(|m| m.received && m.first_line().starts_with(start))
        .map(|m| m.at)
        .collect()
}

/// When a message goes (ms after its first sending) when it is retransmitted T1 later, the
/// interval doubling up to `cap`, until 64*T1: Timer A's (17.1.1.2: no cap, seven
/// sendings), and Timer E's (17.1.2.2), Timer G's (17.2.1) and a 2xx's (13.3.1.4), capped at
/// T2 (eleven).
fn doubling(cap: u64) -> Vec<u64> {
    let (mut at, mut interval, mut schedule) = (0, T1, vec![0]);
    while at + interval < 64 * T1 {
        at += interval;
        schedule.push(at);
        interval = (interval * 2).min(cap);
    }
    schedule
}

/// Milliseconds after the first of `times`, for messages.
fn offsets(times: &[Duration]) -> Vec<u128> {
    times
        .iter()
        .map(|t| t.saturating_sub(times[0]).as_millis())
        .collect()
}

/// Whether `times` (when SIPp logged each message) follow `schedule` (ms after the first):
/// as many, each at most 20 ms early (SIPp's log time stamps) and at most 0.9*T1 late. The
/// examples sleep on a socket timeout, which the kernel's timer wheel may stretch by up to an
/// eighth of the wait (measured here: up to 32 ms for waits of 0.4 to 1.6 s), and SIPp reads
/// late too. Enough to tell T1 from 2*T1 and a T2 cap from none; the count tells the rest.
fn on_schedule(times: &[Duration], schedule: &[u64]) -> bool {
    times.len() == schedule.len()
        && offsets(times).iter().zip(schedule).all(|(&got, &due)| {
            let due = u128::from(due);
            got + 20 >= due && got <= due + u128::from(T1) * 9 / 10
        })
}

/// `at` is `expected_ms` after `since`: at most 20 ms early, at most 400 ms late (the kernel
/// may stretch a sleep by an eighth of it, [`on_schedule`]: here by up to 256 ms for the 3.2 s
/// one before Timer B).
fn after(at: Duration, since: Duration, expected_ms: u64) -> bool {
    let took = at.saturating_sub(since);
    let expected = Duration::from_millis(expected_ms);
    took + Duration::from_millis(20) >= expected && took <= expected + Duration::from_millis(400)
}

#[test]
fn sipp_builtin_uas_rings_then_answers() {
    let trace = Trace::new("builtin");
    let Some((lines, wire)) = client(&[], &["-sn", "uas"], &trace, Ends::Exits) else {
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
    let methods: Vec<&str> = received(&wire)
        .iter()
        .map(|l| l.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(methods, ["INVITE", "ACK", "BYE"]);
}

/// RFC 3261 17.1.1.3: "the client transaction MUST generate an ACK request" for a 300-699,
/// an extension code (499) too.
#[test]
fn sipp_unusual_responses_follow_rfc3261_8_1_3_2() {
    let trace = Trace::new("unusual");
    let sipp = ["-sf", &scenario("unusual.xml")];
    let Some((lines, wire)) = client(&[], &sipp, &trace, Ends::InTimerD) else {
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
    assert_eq!(Trace::received(&wire, "ACK ", "CSeq"), [Some("1 ACK")]);
}

/// RFC 3262 from the client side, against a SIPp UAS that sends reliable provisionals the way
/// odd peers do (`tests/sipp/reliable_uas.xml`): a retransmitted 183 is dispatched and
/// `PRACKed` once, the 180 after it is `PRACKed` with the next RAck, a 181 after a skipped RSeq
/// is neither dispatched nor `PRACKed`, and SIPp checks every RAck, every CSeq number (PRACKs
/// counting up from the INVITE's, the ACK with the INVITE's, the BYE above them all).
#[test]
fn sipp_reliable_provisionals_are_pracked_in_order() {
    let trace = Trace::new("reliable-uas");
    let sipp = ["-sf", &scenario("reliable_uas.xml")];
    let Some((lines, _)) = client(&["--100rel"], &sipp, &trace, Ends::Exits) else {
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

/// RFC 3261 17.1.1.2: "When timer A fires, the client transaction MUST retransmit the
/// request by passing it to the transport layer" (first after T1), and "If the client
/// transaction receives a provisional response while in the "Calling" state, it transitions
/// to the "Proceeding" state. In the "Proceeding" state, the client transaction SHOULD NOT
/// retransmit the request any longer", a 100 too (21.1). SIPp
/// (`invite_retransmission_uas.xml`, `-nr`) answers only the retransmission, with a 100, and
/// waits 2.5 s: an INVITE in that time would fail its call.
#[test]
fn sipp_invite_retransmission_stops_at_a_100() {
    let trace = Trace::new("timer-a");
    let sipp = ["-nr", "-sf", &scenario("invite_retransmission_uas.xml")];
    let Some((lines, wire)) = client(&[], &sipp, &trace, Ends::Exits) else {
        return;
    };
    assert_eq!(lines[0], "100 Trying -> on_trying");
    let invites = gaps(&wire, "INVITE ");
    assert_eq!(invites.len(), 1, "two INVITEs, no more: {invites:?}");
    assert!(
        about(invites[0], 500),
        "Timer A fired {:?} after the INVITE",
        invites[0]
    );
}

/// RFC 3261 17.1.1.2: "Any retransmissions of the final response that are received while in
/// the "Completed" state MUST cause the ACK to be re-passed to the transport layer for
/// retransmission, but the newly received response MUST NOT be passed up to the TU." SIPp
/// (`busy_retransmitted_uas.xml`, `-nr`) sends the 486 again after the ACK and needs a
/// second ACK; the client prints the 486 once and is still in Timer D afterwards.
#[test]
fn sipp_retransmitted_486_is_acked_again() {
    let trace = Trace::new("timer-d");
    let sipp = ["-nr", "-sf", &scenario("busy_retransmitted_uas.xml")];
    let Some((lines, wire)) = client(&[], &sipp, &trace, Ends::InTimerD) else {
        return;
    };
    assert_eq!(
        lines,
        ["100 Trying -> on_trying", "486 Busy Here -> on_busy_here"]
    );
    let invite_branch = wire
        .iter()
        .find(|m| m.received)
        .and_then(|m| m.header("Via"))
        .unwrap_or_default();
    assert_eq!(
        Trace::received(&wire, "ACK ", "Via"),
        [Some(invite_branch), Some(invite_branch)]
    );
}

/// RFC 3261 17.1.2.2, for the PRACK (RFC 3262 7.1: a PRACK is a request like any other):
/// "If timer E fires while still in this state, the timer is reset, but this time with a
/// value of MIN(2*T1, T2)", and "If Timer E fires while in the "Proceeding" state, the
/// request MUST be passed to the transport layer for retransmission, and Timer E MUST be
/// reset with a value of T2 seconds." SIPp (`prack_withheld_uas.xml`, `-nr`) withholds the
/// 200 to the PRACK and answers its first retransmission with a 100: PRACKs at 0, T1, 3*T1
/// (the reset to 2*T1 was armed before the 100), then T2 later.
#[test]
fn sipp_withheld_prack_answer_brings_retransmissions() {
    let trace = Trace::new("timer-e");
    let sipp = ["-nr", "-sf", &scenario("prack_withheld_uas.xml")];
    let Some((lines, wire)) = client(&["--100rel"], &sipp, &trace, Ends::Exits) else {
        return;
    };
    assert_eq!(
        lines,
        [
            "183 Session Progress -> on_session_progress",
            "200 OK -> on_ok",
            "200 OK -> on_ok (BYE)"
        ]
    );
    let pracks = gaps(&wire, "PRACK ");
    assert_eq!(pracks.len(), 3, "{pracks:?}");
    assert!(
        about(pracks[0], 500) && about(pracks[1], 1000) && about(pracks[2], 4000),
        "{pracks:?}"
    );
    let racks = Trace::received(&wire, "PRACK ", "RAck");
    assert!(racks.iter().all(|r| *r == Some("1 1 INVITE")), "{racks:?}");
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
        let Some((_, wire)) = client(&[], &["-sn", "uas"], &trace, Ends::Exits) else {
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

/// RFC 3262 7.1: the RSeq header field "contains a single numeric value from 1 to 2**32 - 1"
/// (only the first of a transaction is at most 2^31 - 1, Section 3). A SIPp UAS sends a
/// reliable 183 with RSeq 2147483648 (2^31) and then a 180 with 2147483649
/// (`tests/sipp/large_rseq_uas.xml`): both are dispatched and `PRACKed`, each with its own RAck.
#[test]
fn sipp_rseq_past_2_pow_31_is_pracked() {
    let trace = Trace::new("large-rseq");
    let sipp = ["-sf", &scenario("large_rseq_uas.xml")];
    let Some((lines, wire)) = client(&["--100rel"], &sipp, &trace, Ends::Exits) else {
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
    let sipp = ["-sf", &scenario("trying_100rel_uas.xml")];
    let Some((lines, wire)) = client(&["--100rel"], &sipp, &trace, Ends::Exits) else {
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
    let methods: Vec<&str> = received(&wire)
        .iter()
        .map(|l| l.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(methods, ["INVITE", "PRACK", "ACK", "BYE"]);
}

/// RFC 3261 21.1.4 (a 182's reason "MAY give further details about the status of the call"),
/// and 17.2.1: "the server transaction MUST generate a 100 (Trying) response unless it knows
/// that the TU will generate a provisional or final response within 200 ms". With `--step
/// 300` the first 182 comes 300 ms after the INVITE, so a 100 comes first, 200 ms after it;
/// SIPp (`queued_caller.xml`) checks each reason.
#[test]
fn sipp_caller_hears_a_100_then_the_queue_count_down() {
    let trace = Trace::new("queued");
    let sipp = ["-sf", &scenario("queued_caller.xml")];
    let Some((_, wire)) = server(&["--once", "--step", "300"], &sipp, &trace) else {
        return;
    };
    let mut got: Vec<&str> = received(&wire);
    got.dedup(); // a 2xx retransmitted before the ACK came (13.3.1.4)
    assert_eq!(
        got,
        [
            "SIP/2.0 100 Trying",
            "SIP/2.0 182 2 calls queued; expected waiting time is 1 minute",
            "SIP/2.0 182 1 call queued; expected waiting time is 1 minute",
            "SIP/2.0 180 Ringing",
            "SIP/2.0 200 OK",
        ]
    );
    let invite = wire
        .iter()
        .find(|m| !m.received)
        .map(|m| m.at)
        .unwrap_or_default();
    let trying = wire
        .iter()
        .find(|m| m.first_line() == "SIP/2.0 100 Trying")
        .map(|m| m.at)
        .unwrap_or_default();
    assert!(
        about(trying.saturating_sub(invite), 200),
        "the 100 came {:?} after the INVITE",
        trying.saturating_sub(invite)
    );
}

/// 17.2.1 again, the other way: "unless it knows that the TU will generate a provisional or
/// final response within 200 ms, in which case it MAY generate a 100 (Trying) response". With
/// `--step 50` the first 182 goes 50 ms after the INVITE: this server sends no 100.
#[test]
fn sipp_caller_answered_within_200_ms_gets_no_100() {
    let trace = Trace::new("quick");
    let sipp = ["-sf", &scenario("queued_caller.xml")];
    let Some((_, wire)) = server(&["--once", "--step", "50"], &sipp, &trace) else {
        return;
    };
    assert_eq!(
        received(&wire)[0],
        "SIP/2.0 182 2 calls queued; expected waiting time is 1 minute"
    );
    assert!(!received(&wire).contains(&"SIP/2.0 100 Trying"));
}

/// RFC 3261 17.2.1: "If a request retransmission is received while in the "Proceeding"
/// state, the most recent provisional response that was received from the TU MUST be passed
/// to the transport layer for retransmission." SIPp (`retransmitted_invite_caller.xml`,
/// `-nr`) sends the INVITE again (the same branch) when the first 182 arrives and needs the
/// same 182 again before the next one.
#[test]
fn sipp_retransmitted_invite_gets_the_last_provisional_again() {
    let trace = Trace::new("retransmitted-invite");
    let sipp = ["-nr", "-sf", &scenario("retransmitted_invite_caller.xml")];
    let Some((_, wire)) = server(&["--once", "--step", "150"], &sipp, &trace) else {
        return;
    };
    let queued: Vec<&Wire> = wire
        .iter()
        .filter(|m| m.received && m.first_line().starts_with("SIP/2.0 182 2 "))
        .collect();
    assert_eq!(queued.len(), 2);
    assert_eq!(
        queued[0].text, queued[1].text,
        "the same response, unchanged"
    );
}

/// RFC 3261 17.2.1: "If timer G fires, the response is passed to the transport layer once
/// more for retransmission, and timer G is set to fire in MIN(2*T1, T2) seconds", and "If an
/// ACK is received while the server transaction is in the "Completed" state, the server
/// transaction MUST transition to the "Confirmed" state. As Timer G is ignored in this
/// state, any retransmissions of the response will cease." SIPp (`busy_caller.xml`, `-nr`)
/// ACKs only the third 486 and fails on a fourth.
#[test]
fn sipp_486_is_retransmitted_until_the_ack() {
    let trace = Trace::new("timer-g");
    let sipp = ["-nr", "-sf", &scenario("busy_caller.xml")];
    let Some((_, wire)) = server(&["--step", "300"], &sipp, &trace) else {
        return;
    };
    let busy = gaps(&wire, "SIP/2.0 486 ");
    assert_eq!(busy.len(), 2, "three 486s: {busy:?}");
    assert!(about(busy[0], 500) && about(busy[1], 1000), "{busy:?}");
}

/// RFC 3262 against a SIPp caller that requires 100rel (`tests/sipp/reliable_caller.xml`):
/// every provisional but 100 goes reliably, the unacknowledged 182 is retransmitted with the
/// same RSeq (SIPp withholds the first PRACK and PRACKs the retransmission's RSeq, which
/// must get 200), each next provisional waits for the PRACK of the one before, `RSeqs` count
/// up by one, a stray PRACK gets 481, and the 200 OK follows the last PRACK.
#[test]
fn sipp_reliable_caller_prack_every_provisional() {
    let trace = Trace::new("reliable-caller");
    let sipp = ["-sf", &scenario("reliable_caller.xml")];
    let Some((_, wire)) = server(&["--once", "--step", "300"], &sipp, &trace) else {
        return;
    };
    let first_prack = wire
        .iter()
        .position(|m| !m.received && m.first_line().starts_with("PRACK "))
        .expect("a PRACK");
    let early_182 = wire[..first_prack]
        .iter()
        .filter(|m| m.received && m.first_line().starts_with("SIP/2.0 182 "))
        .count();
    assert_eq!(
        early_182, 2,
        "the 182 and its retransmission came before the PRACK"
    );
    let mut got = received(&wire);
    got.dedup();
    assert_eq!(
        got,
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
        ]
    );
}

/// RFC 3262 Section 3: "If a reliable provisional response is retransmitted for 64*T1
/// seconds without reception of a corresponding PRACK, the UAS SHOULD reject the original
/// request with a 5xx response." A SIPp caller requires 100rel and never PRACKs
/// (`tests/sipp/unpracked_caller.xml`): the 182 comes at T1 doubling (0, 0.5, 1.5, 3.5, 7.5,
/// 15.5 and 31.5 s), then a 500 64*T1 = 32 s after the first 182, not at a later
/// retransmission's time. Takes 32 s.
#[test]
fn sipp_unpracked_provisional_gets_500_at_64_t1() {
    let trace = Trace::new("unpracked");
    let sipp = ["-sf", &scenario("unpracked_caller.xml")];
    let Some((_, wire)) = server(&["--step", "300"], &sipp, &trace) else {
        return;
    };
    let queued: Vec<&Wire> = wire
        .iter()
        .filter(|m| m.received && m.first_line().starts_with("SIP/2.0 182 "))
        .collect();
    let rejected = wire
        .iter()
        .find(|m| m.received && m.first_line() == "SIP/2.0 500 Server Internal Error")
        .expect("the INVITE was rejected with a 500");
    assert_eq!(queued.len(), 7);
    assert!(queued.iter().all(|m| m.text == queued[0].text));
    let after = rejected.at.saturating_sub(queued[0].at);
    assert!(
        (Duration::from_millis(31_950)..Duration::from_secs(34)).contains(&after),
        "the 500 came {after:?} after the first 182"
    );
}

/// What `invite_client` says on stderr when a transaction times out.
const TIMED_OUT: &str = "error: no final response in time (Timer B or F)";

/// RFC 3261 17.1.1.2: "When timer A fires 2*T1 seconds later, the request MUST be
/// retransmitted again (assuming the client transaction is still in this state). This process
/// MUST continue so that the request is retransmitted with intervals that double after each
/// transmission", and "If the client transaction is still in the "Calling" state when timer B
/// fires, the client transaction SHOULD inform the TU that a timeout has occurred. The client
/// transaction MUST NOT generate an ACK." A SIPp UAS never answers
/// (`unanswered_invite_uas.xml`, `-nr`); with `--t1 100` the INVITE goes at 0, T1, 3*T1,
/// 7*T1, 15*T1 and 31*T1 (the seventh, at 63*T1, may be missed: see
/// `sipp_unanswered_invite_is_sent_seven_times`), no ACK, and 64*T1 after it started the
/// client says it timed out and exits 1. Takes 7 s.
#[test]
fn sipp_unanswered_invite_times_out_at_64_t1() {
    let trace = Trace::new("timer-b");
    let sipp = ["-nr", "-sf", &scenario("unanswered_invite_uas.xml")];
    let t1 = T1.to_string();
    let Some((printed, wire)) = client_printed(&["--t1", &t1], &sipp, &trace, Ends::TimesOut)
    else {
        return;
    };
    assert_eq!(texts(&printed), [TIMED_OUT]);
    assert!(
        after(printed_at(&printed, TIMED_OUT), Duration::ZERO, 64 * T1),
        "the timeout came {:?} after the client started",
        printed[0].at
    );
    let invites = times(&wire, "INVITE ");
    let schedule = doubling(u64::MAX);
    let seventh = offsets(&invites).get(6).copied();
    assert!(
        on_schedule(&invites[..invites.len().min(6)], &schedule[..6])
            && invites.len() <= 7
            && seventh.is_none_or(|ms| ms + 20 >= u128::from(63 * T1)),
        "INVITEs at {:?} ms, not {schedule:?}",
        offsets(&invites)
    );
    assert!(
        received(&wire).iter().all(|l| l.starts_with("INVITE ")),
        "{:?}",
        received(&wire)
    );
}

/// RFC 3261 17.1.1.2: "The value of 64*T1 is equal to the amount of time required to send
/// seven requests in the case of an unreliable transport": the seventh INVITE goes at
/// 63*T1, before Timer B. The same run as `sipp_unanswered_invite_times_out_at_64_t1`,
/// checking all seven.
#[test]
fn sipp_unanswered_invite_is_sent_seven_times() {
    let trace = Trace::new("timer-b-seven");
    let sipp = ["-nr", "-sf", &scenario("unanswered_invite_uas.xml")];
    let t1 = T1.to_string();
    let Some((printed, wire)) = client_printed(&["--t1", &t1], &sipp, &trace, Ends::TimesOut)
    else {
        return;
    };
    let invites = times(&wire, "INVITE ");
    let schedule = doubling(u64::MAX);
    assert!(
        on_schedule(&invites, &schedule),
        "INVITEs at {:?} ms, not {schedule:?}; the timeout {:?} after the client started",
        offsets(&invites),
        printed_at(&printed, TIMED_OUT)
    );
}

/// RFC 3261 17.1.2.2: "If timer E fires while still in this state, the timer is reset, but
/// this time with a value of MIN(2*T1, T2). When the timer fires again, it is reset to a
/// MIN(4*T1, T2). This process continues so that retransmissions occur with an exponentially
/// increasing interval that caps at T2", and "If Timer F fires while the client transaction
/// is still in the "Trying" state, the client transaction SHOULD inform the TU about the
/// timeout, and then it SHOULD enter the "Terminated" state." A SIPp UAS answers the INVITE
/// and never the BYE (`unanswered_bye_uas.xml`, `-nr`): with `--t1 100` (T2 = 800 ms) the
/// same BYE goes at 0, 0.1, 0.3, 0.7, 1.5 s and then every 0.8 s up to 6.3 s, eleven in all,
/// and at 64*T1 the client says it timed out and exits 1. Takes 7 s.
#[test]
fn sipp_unanswered_bye_is_retransmitted_up_to_t2_until_64_t1() {
    let trace = Trace::new("timer-f");
    let sipp = ["-nr", "-sf", &scenario("unanswered_bye_uas.xml")];
    let t1 = T1.to_string();
    let Some((printed, wire)) = client_printed(&["--t1", &t1], &sipp, &trace, Ends::TimesOut)
    else {
        return;
    };
    assert_eq!(texts(&printed), ["200 OK -> on_ok", TIMED_OUT]);
    assert!(
        after(
            printed_at(&printed, TIMED_OUT),
            printed_at(&printed, "200 OK"),
            64 * T1
        ),
        "the timeout came {:?} after the 200",
        printed[1].at.saturating_sub(printed[0].at)
    );
    let byes = times(&wire, "BYE ");
    let schedule = doubling(8 * T1);
    assert!(
        on_schedule(&byes, &schedule),
        "BYEs at {:?} ms, not {schedule:?}",
        offsets(&byes)
    );
    let texts: Vec<&str> = wire
        .iter()
        .filter(|m| m.received && m.first_line().starts_with("BYE "))
        .map(|m| m.text.as_str())
        .collect();
    assert!(
        texts.iter().all(|t| *t == texts[0]),
        "the same BYE each time"
    );
}

/// RFC 3261 17.1.2.2: "Once the client transaction enters the "Completed" state, it MUST set
/// Timer K to fire in T4 seconds for unreliable transports ... The "Completed" state exists
/// to buffer any additional response retransmissions that may be received". A SIPp UAS
/// (`bye_answered_twice_uas.xml`, `-nr`) answers the BYE only after its retransmission (T1
/// later), with 200 twice, once for each: the client prints the 200 once and ends normally,
/// and no third BYE comes. (`invite_client` exits at the first final response to its BYE,
/// so its Completed state ends with the process.)
#[test]
fn sipp_retransmitted_answer_to_the_bye_is_absorbed() {
    let trace = Trace::new("timer-k");
    let sipp = ["-nr", "-sf", &scenario("bye_answered_twice_uas.xml")];
    let t1 = T1.to_string();
    let Some((lines, wire)) = client(&["--t1", &t1], &sipp, &trace, Ends::Exits) else {
        return;
    };
    assert_eq!(lines, ["200 OK -> on_ok", "200 OK -> on_ok (BYE)"]);
    let byes = times(&wire, "BYE ");
    assert!(
        on_schedule(&byes, &[0, T1]),
        "BYEs at {:?} ms",
        offsets(&byes)
    );
}

/// RFC 6026 (17.1.1.2 as updated): "A 2xx response received while in the "Accepted" state
/// MUST be passed to the TU and the machine remains in the "Accepted" state. The client
/// transaction MUST NOT generate an ACK to any 2xx response on its own. The TU responsible
/// for the transaction will generate the ACK"; RFC 3261 13.2.2.4: "The UAC core MUST generate
/// an ACK request for each 2xx received from the transaction layer." A SIPp UAS
/// (`ok_retransmitted_uas.xml`, `-nr`) sends the 200 OK again after the ACK and the BYE: a
/// second ACK comes, with the INVITE's CSeq number, and the call ends normally.
#[test]
fn sipp_retransmitted_200_is_acked_again() {
    let trace = Trace::new("timer-m");
    let sipp = ["-nr", "-sf", &scenario("ok_retransmitted_uas.xml")];
    let Some((lines, wire)) = client(&[], &sipp, &trace, Ends::Exits) else {
        return;
    };
    assert_eq!(lines, ["200 OK -> on_ok", "200 OK -> on_ok (BYE)"]);
    let methods: Vec<&str> = received(&wire)
        .iter()
        .map(|l| l.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(methods, ["INVITE", "ACK", "BYE", "ACK"]);
    assert_eq!(
        Trace::received(&wire, "ACK ", "CSeq"),
        [Some("1 ACK"), Some("1 ACK")]
    );
}

/// A lost response, with SIPp's `lost` attribute. RFC 3261 17.1.1.2: "When timer A fires,
/// the client transaction MUST retransmit the request by passing it to the transport layer",
/// and "In the "Proceeding" state, the client transaction SHOULD NOT retransmit the request
/// any longer." A SIPp UAS (`lost_ringing_uas.xml`, `-nr`) loses its first 180: the INVITE
/// comes again T1 later, gets the 180, and no third INVITE follows.
#[test]
fn sipp_lost_180_brings_the_invite_again() {
    let trace = Trace::new("lost-180");
    let sipp = ["-nr", "-sf", &scenario("lost_ringing_uas.xml")];
    let t1 = T1.to_string();
    let Some((lines, wire)) = client(&["--t1", &t1], &sipp, &trace, Ends::Exits) else {
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
    assert_eq!(wire.iter().filter(|m| m.lost).count(), 1, "SIPp lost one");
    let ringing = wire
        .iter()
        .filter(|m| !m.received && m.first_line() == "SIP/2.0 180 Ringing")
        .count();
    assert_eq!(ringing, 1, "the 180 crossed the wire once");
    let invites = times(&wire, "INVITE ");
    assert!(
        on_schedule(&invites, &[0, T1]),
        "INVITEs at {:?} ms",
        offsets(&invites)
    );
}

/// RFC 3261 17.2.1: "timer G is reset with a value that doubles, unless that value exceeds
/// T2, in which case it is reset with the value of T2", and "If timer H fires while in the
/// "Completed" state, it implies that the ACK was never received. In this case, the server
/// transaction MUST transition to the "Terminated" state, and MUST indicate to the TU that a
/// transaction failure has occurred." A SIPp caller never ACKs the 486
/// (`unacked_busy_caller.xml`, `-nr`): with `--t1 100` the same 486 comes at 0, 0.1, 0.3,
/// 0.7, 1.5 s and then every 0.8 s up to 6.3 s, eleven in all, and none after; the server
/// prints its Timer H line 64*T1 after the first. Takes 7.5 s.
#[test]
fn sipp_unacked_486_is_retransmitted_up_to_t2_until_64_t1() {
    let trace = Trace::new("timer-h");
    let sipp = ["-nr", "-sf", &scenario("unacked_busy_caller.xml")];
    let t1 = T1.to_string();
    let args = ["--once", "--step", "50", "--t1", &t1];
    let Some((printed, wire)) = server_printed(&args, &sipp, &trace) else {
        return;
    };
    let busy = times(&wire, "SIP/2.0 486 ");
    let schedule = doubling(8 * T1);
    assert!(
        on_schedule(&busy, &schedule),
        "486s at {:?} ms, not {schedule:?}",
        offsets(&busy)
    );
    let timer_h = "call 1 ended: no ACK for the final response (Timer H)";
    assert!(texts(&printed).contains(&timer_h), "{:?}", texts(&printed));
    // The 486 went --step (50 ms) after the INVITE.
    let invite = printed_at(&printed, "received INVITE ");
    assert!(
        after(printed_at(&printed, timer_h), invite, 50 + 64 * T1),
        "Timer H fired {:?} after the INVITE",
        printed_at(&printed, timer_h).saturating_sub(invite)
    );
}

/// RFC 3261 17.2.1: "If an ACK is received while the server transaction is in the
/// "Completed" state, the server transaction MUST transition to the "Confirmed" state. As
/// Timer G is ignored in this state, any retransmissions of the response will cease", and
/// "The purpose of the "Confirmed" state is to absorb any additional ACK messages that
/// arrive, triggered from retransmissions of the final response. When this state is entered,
/// timer I is set to fire in T4 seconds for unreliable transports". A SIPp caller
/// (`busy_acked_twice_caller.xml`, `-nr`) ACKs the 486 at once and again 200 ms later: one
/// 486 crosses the wire, and the transaction ends T4 (1 s) after the first ACK.
#[test]
fn sipp_486_acked_twice_gets_nothing_more() {
    let trace = Trace::new("timer-i");
    let sipp = ["-nr", "-sf", &scenario("busy_acked_twice_caller.xml")];
    let t1 = T1.to_string();
    let args = ["--once", "--step", "50", "--t1", &t1];
    let Some((printed, wire)) = server_printed(&args, &sipp, &trace) else {
        return;
    };
    assert_eq!(received(&wire), ["SIP/2.0 486 Busy Here"]);
    let said: Vec<&str> = printed
        .iter()
        .map(|l| l.text.split(" sip:").next().unwrap_or(""))
        .collect();
    assert_eq!(
        said,
        [
            "received INVITE",
            "received ACK",
            "received ACK",
            "call 1 ended: rejected"
        ]
    );
    let ack = printed_at(&printed, "received ACK ");
    let ended = printed_at(&printed, "call 1 ended");
    assert!(
        after(ended, ack, 10 * T1),
        "Timer I fired {:?} after the ACK",
        ended.saturating_sub(ack)
    );
}

/// RFC 3261 13.3.1.4: "The 2xx response is passed to the transport with an interval that
/// starts at T1 seconds and doubles for each retransmission until it reaches T2 seconds",
/// for 64*T1; RFC 6026 (17.2.1 as updated, Timer L): "While in the "Accepted" state, any
/// retransmissions of the INVITE received will match this transaction state machine and will
/// be absorbed by the machine without changing its state." A SIPp caller never ACKs the 200
/// (`unacked_ok_caller.xml`, `-nr`) and sends the INVITE again after the third: with `--t1
/// 100` the same 200 comes at 0, 0.1, 0.3, 0.7, 1.5 s and every 0.8 s up to 6.3 s, eleven in
/// all (none for the INVITE), none after, and the server prints its line 64*T1 after the
/// first. Takes 8 s.
#[test]
fn sipp_unacked_200_is_retransmitted_up_to_t2_until_64_t1() {
    let trace = Trace::new("timer-l");
    let sipp = ["-nr", "-sf", &scenario("unacked_ok_caller.xml")];
    let t1 = T1.to_string();
    let args = ["--once", "--step", "50", "--t1", &t1];
    let Some((printed, wire)) = server_printed(&args, &sipp, &trace) else {
        return;
    };
    let oks = times(&wire, "SIP/2.0 200 ");
    let schedule = doubling(8 * T1);
    assert!(
        on_schedule(&oks, &schedule),
        "200s at {:?} ms, not {schedule:?}",
        offsets(&oks)
    );
    let gave_up = "call 1 ended: no ACK for the 200 OK within 64*T1";
    let invites = printed
        .iter()
        .filter(|l| l.text.starts_with("received INVITE "))
        .count();
    assert_eq!(invites, 2, "{:?}", texts(&printed));
    // The 200 went four steps (182, 182, 180, 200: 200 ms) after the INVITE.
    let invite = printed_at(&printed, "received INVITE ");
    assert!(
        after(printed_at(&printed, gave_up), invite, 200 + 64 * T1),
        "gave up {:?} after the INVITE",
        printed_at(&printed, gave_up).saturating_sub(invite)
    );
}

/// RFC 3261 13.3.1.4: "If the server retransmits the 2xx response for 64*T1 seconds without
/// receiving an ACK, the dialog is confirmed, but the session SHOULD be terminated. This is
/// accomplished with a BYE, as described in Section 15." The run of
/// `sipp_unacked_200_is_retransmitted_up_to_t2_until_64_t1`, whose caller waits 1.5 s for
/// that BYE.
#[test]
fn sipp_unacked_200_is_followed_by_a_bye() {
    let trace = Trace::new("timer-l-bye");
    let sipp = ["-nr", "-sf", &scenario("unacked_ok_caller.xml")];
    let t1 = T1.to_string();
    let args = ["--once", "--step", "50", "--t1", &t1];
    let Some((_, wire)) = server_printed(&args, &sipp, &trace) else {
        return;
    };
    assert_eq!(
        Trace::received(&wire, "BYE ", "CSeq").len(),
        1,
        "a BYE after 64*T1: {:?}",
        received(&wire)
    );
}

/// A lost ACK, with SIPp's `lost` attribute. RFC 3261 13.3.1.4: "it is necessary to
/// periodically pass the response directly to the transport until the ACK arrives. The 2xx
/// response is passed to the transport with an interval that starts at T1 seconds", and
/// "Response retransmissions cease when an ACK request for the response is received." A SIPp
/// caller (`lost_ack_caller.xml`, `-nr`) loses its first ACK: the 200 comes again T1 later,
/// its ACK goes, and no third 200 comes in the second that follows.
#[test]
fn sipp_lost_ack_brings_the_200_again() {
    let trace = Trace::new("lost-ack");
    let sipp = ["-nr", "-sf", &scenario("lost_ack_caller.xml")];
    let t1 = T1.to_string();
    let args = ["--once", "--step", "50", "--t1", &t1];
    let Some((printed, wire)) = server_printed(&args, &sipp, &trace) else {
        return;
    };
    assert_eq!(wire.iter().filter(|m| m.lost).count(), 1, "SIPp lost one");
    let oks: Vec<Duration> = wire
        .iter()
        .filter(|m| m.received && m.header("CSeq") == Some("1 INVITE"))
        .filter(|m| m.first_line() == "SIP/2.0 200 OK")
        .map(|m| m.at)
        .collect();
    assert!(
        on_schedule(&oks, &[0, T1]),
        "200s at {:?} ms",
        offsets(&oks)
    );
    let acks = printed
        .iter()
        .filter(|l| l.text.starts_with("received ACK "))
        .count();
    assert_eq!(acks, 1, "one ACK reached the server");
}

/// RFC 3261 17.2.2: "While in the "Completed" state, the server transaction MUST pass the
/// final response to the transport layer for retransmission whenever a retransmission of the
/// request is received"; RFC 4320 4.1: "An SIP element MUST NOT respond to a non-INVITE
/// request with a Status-Code of 100 over any unreliable transport, such as UDP, before the
/// amount of time it takes a client transaction's Timer E to be reset to T2" (this server
/// answers at once). A SIPp caller (`stray_requests_caller.xml`, `-nr`) sends a MESSAGE
/// three times (405) and a BYE of no call twice (481, RFC 3261 15.1.2): each copy gets the
/// same response, and nothing else comes. (Timer J, 64*T1, does not show on the wire: a
/// request after it would be answered anew, the same way.)
#[test]
fn sipp_retransmitted_non_invite_gets_the_same_final_again() {
    let trace = Trace::new("timer-j");
    let sipp = ["-nr", "-sf", &scenario("stray_requests_caller.xml")];
    let t1 = T1.to_string();
    let Some((_, wire)) = server_printed(&["--t1", &t1], &sipp, &trace) else {
        return;
    };
    assert_eq!(
        received(&wire),
        [
            "SIP/2.0 405 Method Not Allowed",
            "SIP/2.0 405 Method Not Allowed",
            "SIP/2.0 405 Method Not Allowed",
            "SIP/2.0 481 Call/Transaction Does Not Exist",
            "SIP/2.0 481 Call/Transaction Does Not Exist",
        ]
    );
    for code in ["SIP/2.0 405 ", "SIP/2.0 481 "] {
        let copies: Vec<&str> = wire
            .iter()
            .filter(|m| m.received && m.first_line().starts_with(code))
            .map(|m| m.text.as_str())
            .collect();
        assert!(copies.iter().all(|t| *t == copies[0]), "{copies:?}");
    }
}

/// RFC 3261 8.2.1: "If the UAS recognizes but does not support the method of a request, it
/// MUST generate a 405 (Method Not Allowed) response. ... The UAS MUST also add an Allow
/// header field to the 405 (Method Not Allowed) response." (21.4.6: "The response MUST
/// include an Allow header field".) The run of
/// `sipp_retransmitted_non_invite_gets_the_same_final_again`, reading each 405's Allow.
#[test]
fn sipp_405_lists_the_allowed_methods() {
    let trace = Trace::new("allow");
    let sipp = ["-nr", "-sf", &scenario("stray_requests_caller.xml")];
    let t1 = T1.to_string();
    let Some((_, wire)) = server_printed(&["--t1", &t1], &sipp, &trace) else {
        return;
    };
    let allow = Trace::received(&wire, "SIP/2.0 405 ", "Allow");
    assert!(
        !allow.is_empty() && allow.iter().all(Option::is_some),
        "Allow of each 405: {allow:?}"
    );
}

/// RFC 3261 11: "All UAs MUST support the OPTIONS method"; 11.2: "The response code chosen
/// MUST be the same that would have been chosen had the request been an INVITE. That is, a
/// 200 (OK) would be returned if the UAS is ready to accept a call, a 486 (Busy Here) would
/// be returned if the UAS is busy". A SIPp caller (`options_caller.xml`, `-nr`) asks
/// `sip:queue@...` (whose INVITE gets 200) and `sip:busy@...` (486).
#[test]
fn sipp_options_is_answered_as_an_invite_would_be() {
    let trace = Trace::new("options");
    let sipp = ["-nr", "-sf", &scenario("options_caller.xml")];
    let Some(run) = server_run(&[], &sipp, &trace) else {
        return;
    };
    assert_eq!(
        received(&run.wire),
        ["SIP/2.0 200 OK", "SIP/2.0 486 Busy Here"]
    );
    assert!(run.sipp_ok);
}

/// SIPp's message log (`-trace_msg -message_file`) for one test, in the temporary directory;
/// removed when dropped.
struct Trace(PathBuf);

/// One message in a [`Trace`]: when (since midnight), whether SIPp received it (or sent it),
/// and its text; or, with `lost`, SIPp's note that it lost a message on purpose (a `lost`
/// attribute: nothing crossed the wire), as its text.
struct Wire {
    at: Duration,
    received: bool,
    lost: bool,
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
    /// sent (N bytes):`, then the message. A message lost on purpose leaves no entry but a
    /// note (`UDP message voluntary lost (while sending).`) after the entry before it: a
    /// [`Wire`] of its own, with `lost`.
    fn messages(&self) -> Vec<Wire> {
        let log = std::fs::read_to_string(&self.0).expect("sipp wrote its message log");
        let dashes = format!("{} ", "-".repeat(47));
        let mut messages = Vec::new();
        for entry in log.split(dashes.as_str()).skip(1) {
            let (stamp, rest) = entry.split_once('\n').expect("a time stamp line");
            let time = stamp.split_whitespace().nth(1).expect("a time of day");
            let seconds = time
                .split(':')
                .map(|part| part.parse::<f64>().expect("a number"))
                .fold(0.0, |acc, part| acc * 60.0 + part);
            let at = Duration::from_secs_f64(seconds);
            let (kind, text) = rest.split_once('\n').expect("a direction line");
            let (text, note) = match text.trim().rsplit_once('\n') {
                Some((message, last))
                    if last.starts_with("UDP message") && last.contains("lost") =>
                {
                    (message, Some(last))
                }
                _ => (text, None),
            };
            messages.push(Wire {
                at,
                received: kind.contains("received"),
                lost: false,
                text: text.trim().to_owned(),
            });
            messages.extend(note.map(|note| Wire {
                at,
                received: false,
                lost: true,
                text: note.to_owned(),
            }));
        }
        messages
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
