//! A stateful forking proxy (RFC 3261 16) over UDP on the sans-IO machines: an
//! `InviteServer` for the caller's INVITE, an `InviteClient` per branch, a `NonInviteClient`
//! per CANCEL, and the `ResponseContext` above them taking every decision.
//!
//! ```sh
//! cargo run --example forking_proxy -- LISTEN TARGET... [--timer-c MS] [--quiet]
//! ```
//!
//! Each INVITE is forked to every TARGET (our Via on top, from one connected socket per
//! target, which sees the ICMP error of a target that refuses it: a transport error, 16.9);
//! the caller gets our 100 at once, and the last provisional again for a retransmitted
//! INVITE. Each branch's transaction retransmits the INVITE (Timer A), times out (Timer B)
//! and ACKs a non-2xx final and each retransmission of it; what it passes up goes to the
//! context, which says what goes upstream: provisionals but 100, every 2xx (16.7 step 5), and
//! once every branch has ended the best final, with every branch's challenges (step 7),
//! retransmitted until the caller's ACK (Timer G, H). The context owns Timer C (`--timer-c`,
//! default `TimerC::DEFAULT`, 181 s) and says which branches to CANCEL. A caller's CANCEL
//! gets 200 and cancels every branch; a CANCEL of no call, ACK and BYE of a dialog (routed by
//! the To tag of the 2xx) are forwarded statelessly (16.10, 16.11). One event loop sleeps
//! until a datagram or the earliest deadline of all machines. A line per decision on stdout
//! unless `--quiet`.

#[path = "common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::net::{SocketAddr, UdpSocket};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use common::relay::{self, Inbox, Input, Schedule};
use common::{Clock, Message, tag};
use sip_responses::proxy::{
    Action, Best, Branch, ProxyEvent, RequestKind, ResponseContext, TimerC,
};
use sip_responses::transaction::{
    ClientEvent, Deliver, InviteClient, InviteClientState as Ic, InviteServer, InviteServerState,
    NonInviteClient, NonInviteClientState, Timers, Transmit, Transport,
};
use sip_responses::{Class, LenientStatusLine, RawCode, Status, StatusCode};

const UDP: Transport = Transport::Unreliable;

/// One branch: its target, the INVITE as forwarded, its transaction, the To of its final
/// response (for the ACK), its stored final (our Via removed), its CANCEL.
struct Fork {
    branch: Branch,
    target: usize,
    invite: String,
    tx: InviteClient,
    /// The context ended it (Timer C, 64*T1 after its CANCEL): no more retransmissions.
    ended: bool,
    to: String,
    stored: Option<String>,
    cancel: Option<(String, NonInviteClient)>,
}

/// One proxied INVITE.
struct Call {
    key: String,
    caller: SocketAddr,
    invite: String,
    server: InviteServer,
    /// The last response the server transaction sent, to send again.
    last: String,
    cx: ResponseContext,
    forks: Vec<Fork>,
    scheduled: Option<Duration>,
}

impl Call {
    fn poll_timeout(&self) -> Option<Duration> {
        let forks = self.forks.iter().flat_map(|f| {
            let cancel = f.cancel.as_ref().and_then(|(_, tx)| tx.poll_timeout());
            [(!f.ended).then(|| f.tx.poll_timeout()).flatten(), cancel]
        });
        common::earliest(
            [self.server.poll_timeout(), self.cx.poll_timeout()]
                .into_iter()
                .chain(forks),
        )
    }

    fn done(&self) -> bool {
        self.server.state() == InviteServerState::Terminated
            && self.cx.is_complete()
            && self.forks.iter().all(|f| {
                (f.ended || f.tx.state() == Ic::Terminated)
                    && f.cancel
                        .as_ref()
                        .is_none_or(|(_, tx)| tx.state() == NonInviteClientState::Terminated)
            })
    }
}

struct Target {
    addr: SocketAddr,
    socket: Arc<UdpSocket>,
    local: SocketAddr,
}

