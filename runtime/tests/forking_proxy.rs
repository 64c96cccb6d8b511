//! The `forking_proxy` example between a caller and three UASes, all on 127.0.0.1, each UAS
//! answering as the INVITE's `X-Script` header tells it (the proxy forwards it unchanged):
//! `code@ms` steps, or nothing (silent). The caller records what reaches it; the test holds
//! it to what `ResponseContext` says for the same answers (RFC 3261 16.7-16.9), and the
//! proxy's log to the decision that sent it. Every wait is bounded.

use std::fmt::Write as _;
use std::net::{SocketAddr, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The example binary, which `cargo test` builds next to the test binaries.
fn example() -> std::path::PathBuf {
    let deps = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .to_owned();
    deps.parent()
        .unwrap()
        .join("examples")
        .join(format!("forking_proxy{}", std::env::consts::EXE_SUFFIX))
}

/// The tests of this file run one at a time: their scenarios are timed to tens of
/// milliseconds, which three loaded tests in parallel on two cores can blur.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A process started in its own process group (Kamailio: a main process and its workers),
/// stopped as a group when dropped: SIGTERM to every member (Kamailio's main process then
/// reaps its workers), SIGKILL to whatever is left after 5 s. Killing the main process
/// alone orphans the workers, which keep running after the test.
struct Group(Child);

impl Group {
    fn spawn(command: &mut Command) -> Option<Group> {
        use std::os::unix::process::CommandExt;
        command.process_group(0).spawn().ok().map(Group)
    }

    fn signal(&self, signal: &str) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill")
            .args([signal, "--", &group])
            .stderr(Stdio::null())
            .status();
    }

    /// Whether any process of the group is alive (zombies included until reaped).
    fn alive(&self) -> bool {
        Command::new("pgrep")
            .args(["-g", &self.0.id().to_string()])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// Stops the group; true when no member is left.
    fn stop(&mut self) -> bool {
        self.signal("-TERM");
        let until = Instant::now() + Duration::from_secs(5);
        while Instant::now() < until && self.0.try_wait().ok().flatten().is_none() {
            std::thread::sleep(Duration::from_millis(20));
        }
        self.signal("-KILL");
        let _ = self.0.wait();
        let until = Instant::now() + Duration::from_secs(5);
        while self.alive() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(50));
        }
        !self.alive()
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.stop();
    }
}

fn header<'a>(text: &'a str, name: &str) -> &'a str {
    text.split("\r\n\r\n")
        .next()
        .unwrap_or("")
        .split("\r\n")
        .skip(1)
        .find_map(|h| {
            let (n, v) = h.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
        .unwrap_or("")
}

/// A response to `request` from a UAS with To tag `tag`.
fn response(request: &str, code: u16, reason: &str, tag: &str, extra: &str) -> String {
    let head = request.split("\r\n\r\n").next().unwrap_or("");
    let vias: String = head
        .split("\r\n")
        .skip(1)
        .filter(|h| h.to_ascii_lowercase().starts_with("via:"))
        .flat_map(|h| [h, "\r\n"])
        .collect();
    let to = header(request, "To");
    let to = if to.contains(";tag=") {
        to.to_owned()
    } else {
        format!("{to};tag={tag}")
    };
    format!(
        "SIP/2.0 {code} {reason}\r\n{vias}From: {}\r\nTo: {to}\r\nCall-ID: {}\r\nCSeq: {}\r\n{extra}Content-Length: 0\r\n\r\n",
        header(request, "From"),
        header(request, "Call-ID"),
        header(request, "CSeq"),
    )
}

fn reason(code: u16) -> &'static str {
    sip_responses::StatusCode::from_u16(code).map_or("Vendor", |c| c.reason())
}

