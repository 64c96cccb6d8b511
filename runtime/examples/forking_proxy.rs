//! A stateful forking proxy (RFC 3261, Section 16) over UDP, with every decision taken by
//! `sip_responses::proxy::ResponseContext`, the sans-IO response context.
//!
//! ```sh
//! cargo run --example forking_proxy -- LISTEN TARGET... [--timer-c MS]
//! ```
//!
//! Each INVITE from a caller is forked to every TARGET in parallel (one branch each, our Via
//! on top), and the caller gets our `100 Trying` at once. For every response of a branch the
//! context says what to do: provisionals but 100 go upstream, every 2xx goes upstream (a
//! retransmission and a second fork's too, 16.7 step 5), other finals are stored (and ACKed
//! hop-by-hop); branches to CANCEL come from `poll_cancel`; the context owns Timer C
//! (`--timer-c`, default `TimerC::DEFAULT`, 181 s), driven by `poll_timeout`/`handle_timeout`;
//! transport errors (a target that refuses the datagram: one connected socket per branch
//! reports the ICMP error) are inputs of the context; once every branch has answered, the best
//! final goes upstream with the 401/407 challenges of every branch merged (16.7 step 7). A
//! CANCEL from the caller gets 200 and cancels every branch; a CANCEL that matches no call is
//! forwarded statelessly to the first TARGET (16.10), and responses to it come back by their
//! Via; an ACK or BYE of an established call goes to the branch whose 2xx carried its To tag.
//! One line per decision on stdout.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::net::{SocketAddr, UdpSocket};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use sip_responses::proxy::{Action, Best, Branch, RequestKind, ResponseContext, TimerC};
use sip_responses::{Code, LenientStatusLine, Status, StatusCode};

/// The header fields of a message, with the first line apart.
struct Message<'a> {
    first: &'a str,
    headers: Vec<&'a str>,
}

impl<'a> Message<'a> {
    fn parse(text: &'a str) -> Option<Self> {
        let head = text.split("\r\n\r\n").next()?;
        let mut lines = head.split("\r\n");
        let first = lines.next()?;
        Some(Message {
            first,
            headers: lines.collect(),
        })
    }

    fn method(&self) -> &'a str {
        self.first.split(' ').next().unwrap_or("")
    }

    fn header(&self, name: &str, compact: &str) -> &'a str {
        self.headers
            .iter()
            .find_map(|h| {
                let (n, v) = h.split_once(':')?;
                let n = n.trim();
                (n.eq_ignore_ascii_case(name)
                    || (!compact.is_empty() && n.eq_ignore_ascii_case(compact)))
                .then(|| v.trim())
            })
            .unwrap_or("")
    }

    fn is(&self, header: &str, name: &str, compact: &str) -> bool {
        header.split_once(':').is_some_and(|(n, _)| {
            let n = n.trim();
            n.eq_ignore_ascii_case(name) || (!compact.is_empty() && n.eq_ignore_ascii_case(compact))
        })
    }

    /// The CSeq method.
    fn cseq_method(&self) -> &'a str {
        self.header("CSeq", "")
            .split_whitespace()
            .nth(1)
            .unwrap_or("")
    }

    /// The message again, with `via` on top (a request we forward).
    fn with_via(&self, text: &str, via: &str) -> String {
        let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        let mut out = format!("{}\r\nVia: {via}\r\n", self.first);
        for h in &self.headers {
            if self.is(h, "Max-Forwards", "") {
                let left: u32 = h
                    .split_once(':')
                    .and_then(|(_, v)| v.trim().parse().ok())
                    .unwrap_or(70);
                out.push_str(&format!("Max-Forwards: {}\r\n", left.saturating_sub(1)));
            } else {
                out.push_str(h);
                out.push_str("\r\n");
            }
        }
        out.push_str("\r\n");
        out.push_str(body);
        out
    }

    /// The ACK or CANCEL of this INVITE on the branch with `via` (RFC 3261 9.1, 17.1.1.3: the
    /// same Request-URI, Via branch, From, Call-ID and CSeq number), with `to` as its To.
    fn in_transaction(&self, method: &str, via: &str, to: &str) -> String {
        let cseq = self
            .header("CSeq", "")
            .split_whitespace()
            .next()
            .unwrap_or("1");
        format!(
            "{method} {} SIP/2.0\r\nVia: {via}\r\nMax-Forwards: 70\r\nFrom: {}\r\nTo: {to}\r\n\
             Call-ID: {}\r\nCSeq: {cseq} {method}\r\nContent-Length: 0\r\n\r\n",
            self.first.split(' ').nth(1).unwrap_or(""),
            self.header("From", "f"),
            self.header("Call-ID", "i"),
        )
    }

    /// The message again without its first Via (a response coming back through us).
    fn without_top_via(&self, text: &str) -> String {
        let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        let mut out = format!("{}\r\n", self.first);
        let mut dropped = false;
        for h in &self.headers {
            if !dropped && self.is(h, "Via", "v") {
                dropped = true;
                continue;
            }
            out.push_str(h);
            out.push_str("\r\n");
        }
        out.push_str("\r\n");
        out.push_str(body);
        out
    }
}

