//! The `forking_proxy` example between a caller and three UASes, all on 127.0.0.1, each UAS
//! answering as the INVITE's `X-Script` header tells it (the proxy forwards it unchanged):
//! `code@ms` steps, or nothing (silent). The caller records what reaches it; the test holds
//! it to what `ResponseContext` says for the same answers (RFC 3261 16.7-16.9), and the
//! proxy's log to the decision that sent it. Every wait is bounded.

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

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
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
        .map(|h| format!("{h}\r\n"))
        .collect();
    let to = header(request, "To");
    let to = if to.contains(";tag=") {
        to.to_owned()
    } else {
        format!("{to};tag={tag}")
    };
    format!(
        "SIP/2.0 {code} {reason}\r\n{vias}From: {}\r\nTo: {to}\r\nCall-ID: {}\r\nCSeq: {}\r\n{extra}Content-Length: 0\r\n\r\n",
        header(request, "From"), header(request, "Call-ID"), header(request, "CSeq"),
    )
}

fn reason(code: u16) -> &'static str {
    sip_responses::StatusCode::from_u16(code).map_or("Vendor", |c| c.reason())
}

/// UAS `index`: for each INVITE, the steps of `X-Script`'s part `index`; a CANCEL before the
/// final gets 200 and a 487; ACK is ignored; a BYE gets 200. Runs until `until`.
fn uas(socket: UdpSocket, index: usize, until: Instant) {
    socket
        .set_read_timeout(Some(Duration::from_millis(5)))
        .unwrap();
    let mut buf = vec![0u8; 65_535];
    let mut pending: Vec<(Instant, String, SocketAddr)> = Vec::new();
    let mut invite: Option<(String, SocketAddr, bool)> = None; // (request, from, final sent)
    while Instant::now() < until {
        let now = Instant::now();
        pending.retain(|(at, msg, to)| {
            if *at > now {
                return true;
            }
            if let Some((_, _, done)) = invite.as_mut() {
                if msg.starts_with("SIP/2.0 ") && msg.as_bytes()[8] != b'1' {
                    if *done {
                        return false;
                    }
                    *done = true;
                }
            }
            let _ = socket.send_to(msg.as_bytes(), to);
            false
        });
        let Ok((n, from)) = socket.recv_from(&mut buf) else {
            continue;
        };
        let text = String::from_utf8_lossy(&buf[..n]).into_owned();
        let method = text.split(' ').next().unwrap_or("");
        let tag = format!("uas{index}");
        match method {
            "INVITE" => {
                let script = header(&text, "X-Script")
                    .split('|')
                    .nth(index)
                    .unwrap_or("")
                    .to_owned();
                invite = Some((text.clone(), from, false));
                for step in script
                    .split(',')
                    .filter(|s| !s.is_empty() && *s != "silent")
                {
                    let (code, ms) = step.split_once('@').unwrap();
                    let code: u16 = code.parse().unwrap();
                    let extra = match code {
                        401 => format!("WWW-Authenticate: Digest realm=\"uas{index}\"\r\n"),
                        407 => format!("Proxy-Authenticate: Digest realm=\"uas{index}\"\r\n"),
                        _ => String::new(),
                    };
                    let msg = response(&text, code, reason(code), &tag, &extra);
                    pending.push((now + Duration::from_millis(ms.parse().unwrap()), msg, from));
                }
            }
            "CANCEL" => {
                let _ = socket.send_to(response(&text, 200, "OK", &tag, "").as_bytes(), from);
                if let Some((request, to, done)) = invite.as_mut() {
                    if !*done {
                        *done = true;
                        let msg = response(request, 487, "Request Terminated", &tag, "");
                        let _ = socket.send_to(msg.as_bytes(), *to);
                    }
                }
            }
            "BYE" => {
                let _ = socket.send_to(response(&text, 200, "OK", &tag, "").as_bytes(), from);
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
    let until = Instant::now() + Duration::from_secs(8);
    let mut buf = vec![0u8; 65_535];
    let mut provisionals = Vec::new();
    loop {
        if Instant::now() >= until {
            return None;
        }
        let Ok((n, _)) = socket.recv_from(&mut buf) else {
            continue;
        };
        let text = String::from_utf8_lossy(&buf[..n]).into_owned();
        let code: u16 = text[8..11].parse().unwrap();
        if code == 100 {
            continue;
        }
        if code < 200 {
            provisionals.push(code);
            continue;
        }
        let challenges = text.matches("Authenticate:").count();
        if (200..300).contains(&code) {
            let to = header(&text, "To");
            let ack = format!("ACK sip:service@{proxy} SIP/2.0\r\nVia: SIP/2.0/UDP {local};branch=z9hG4bKa{id}\r\nMax-Forwards: 70\r\nFrom: <sip:caller@{local}>;tag=c{id}\r\nTo: {to}\r\nCall-ID: {call_id}\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n");
            socket.send_to(ack.as_bytes(), proxy).unwrap();
            let bye = format!("BYE sip:service@{proxy} SIP/2.0\r\nVia: SIP/2.0/UDP {local};branch=z9hG4bKb{id}\r\nMax-Forwards: 70\r\nFrom: <sip:caller@{local}>;tag=c{id}\r\nTo: {to}\r\nCall-ID: {call_id}\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n");
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

/// One proxy with three UASes; `dead` replaces the third by a port nobody listens on.
fn proxy(dead: bool) -> (SocketAddr, Killed, Vec<std::thread::JoinHandle<()>>) {
    let until = Instant::now() + Duration::from_secs(60);
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
    let listen = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let child = Command::new(example())
        .arg(listen.to_string())
        .args(&targets)
        .args(["--timer-c", "1000"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("forking_proxy starts");
    std::thread::sleep(Duration::from_millis(200));
    (listen, Killed(child), threads)
}

/// The scenario table: the answers of the three branches, and what RFC 3261 16.7-16.9 (and
/// `ResponseContext`) make of them: provisionals forwarded, the final code, challenges merged.
#[test]
fn the_proxy_forwards_what_the_response_context_decides() {
    let (listen, mut child, _threads) = proxy(false);
    let cases: &[(&str, &[u16], u16, usize)] = &[
        ("486@50|407@80|503@60", &[], 407, 1), // resubmission first in 4xx
        ("503@50|503@60|503@70", &[], 500, 0), // a lone 503 class: generated 500
        ("486@50|603@80|200@200", &[], 200, 0), // a 2xx after the 6xx goes upstream
        ("401@50|407@60|486@70", &[], 401, 2), // both challenges merged
        ("silent|silent|silent", &[], 408, 0), // Timer C without provisionals
        ("302@50|486@60|500@70", &[], 302, 0), // lowest class
        ("486@50|415@60|480@70", &[], 415, 0), // 415 affects resubmission
        ("500@50|503@60|silent", &[], 408, 0), // Timer C's 408 beats 5xx
        ("180@30,486@80|183@40,404@90|480@60", &[180, 183], 404, 0), // lowest code in 4xx
        ("100@20,180@40,200@100|486@50|180@30", &[180, 180], 200, 0), // 100 absorbed; 2xx wins
        ("180@30|486@50|603@60", &[180], 603, 0), // 6xx cancels the ringing branch
        ("180@30|silent|486@50", &[180], 408, 0), // Timer C: CANCEL b0, a 408 for b1
        ("180@30|183@40|404@50", &[180, 183], 404, 0), // Timer C CANCELs the ringing ones; 487 loses to 404
        ("499@50|500@60|603@500", &[], 603, 0),        // 6xx waited for
        ("499@50|408@60|500@70", &[], 408, 0),         // lowest code in 4xx, 499 unknown
    ];
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
    // Every final the caller got was sent on a decision of the context.
    assert!(log.contains("upstream 407 (branch 1)"), "{log}");
    assert!(
        log.contains("upstream 500 Server Internal Error (generated)"),
        "{log}"
    );
    assert!(log.contains("Timer C -> Store"), "{log}");
    assert!(
        log.contains("upstream 408 Request Timeout (for branch"),
        "{log}"
    );
    assert!(log.contains("cancel branch 0"), "{log}");
}

/// 16.9: a target that refuses the datagram counts as a 503, and the call still ends.
#[test]
fn a_transport_error_counts_as_503() {
    let (listen, mut child, _threads) = proxy(true);
    assert_eq!(
        call(listen, "486@50|480@60|200@10", 0).map(|o| o.final_code),
        Some(480)
    );
    assert_eq!(
        call(listen, "503@50|503@60|200@10", 1).map(|o| o.final_code),
        Some(500)
    );
    let log = stop(&mut child);
    assert!(log.contains("branch 2: transport error -> Store"), "{log}");
}