/// UAS `index`: for each INVITE (a retransmission, same Call-ID, is ignored), the steps of
/// `X-Script`'s part `index` (`rCODE@ms` retransmits a final: sent even after the final); a
/// CANCEL before the final gets 200 and a 487, a CANCEL of no call it knows 481 (9.2) with
/// the top Via it arrived with in `X-Received-Via`; ACK is ignored; a BYE gets 200. Each call's state is its own (the same UASes serve the example and
/// Kamailio, one call after the other). Runs until `until`.
// The socket moves into the UAS's thread with it.
#[allow(clippy::needless_pass_by_value)]
fn uas(socket: UdpSocket, index: usize, until: Instant) {
    use std::collections::HashMap;
    socket
        .set_read_timeout(Some(Duration::from_millis(5)))
        .unwrap();
    let mut buf = vec![0u8; 65_535];
    // Per Call-ID: the INVITE, where it came from, whether a final went out.
    let mut calls: HashMap<String, (String, SocketAddr, bool)> = HashMap::new();
    let mut pending: Vec<(Instant, String, String, SocketAddr, bool)> = Vec::new();
    while Instant::now() < until {
        let now = Instant::now();
        pending.retain(|(at, id, msg, to, again)| {
            if *at > now {
                return true;
            }
            let Some((_, _, done)) = calls.get_mut(id) else {
                return false;
            };
            if msg.as_bytes()[8] != b'1' && !again {
                if *done {
                    return false; // cancelled: the 487 was the final
                }
                *done = true;
            }
            let _ = socket.send_to(msg.as_bytes(), to);
            false
        });
        let Ok((n, from)) = socket.recv_from(&mut buf) else {
            continue;
        };
        let text = String::from_utf8_lossy(&buf[..n]).into_owned();
        let method = text.split(' ').next().unwrap_or("");
        let id = header(&text, "Call-ID").to_owned();
        let tag = format!("uas{index}");
        match method {
            "INVITE" if calls.contains_key(&id) => {} // a retransmission
            "INVITE" => {
                let script = header(&text, "X-Script")
                    .split('|')
                    .nth(index)
                    .unwrap_or("")
                    .to_owned();
                for step in script
                    .split(',')
                    .filter(|s| !s.is_empty() && *s != "silent")
                {
                    let (again, step) = step.strip_prefix('r').map_or((false, step), |s| (true, s));
                    let (code, ms) = step.split_once('@').unwrap();
                    let code: u16 = code.parse().unwrap();
                    let extra = match code {
                        401 => format!("WWW-Authenticate: Digest realm=\"uas{index}\"\r\n"),
                        407 => format!("Proxy-Authenticate: Digest realm=\"uas{index}\"\r\n"),
                        _ => String::new(),
                    };
                    let msg = response(&text, code, reason(code), &tag, &extra);
                    // From when the INVITE arrived, not from the top of the loop.
                    let at = Instant::now() + Duration::from_millis(ms.parse().unwrap());
                    pending.push((at, id.clone(), msg, from, again));
                }
                calls.insert(id, (text, from, false));
            }
            "CANCEL" if !calls.contains_key(&id) => {
                let via = format!("X-Received-Via: {}\r\n", header(&text, "Via"));
                let msg = response(&text, 481, "Call/Transaction Does Not Exist", &tag, &via);
                let _ = socket.send_to(msg.as_bytes(), from);
            }
            "CANCEL" => {
                let _ = socket.send_to(response(&text, 200, "OK", &tag, "").as_bytes(), from);
                if let Some((request, to, done)) = calls.get_mut(&id) {
                    if !*done {
                        *done = true;
                        let msg = response(request, 487, "Request Terminated", &tag, "");
                        let _ = socket.send_to(msg.as_bytes(), *to);
                    }
                }
            }
            "BYE" => {
                let who = format!("X-Uas: {tag}\r\n");
                let _ = socket.send_to(response(&text, 200, "OK", &tag, &who).as_bytes(), from);
            }
            _ => {}
        }
    }
}

/// What reached the caller: the provisional codes forwarded, the final code, its challenges.
#[derive(Debug, PartialEq)]
struct Outcome {
    provisionals: Vec<u16>,
    final_code: u16,
    challenges: usize,
}

/// Places one call through the proxy at `proxy` with `script`; after a 2xx, ACK and BYE go
/// through the proxy too and the BYE's 200 must come back.
fn call(proxy: SocketAddr, script: &str, id: usize) -> Option<Outcome> {
    call_with(proxy, script, id, true, None)
}

/// [`call`], with or without ACK and BYE after a 2xx (`in_dialog`; a proxy that does not
/// record-route, like the Kamailio configuration here, gets no in-dialog request), and with a
/// CANCEL from the caller `cancel_after` the INVITE.
fn call_with(
    proxy: SocketAddr,
    script: &str,
    id: usize,
    in_dialog: bool,
    cancel_after: Option<Duration>,
) -> Option<Outcome> {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    let local = socket.local_addr().unwrap();
    let call_id = format!("fp{id}-{}@127.0.0.1", std::process::id());
    let invite = format!(
        "INVITE sip:service@{proxy} SIP/2.0\r\nVia: SIP/2.0/UDP {local};branch=z9hG4bKc{id}\r\nMax-Forwards: 70\r\nFrom: <sip:caller@{local}>;tag=c{id}\r\nTo: <sip:service@{proxy}>\r\nCall-ID: {call_id}\r\nCSeq: 1 INVITE\r\nX-Script: {script}\r\nContent-Length: 0\r\n\r\n"
    );
    socket.send_to(invite.as_bytes(), proxy).unwrap();
    let sent = Instant::now();
    let mut cancel = cancel_after.map(|after| {
        let cancel = format!(
            "CANCEL sip:service@{proxy} SIP/2.0\r\nVia: SIP/2.0/UDP {local};branch=z9hG4bKc{id}\r\nMax-Forwards: 70\r\nFrom: <sip:caller@{local}>;tag=c{id}\r\nTo: <sip:service@{proxy}>\r\nCall-ID: {call_id}\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n"
        );
        (sent + after, cancel)
    });
    let until = Instant::now() + Duration::from_secs(8);
    let mut buf = vec![0u8; 65_535];
    let mut provisionals = Vec::new();
    loop {
        if Instant::now() >= until {
            return None;
        }
        if let Some((_, message)) = cancel.take_if(|(at, _)| Instant::now() >= *at) {
            socket.send_to(message.as_bytes(), proxy).unwrap();
        }
        let Ok((n, _)) = socket.recv_from(&mut buf) else {
            continue;
        };
        let text = String::from_utf8_lossy(&buf[..n]).into_owned();
        let code: u16 = text[8..11].parse().unwrap();
        // 16.7 step 3: the proxy's own Via is gone, the caller's is the only one left.
        let vias: Vec<&str> = text
            .split("\r\n")
            .filter(|l| l.starts_with("Via:"))
            .collect();
        assert_eq!(
            vias,
            [format!("Via: SIP/2.0/UDP {local};branch=z9hG4bKc{id}")],
            "{text}"
        );
        if code == 100 || !header(&text, "CSeq").ends_with("INVITE") {
            continue; // 100, or the 200 to our CANCEL
        }
        if code < 200 {
            provisionals.push(code);
            continue;
        }
        let challenges = text.matches("Authenticate:").count();
        if in_dialog && (200..300).contains(&code) {
            let to = header(&text, "To");
            let ack = format!(
                "ACK sip:service@{proxy} SIP/2.0\r\nVia: SIP/2.0/UDP {local};branch=z9hG4bKa{id}\r\nMax-Forwards: 70\r\nFrom: <sip:caller@{local}>;tag=c{id}\r\nTo: {to}\r\nCall-ID: {call_id}\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n"
            );
            socket.send_to(ack.as_bytes(), proxy).unwrap();
            let bye = format!(
                "BYE sip:service@{proxy} SIP/2.0\r\nVia: SIP/2.0/UDP {local};branch=z9hG4bKb{id}\r\nMax-Forwards: 70\r\nFrom: <sip:caller@{local}>;tag=c{id}\r\nTo: {to}\r\nCall-ID: {call_id}\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n"
            );
            socket.send_to(bye.as_bytes(), proxy).unwrap();
            loop {
                assert!(Instant::now() < until, "no answer to the BYE for {script}");
                let Ok((n, _)) = socket.recv_from(&mut buf) else {
                    continue;
                };
                let text = String::from_utf8_lossy(&buf[..n]);
                if header(&text, "CSeq").ends_with("BYE") {
                    assert!(text.starts_with("SIP/2.0 200"), "{text}");
                    break;
                }
            }
        }
        return Some(Outcome {
            provisionals,
            final_code: code,
            challenges,
        });
    }
}

