//! A queueing UAS (RFC 3261, Section 21.1) with reliable provisionals (RFC 3262), on the
//! sans-IO transaction machines: one `InviteServer` per INVITE (17.2.1), one
//! `NonInviteServer` per PRACK or BYE (17.2.2), one `reliable::Uas` per INVITE that asks for
//! 100rel.
//!
//! ```sh
//! cargo run --example invite_server -- 127.0.0.1:5062 [--once] [--step MS]
//! ```
//!
//! For each INVITE over UDP: `182 Queued` with a reason that counts the queue down in the
//! form of 21.1.4 ("2 calls queued; expected waiting time is 1 minute", then "1 call queued;
//! ..."), then `180 Ringing`, then `200 OK`, one every `--step` milliseconds (default 1000).
//! The transaction sends `100 Trying` when no provisional went within 200 ms (17.2.1), the
//! most recent provisional again for a retransmitted INVITE, and retransmits a non-2xx
//! final until its ACK (Timer G, H); the 200 is retransmitted until the ACK (13.3.1.4). An
//! INVITE to `sip:busy@...` gets `486 Busy Here` instead of the 182. When the INVITE carries
//! `Supported: 100rel` or `Require: 100rel`, every provisional but the 100 goes reliably
//! (`Require: 100rel`, `RSeq`), retransmitted until its PRACK, and the next one waits for
//! that PRACK; a reliable provisional unacknowledged for 64*T1 gets the INVITE a 500. A
//! PRACK gets 200 (481 when it matches nothing), a BYE 200, anything else 405, each answered
//! again when the request is retransmitted. With `--once` the server exits 0 after the
//! first call's BYE. One line per message received or sent goes to stdout.

#[path = "common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use common::{Clock, Message, Udp};
use sip_responses::reliable::{Body, PrackAnswer, RAck, RSeq, ReliableCode, Uas, UasEvent};
use sip_responses::transaction::{
    Deliver, FinalCode, InviteServer, InviteServerState, NonInviteResponse, NonInviteServer,
    NonInviteServerState, ServerEvent, ServerTransmit, Timers, Transport,
};
use sip_responses::{Status, StatusCode, T1};

/// Callers ahead in the queue when a call arrives.
const QUEUE: u32 = 2;

/// The reason of the 182 sent when `ahead` calls are still ahead, in RFC 3261 21.1.4's form.
fn queue_reason(ahead: u32) -> String {
    let calls = if ahead == 1 { "call" } else { "calls" };
    let wait = (Duration::from_secs(30) * ahead).as_secs().div_ceil(60);
    let minutes = if wait == 1 { "minute" } else { "minutes" };
    format!("{ahead} {calls} queued; expected waiting time is {wait} {minutes}")
}

fn send(udp: &Udp, to: SocketAddr, text: &str) -> Result<(), String> {
    println!("sent {}", text.lines().next().unwrap_or(""));
    udp.send(to, text)
}

/// One INVITE server transaction and the call it sets up.
struct Call {
    number: u32,
    invite: String,
    /// Our Contact (12.1.1: a response that creates a dialog carries one).
    contact: String,
    peer: SocketAddr,
    tx: InviteServer,
    reliable: Option<Uas<'static>>,
    /// The responses still to send (the next first: code and reason), the final last.
    script: Vec<(StatusCode, String)>,
    step: Duration,
    /// When the next one is due; `None` while a reliable provisional awaits its PRACK.
    due: Option<Duration>,
    /// The most recent provisional and the final response, as sent.
    provisional: String,
    last: String,
    /// The 2xx's next retransmission and its interval, until the ACK.
    ok: Option<(Duration, Duration)>,
}

impl Call {
    fn respond(
        &self,
        code: StatusCode,
        reason: &str,
        extra: &[(&str, &str)],
    ) -> Result<String, String> {
        let status = match reason {
            "" => Status::from(code),
            _ => Status::with_reason(code, reason).map_err(|e| e.to_string())?,
        };
        let tag = format!("q{}", self.number);
        let tag = (code != StatusCode::Trying).then_some(tag.as_str());
        let invite = Message::parse(self.invite.as_bytes()).ok_or("the INVITE no longer parses")?;
        let mut fields = extra.to_vec();
        fields.extend(tag.map(|_| ("Contact", self.contact.as_str())));
        Ok(common::response(&status, &invite, tag, &fields, ""))
    }