struct Proxy {
    listen: Arc<UdpSocket>,
    local: SocketAddr,
    targets: Vec<Target>,
    timer_c: TimerC,
    quiet: bool,
    clock: Clock,
    /// Our branches are `z9hG4bK{run}.{call}.{fork}`.
    run: String,
    next: u64,
    calls: HashMap<u64, Call>,
    /// The caller's INVITE branch and Call-ID: its call.
    upstream: HashMap<String, u64>,
    /// Call-ID and To tag of a 2xx sent upstream: the target that sent it.
    dialogs: HashMap<String, usize>,
    schedule: Schedule<u64>,
}

macro_rules! say {
    ($quiet:expr, $($arg:tt)*) => { if !$quiet { println!($($arg)*) } };
}

fn key(msg: &Message<'_>) -> Option<String> {
    Some(format!("{} {}", msg.branch()?, msg.call_id()?))
}

impl Proxy {
    fn up(&self, to: SocketAddr, text: &str) {
        let _ = self.listen.send_to(text.as_bytes(), to);
    }

    fn datagram(&mut self, now: Duration, data: &[u8], from: SocketAddr) {
        let Some(msg) = Message::parse(data) else {
            return;
        };
        let call = key(&msg).and_then(|k| self.upstream.get(&k).copied());
        match (msg.method(), call) {
            (None, _) => self.response(now, &msg),
            (Some("INVITE"), Some(id)) => self.with(now, id, |c, now| c.server.handle_request(now)),
            (Some("INVITE"), None) => self.invite(now, &msg, from),
            (Some("CANCEL"), Some(id)) => {
                let ok = common::response(
                    &Status::from(StatusCode::Ok),
                    &msg,
                    Some(&self.run),
                    &[],
                    "",
                );
                self.up(from, &ok);
                say!(
                    self.quiet,
                    "call {id}: CANCEL from the caller: cancel every branch"
                );
                self.with(now, id, |c, now| c.cx.handle_cancel(now));
            }
            (Some("ACK"), Some(id)) => self.with(now, id, |c, now| {
                let _ = c.server.handle_ack(now);
            }),
            (Some("CANCEL"), None) => self.stateless(&msg, 0),
            (Some(method), None) => {
                let dialog = format!(
                    "{};{}",
                    msg.call_id().unwrap_or(""),
                    msg.header("To").and_then(tag).unwrap_or("")
                );
                if let Some(&target) = self.dialogs.get(&dialog) {
                    say!(self.quiet, "{method} -> target {target}");
                    self.stateless(&msg, target);
                }
            }
            (Some(_), Some(_)) => {}
        }
    }

    /// Forwards a request statelessly to `target` (16.11), from the listening socket.
    fn stateless(&self, msg: &Message<'_>, target: usize) {
        let via = format!(
            "SIP/2.0/UDP {};branch={}",
            self.local,
            relay::stateless_branch(msg)
        );
        say!(
            self.quiet,
            "{}: forwarded statelessly to {}",
            msg.first,
            self.targets[target].addr
        );
        self.up(
            self.targets[target].addr,
            &relay::forward_request(msg, &via),
        );
    }

    fn invite(&mut self, now: Duration, msg: &Message<'_>, from: SocketAddr) {
        let Some(key) = key(msg) else { return };
        let (id, mut server) = (self.next, InviteServer::new(now, UDP, Timers::DEFAULT));
        self.next += 1;
        let last = common::response(&Status::from(StatusCode::Trying), msg, None, &[], "");
        let _ = server.send_response(now, StatusCode::Trying);
        self.up(from, &last);
        say!(
            self.quiet,
            "call {id}: INVITE from {from}: 100 Trying upstream"
        );
        let mut cx = ResponseContext::new(RequestKind::Invite).with_timer_c(self.timer_c);
        let mut forks = Vec::new();
        for (target, t) in self.targets.iter().enumerate() {
            let Ok(branch) = cx.add_branch(now) else {
                break;
            };
            let via = format!(
                "SIP/2.0/UDP {};branch=z9hG4bK{}.{id}.{target}",
                t.local, self.run
            );
            let invite = relay::forward_request(msg, &via);
            let mut tx = InviteClient::new(now, UDP, Timers::DEFAULT);
            if t.socket.send(invite.as_bytes()).is_err() {
                tx.handle_transport_error(now);
            }
            let to = String::new();
            forks.push(Fork {
                branch,
                target,
                invite,
                tx,
                ended: false,
                to,
                stored: None,
                cancel: None,
            });
        }
        let (invite, scheduled) = (msg.text.to_owned(), None);
        let call = Call {
            key: key.clone(),
            caller: from,
            invite,
            server,
            last,
            cx,
            forks,
            scheduled,
        };
        self.upstream.insert(key, id);
        self.calls.insert(id, call);
        self.pump(now, id);
    }