/// Stops the proxy and returns its log.
fn stop(child: &mut Killed) -> String {
    let _ = child.0.kill();
    let _ = child.0.wait();
    let mut log = String::new();
    if let Some(mut out) = child.0.stdout.take() {
        let _ = std::io::Read::read_to_string(&mut out, &mut log);
    }
    log
}

/// The scenario table: the answers of the three branches (`code@ms` steps, or `silent`), and
/// what RFC 3261 16.7-16.9 (and `ResponseContext`) make of them: the provisionals forwarded,
/// the final code, how many challenges the final carries.
const CASES: &[(&str, &[u16], u16, usize)] = &[
    ("486@50|407@80|503@60", &[], 407, 1), // resubmission first in 4xx
    ("503@50|503@60|503@70", &[], 500, 0), // a lone 503 class: generated 500
    ("486@50|603@80|200@200", &[], 200, 0), // a 2xx after the 6xx goes upstream
    ("401@50|407@60|486@70", &[], 401, 2), // both challenges merged
    ("silent|silent|silent", &[], 408, 0), // Timer C without provisionals
    ("302@50|486@60|500@70", &[], 302, 0), // lowest class
    ("486@50|415@60|480@70", &[], 415, 0), // 415 affects resubmission
    ("500@50|503@60|silent", &[], 408, 0), // Timer C's 408 beats 5xx
    ("180@30,486@120|183@70,404@150|480@100", &[180, 183], 404, 0), // lowest code in 4xx
    ("100@20,180@40,200@100|486@50|180@30", &[180, 180], 200, 0), // 100 absorbed; 2xx wins
    ("180@30|486@50|603@60", &[180], 603, 0), // 6xx cancels the ringing branch
    ("180@30|silent|486@50", &[180], 486, 0), // Timer C: CANCEL b0, a 408 for b1, ranked last
    ("180@30|183@70|404@100", &[180, 183], 404, 0), // Timer C CANCELs the ringing ones; 487 loses to 404
    ("499@50|500@60|603@500", &[], 603, 0),         // 6xx waited for
    ("499@50|408@60|500@70", &[], 408, 0),          // lowest code in 4xx, 499 unknown
    ("200@50|486@60|486@70", &[], 200, 0),          // a 2xx first
    ("486@50|200@60|603@70", &[], 200, 0),          // a 6xx after the 2xx is absorbed
    ("603@50|200@300|486@60", &[], 200, 0),         // no provisional: not cancelled, 2xx wins
    ("180@20,603@50|180@30|180@40", &[180, 180, 180], 603, 0), // 6xx cancels two ringing branches
    ("404@50|404@60|404@70", &[], 404, 0),          // equal codes: the earliest
    ("486@50|486@60|480@70", &[], 480, 0),          // lowest code
    ("401@50|401@60|401@70", &[], 401, 3),          // three challenges merged
    ("407@50|486@60|500@70", &[], 407, 1),          // 407 before 486
    ("301@50|302@60|305@70", &[], 301, 0),          // lowest 3xx
    ("380@50|486@60|503@70", &[], 380, 0),          // 3xx before 4xx
    ("180@30,200@80|180@40,200@90|486@50", &[180, 180], 200, 0), // every 2xx goes up
    ("183@30|183@40|183@50", &[183, 183, 183], 487, 0), // Timer C cancels all three
    ("100@20|100@30|100@40", &[], 487, 0),          // 100 is a provisional for 9.1
    ("500@50|502@60|504@70", &[], 500, 0),          // lowest 5xx
    ("503@50|504@60|silent", &[], 408, 0),          // Timer C's 408 beats 5xx
    ("600@50|486@60|603@70", &[], 600, 0),          // lowest 6xx
    ("488@50|606@60|200@400", &[], 200, 0),         // 2xx after 606, uncancellable branch
];

