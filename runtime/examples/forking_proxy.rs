//! A stateful forking proxy (RFC 3261 16) over UDP on the sans-IO machines: an `InviteServer`
//! for the caller's INVITE, an `InviteClient` per branch, a `NonInviteClient` per CANCEL,
//! and the `ResponseContext` above them taking every decision.
//!
//! ```sh
//! cargo run --example forking_proxy -- LISTEN TARGET... [--timer-c MS] [--quiet] [--t1 MS]
//! ```
//!
//! Each INVITE is forked to every TARGET, the caller gets our 100 at once and the last
//! provisional again for a retransmitted INVITE. A branch's transaction retransmits the
//! INVITE (Timer A), times out (B) and ACKs a non-2xx final and each copy of it; what it
//! passes up goes to the context, which says what goes upstream: provisionals but 100, every
//! 2xx (16.7 step 5), and once every branch has ended the best final with every branch's
//! challenges (step 7), retransmitted until the caller's ACK (Timers G, H). The context owns
//! Timer C (`--timer-c`, default 181 s) and says which branch to CANCEL; a target that
//! refuses a datagram is a transport error (16.9). A caller's CANCEL gets 200 and cancels
//! every branch; a CANCEL of no call, and ACK and BYE routed by the To tag of the 2xx that
//! made the dialog, are forwarded statelessly (16.10, 16.11). One event loop sleeps until a
//! datagram or the earliest deadline of all machines. A line per decision unless `--quiet`.

#[path = "common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use common::relay::{self, Call, Caller, Input, Leg, Sockets};
use common::timed::Timed;
use common::{Clock, Message};
use sip_responses::proxy::{
    Action, Best, Branch, ProxyEvent, RequestKind, ResponseContext, TimerC,
};
use sip_responses::transaction::{ClientEvent, Deliver};
use sip_responses::{Class, LenientStatusLine, StatusCode};

struct Proxy {
    io: Sockets,
    timer_c: TimerC,
    quiet: bool,
    /// Our branches are `z9hG4bK{run}.{call}.{fork}`; `run` is our To tag too.
    run: String,
    next: u64,
    calls: Timed<u64, Call>,
    /// The caller's INVITE branch and Call-ID: its call (17.2.3).
    upstream: HashMap<String, u64>,
    /// The dialog of each 2xx sent upstream: the target that sent it.
    dialogs: HashMap<String, usize>,
}

macro_rules! say {
    ($p:expr, $($arg:tt)*) => { if !$p.quiet { println!($($arg)*) } };
}

impl Proxy {
    fn datagram(&mut self, now: Duration, data: &[u8], from: SocketAddr) -> Option<()> {
        let msg = Message::parse(data)?;
        let key = msg
            .branch()
            .zip(msg.call_id())
            .map(|b| format!("{} {}", b.0, b.1));
        let call = key.as_ref().and_then(|k| self.upstream.get(k).copied());
        match (msg.method(), call, key) {
            (None, ..) => drop(self.response(now, &msg)),
            (Some("INVITE"), Some(id), _) => self.with(now, id, |c| c.up.handle_request(now)),
            (Some("INVITE"), None, Some(key)) => self.invite(now, &msg, from, key),
            (Some("ACK"), Some(id), _) => self.with(now, id, |c| c.up.handle_ack(now)),
            (Some("CANCEL"), Some(id), _) => {
                let ok = common::response(&StatusCode::Ok.into(), &msg, Some(&self.run), &[], "");
                self.io.send(from, &ok);
                say!(self, "call {id}: CANCEL from the caller");
                self.with(now, id, |c| c.cx.handle_cancel(now));
            }
            (Some(method), None, _) => {
                let target = match method {
                    "CANCEL" => Some(0),
                    _ => self.dialogs.get(&relay::dialog(&msg)).copied(),
                };
                if let Some(target) = target {
                    say!(self, "{method}: forwarded statelessly to target {target}");
                    self.io.forward_stateless(&msg, target);
                }
            }
            _ => {}
        }
        Some(())
    }

    fn invite(&mut self, now: Duration, msg: &Message<'_>, caller: SocketAddr, key: String) {
        let (id, up) = (self.next, Caller::trying(now, &self.io, msg, caller));
        self.next += 1;
        say!(self, "call {id}: INVITE from {caller}: 100 Trying upstream");
        let mut cx = ResponseContext::new(RequestKind::Invite).with_timer_c(self.timer_c);
        let mut forks = Vec::new();
        for target in 0..self.io.targets.len() {
            let Ok(branch) = cx.add_branch(now) else {
                break;
            };
            let via = format!("z9hG4bK{}.{id}.{target}", self.run);
            let invite = relay::forward_request(msg, &self.io.via(target, &via));
            forks.push((branch, Leg::send(now, &self.io, target, invite)));
        }
        self.upstream.insert(key.clone(), id);
        let call = Call { key, up, cx, forks };
        self.calls.insert(id, call);
        self.pump(now, id);
    }

    /// A response to a branch's INVITE or CANCEL (by our branch), or relayed statelessly.
    fn response(&mut self, now: Duration, msg: &Message<'_>) -> Option<()> {
        let code = LenientStatusLine::parse(msg.text.as_bytes()).ok()?.code();
        let method = msg.cseq().map_or("", |(_, m)| m);
        if method == "BYE" && code.class() == Class::Success {
            self.dialogs.remove(&relay::dialog(msg));
        }
        if self.io.relay_stateless(msg) {
            return Some(());
        }
        let ours = msg
            .branch()?
            .strip_prefix("z9hG4bK")?
            .strip_prefix(&self.run)?;
        let (id, i) = ours.strip_prefix('.')?.split_once('.')?;
        let (id, i): (u64, usize) = (id.parse().ok()?, i.parse().ok()?);
        let call = self.calls.get_mut(&id)?;
        let (branch, leg) = call.forks.get_mut(i)?;
        if leg.handle_response(now, msg, code) == Deliver::ToUser {
            let action = call.cx.handle_response(now, *branch, code);
            say!(self, "call {id}: branch {i}: {} -> {action:?}", code.get());
            if action == Ok(Action::Forward) {
                if code.class() == Class::Success {
                    self.dialogs.insert(relay::dialog(msg), i);
                }
                call.up
                    .respond(now, &self.io, code, relay::forward_response(msg, &[]));
            }
        }
        self.pump(now, id)
    }