/// One branch: a target, the connected socket that talks to it, the request as forwarded.
struct BranchIo {
    branch: Branch,
    socket: UdpSocket,
    via: String,
    /// A CANCEL went to it (what a branch's end on a timeout means: Timer C or 64*T1).
    cancelled: bool,
    /// The To tags of its 2xx responses: the ACK and BYE with one of them go to it.
    answered: Vec<String>,
    /// The branch's stored final response, as it will go upstream (our Via removed).
    stored: Option<String>,
    /// The response's To (with the UAS's tag), for the hop-by-hop ACK and the CANCEL.
    to: String,
}

/// The tag of a To header field's value.
fn tag(to: &str) -> &str {
    to.split_once(";tag=")
        .map_or("", |(_, t)| t.split(';').next().unwrap_or(""))
}

/// One proxied INVITE.
struct Call {
    number: u32,
    invite: String,
    /// The INVITE's top Via, which the caller's CANCEL repeats (9.1).
    via: String,
    caller: SocketAddr,
    cx: ResponseContext,
    branches: Vec<BranchIo>,
}

struct Proxy {
    socket: UdpSocket,
    local: SocketAddr,
    targets: Vec<SocketAddr>,
    timer_c: TimerC,
    /// The `now` of the contexts is the time since this instant.
    epoch: Instant,
}

fn send(socket: &UdpSocket, to: Option<SocketAddr>, text: &str) -> std::io::Result<()> {
    match to {
        Some(to) => socket.send_to(text.as_bytes(), to).map(drop),
        None => socket.send(text.as_bytes()).map(drop),
    }
}

impl Proxy {
    /// A response we generate to the caller's `request`.
    fn response(&self, request: &Message<'_>, code: StatusCode, tag: bool) -> String {
        let mut out = String::new();
        Status::from(code)
            .write_status_line(&mut out)
            .expect("writing to a String cannot fail");
        for h in &request.headers {
            if request.is(h, "Via", "v") {
                out.push_str(h);
                out.push_str("\r\n");
            }
        }
        let to = request.header("To", "t");
        let tag = if tag && !to.contains(";tag=") {
            ";tag=proxy"
        } else {
            ""
        };
        out.push_str(&format!(
            "From: {}\r\nTo: {to}{tag}\r\nCall-ID: {}\r\nCSeq: {}\r\nContent-Length: 0\r\n\r\n",
            request.header("From", "f"),
            request.header("Call-ID", "i"),
            request.header("CSeq", ""),
        ));
        out
    }