/// Three scripted UASes on 127.0.0.1 (the third a port nobody listens on, with `dead`).
fn uases(dead: bool) -> (Vec<String>, Vec<std::thread::JoinHandle<()>>) {
    let until = Instant::now() + Duration::from_secs(90);
    let mut targets = Vec::new();
    let mut threads = Vec::new();
    for i in 0..3 {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        let addr = socket.local_addr().unwrap();
        if dead && i == 2 {
            drop(socket); // nothing listens there now: ICMP port unreachable
        } else {
            threads.push(std::thread::spawn(move || uas(socket, i, until)));
        }
        targets.push(addr.to_string());
    }
    (targets, threads)
}

/// The `forking_proxy` example in front of `targets`, Timer C at one second.
fn ours(targets: &[String]) -> (SocketAddr, Killed) {
    ours_with(targets, &["--timer-c", "1000"])
}

/// The `forking_proxy` example in front of `targets`, with `options`.
fn ours_with(targets: &[String], options: &[&str]) -> (SocketAddr, Killed) {
    let listen = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let child = Command::new(example())
        .arg(listen.to_string())
        .args(targets)
        .args(options)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("forking_proxy starts");
    std::thread::sleep(Duration::from_millis(200));
    (listen, Killed(child))
}

/// One proxy with three UASes; `dead` replaces the third by a port nobody listens on.
fn proxy(dead: bool) -> (SocketAddr, Killed, Vec<std::thread::JoinHandle<()>>) {
    let (targets, threads) = uases(dead);
    let (listen, child) = ours(&targets);
    (listen, child, threads)
}

/// The scenario table: the answers of the three branches, and what RFC 3261 16.7-16.9 (and
/// `ResponseContext`) make of them: provisionals forwarded, the final code, challenges merged.
#[test]
fn the_proxy_forwards_what_the_response_context_decides() {
    let _serial = serial();
    let (listen, mut child, _threads) = proxy(false);
    let cases = CASES;
    let mut failures = Vec::new();
    for (id, (script, provisionals, final_code, challenges)) in cases.iter().enumerate() {
        let Some(got) = call(listen, script, id) else {
            failures.push(format!("{script}: no final response"));
            break;
        };
        let want = Outcome {
            provisionals: provisionals.to_vec(),
            final_code: *final_code,
            challenges: *challenges,
        };
        println!("{script:40} -> {got:?}");
        if got != want {
            failures.push(format!("{script}: got {got:?}, want {want:?}"));
        }
    }
    let log = stop(&mut child);
    assert!(failures.is_empty(), "{failures:#?}\nproxy log:\n{log}");
}

/// 16.9: a target that refuses the datagram counts as a 503, and the call still ends.
#[test]
fn a_transport_error_counts_as_503() {
    let _serial = serial();
    let (listen, mut child, _threads) = proxy(true);
    assert_eq!(
        call(listen, "486@50|480@60|200@10", 0).map(|o| o.final_code),
        Some(480)
    );
    assert_eq!(
        call(listen, "503@50|503@60|200@10", 1).map(|o| o.final_code),
        Some(500)
    );
    // Without the transport error, branch 2 would end on Timer C as a 408, which beats the
    // 5xx: the 500 is the 503 the context stands in for the refused datagram.
    let _ = stop(&mut child);
}

/// A caller on 127.0.0.1 that sends one INVITE (Call-ID `fp{id}-PID`) with `script` to
/// `proxy`; returns its socket and the INVITE.
fn invite(proxy: SocketAddr, script: &str, id: usize) -> (UdpSocket, String) {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_millis(20)))
        .unwrap();
    let local = socket.local_addr().unwrap();
    let invite = format!(
        "INVITE sip:service@{proxy} SIP/2.0\r\nVia: SIP/2.0/UDP {local};branch=z9hG4bKc{id}\r\nMax-Forwards: 70\r\nFrom: <sip:caller@{local}>;tag=c{id}\r\nTo: <sip:service@{proxy}>\r\nCall-ID: fp{id}-{}@127.0.0.1\r\nCSeq: 1 INVITE\r\nX-Script: {script}\r\nContent-Length: 0\r\n\r\n",
        std::process::id()
    );
    socket.send_to(invite.as_bytes(), proxy).unwrap();
    (socket, invite)
}

/// Every message that reaches `socket` within `window`.
fn received(socket: &UdpSocket, window: Duration) -> Vec<String> {
    let until = Instant::now() + window;
    let mut buf = vec![0u8; 65_535];
    let mut got = Vec::new();
    while Instant::now() < until {
        if let Ok((n, _)) = socket.recv_from(&mut buf) {
            got.push(String::from_utf8_lossy(&buf[..n]).into_owned());
        }
    }
    got
}

fn to_tag(message: &str) -> &str {
    header(message, "To")
        .split_once(";tag=")
        .map_or("", |(_, t)| t)
}