    /// A response: to a branch's INVITE or CANCEL by our branch, else relayed statelessly.
    fn response(&mut self, now: Duration, msg: &Message<'_>) {
        let Ok(code) = LenientStatusLine::parse(msg.text.as_bytes()).map(|l| l.code()) else {
            return;
        };
        let branch = msg.branch().unwrap_or("");
        if branch.starts_with("z9hG4bKsl") {
            let next = msg.headers("Via").flat_map(|v| v.split(',')).nth(1);
            if let Some(to) = next.and_then(relay::via_address) {
                if msg.cseq().is_some_and(|(_, m)| m == "BYE") && code.class() == Class::Success {
                    self.dialogs.remove(&format!(
                        "{};{}",
                        msg.call_id().unwrap_or(""),
                        msg.header("To").and_then(tag).unwrap_or("")
                    ));
                }
                self.up(to, &relay::forward_response(msg, &[]));
            }
            return;
        }
        let ours = branch
            .strip_prefix("z9hG4bK")
            .and_then(|b| b.strip_prefix(self.run.as_str()));
        let mut parts = ours
            .unwrap_or("")
            .split('.')
            .skip(1)
            .map(str::parse::<usize>);
        let (Some(Ok(id)), Some(Ok(i))) = (parts.next(), parts.next()) else {
            return;
        };
        let Some(call) = self.calls.get_mut(&(id as u64)) else {
            return;
        };
        let Some(fork) = call.forks.get_mut(i) else {
            return;
        };
        if msg.cseq().is_some_and(|(_, m)| m == "CANCEL") {
            if let Some((_, tx)) = fork.cancel.as_mut() {
                tx.handle_response(now, code);
            }
        } else if fork.tx.handle_response(now, code) == Deliver::ToUser {
            if code.get() >= 300 {
                fork.to = msg.header("To").unwrap_or("").to_owned();
            }
            let Ok(action) = call.cx.handle_response(now, fork.branch, code) else {
                return;
            };
            say!(
                self.quiet,
                "call {id}: branch {i}: {} -> {action:?}",
                code.get()
            );
            match action {
                Action::Forward => {
                    let text = relay::forward_response(msg, &[]);
                    if code.class() == Class::Success {
                        let to_tag = msg.header("To").and_then(tag).unwrap_or("");
                        self.dialogs.insert(
                            format!("{};{to_tag}", msg.call_id().unwrap_or("")),
                            fork.target,
                        );
                    }
                    if call.server.send_response(now, code).is_ok() {
                        call.last.clone_from(&text);
                    }
                    let _ = self.listen.send_to(text.as_bytes(), call.caller);
                }
                Action::Store => fork.stored = Some(relay::forward_response(msg, &[])),
                Action::Absorb => {}
            }
        }
        self.pump(now, id as u64);
    }

    fn with(&mut self, now: Duration, id: u64, f: impl FnOnce(&mut Call, Duration)) {
        if let Some(call) = self.calls.get_mut(&id) {
            f(call, now);
            self.pump(now, id);
        }
    }