    fn with(&mut self, now: Duration, id: u64, f: impl FnOnce(&mut Call)) {
        if let Some(call) = self.calls.get_mut(&id) {
            f(call);
            self.pump(now, id);
        }
    }

    /// After any input to call `id`: what its machines ask to send, the context's CANCELs and
    /// final response, then its next deadline, or its end.
    fn pump(&mut self, now: Duration, id: u64) -> Option<()> {
        let call = self.calls.get_mut(&id)?;
        if let Some(event) = call.up.poll(&self.io) {
            say!(self, "call {id}: server transaction: {event:?}");
        }
        for (i, (branch, leg)) in call.forks.iter_mut().enumerate() {
            let action = match leg.poll(now, &self.io) {
                Some(ClientEvent::Timeout) => call.cx.handle_transaction_timeout(now, *branch),
                Some(ClientEvent::TransportError) => call.cx.handle_transport_error(now, *branch),
                None => continue,
            };
            say!(self, "call {id}: branch {i}: {action:?} (no answer)");
        }
        while let Some(ProxyEvent::BranchEnded { branch, cause }) = call.cx.poll_event() {
            call.forks[branch.index()].1.stopped = true;
            say!(self, "call {id}: branch {}: {cause:?}", branch.index());
        }
        while let Some(branch) = call.cx.poll_cancel(now) {
            call.forks[branch.index()].1.cancel(now, &self.io);
            say!(self, "call {id}: cancel branch {}", branch.index());
        }
        if let Some(best) = call.cx.poll_final() {
            let text = match best {
                Best::NoResponse => None, // the proxy forks INVITEs only: never
                Best::Generate(code) => call.up.generate(code, &self.run),
                Best::Forward { branch, .. } => {
                    let stored = |b: Branch| call.forks[b.index()].1.stored.as_deref();
                    let others = call.cx.challenges().filter(|b| *b != branch);
                    stored(branch)
                        .and_then(|s| relay::merge_challenges(s, others.filter_map(stored)))
                }
            };
            say!(self, "call {id}: upstream ({best:?})");
            if let (Some(text), Some(code)) = (text, best.code()) {
                call.up.respond(now, &self.io, code, text);
            }
        }
        if call.done() {
            self.upstream.remove(&call.key);
            self.calls.remove(&id);
        } else {
            let at = call.poll_timeout();
            self.calls.wake_at(&id, at);
        }
        Some(())
    }

    /// Target `target` refused a datagram: a transport error for each of its branches that
    /// has had no response (16.9).
    fn refused(&mut self, now: Duration, target: usize) {
        let calls = self.calls.iter_mut();
        let hit = calls.filter_map(|(id, c)| {
            let refused = c.forks.get_mut(target).is_some_and(|f| f.1.refused(now));
            refused.then_some(*id)
        });
        for id in hit.collect::<Vec<_>>() {
            self.pump(now, id);
        }
    }

    fn run(mut self) {
        let (inbox, clock) = (self.io.inbox(), Clock::new());
        loop {
            let input = inbox.recv(&clock, self.calls.next());
            let now = clock.now();
            match input {
                Some(Input::Datagram { data, from, .. }) => drop(self.datagram(now, &data, from)),
                Some(Input::Refused { socket }) => self.refused(now, socket.wrapping_sub(1)),
                None => {}
            }
            while let Some(id) = self.calls.due(now) {
                self.with(now, id, |call| call.handle_timeout(now));
            }
        }
    }
}

fn main() -> ExitCode {
    let usage = "forking_proxy LISTEN TARGET... [--timer-c MS (> 0)] [--quiet] [--t1 MS]";
    let args = match common::Args::parse(usage, &["--quiet"], &["--timer-c"], true) {
        Ok(args) if !args.rest().is_empty() => args,
        Ok(_) => return common::exit(Err(format!("no TARGET\nusage: {usage}"))),
        Err(code) => return code,
    };
    let (listen, targets, quiet) = (args.address(), args.rest(), args.flag("--quiet"));
    // Below RFC 3261's "larger than 3 minutes" (16.6 step 11), for tests and labs.
    let timer_c = args.option("--timer-c", 181_000).map(Duration::from_millis); // the default
    let Some(timer_c) = timer_c.ok().and_then(TimerC::below_rfc_minimum) else {
        return common::exit(Err(format!("--timer-c is more than 0 ms\nusage: {usage}")));
    };
    let io = match Sockets::open(listen, targets) {
        Ok(io) => io,
        Err(e) => return common::exit(Err(e)),
    };
    let (local, timer) = (io.local, timer_c.get().as_millis());
    println!("forking_proxy on {local}: Timer C {timer} ms");
    let (run, next, calls) = (common::unique(), 0, Timed::default());
    let (upstream, dialogs) = (HashMap::new(), HashMap::new());
    Proxy {
        io,
        timer_c,
        quiet,
        run,
        next,
        calls,
        upstream,
        dialogs,
    }
    .run();
    ExitCode::SUCCESS
}