/// RFC 3261 16.7 step 5: "After a final response has been sent on the server transaction, the
/// following responses MUST be forwarded immediately: - Any 2xx response to an INVITE
/// request". Branch 0 answers 200 and sends it again (a retransmission), branch 1 answers 200
/// after it, branch 2 486: the caller receives all three 200s, two with branch 0's To tag and
/// one with branch 1's, and no 486; a BYE with branch 1's tag reaches branch 1.
#[test]
fn every_2xx_to_an_invite_goes_upstream() {
    let _serial = serial();
    let (listen, mut child, _threads) = proxy(false);
    let (caller, invite) = invite(listen, "200@50,r200@400|200@200|486@100", 0);
    let got = received(&caller, Duration::from_millis(900));
    let mut finals: Vec<(&str, &str)> = got
        .iter()
        .filter(|r| !r.starts_with("SIP/2.0 1"))
        .map(|r| (&r[8..11], to_tag(r)))
        .collect();
    finals.sort_unstable();
    // The second fork's dialog: BYE it through the proxy (its ACK first, as 13.2.2.4 has it).
    let local = caller.local_addr().unwrap();
    let (call_id, from) = (header(&invite, "Call-ID"), header(&invite, "From"));
    for (method, cseq) in [("ACK", "1 ACK"), ("BYE", "2 BYE")] {
        let request = format!(
            "{method} sip:service@{listen} SIP/2.0\r\nVia: SIP/2.0/UDP {local};branch=z9hG4bK{method}\r\nMax-Forwards: 70\r\nFrom: {from}\r\nTo: <sip:service@{listen}>;tag=uas1\r\nCall-ID: {call_id}\r\nCSeq: {cseq}\r\nContent-Length: 0\r\n\r\n"
        );
        caller.send_to(request.as_bytes(), listen).unwrap();
    }
    let bye = received(&caller, Duration::from_millis(300));
    let log = stop(&mut child);
    assert_eq!(
        finals,
        [("200", "uas0"), ("200", "uas0"), ("200", "uas1")],
        "{got:#?}\n{log}"
    );
    assert!(
        bye.iter().any(|r| r.starts_with("SIP/2.0 200")
            && header(r, "CSeq") == "2 BYE"
            && header(r, "X-Uas") == "uas1"),
        "the BYE with branch 1's tag must reach branch 1: {bye:#?}\n{log}"
    );
}

/// The proxy's server transaction (17.2.1): a retransmitted INVITE gets the last provisional
/// again; the non-2xx final is retransmitted on Timer G (500 ms, then 1 s later) until the
/// caller's ACK, and not after it.
#[test]
fn the_server_transaction_repeats_and_retransmits() {
    let _serial = serial();
    let (listen, mut child, _threads) = proxy(false);
    let (caller, invite) = invite(listen, "180@50,486@300|486@100|486@150", 0);
    let codes =
        |got: &[String]| -> Vec<String> { got.iter().map(|r| r[8..11].to_owned()).collect() };
    let first = received(&caller, Duration::from_millis(150));
    caller.send_to(invite.as_bytes(), listen).unwrap(); // a retransmission
    let second = received(&caller, Duration::from_millis(1150));
    let to = second
        .iter()
        .find(|r| r.starts_with("SIP/2.0 486"))
        .map(|r| header(r, "To"));
    let ack = invite
        .replacen("INVITE sip:", "ACK sip:", 1)
        .replace("CSeq: 1 INVITE", "CSeq: 1 ACK")
        .replace(
            &format!("To: {}", header(&invite, "To")),
            &format!("To: {}", to.unwrap_or("")),
        );
    caller.send_to(ack.as_bytes(), listen).unwrap();
    let third = received(&caller, Duration::from_millis(1200));
    let log = stop(&mut child);
    assert_eq!(codes(&first), ["100", "180"], "{first:#?}\n{log}");
    assert_eq!(codes(&second), ["180", "486", "486"], "{second:#?}\n{log}");
    assert_eq!(codes(&third), [] as [&str; 0], "{third:#?}\n{log}");
}

/// RFC 3261 16.7 step 2: "For an INVITE transaction, if the response is a provisional response
/// with status codes 101 to 199 inclusive (i.e., anything but 100), the proxy MUST reset timer
/// C for that client transaction." Timer C at one second; branch 0 rings at once and again at
/// 700 ms, and answers 200 at 1400 ms: after the first Timer C would have fired, before the
/// restarted one. Had it fired, branch 0 would have been `CANCELled` and answered 487 (the
/// scripted UAS sends no 200 after that); the caller gets the 200.
#[test]
fn a_provisional_restarts_timer_c() {
    let _serial = serial();
    let (listen, mut child, _threads) = proxy(false);
    let got = call(listen, "180@0,180@700,200@1400|486@50|486@60", 0);
    let log = stop(&mut child);
    assert_eq!(
        got,
        Some(Outcome {
            provisionals: vec![180, 180],
            final_code: 200,
            challenges: 0
        }),
        "{log}"
    );
}

/// Without `--timer-c`, Timer C is `TimerC::DEFAULT`: RFC 3261 16.6 step 11, "The timer MUST
/// be larger than 3 minutes", so 181 s.
#[test]
fn timer_c_defaults_to_more_than_3_minutes() {
    let _serial = serial();
    let (_, mut child) = ours_with(&["127.0.0.1:9".to_owned()], &[]);
    let log = stop(&mut child);
    assert!(log.contains("Timer C 181000 ms"), "{log}");
}

/// A CANCEL sent twice (a retransmission) for a call the proxy never saw; what reaches the
/// caller within half a second.
fn stray_cancel(proxy: SocketAddr, id: usize) -> Vec<String> {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_millis(20)))
        .unwrap();
    let local = socket.local_addr().unwrap();
    let cancel = format!(
        "CANCEL sip:service@{proxy} SIP/2.0\r\nVia: SIP/2.0/UDP {local};branch=z9hG4bKs{id}\r\nMax-Forwards: 70\r\nFrom: <sip:caller@{local}>;tag=s{id}\r\nTo: <sip:service@{proxy}>\r\nCall-ID: stray{id}-{}@127.0.0.1\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n",
        std::process::id()
    );
    socket.send_to(cancel.as_bytes(), proxy).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    socket.send_to(cancel.as_bytes(), proxy).unwrap();
    received(&socket, Duration::from_millis(500))
}