    /// After any input to call `id`: what its machines ask to send, the context's CANCELs and
    /// final response, and its next deadline (or its end).
    fn pump(&mut self, now: Duration, id: u64) {
        let Some(call) = self.calls.get_mut(&id) else {
            return;
        };
        let quiet = self.quiet;
        if call.server.poll_transmit().is_some() {
            let _ = self.listen.send_to(call.last.as_bytes(), call.caller);
        }
        if let Some(event) = call.server.poll_event() {
            say!(quiet, "call {id}: server transaction: {event:?}");
        }
        for (i, fork) in call.forks.iter_mut().enumerate() {
            let socket = &self.targets[fork.target].socket;
            let text = match fork.tx.poll_transmit() {
                Some(Transmit::Request) if !fork.ended => Some(fork.invite.clone()),
                Some(Transmit::Ack) => Message::parse(fork.invite.as_bytes())
                    .map(|m| relay::in_transaction(&m, "ACK", &fork.to)),
                _ => None,
            };
            if text.is_some_and(|t| socket.send(t.as_bytes()).is_err()) {
                fork.tx.handle_transport_error(now);
            }
            if let Some(event) = fork.tx.poll_event() {
                let action = match event {
                    ClientEvent::Timeout => call.cx.handle_transaction_timeout(now, fork.branch),
                    ClientEvent::TransportError => call.cx.handle_transport_error(now, fork.branch),
                };
                say!(quiet, "call {id}: branch {i}: {event:?} -> {action:?}");
            }
            if let Some((cancel, tx)) = fork.cancel.as_mut() {
                if tx.poll_transmit().is_some() {
                    let _ = socket.send(cancel.as_bytes());
                }
            }
        }
        while let Some(ProxyEvent::BranchEnded { branch, cause }) = call.cx.poll_event() {
            call.forks[branch.index()].ended = true;
            say!(
                quiet,
                "call {id}: branch {}: {cause:?} -> ended",
                branch.index()
            );
        }
        while let Some(branch) = call.cx.poll_cancel(now) {
            let fork = &mut call.forks[branch.index()];
            let Some(invite) = Message::parse(fork.invite.as_bytes()) else {
                continue;
            };
            let cancel =
                relay::in_transaction(&invite, "CANCEL", invite.header("To").unwrap_or(""));
            let _ = self.targets[fork.target].socket.send(cancel.as_bytes());
            fork.cancel = Some((cancel, NonInviteClient::new(now, UDP, Timers::DEFAULT)));
            say!(quiet, "call {id}: cancel branch {}", branch.index());
        }
        if let Some(best) = call.cx.poll_final() {
            let text = match best {
                Best::Generate(code) => {
                    let invite = Message::parse(call.invite.as_bytes());
                    invite.map(|m| {
                        common::response(&Status::from(code), &m, Some(&self.run), &[], "")
                    })
                }
                Best::Forward { branch, .. } => {
                    let others = call.cx.challenges().filter(|b| *b != branch);
                    let stored: Vec<&str> = others
                        .filter_map(|b| call.forks[b.index()].stored.as_deref())
                        .collect();
                    let parsed: Vec<Message<'_>> = stored
                        .iter()
                        .filter_map(|s| Message::parse(s.as_bytes()))
                        .collect();
                    let extra: Vec<&str> = parsed.iter().flat_map(relay::challenges).collect();
                    let chosen = call.forks[branch.index()]
                        .stored
                        .as_deref()
                        .and_then(|s| Message::parse(s.as_bytes()));
                    chosen.map(|m| relay::forward_response(&m, &extra))
                }
            };
            say!(quiet, "call {id}: upstream {} ({best:?})", best.code());
            if let (Some(text), Some(code)) = (text, RawCode::new(best.code())) {
                let _ = call.server.send_response(now, code);
                let _ = self.listen.send_to(text.as_bytes(), call.caller);
                call.last = text;
            }
        }
        if call.done() {
            self.upstream.remove(&call.key);
            self.calls.remove(&id);
        } else if let Some(at) = call.poll_timeout().filter(|at| call.scheduled != Some(*at)) {
            call.scheduled = Some(at);
            self.schedule.set(at, id);
        }
    }