    /// Time passed: the machines' timers, the next response, retransmissions. `Some(why)`
    /// when the call is over.
    fn tick(&mut self, udp: &Udp, now: Duration) -> Result<Option<String>, String> {
        self.tx.handle_timeout(now);
        if let Some(uas) = self.reliable.as_mut() {
            uas.handle_timeout(now);
            if uas.poll_transmit().is_some() {
                send(udp, self.peer, &self.provisional)?;
            }
            if let Some(UasEvent::GaveUp(rseq)) = uas.poll_event() {
                // RFC 3262 Section 3: reject the INVITE with a 5xx.
                println!(
                    "call {}: no PRACK for RSeq {rseq} within 64*T1",
                    self.number
                );
                self.script = vec![(StatusCode::ServerInternalError, String::new())];
                self.due = Some(now);
            }
        }
        if self.due.is_some_and(|due| now >= due) {
            self.next(udp, now)?;
        }
        if let Some((at, interval)) = self.ok.as_mut().filter(|(at, _)| now >= *at) {
            *interval = (*interval * 2).min(Timers::DEFAULT.t2());
            *at = now + *interval;
            send(udp, self.peer, &self.last)?;
        }
        while let Some(transmit) = self.tx.poll_transmit() {
            if transmit == ServerTransmit::Trying {
                self.provisional = self.respond(StatusCode::Trying, "", &[])?;
            }
            let text = match transmit {
                ServerTransmit::Final => &self.last,
                _ => &self.provisional,
            };
            send(udp, self.peer, text)?;
        }
        if let Some(ServerEvent::Timeout) = self.tx.poll_event() {
            return Ok(Some("no ACK for the final response (Timer H)".into()));
        }
        Ok(match self.tx.state() {
            InviteServerState::Terminated if self.ok.is_some() => {
                Some("no ACK for the 200 OK within 64*T1".into())
            }
            InviteServerState::Terminated if !self.last.starts_with("SIP/2.0 2") => {
                Some("rejected".into())
            }
            _ => None,
        })
    }

    /// Sends the next response of the script.
    fn next(&mut self, udp: &Udp, now: Duration) -> Result<(), String> {
        self.due = None;
        let Some((code, reason)) = self.script.first().cloned() else {
            return Ok(());
        };
        if code.class().is_final() {
            if let Some(uas) = self.reliable.as_mut() {
                if uas.send_final(now, code).is_err() {
                    return Ok(()); // a reliable provisional is unacknowledged: its PRACK
                }
            }
            self.tx
                .send_response(now, code)
                .map_err(|e| e.to_string())?;
            self.last = self.respond(code, &reason, &[])?;
            send(udp, self.peer, &self.last)?;
            let t1 = T1::DEFAULT.get();
            self.ok = (code == StatusCode::Ok).then_some((now + t1, t1));
            self.script.clear();
            return Ok(());
        }
        self.provisional = match self.reliable.as_mut() {
            Some(uas) => {
                let reliable = ReliableCode::of(&code).ok_or("a 100 is never reliable")?;
                let rseq = uas.send_reliable(now, reliable, Body::Empty);
                let rseq = rseq
                    .map_err(|e| format!("reliable provisional: {e}"))?
                    .to_string();
                self.respond(code, &reason, &[("Require", "100rel"), ("RSeq", &rseq)])?
            }
            None => self.respond(code, &reason, &[])?,
        };
        self.tx
            .send_response(now, code)
            .map_err(|e| e.to_string())?;
        send(udp, self.peer, &self.provisional)?;
        self.script.remove(0);
        self.due = self.reliable.is_none().then_some(now + self.step);
        Ok(())
    }
}

/// A first RSeq "chosen uniformly between 1 and 2**31 - 1" (RFC 3262, Section 3), from the
/// per-run random token: enough for an example (a real server uses a random source).
fn initial_rseq() -> Option<RSeq> {
    let n = u64::from_str_radix(&common::unique(), 16).ok()?;
    RSeq::new(u32::try_from(n % u64::from(RSeq::MAX_INITIAL)).ok()? + 1)
}

/// A non-INVITE server transaction and its response.
struct NonInvite {
    tx: NonInviteServer,
    peer: SocketAddr,
    response: String,
}

/// Answers a non-INVITE request (not ACK): PRACK through the call's `Uas`, BYE with 200.
fn answer(
    calls: &mut HashMap<String, Call>,
    request: &Message<'_>,
    method: &str,
    now: Duration,
) -> StatusCode {
    let call = request.call_id().and_then(|id| calls.get_mut(id));
    match (method, call) {
        ("PRACK", Some(call)) => {
            let rack = request.header("RAck").map(RAck::parse);
            match (call.reliable.as_mut(), rack) {
                (Some(uas), Some(Ok(rack))) => {
                    let answer = uas.handle_prack(now, &rack);
                    if answer == PrackAnswer::Ok {
                        call.due = Some(now + call.step);
                    }
                    answer.code()
                }
                _ => StatusCode::CallTransactionDoesNotExist,
            }
        }
        ("PRACK" | "BYE", None) => StatusCode::CallTransactionDoesNotExist,
        ("BYE", Some(_)) => StatusCode::Ok,
        _ => StatusCode::MethodNotAllowed,
    }
}