/// RFC 3261 16.10: "If a response context is not found, the element does not have any
/// knowledge of the request to apply the CANCEL to. It MUST statelessly forward the CANCEL
/// request". A CANCEL of no call reaches the first target with the proxy's Via on top, whose
/// branch is the same for the retransmission (16.11: a stateless proxy computes it from the
/// request), and the UAS's 481 comes back to the caller without that Via; the proxy answers
/// nothing itself (no 200).
#[test]
fn a_stray_cancel_is_forwarded_statelessly() {
    let _serial = serial();
    let (listen, mut child, _threads) = proxy(false);
    let got = stray_cancel(listen, 0);
    let log = stop(&mut child);
    assert_eq!(got.len(), 2, "{got:#?}\n{log}");
    for response in &got {
        assert!(response.starts_with("SIP/2.0 481 "), "{response}\n{log}");
        assert_eq!(to_tag(response), "uas0", "{response}");
        assert_eq!(response.matches("\r\nVia:").count(), 1, "{response}");
        let via = header(response, "X-Received-Via");
        assert!(
            via.starts_with(&format!("SIP/2.0/UDP {listen};branch=z9hG4bK")),
            "{response}"
        );
        assert_eq!(via, header(&got[0], "X-Received-Via"));
    }
}

/// Kamailio (Debian's `kamailio`, tm module) forking to `targets` as the example does, with
/// its final-response timers at one second like the example's Timer C. Returns its address,
/// the process, and the directory it runs in.
fn kamailio(targets: &[String]) -> Option<(SocketAddr, Group, std::path::PathBuf)> {
    let binary = ["/usr/sbin/kamailio", "/usr/bin/kamailio"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())?;
    let dir = std::env::temp_dir().join(format!("kamailio-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let port = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let branches: String = targets[1..].iter().fold(String::new(), |mut out, t| {
        let _ = writeln!(out, "        append_branch(\"sip:uas@{t}\");");
        out
    });
    let config = format!(
        r#"#!KAMAILIO
debug=1
log_stderror=yes
children=1
auto_aliases=no
listen=udp:127.0.0.1:{port}
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "corex.so"
modparam("tm", "fr_timer", 1000)
modparam("tm", "fr_inv_timer", 1000)
request_route {{
    if (!mf_process_maxfwd_header("10")) {{ sl_send_reply("483", "Too Many Hops"); exit; }}
    if (is_method("CANCEL")) {{ if (t_check_trans()) {{ t_relay(); }} exit; }}
    if (is_method("ACK")) {{ if (t_check_trans()) {{ t_relay(); }} exit; }}
    if (is_method("INVITE")) {{
        $ru = "sip:uas@{first}";
{branches}        t_relay();
        exit;
    }}
    sl_send_reply("405", "Method Not Allowed");
}}
"#,
        first = targets[0],
    );
    let file = dir.join("kamailio.cfg");
    std::fs::write(&file, config).unwrap();
    let child = Group::spawn(
        Command::new(binary)
            .arg("-f")
            .arg(&file)
            .args(["-DD", "-E", "-u", "root", "-g", "root", "-w"])
            .arg(&dir)
            .arg("-P")
            .arg(dir.join("kamailio.pid"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    )?;
    std::thread::sleep(Duration::from_millis(1500));
    Some((SocketAddr::from(([127, 0, 0, 1], port)), child, dir))
}

/// Kamailio's answers beside the example's for every scenario of the table, printed as a
/// table. The example must do what the context says; Kamailio may differ only where this
/// list says, each difference with the RFC 3261 sentence that decides it.
#[test]
fn kamailio_differential() {
    let _serial = serial();
    let (targets, _threads) = uases(false);
    let Some((kam, mut kam_child, dir)) = kamailio(&targets) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "kamailio is not installed; .ci/run installs it"
        );
        eprintln!("kamailio is not installed (Debian's `kamailio`): skipped");
        return;
    };
    let (mine, mut mine_child) = ours(&targets);
    println!(
        "{:42} {:>9} {:>9} {:>9}",
        "branches", "RFC", "example", "Kamailio"
    );
    let mut problems = Vec::new();
    let mut differences = Vec::new();
    for (id, (script, _, final_code, _)) in CASES.iter().enumerate() {
        let got = call_with(mine, script, 2 * id, false, None).map(|o| o.final_code);
        let theirs = call_with(kam, script, 2 * id + 1, false, None).map(|o| o.final_code);
        println!(
            "{script:42} {final_code:>9} {:>9} {:>9}",
            fmt(got),
            fmt(theirs)
        );
        if got != Some(*final_code) {
            problems.push(format!(
                "{script}: the example sent {got:?}, the context says {final_code}"
            ));
        }
        if theirs != got {
            differences.push((*script, theirs));
        }
    }
    // 16.10: the caller CANCELs while every branch rings: each branch is cancelled, and the
    // 487s complete the context.
    let script = "180@30|180@40|183@50";
    let cancel = Some(Duration::from_millis(200));
    let got = call_with(mine, script, 1000, false, cancel).map(|o| o.final_code);
    let theirs = call_with(kam, script, 1001, false, cancel).map(|o| o.final_code);
    println!(
        "{:42} {:>9} {:>9} {:>9}",
        format!("{script} + caller CANCEL"),
        487,
        fmt(got),
        fmt(theirs)
    );
    if got != Some(487) {
        problems.push(format!(
            "caller CANCEL: the example sent {got:?}, the context says 487"
        ));
    }
    if theirs != got {
        differences.push(("caller CANCEL", theirs));
    }
    // 16.10: a CANCEL of no call is forwarded statelessly; the UAS answers it 481.
    let code = |r: Vec<String>| r.first().and_then(|r| r.get(8..11)?.parse::<u16>().ok());
    let got = code(stray_cancel(mine, 2000));
    let theirs = code(stray_cancel(kam, 2001));
    println!(
        "{:42} {:>9} {:>9} {:>9}",
        "stray CANCEL",
        481,
        fmt(got),
        fmt(theirs)
    );
    if got != Some(481) {
        problems.push(format!(
            "stray CANCEL: the example relayed {got:?}, the UAS answers 481"
        ));
    }
    if theirs != got {
        differences.push(("stray CANCEL", theirs));
    }
    let log = stop(&mut mine_child);
    let stopped = kam_child.stop();
    let _ = std::fs::remove_dir_all(dir);
    assert!(stopped, "a Kamailio process outlived the test");
    assert!(problems.is_empty(), "{problems:#?}\n{log}");
    for (script, theirs) in &differences {
        let known = KAMAILIO_DIFFERS.iter().find(|(s, _, _)| s == script);
        assert!(
            known.is_some_and(|(_, k, _)| k == theirs),
            "Kamailio answered {theirs:?} for {script}, which is not a known difference"
        );
    }
}