    fn start(&self, number: u32, text: &str, caller: SocketAddr) -> Result<Call, String> {
        let request = Message::parse(text).ok_or("unparsable INVITE")?;
        send(
            &self.socket,
            Some(caller),
            &self.response(&request, StatusCode::Trying, false),
        )
        .map_err(|e| e.to_string())?;
        println!("call {number}: INVITE from {caller}: 100 Trying upstream");
        let now = self.epoch.elapsed();
        let mut cx = ResponseContext::new(RequestKind::Invite).with_timer_c(self.timer_c);
        let mut branches = Vec::new();
        for (i, &target) in self.targets.iter().enumerate() {
            let branch = cx.add_branch(now).map_err(|e| e.to_string())?;
            let socket =
                UdpSocket::bind(SocketAddr::new(self.local.ip(), 0)).map_err(|e| e.to_string())?;
            socket.connect(target).map_err(|e| e.to_string())?;
            socket.set_nonblocking(true).map_err(|e| e.to_string())?;
            let local = socket.local_addr().map_err(|e| e.to_string())?;
            let via = format!("SIP/2.0/UDP {local};branch=z9hG4bKfp{number}x{i}");
            let forwarded = request.with_via(text, &via);
            let io = BranchIo {
                branch,
                socket,
                via,
                cancelled: false,
                answered: Vec::new(),
                stored: None,
                to: request.header("To", "t").to_owned(),
            };
            println!("call {number}: branch {i} -> {target}");
            if send(&io.socket, None, &forwarded).is_err() {
                let action = cx
                    .handle_transport_error(now, branch)
                    .map_err(|e| e.to_string())?;
                println!("call {number}: branch {i}: transport error -> {action:?}");
            }
            branches.push(io);
        }
        Ok(Call {
            number,
            invite: text.to_owned(),
            via: request.header("Via", "v").to_owned(),
            caller,
            cx,
            branches,
        })
    }

    /// RFC 3261 16.10: "If a response context is not found, the element does not have any
    /// knowledge of the request to apply the CANCEL to. It MUST statelessly forward the
    /// CANCEL request": to the first target, our Via on top with a branch that is a hash of
    /// what 16.11 names (so a retransmission gets the same one).
    fn forward_stateless(&self, message: &Message<'_>, text: &str) {
        let mut hash = DefaultHasher::new();
        let cseq = message.header("CSeq", "").split(' ').next();
        for part in [
            tag(message.header("To", "t")),
            tag(message.header("From", "f")),
            message.header("Call-ID", "i"),
            message.first.split(' ').nth(1).unwrap_or(""),
            message.header("Via", "v"),
            cseq.unwrap_or(""),
        ] {
            part.hash(&mut hash);
        }
        let via = format!(
            "SIP/2.0/UDP {};branch=z9hG4bKsl{:016x}",
            self.local,
            hash.finish()
        );
        println!("stray CANCEL: forwarded statelessly to {}", self.targets[0]);
        let forwarded = message.with_via(text, &via);
        let _ = send(&self.socket, Some(self.targets[0]), &forwarded);
    }

    /// A response to a request we forwarded statelessly, if the top Via is ours (18.1.2):
    /// without our Via, to the next Via's sent-by (18.2.2).
    fn relay_stateless(&self, message: &Message<'_>, text: &str) {
        let ours = format!("SIP/2.0/UDP {};branch=z9hG4bKsl", self.local);
        let upstream = message.without_top_via(text);
        let next = Message::parse(&upstream).map_or("", |m| m.header("Via", "v"));
        let sent_by = next.split_once(' ').map_or("", |(_, v)| v.trim());
        let sent_by = sent_by.split(';').next().unwrap_or("");
        let to = sent_by
            .parse()
            .or_else(|_| format!("{sent_by}:5060").parse());
        if let (true, Ok(to)) = (message.header("Via", "v").starts_with(&ours), to) {
            println!("stateless: {} upstream to {to}", message.first);
            let _ = send(&self.socket, Some(to), &upstream);
        }
    }
}

