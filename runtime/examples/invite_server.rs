//! A queueing UAS (RFC 3261, Section 21.1) with reliable provisionals (RFC 3262), on the
//! sans-IO transaction machines: one `InviteServer` per INVITE (17.2.1), one
//! `NonInviteServer` per PRACK or BYE (17.2.2), one `reliable::Uas` per INVITE that asks for
//! 100rel.
//!
//! ```sh
//! cargo run --example invite_server -- 127.0.0.1:5062 [--once] [--step MS] [--t1 MS]
//! ```
//!
//! For each INVITE over UDP: `182 Queued` counting the queue down in 21.1.4's form ("2 calls
//! queued; expected waiting time is 1 minute", then "1 call queued; ..."), `180 Ringing`,
//! `200 OK` (again until the ACK, 13.3.1.4), one every `--step` ms (default 1000); `486 Busy
//! Here` for `sip:busy@...`. The transaction sends `100 Trying` when nothing went within 200
//! ms, the last provisional again for a retransmitted INVITE, a non-2xx final again until its
//! ACK (Timers G, H). With `100rel` in the INVITE's `Supported` or `Require`, every
//! provisional but the 100 goes reliably until its PRACK, which the next one waits for; 64*T1
//! without it gets the INVITE a 500; 64*T1 without the 2xx's ACK, a BYE. A PRACK gets 200
//! (481 when it matches nothing), a BYE 200, a CANCEL 200 and its INVITE 487, an OPTIONS
//! what an INVITE would get, anything else 405 with `Allow`. `--once`: exit 0 after the first
//! call's end. One line per request received and per call's end goes to stdout.

#[path = "common/mod.rs"]
mod common;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use common::timed::Timed;
use common::uas::Invite;
use common::{Clock, Message, Udp};
use sip_responses::reliable::{PrackAnswer, RAck};
use sip_responses::{Status, StatusCode};

/// Callers ahead in the queue when a call arrives.
const QUEUE: u32 = 2;

/// The reason of the 182 sent when `ahead` calls are still ahead, in RFC 3261 21.1.4's form.
fn queue_reason(ahead: u32) -> String {
    let calls = if ahead == 1 { "call" } else { "calls" };
    let wait = (Duration::from_secs(30) * ahead).as_secs().div_ceil(60);
    let minutes = if wait == 1 { "minute" } else { "minutes" };
    format!("{ahead} {calls} queued; expected waiting time is {wait} {minutes}")
}

/// One INVITE and the call it sets up.
struct Call {
    number: u32,
    invite: Invite,
    /// The responses still to send (code and reason), the next first.
    script: Vec<(StatusCode, String)>,
    step: Duration,
    /// When the next one is due; `None` while a reliable provisional awaits its PRACK.
    due: Option<Duration>,
}

impl Call {
    /// The call of an INVITE that arrived at `now` from `peer` (at `local`).
    fn new(
        number: u32,
        invite: &Message<'_>,
        (peer, local): (SocketAddr, SocketAddr),
        now: Duration,
        step: Duration,
    ) -> Result<Call, String> {
        // 12.1.1: a response that creates a dialog carries a Contact.
        let ours = (format!("q{number}"), format!("<sip:queue@{local}>"));
        let queue = (1..=QUEUE).rev();
        let queue = queue.map(|n| (StatusCode::Queued, queue_reason(n)));
        let answers = [StatusCode::Ringing, StatusCode::Ok].map(|c| (c, String::new()));
        Ok(Call {
            number,
            script: if busy(invite) {
                vec![(StatusCode::BusyHere, String::new())]
            } else {
                queue.chain(answers).collect()
            },
            invite: Invite::new(now, invite, peer, ours)?,
            step,
            due: Some(now + step),
        })
    }

    /// When [`Self::tick`] is due next.
    fn poll_timeout(&self) -> Option<Duration> {
        common::earliest([self.invite.poll_timeout(), self.due])
    }

    /// Time passed: the next response, the machines' timers. `Some(why)` when it is over.
    fn tick(&mut self, udp: &Udp, now: Duration) -> Result<Option<&'static str>, String> {
        if self.due.is_some_and(|due| now >= due) {
            self.due = None;
            let Some((code, reason)) = self.script.first().cloned() else {
                return self.invite.handle_timeout(udp, now);
            };
            if self.invite.send(udp, now, code, &reason)? {
                self.script.remove(0);
                let next = !code.class().is_final() && !self.invite.is_reliable();
                self.due = next.then_some(now + self.step); // or at its PRACK
            }
        }
        self.invite.handle_timeout(udp, now)
    }
}

/// What the server does (8.2.1: "The UAS MUST also add an Allow header field to the 405").
const ALLOW: (&str, &str) = ("Allow", "INVITE, ACK, CANCEL, BYE, PRACK, OPTIONS");