fn fmt(code: Option<u16>) -> String {
    code.map_or_else(|| "none".to_owned(), |c| c.to_string())
}

/// Where Kamailio 5.6.3 and RFC 3261 (and so the example) differ: the branches, Kamailio's
/// final code, and the sentence of RFC 3261 that the example follows instead.
const KAMAILIO_DIFFERS: &[(&str, Option<u16>, &str)] = &[
    (
        "183@30|183@40|183@50",
        Some(408),
        "16.8: \"If the client transaction has received a provisional response, the proxy MUST \
         generate a CANCEL request matching that transaction\": the branch's answer to the \
         CANCEL (487) is its final response; Kamailio's fr_inv_timer also injects a local 408",
    ),
    (
        "100@20|100@30|100@40",
        Some(408),
        "16.8 as above: a 100 is a provisional response (9.1 allows the CANCEL after it), so \
         the CANCELled branches' 487s are the finals; Kamailio's fr_timer injects 408",
    ),
    (
        "180@30|silent|486@50",
        Some(408),
        "no sentence forces either: 16.8 has the silent branch end \"as if the transaction \
         received a 408\" and 16.7 step 6 lets the proxy \"select any response within that \
         chosen class\"; ResponseContext ranks that stand-in 408 after every received 4xx \
         (the 486), Kamailio takes the lowest code (its own 408)",
    ),
    (
        "stray CANCEL",
        None,
        "16.10: \"If a response context is not found, ... It MUST statelessly forward the \
         CANCEL request\": the UAS's 481 comes back; Kamailio's CANCEL route (the stock \
         `if (t_check_trans()) t_relay(); exit;`) drops it, and the caller hears nothing",
    ),
];

#[path = "sipp/support.rs"]
#[allow(dead_code)] // this file uses sipp only as caller and UAS
mod support;

/// Between SIPp processes: SIPp's built-in `uac` calls through the proxy, which forks to
/// SIPp's built-in `uas` (180, then 200) and to a scripted UAS that answers 486 and sends the
/// 486 again 100 ms later. The 200 goes upstream, SIPp's ACK and BYE reach the UAS that
/// answered, both SIPp processes finish their call successfully, and the busy UAS gets the
/// hop-by-hop ACK of its 486 (17.1.1.3) twice, once per copy, on the INVITE's branch.
#[test]
fn sipp_calls_through_the_proxy() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let _serial = serial();
    if !support::sipp_available() {
        return;
    }
    let uas_port = support::free_port();
    let mut uas = support::Sipp::start(&["-sn", "uas"], uas_port);
    let busy = UdpSocket::bind("127.0.0.1:0").unwrap();
    let busy_addr = busy.local_addr().unwrap();
    let until = Instant::now() + Duration::from_secs(30);
    let acks = std::sync::Arc::new(AtomicUsize::new(0));
    let counted = std::sync::Arc::clone(&acks);
    // The scripted UAS answers from the script it finds (none in SIPp's INVITE): 486 always.
    let _busy = std::thread::spawn(move || {
        busy.set_read_timeout(Some(Duration::from_millis(5)))
            .unwrap();
        let mut buf = vec![0u8; 65_535];
        let mut branch = String::new();
        while Instant::now() < until {
            let Ok((n, from)) = busy.recv_from(&mut buf) else {
                continue;
            };
            let text = String::from_utf8_lossy(&buf[..n]).into_owned();
            if text.starts_with("INVITE ") && branch.is_empty() {
                header(&text, "Via").clone_into(&mut branch);
                let msg = response(&text, 486, "Busy Here", "busy", "");
                let _ = busy.send_to(msg.as_bytes(), from);
                std::thread::sleep(Duration::from_millis(100));
                let _ = busy.send_to(msg.as_bytes(), from);
            } else if text.starts_with("ACK ")
                && header(&text, "Via") == branch
                && header(&text, "CSeq") == "1 ACK"
                && header(&text, "To").ends_with(";tag=busy")
            {
                counted.fetch_add(1, Ordering::SeqCst);
            }
        }
    });
    let (listen, mut child) = ours(&[format!("127.0.0.1:{uas_port}"), busy_addr.to_string()]);
    std::thread::sleep(Duration::from_millis(300)); // SIPp's uas up
    let remote = listen.to_string();
    let mut uac = support::Sipp::start(&["-sn", "uac", remote.as_str()], support::free_port());
    let caller_ok = uac.finished_ok();
    let uas_ok = uas.finished_ok();
    std::thread::sleep(Duration::from_millis(200)); // the second ACK
    let log = stop(&mut child);
    assert!(caller_ok, "SIPp's uac did not complete its call:\n{log}");
    assert!(uas_ok, "SIPp's uas did not complete its call:\n{log}");
    assert_eq!(
        acks.load(Ordering::SeqCst),
        2,
        "the 486 and its copy, each ACKed:\n{log}"
    );
}