fn run(local: SocketAddr, once: bool, step: Duration) -> Result<(), String> {
    let (udp, clock) = (Udp::bind(local)?, Clock::new());
    let mut calls: HashMap<String, Call> = HashMap::new();
    let mut non_invite: HashMap<String, NonInvite> = HashMap::new();
    let (mut buf, mut numbered) = (vec![0u8; 65_535], 0);
    loop {
        let now = clock.now();
        let mut over = Vec::new();
        for (id, call) in &mut calls {
            if let Some(why) = call.tick(&udp, now)? {
                println!("call {} ended: {why}", call.number);
                over.push(id.clone());
            }
        }
        calls.retain(|id, _| !over.contains(id));
        if once && numbered > 0 && calls.is_empty() {
            return Ok(());
        }
        for t in non_invite.values_mut() {
            t.tx.handle_timeout(now);
            while t.tx.poll_transmit().is_some() {
                send(&udp, t.peer, &t.response)?;
            }
        }
        non_invite.retain(|_, t| t.tx.state() != NonInviteServerState::Terminated);
        let timers = calls.values().flat_map(|c| {
            let uas = c.reliable.as_ref().and_then(Uas::poll_timeout);
            [c.tx.poll_timeout(), uas, c.due, c.ok.map(|(at, _)| at)]
        });
        let wake = common::earliest(timers.chain(non_invite.values().map(|t| t.tx.poll_timeout())));
        let Some((datagram, peer)) = udp.recv(&mut buf, &clock, wake)? else {
            continue;
        };
        let now = clock.now();
        let Some(request) = Message::parse(datagram) else {
            continue;
        };
        let (Some(method), Some(call_id), Some(branch)) =
            (request.method(), request.call_id(), request.branch())
        else {
            continue;
        };
        println!("received {}", request.first);
        match (method, calls.get_mut(call_id)) {
            ("INVITE", Some(call)) => call.tx.handle_request(now), // 17.2.3: a retransmission
            ("INVITE", None) => {
                numbered += 1;
                let reliable = request.has_option("Supported", "100rel")
                    || request.has_option("Require", "100rel");
                let uas = match (reliable, request.cseq(), initial_rseq()) {
                    (true, Some((cseq, _)), Some(first)) => Some(
                        Uas::new(first, cseq, "INVITE", T1::DEFAULT).map_err(|e| e.to_string())?,
                    ),
                    _ => None,
                };
                let busy = request
                    .request_uri()
                    .is_some_and(|u| u.starts_with("sip:busy@"));
                let script = match busy {
                    true => vec![(StatusCode::BusyHere, String::new())],
                    false => (1..=QUEUE)
                        .rev()
                        .map(|n| (StatusCode::Queued, queue_reason(n)))
                        .chain([
                            (StatusCode::Ringing, String::new()),
                            (StatusCode::Ok, String::new()),
                        ])
                        .collect(),
                };
                let call = Call {
                    number: numbered,
                    invite: request.text.to_owned(),
                    contact: format!("<sip:queue@{}>", udp.local),
                    peer,
                    tx: InviteServer::new(now, Transport::Unreliable, Timers::DEFAULT),
                    reliable: uas,
                    script,
                    step,
                    due: Some(now + step),
                    provisional: String::new(),
                    last: String::new(),
                    ok: None,
                };
                calls.insert(call_id.to_owned(), call);
            }
            ("ACK", Some(call)) => {
                if call.tx.handle_ack(now) == Deliver::ToUser {
                    call.ok = None; // 13.3.1.4: the ACK of the 2xx
                }
            }
            ("ACK", None) => {}
            _ if non_invite.contains_key(branch) => {
                if let Some(t) = non_invite.get_mut(branch) {
                    t.tx.handle_request(now); // 17.2.3: a retransmission
                }
            }
            _ => {
                let code = answer(&mut calls, &request, method, now);
                let mut tx = NonInviteServer::new(now, Transport::Unreliable, Timers::DEFAULT);
                let final_code = FinalCode::new(code).ok_or("not a final code")?;
                tx.send_response(now, NonInviteResponse::Final(final_code))
                    .map_err(|e| e.to_string())?;
                let tag = (method != "BYE" && method != "PRACK").then_some("x");
                let response = common::response(&Status::from(code), &request, tag, &[], "");
                send(&udp, peer, &response)?;
                non_invite.insert(branch.to_owned(), NonInvite { tx, peer, response });
                if method == "BYE" && code == StatusCode::Ok {
                    calls.remove(call_id);
                    if once {
                        return Ok(());
                    }
                }
            }
        }
    }
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (mut address, mut once, mut step) = (None, false, Duration::from_secs(1));
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--once" => once = true,
            "--step" => match args.next().and_then(|ms| ms.parse().ok()) {
                Some(ms) => step = Duration::from_millis(ms),
                None => address = None,
            },
            _ if address.is_none() => address = Some(arg),
            _ => address = None,
        }
    }
    let Some(address) = address else {
        eprintln!(
            "usage: invite_server <address to listen on, e.g. 127.0.0.1:5062> [--once] [--step MS]"
        );
        return ExitCode::from(2);
    };
    let local: SocketAddr = match address.parse() {
        Ok(local) => local,
        Err(e) => {
            eprintln!("error: `{address}` is not a socket address: {e}");
            return ExitCode::from(2);
        }
    };
    match run(local, once, step) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