impl Call {
    /// A datagram (or an error) on branch `i`'s socket.
    fn on_branch(
        &mut self,
        proxy: &Proxy,
        i: usize,
        got: std::io::Result<String>,
    ) -> Result<(), String> {
        let n = self.number;
        let text = match got {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                let now = proxy.epoch.elapsed();
                let action = self
                    .cx
                    .handle_transport_error(now, self.branches[i].branch)
                    .map_err(|e| e.to_string())?;
                println!("call {n}: branch {i}: transport error -> {action:?}");
                return Ok(());
            }
            Err(e) => return Err(e.to_string()),
        };
        let Some(message) = Message::parse(&text) else {
            return Ok(());
        };
        let Ok(line) = LenientStatusLine::parse(text.as_bytes()) else {
            return Ok(()); // a request from a target: not expected here
        };
        let code = Code::new(line.code());
        let upstream = message.without_top_via(&text);
        match message.cseq_method() {
            "INVITE" => {}
            "BYE" => {
                println!("call {n}: branch {i}: {code} to BYE upstream");
                return send(&proxy.socket, Some(self.caller), &upstream)
                    .map_err(|e| e.to_string());
            }
            _ => return Ok(()), // 200 to our CANCEL or ACK
        }
        let io = &mut self.branches[i];
        io.to = message.header("To", "t").to_owned();
        let now = proxy.epoch.elapsed();
        let action = self
            .cx
            .handle_response(now, io.branch, code)
            .map_err(|e| e.to_string())?;
        let code = code.get();
        println!("call {n}: branch {i}: {code} -> {action:?}");
        match action {
            Action::Forward => {
                let to = tag(&io.to).to_owned();
                if (200..300).contains(&code) && !io.answered.contains(&to) {
                    io.answered.push(to);
                }
                send(&proxy.socket, Some(self.caller), &upstream).map_err(|e| e.to_string())?;
            }
            Action::Store => io.stored = Some(upstream),
            Action::Absorb => {}
        }
        if code >= 300 {
            // 17.1.1.3: the client transaction ACKs a non-2xx final, hop-by-hop.
            let invite = Message::parse(&self.invite).ok_or("INVITE")?;
            let ack = invite.in_transaction("ACK", &io.via, &io.to);
            let _ = send(&io.socket, None, &ack);
        }
        Ok(())
    }

    /// The context's timers (Timer C, 64*T1 after a CANCEL), the CANCELs it asks for, and
    /// the final response once it is complete.
    fn tick(&mut self, proxy: &Proxy) -> Result<(), String> {
        let n = self.number;
        let now = proxy.epoch.elapsed();
        if self.cx.poll_timeout().is_some_and(|at| now >= at) {
            let before: Vec<Branch> = self.cx.pending().collect();
            self.cx.handle_timeout(now);
            for branch in before
                .iter()
                .filter(|b| !self.cx.pending().any(|p| p == **b))
            {
                let io = &self.branches[branch.index()];
                let why = if io.cancelled {
                    "64*T1 after CANCEL"
                } else {
                    "Timer C"
                };
                println!("call {n}: branch {}: {why} -> ended", branch.index());
            }
        }
        while let Some(branch) = self.cx.poll_cancel(now) {
            let io = &mut self.branches[branch.index()];
            io.cancelled = true;
            let invite = Message::parse(&self.invite).ok_or("INVITE")?;
            // 9.1: the CANCEL's To is the INVITE's, without the UAS's tag.
            let cancel = invite.in_transaction("CANCEL", &io.via, invite.header("To", "t"));
            println!("call {n}: cancel branch {}", branch.index());
            let _ = send(&io.socket, None, &cancel);
        }
        let Some(best) = self.cx.poll_final() else {
            return Ok(());
        };
        let invite = Message::parse(&self.invite).ok_or("INVITE")?;
        let final_response = match best {
            Best::Generate(code) => {
                println!("call {n}: upstream {} (generated)", code.as_str());
                proxy.response(&invite, code, true)
            }
            Best::Forward { branch, code } => {
                let stored = self.branches[branch.index()]
                    .stored
                    .clone()
                    .ok_or("no stored response")?;
                let challenges = self.merged_challenges(branch);
                let text = match code {
                    Code::Known(
                        StatusCode::Unauthorized | StatusCode::ProxyAuthenticationRequired,
                    ) if !challenges.is_empty() => {
                        let (head, body) = stored.split_once("\r\n\r\n").unwrap_or((&stored, ""));
                        format!("{head}\r\n{challenges}\r\n{body}")
                    }
                    _ => stored,
                };
                println!(
                    "call {n}: upstream {} (branch {})",
                    code.get(),
                    branch.index()
                );
                text
            }
        };
        send(&proxy.socket, Some(self.caller), &final_response).map_err(|e| e.to_string())
    }

    /// The WWW-Authenticate and Proxy-Authenticate header fields of every challenge branch
    /// but `chosen` (whose own are in its response), 16.7 step 7.
    fn merged_challenges(&self, chosen: Branch) -> String {
        let mut out = Vec::new();
        for branch in self.cx.challenges().filter(|b| *b != chosen) {
            let Some(stored) = &self.branches[branch.index()].stored else {
                continue;
            };
            let Some(message) = Message::parse(stored) else {
                continue;
            };
            for h in &message.headers {
                if message.is(h, "WWW-Authenticate", "") || message.is(h, "Proxy-Authenticate", "")
                {
                    out.push(h.to_string());
                }
            }
        }
        out.join("\r\n")
    }
}