/// The answer to a non-INVITE request (not ACK): PRACK through the call's `Uas`; BYE 200;
/// CANCEL 200, and 487 to its INVITE if that has no final response yet (9.2); OPTIONS what
/// an INVITE would get (11.2: "The response code chosen MUST be the same that would have
/// been chosen had the request been an INVITE").
fn answer(call: Option<&mut Call>, request: &Message<'_>, now: Duration) -> StatusCode {
    let rack = request.header("RAck").map(RAck::parse);
    match (request.method(), call) {
        (Some("OPTIONS"), _) if busy(request) => StatusCode::BusyHere,
        (Some("OPTIONS"), _) | (Some("BYE"), Some(_)) => StatusCode::Ok,
        (Some("CANCEL"), Some(call)) => {
            let last = call.script.last();
            if last.is_some_and(|(code, _)| code.class().is_final()) {
                // No final response went yet: 487 goes instead.
                call.script = vec![(StatusCode::RequestTerminated, String::new())];
                call.due = Some(now);
            }
            StatusCode::Ok
        }
        (Some("PRACK"), Some(call)) => match rack.and_then(Result::ok) {
            Some(rack) => match call.invite.handle_prack(now, &rack) {
                Some(PrackAnswer::Ok) => {
                    call.due = Some(now + call.step); // the next one may go
                    StatusCode::Ok
                }
                answer => answer.map_or(StatusCode::CallTransactionDoesNotExist, PrackAnswer::code),
            },
            None => StatusCode::CallTransactionDoesNotExist,
        },
        (Some("PRACK" | "BYE" | "CANCEL"), None) => StatusCode::CallTransactionDoesNotExist,
        _ => StatusCode::MethodNotAllowed,
    }
}

/// Whether `request` is for `sip:busy@...`, whose INVITE gets 486.
fn busy(request: &Message<'_>) -> bool {
    request
        .request_uri()
        .is_some_and(|u| u.starts_with("sip:busy@"))
}

fn run(args: &common::Args) -> Result<(), String> {
    let (udp, clock) = (Udp::bind(args.address())?, Clock::new());
    let (once, step) = (args.flag("--once"), args.option("--step", 1000)?);
    let step = Duration::from_millis(step);
    let (mut calls, mut non_invite) = (Timed::default(), common::NonInviteServers::default());
    let (mut buf, mut numbered) = (vec![0u8; 65_535], 0);
    // Runs a call's timers and what they send; forgets it when it is over.
    let service = |calls: &mut Timed<String, Call>, id: &String, now| -> Result<(), String> {
        let Some(call) = calls.get_mut(id) else {
            return Ok(());
        };
        if let Some(why) = call.tick(&udp, now)? {
            println!("call {} ended: {why}", call.number);
            calls.remove(id);
        } else {
            let at = call.poll_timeout();
            calls.wake_at(id, at);
        }
        Ok(())
    };
    loop {
        let now = clock.now();
        while let Some(id) = calls.due(now) {
            service(&mut calls, &id, now)?;
        }
        if once && numbered > 0 && calls.is_empty() {
            return Ok(());
        }
        non_invite.tick(&udp, now)?;
        let wake = common::earliest([calls.next(), non_invite.poll_timeout()]);
        let Some((datagram, peer)) = udp.recv(&mut buf, &clock, wake)? else {
            continue;
        };
        let now = clock.now();
        let Some(request) = Message::parse(datagram) else {
            continue;
        };
        let (Some(call_id), Some(branch)) = (request.call_id(), request.branch()) else {
            continue;
        };
        let id = call_id.to_owned();
        let (Some(method), call) = (request.method(), calls.get_mut(call_id)) else {
            // A response: to the BYE of a call whose 2xx was never acknowledged.
            let code = request.status().map(|line| line.code());
            if let Some((call, code)) = calls.get_mut(call_id).zip(code) {
                call.invite.handle_response(now, branch, code);
            }
            service(&mut calls, &id, now)?;
            continue;
        };
        println!("received {} from {peer}", request.first);
        match (method, call) {
            ("INVITE", Some(call)) => call.invite.handle_request(now), // 17.2.3: a retransmission
            ("INVITE", None) => {
                numbered += 1;
                let call = Call::new(numbered, &request, (peer, udp.local), now, step)?;
                calls.insert(id.clone(), call);
            }
            // The ACK of a 2xx is the user's (13.3.1.4); of another final, the transaction's.
            ("ACK", call) => drop(call.map(|call| call.invite.handle_ack(now))),
            _ if non_invite.retransmitted(&udp, now, branch)? => {} // 17.2.2
            (_, call) => {
                let code = answer(call, &request, now);
                let tag = (method != "BYE" && method != "PRACK").then_some("x");
                let fields = [ALLOW, ("Supported", "100rel")]; // for OPTIONS, and every 405
                let response = common::response(&Status::from(code), &request, tag, &fields, "");
                non_invite.answer(&udp, now, (branch, peer), code, response)?;
                if method == "BYE" && code == StatusCode::Ok && calls.remove(&id).is_some() && once
                {
                    return Ok(());
                }
            }
        }
        service(&mut calls, &id, now)?;
    }
}

fn main() -> ExitCode {
    let usage =
        "invite_server <address to listen on, e.g. 127.0.0.1:5062> [--once] [--step MS] [--t1 MS]";
    match common::Args::parse(usage, &["--once"], &["--step"], false) {
        Ok(args) => common::exit(run(&args)),
        Err(code) => code,
    }
}