/// A real softphone through the proxy: baresip (Debian's `baresip-core`, headless: a sine as
/// microphone, a file as speaker) dials the proxy, which forwards to SIPp's built-in `uas`;
/// baresip prints `Call established`, hangs up after three seconds (its BYE goes to the UAS's
/// Contact), and SIPp's UAS completes its call.
#[test]
fn baresip_calls_through_the_proxy() {
    let _serial = serial();
    let found = Command::new("baresip")
        .arg("-h")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        eprintln!("skipped: baresip is not installed (Debian package baresip-core)");
        return;
    }
    if !support::sipp_available() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("baresip-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let wav = dir.join("out.wav");
    let config = format!(
        "sip_listen 127.0.0.1:{port}\nmodule_path /usr/lib/baresip/modules\nmodule g711.so\n\
         module ausine.so\nmodule aufile.so\nmodule account.so\nmodule menu.so\n\
         audio_source ausine,440\naudio_player aufile,{wav}\naudio_alert aufile,{wav}\n\
         ausrc_srate 48000\nausrc_channels 2\nauplay_srate 48000\nauplay_channels 2\n",
        port = support::free_port(),
        wav = wav.display(),
    );
    std::fs::write(dir.join("config"), config).unwrap();
    std::fs::write(dir.join("accounts"), "<sip:alice@127.0.0.1>;regint=0\n").unwrap();
    let uas_port = support::free_port();
    let mut uas = support::Sipp::start(&["-sn", "uas"], uas_port);
    let (listen, mut proxy) = ours(&[format!("127.0.0.1:{uas_port}")]);
    std::thread::sleep(Duration::from_millis(300)); // SIPp's uas up
    let mut phone = Killed(
        Command::new("baresip")
            .arg("-f")
            .arg(&dir)
            .args(["-e", &format!("/dial sip:uas@{listen}"), "-t", "3"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut stdout = phone.0.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut out);
        out
    });
    let uas_ok = uas.finished_ok();
    // baresip stays up after its BYE; a SIGTERM makes it flush its output and exit.
    std::thread::sleep(Duration::from_millis(300));
    let _ = Command::new("kill")
        .args(["-TERM", &phone.0.id().to_string()])
        .status();
    let until = Instant::now() + Duration::from_secs(5);
    while Instant::now() < until && phone.0.try_wait().ok().flatten().is_none() {
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(phone);
    let out = reader.join().unwrap();
    let log = stop(&mut proxy);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.contains("Call established"),
        "baresip:\n{out}\nproxy:\n{log}"
    );
    assert!(
        uas_ok,
        "SIPp's uas did not complete its call:\n{out}\n{log}"
    );
}

/// A few seconds of load (the full run is `benches/load.sh`): SIPp's built-in uac places 300
/// calls at 100 calls/s through the proxy to SIPp's built-in uas; both must report every
/// call successful.
#[test]
fn three_seconds_of_load() {
    let _serial = serial();
    if !support::sipp_available() {
        return;
    }
    let sipp = |args: &[&str], port: u16| {
        let port = port.to_string();
        let common = ["-i", "127.0.0.1", "-p", &port, "-m", "300", "-nostdin"];
        Killed(
            Command::new("sipp")
                .args(args)
                .args(common)
                .args(["-timeout", "30s"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("sipp starts"),
        )
    };
    let uas_port = support::free_port();
    let mut uas = sipp(&["-sn", "uas"], uas_port);
    let (listen, mut child) = ours_with(&[format!("127.0.0.1:{uas_port}")], &["--quiet"]);
    std::thread::sleep(Duration::from_millis(300)); // SIPp's uas up
    let remote = listen.to_string();
    let mut uac = sipp(&["-sn", "uac", &remote, "-r", "100"], support::free_port());
    let until = Instant::now() + Duration::from_secs(30);
    let wait = |sipp: &mut Killed| loop {
        match sipp.0.try_wait().unwrap() {
            Some(status) => return status.success(),
            None if Instant::now() > until => return false,
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    let (caller_ok, uas_ok) = (wait(&mut uac), wait(&mut uas));
    let _ = stop(&mut child);
    assert!(caller_ok, "SIPp's uac had a failed call, or did not finish");
    assert!(uas_ok, "SIPp's uas had a failed call, or did not finish");
}