    /// Target `target`'s socket reported an ICMP error: a transport error for each branch to
    /// it that has had no response (16.9).
    fn refused(&mut self, now: Duration, target: usize) {
        let mut hit = Vec::new();
        for (id, call) in &mut self.calls {
            for fork in call
                .forks
                .iter_mut()
                .filter(|f| f.target == target && f.tx.state() == Ic::Calling)
            {
                fork.tx.handle_transport_error(now);
                hit.push(*id);
            }
        }
        hit.into_iter().for_each(|id| self.pump(now, id));
    }
}

fn run(mut proxy: Proxy) -> Result<(), String> {
    let mut sockets = vec![Arc::clone(&proxy.listen)];
    sockets.extend(proxy.targets.iter().map(|t| Arc::clone(&t.socket)));
    let inbox = Inbox::new(&sockets);
    loop {
        let input = inbox.recv(&proxy.clock, proxy.schedule.next());
        let now = proxy.clock.now();
        match input {
            Some(Input::Datagram { data, from, .. }) => proxy.datagram(now, &data, from),
            Some(Input::Refused { socket }) => proxy.refused(now, socket.wrapping_sub(1)),
            None => {}
        }
        while let Some((at, id)) = proxy.schedule.due(now) {
            let Some(call) = proxy.calls.get_mut(&id).filter(|c| c.scheduled == Some(at)) else {
                continue;
            };
            call.scheduled = None;
            call.server.handle_timeout(now);
            call.cx.handle_timeout(now);
            for fork in &mut call.forks {
                fork.tx.handle_timeout(now);
                if let Some((_, tx)) = fork.cancel.as_mut() {
                    tx.handle_timeout(now);
                }
            }
            proxy.pump(now, id);
        }
    }
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let quiet = args.iter().any(|a| a == "--quiet");
    args.retain(|a| a != "--quiet");
    let mut timer_c = TimerC::DEFAULT;
    if let Some(at) = args.iter().position(|a| a == "--timer-c") {
        let ms = args.get(at + 1).and_then(|v| v.parse().ok());
        // Below RFC 3261's "larger than 3 minutes" (16.6 step 11), for tests and labs.
        let Some(t) = ms.and_then(|ms| TimerC::below_rfc_minimum(Duration::from_millis(ms))) else {
            eprintln!("error: --timer-c takes milliseconds (more than 0)");
            return ExitCode::from(2);
        };
        timer_c = t;
        args.drain(at..=at + 1);
    }
    let addresses: Result<Vec<SocketAddr>, _> = args.iter().map(|a| a.parse()).collect();
    let (Ok([listen, targets @ ..]), false) = (addresses.as_deref(), args.len() < 2) else {
        eprintln!(
            "usage: forking_proxy LISTEN TARGET... [--timer-c MS] [--quiet] (socket addresses)"
        );
        return ExitCode::from(2);
    };
    let bind = |addr: SocketAddr| common::Udp::bind(addr).map(|u| (Arc::new(u.socket), u.local));
    let connect = |addr: SocketAddr| {
        let (socket, local) = bind(SocketAddr::new(listen.ip(), 0))?;
        socket.connect(addr).map_err(|e| e.to_string())?;
        Ok::<_, String>(Target {
            addr,
            socket,
            local,
        })
    };
    let setup = bind(*listen).and_then(|l| {
        Ok((
            l,
            targets
                .iter()
                .map(|t| connect(*t))
                .collect::<Result<_, _>>()?,
        ))
    });
    let ((listen, local), targets) = match setup {
        Ok(setup) => setup,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "forking_proxy on {local}: Timer C {} ms",
        timer_c.get().as_millis()
    );
    let (run_id, clock) = (common::unique(), Clock::new());
    let proxy = Proxy {
        listen,
        local,
        targets,
        timer_c,
        quiet,
        clock,
        run: run_id,
        next: 0,
        calls: HashMap::new(),
        upstream: HashMap::new(),
        dialogs: HashMap::new(),
        schedule: Schedule::new(),
    };
    match run(proxy) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