fn run(proxy: &Proxy) -> Result<(), String> {
    proxy
        .socket
        .set_nonblocking(true)
        .map_err(|e| e.to_string())?;
    let mut calls: HashMap<String, Call> = HashMap::new();
    let mut numbered = 0;
    let mut buf = vec![0u8; 65_535];
    loop {
        let mut idle = true;
        match proxy.socket.recv_from(&mut buf) {
            Ok((n, from)) => {
                idle = false;
                let text = String::from_utf8_lossy(&buf[..n]).into_owned();
                if let Some(message) = Message::parse(&text) {
                    let id = message.header("Call-ID", "i").to_owned();
                    match message.method() {
                        "INVITE" if !calls.contains_key(&id) => {
                            numbered += 1;
                            calls.insert(id, proxy.start(numbered, &text, from)?);
                        }
                        // 9.1: a CANCEL's Via is the top Via of the request it cancels.
                        "CANCEL" => match calls.get_mut(&id) {
                            Some(call) if call.via == message.header("Via", "v") => {
                                let _ = send(
                                    &proxy.socket,
                                    Some(from),
                                    &proxy.response(&message, StatusCode::Ok, false),
                                );
                                println!(
                                    "call {}: CANCEL from the caller: cancel every branch",
                                    call.number
                                );
                                call.cx.handle_cancel(proxy.epoch.elapsed());
                            }
                            _ => proxy.forward_stateless(&message, &text),
                        },
                        _ if message.first.starts_with("SIP/2.0 ") => {
                            proxy.relay_stateless(&message, &text);
                        }
                        "ACK" | "BYE" => {
                            if let Some(call) = calls.get(&id) {
                                let to = tag(message.header("To", "t"));
                                let answered = call
                                    .branches
                                    .iter()
                                    .position(|io| io.answered.iter().any(|t| t == to));
                                if let Some(i) = answered {
                                    let io = &call.branches[i];
                                    println!(
                                        "call {}: {} -> branch {i}",
                                        call.number,
                                        message.method()
                                    );
                                    let _ =
                                        send(&io.socket, None, &message.with_via(&text, &io.via));
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e.to_string()),
        }
        for call in calls.values_mut() {
            for i in 0..call.branches.len() {
                let got = match call.branches[i].socket.recv(&mut buf) {
                    Ok(n) => Ok(String::from_utf8_lossy(&buf[..n]).into_owned()),
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
                    Err(e) => Err(e),
                };
                idle = false;
                call.on_branch(proxy, i, got)?;
            }
            call.tick(proxy)?;
        }
        if idle {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut timer_c = TimerC::DEFAULT;
    if let Some(at) = args.iter().position(|a| a == "--timer-c") {
        let ms = args.get(at + 1).and_then(|v| v.parse().ok());
        // Below RFC 3261's "larger than 3 minutes" (16.6 step 11), for tests and labs.
        let Some(ms) = ms.and_then(|ms| TimerC::below_rfc_minimum(Duration::from_millis(ms)))
        else {
            eprintln!("error: --timer-c takes milliseconds (more than 0)");
            return ExitCode::from(2);
        };
        timer_c = ms;
        args.drain(at..=at + 1);
    }
    let addresses: Result<Vec<SocketAddr>, _> =
        args.iter().map(|a| a.parse::<SocketAddr>()).collect();
    let Ok(addresses) = addresses else {
        eprintln!("usage: forking_proxy LISTEN TARGET... [--timer-c MS] (socket addresses)");
        return ExitCode::from(2);
    };
    let [listen, targets @ ..] = addresses.as_slice() else {
        eprintln!("usage: forking_proxy LISTEN TARGET... [--timer-c MS]");
        return ExitCode::from(2);
    };
    if targets.is_empty() {
        eprintln!("error: give at least one TARGET");
        return ExitCode::from(2);
    }
    let socket = match UdpSocket::bind(listen) {
        Ok(socket) => socket,
        Err(e) => {
            eprintln!("error: cannot bind {listen}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let local = socket.local_addr().unwrap_or(*listen);
    let proxy = Proxy {
        socket,
        local,
        targets: targets.to_vec(),
        timer_c,
        epoch: Instant::now(),
    };
    println!(
        "forking_proxy on {local}: Timer C {} ms",
        timer_c.get().as_millis()
    );
    match run(&proxy) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
