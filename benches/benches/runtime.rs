//! Run-time cost of sip-responses against hand-written baselines, `http`, `rsip` and
//! `ezk-sip-types`, on one
//! input mix (common codes plus the unknown 499 and 799), in one run. Prints each median and
//! its ratio to the baseline at the end.
//!
//! Run: `cargo bench -p sip-responses-benches` (add `-- --quick` for a short run).

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::PathBuf;

use criterion::{BenchmarkId, Criterion};
use sip_responses::{Provisional, ResponseHandler, StatusCode, StatusLine};
use sip_responses_benches::{Derived, DerivedHandler, DerivedProvisional};

/// 1xx codes (and two that are not), for the 1xx-only enums.
const PROVISIONAL_CODES: [u16; 8] = [100, 180, 181, 182, 183, 199, 155, 200];

/// The input mix: common codes, then two unknown ones.
const CODES: [u16; 8] = [100, 180, 200, 404, 486, 503, 499, 799];
const TEXTS: [&[u8]; 8] = [
    b"100", b"180", b"200", b"404", b"486", b"503", b"499", b"799",
];

/// The hand-written baselines: a table typed once, expanded into plain `match`es, the best a
/// user could write by hand for the same job.
macro_rules! hand_written {
    ($($code:literal $reason:literal $line:literal),* $(,)?) => {
        mod hand {
            /// u16 to a known code.
            pub fn from_u16(code: u16) -> Option<u16> {
                match code { $($code => Some($code),)* _ => None }
            }
            /// Three ASCII digits to a known code.
            pub fn from_bytes(b: &[u8]) -> Option<u16> {
                let [a, b, c] = *b else { return None };
                if !(a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit()) {
                    return None;
                }
                from_u16(u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0'))
            }
            /// The reason phrase.
            pub fn reason(code: u16) -> &'static str {
                match code { $($code => $reason,)* _ => "" }
            }
            /// The precomputed "NNN Reason".
            pub fn line(code: u16) -> &'static str {
                match code { $($code => $line,)* _ => "" }
            }
            /// RFC 3261 8.1.3.2 by hand.
            pub fn interpret(code: u16) -> Option<u16> {
                match code {
                    $($code => Some($code),)*
                    100..=199 => Some(183),
                    200..=699 => Some(code / 100 * 100),
                    _ => None,
                }
            }
        }
    };
}

hand_written! {
    100 "Trying" "100 Trying",
    180 "Ringing" "180 Ringing",
    181 "Call Is Being Forwarded" "181 Call Is Being Forwarded",
    182 "Queued" "182 Queued",
    183 "Session Progress" "183 Session Progress",
    199 "Early Dialog Terminated" "199 Early Dialog Terminated",
    200 "OK" "200 OK",
    202 "Accepted" "202 Accepted",
    204 "No Notification" "204 No Notification",
    300 "Multiple Choices" "300 Multiple Choices",
    301 "Moved Permanently" "301 Moved Permanently",
    302 "Moved Temporarily" "302 Moved Temporarily",
    305 "Use Proxy" "305 Use Proxy",
    380 "Alternative Service" "380 Alternative Service",
    400 "Bad Request" "400 Bad Request",
    401 "Unauthorized" "401 Unauthorized",
    402 "Payment Required" "402 Payment Required",
    403 "Forbidden" "403 Forbidden",
    404 "Not Found" "404 Not Found",
    405 "Method Not Allowed" "405 Method Not Allowed",
    406 "Not Acceptable" "406 Not Acceptable",
    407 "Proxy Authentication Required" "407 Proxy Authentication Required",
    408 "Request Timeout" "408 Request Timeout",
    410 "Gone" "410 Gone",
    412 "Conditional Request Failed" "412 Conditional Request Failed",
    413 "Request Entity Too Large" "413 Request Entity Too Large",
    414 "Request-URI Too Long" "414 Request-URI Too Long",
    415 "Unsupported Media Type" "415 Unsupported Media Type",
    416 "Unsupported URI Scheme" "416 Unsupported URI Scheme",
    417 "Unknown Resource-Priority" "417 Unknown Resource-Priority",
    420 "Bad Extension" "420 Bad Extension",
    421 "Extension Required" "421 Extension Required",
    422 "Session Interval Too Small" "422 Session Interval Too Small",
    423 "Interval Too Brief" "423 Interval Too Brief",
    424 "Bad Location Information" "424 Bad Location Information",
    425 "Bad Alert Message" "425 Bad Alert Message",
    428 "Use Identity Header" "428 Use Identity Header",
    429 "Provide Referrer Identity" "429 Provide Referrer Identity",
    430 "Flow Failed" "430 Flow Failed",
    433 "Anonymity Disallowed" "433 Anonymity Disallowed",
    436 "Bad Identity Info" "436 Bad Identity Info",
    437 "Unsupported Credential" "437 Unsupported Credential",
    438 "Invalid Identity Header" "438 Invalid Identity Header",
    439 "First Hop Lacks Outbound Support" "439 First Hop Lacks Outbound Support",
    440 "Max-Breadth Exceeded" "440 Max-Breadth Exceeded",
    469 "Bad Info Package" "469 Bad Info Package",
    470 "Consent Needed" "470 Consent Needed",
    480 "Temporarily Unavailable" "480 Temporarily Unavailable",
    481 "Call/Transaction Does Not Exist" "481 Call/Transaction Does Not Exist",
    482 "Loop Detected" "482 Loop Detected",
    483 "Too Many Hops" "483 Too Many Hops",
    484 "Address Incomplete" "484 Address Incomplete",
    485 "Ambiguous" "485 Ambiguous",
    486 "Busy Here" "486 Busy Here",
    487 "Request Terminated" "487 Request Terminated",
    488 "Not Acceptable Here" "488 Not Acceptable Here",
    489 "Bad Event" "489 Bad Event",
    491 "Request Pending" "491 Request Pending",
    493 "Undecipherable" "493 Undecipherable",
    494 "Security Agreement Required" "494 Security Agreement Required",
    500 "Server Internal Error" "500 Server Internal Error",
    501 "Not Implemented" "501 Not Implemented",
    502 "Bad Gateway" "502 Bad Gateway",
    503 "Service Unavailable" "503 Service Unavailable",
    504 "Server Time-out" "504 Server Time-out",
    505 "Version Not Supported" "505 Version Not Supported",
    513 "Message Too Large" "513 Message Too Large",
    555 "Push Notification Service Not Supported" "555 Push Notification Service Not Supported",
    580 "Precondition Failure" "580 Precondition Failure",
    600 "Busy Everywhere" "600 Busy Everywhere",
    603 "Decline" "603 Decline",
    604 "Does Not Exist Anywhere" "604 Does Not Exist Anywhere",
    606 "Not Acceptable" "606 Not Acceptable",
    607 "Unwanted" "607 Unwanted",
    608 "Rejected" "608 Rejected"
}

/// A hand-written `Display`: one `write_str` of the precomputed "NNN Reason".
#[derive(Clone, Copy)]
struct HandLine(u16);

impl std::fmt::Display for HandLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(hand::line(self.0))
    }
}

/// The known codes of the mix on the derived all-codes enum (not `Copy`: kept by value).
fn known_derived() -> Vec<Derived> {
    CODES.iter().filter_map(|&c| Derived::from_u16(c)).collect()
}

/// Runs `f` on each input and hands each result to `black_box` on its own: every row of a
/// group pays the same for its output, whatever the result's size (an array of 1-byte
/// `Option`s comes back packed in a register, one of 2-byte ones through memory, which made
/// the same lookup measure 1.4x apart).
#[inline(always)]
fn each<I: Copy, T>(inputs: &[I], f: impl Fn(I) -> T) {
    for &input in inputs {
        black_box(f(black_box(input)));
    }
}

/// One handler for the generated and the derived set: the 1xx methods and each x00 (every
/// other final code falls back to its x00), each returning the code it stands for.
struct Handler;

macro_rules! handler_methods {
    ($($method:ident $code:literal),* $(,)?) => {
        $(fn $method(&mut self, (): ()) -> u16 { $code })*
    };
}

macro_rules! handler_impl {
    ($($trait:ident),*) => {$(
        impl $trait<()> for Handler {
            type Output = u16;
            handler_methods! {
                on_trying 100, on_ringing 180, on_call_is_being_forwarded 181, on_queued 182,
                on_session_progress 183, on_early_dialog_terminated 199, on_ok 200,
                on_multiple_choices 300, on_bad_request 400, on_server_internal_error 500,
                on_busy_everywhere 600,
            }
        }
    )*};
}

handler_impl!(ResponseHandler, DerivedHandler);

/// `dispatch_code` (RFC 3261 8.1.3.2, then the handler's method) on the same mix.
fn dispatch(c: &mut Criterion) {
    let mut g = c.benchmark_group("dispatch_code");
    g.bench_function("sip-responses", |b| {
        b.iter(|| {
            each(&CODES, |c| {
                StatusCode::dispatch_code(c, &mut Handler, ()).ok()
            })
        })
    });
    g.bench_function("derived", |b| {
        b.iter(|| each(&CODES, |c| Derived::dispatch_code(c, &mut Handler, ()).ok()))
    });
    g.finish();
}

/// RFC 3262, per reliable provisional: the UAS numbering and scheduling it (and the PRACK
/// that acknowledges it), the UAC classifying it and building its RAck, each writing its
/// header lines into a reused String; beside `write!` of the same lines from plain counters.
fn reliable(c: &mut Criterion) {
    use sip_responses::reliable::{Body, PrackAnswer, RSeq, Received, ReliableCode, Uac, Uas};
    use sip_responses::{RawCode, T1};
    use std::time::Duration;
    let progress = ReliableCode::of(&StatusCode::SessionProgress).unwrap();
    let progress_raw = RawCode::from(StatusCode::SessionProgress);
    let mut buf = String::with_capacity(64);
    let mut g = c.benchmark_group("reliable provisional");
    g.bench_function("write! RSeq and Require", |b| {
        let mut n = 1u32;
        b.iter(|| {
            buf.clear();
            n = n % 1_000_000 + 1;
            write!(buf, "Require: 100rel\r\nRSeq: {}\r\n", black_box(n)).unwrap();
            buf.len()
        })
    });
    g.bench_function("Uas send + PRACK", |b| {
        let fresh = || Uas::new(RSeq::new(1).unwrap(), 1, "INVITE", T1::DEFAULT).unwrap();
        let mut uas = fresh();
        let mut now = Duration::ZERO;
        b.iter(|| {
            now += Duration::from_millis(1);
            let rseq = uas
                .send_reliable(black_box(now), black_box(progress), Body::Empty)
                .unwrap();
            buf.clear();
            write!(buf, "Require: 100rel\r\nRSeq: {rseq}\r\n").unwrap();
            black_box(uas.poll_timeout());
            // The PRACK that frees the UAS for the next one (its RAck built as a UAC would).
            let mut uac = Uac::new(1, "INVITE");
            let Received::New(rack) = uac.handle_response(progress_raw, Some(rseq)) else {
                unreachable!()
            };
            assert_eq!(uas.handle_prack(now, &rack), PrackAnswer::Ok);
            if rseq.next().is_none() {
                uas = fresh();
            }
            buf.len()
        })
    });
    g.bench_function("write! RAck", |b| {
        let mut n = 1u32;
        b.iter(|| {
            buf.clear();
            n = n % 1_000_000 + 1;
            write!(
                buf,
                "RAck: {} {} {}\r\n",
                black_box(n),
                black_box(1u32),
                black_box("INVITE")
            )
            .unwrap();
            buf.len()
        })
    });
    g.bench_function("Uac receive + RAck", |b| {
        let mut uac = Uac::new(1, "INVITE");
        let mut n = 1u32;
        b.iter(|| {
            n = if n == RSeq::MAX { 1 } else { n + 1 };
            if n == 1 {
                uac = Uac::new(1, "INVITE");
            }
            buf.clear();
            let rseq = Some(RSeq::new(n).unwrap());
            if let Received::New(rack) =
                uac.handle_response(black_box(progress_raw), black_box(rseq))
            {
                write!(buf, "RAck: {rack}\r\n").unwrap();
            }
            buf.len()
        })
    });
    g.finish();
}

/// A 1xx-only set: the generated class enum against a derived 1xx enum.
fn provisional(c: &mut Criterion) {
    let mut g = c.benchmark_group("1xx u16 to type");
    g.bench_function("sip-responses Provisional", |b| {
        b.iter(|| each(&PROVISIONAL_CODES, Provisional::from_u16))
    });
    g.bench_function("derived 1xx", |b| {
        b.iter(|| each(&PROVISIONAL_CODES, DerivedProvisional::from_u16))
    });
    g.bench_function("sip-responses Provisional interpret", |b| {
        b.iter(|| each(&PROVISIONAL_CODES, |c| Provisional::interpret(c).ok()))
    });
    g.bench_function("derived 1xx interpret", |b| {
        b.iter(|| {
            each(&PROVISIONAL_CODES, |c| {
                DerivedProvisional::interpret(c).ok()
            })
        })
    });
    g.finish();
}

fn known() -> Vec<StatusCode> {
    CODES
        .iter()
        .filter_map(|&c| StatusCode::from_u16(c))
        .collect()
}

fn u16_to_type(c: &mut Criterion) {
    let mut g = c.benchmark_group("u16 to type");
    g.bench_function("hand-written", |b| b.iter(|| each(&CODES, hand::from_u16)));
    g.bench_function("sip-responses", |b| {
        b.iter(|| each(&CODES, StatusCode::from_u16))
    });
    g.bench_function("sip-responses interpret", |b| {
        b.iter(|| each(&CODES, |c| StatusCode::interpret(c).ok()))
    });
    g.bench_function("derived", |b| b.iter(|| each(&CODES, Derived::from_u16)));
    g.bench_function("derived interpret", |b| {
        b.iter(|| each(&CODES, |c| Derived::interpret(c).ok()))
    });
    g.bench_function("http", |b| {
        b.iter(|| each(&CODES, |c| http::StatusCode::from_u16(c).ok()))
    });
    g.bench_function("rsip", |b| b.iter(|| each(&CODES, rsip::StatusCode::from)));
    g.bench_function("ezk-sip-types", |b| {
        // No lookup: a wrapper around any u16, so a known code is not established here.
        b.iter(|| each(&CODES, ezk_sip_types::StatusCode::from))
    });
    g.finish();
}

fn bytes_to_type(c: &mut Criterion) {
    let mut g = c.benchmark_group("bytes to type");
    g.bench_function("hand-written", |b| {
        b.iter(|| each(&TEXTS, hand::from_bytes))
    });
    g.bench_function("sip-responses", |b| {
        b.iter(|| each(&TEXTS, |t| StatusCode::from_bytes(t).ok()))
    });
    g.bench_function("derived", |b| {
        b.iter(|| each(&TEXTS, |t| Derived::from_bytes(t).ok()))
    });
    g.bench_function("http", |b| {
        b.iter(|| each(&TEXTS, |t| http::StatusCode::from_bytes(t).ok()))
    });
    g.bench_function("rsip", |b| {
        b.iter(|| {
            each(&TEXTS, |t| {
                std::str::from_utf8(t)
                    .ok()
                    .and_then(|s| s.parse::<u16>().ok())
                    .map(rsip::StatusCode::from)
            })
        })
    });
    g.bench_function("ezk-sip-types", |b| {
        b.iter(|| {
            each(&TEXTS, |t| {
                std::str::from_utf8(t)
                    .ok()
                    .and_then(|s| s.parse::<ezk_sip_types::StatusCode>().ok())
            })
        })
    });
    g.finish();
}

fn reason(c: &mut Criterion) {
    let ours = known();
    let theirs: Vec<http::StatusCode> = CODES
        .iter()
        .filter_map(|&c| http::StatusCode::from_u16(c).ok())
        .collect();
    let mut g = c.benchmark_group("reason phrase");
    let known_codes: Vec<u16> = ours.iter().map(|c| c.code()).collect();
    g.bench_function("hand-written", |b| {
        b.iter(|| {
            known_codes
                .iter()
                .map(|&c| hand::reason(black_box(c)).len())
                .sum::<usize>()
        })
    });
    g.bench_function("sip-responses", |b| {
        b.iter(|| {
            ours.iter()
                .map(|c| black_box(*c).reason().len())
                .sum::<usize>()
        })
    });
    let derived = known_derived();
    g.bench_function("derived", |b| {
        b.iter(|| {
            derived
                .iter()
                .map(|c| black_box(c).reason().len())
                .sum::<usize>()
        })
    });
    g.bench_function("http", |b| {
        b.iter(|| {
            theirs
                .iter()
                .map(|c| black_box(*c).canonical_reason().map_or(0, str::len))
                .sum::<usize>()
        })
    });
    let ezks: Vec<ezk_sip_types::StatusCode> = known_codes
        .iter()
        .map(|&c| ezk_sip_types::StatusCode::from(c))
        .collect();
    g.bench_function("ezk-sip-types", |b| {
        b.iter(|| {
            ezks.iter()
                .map(|c| black_box(*c).text().map_or(0, str::len))
                .sum::<usize>()
        })
    });
    g.finish();
}

fn display(c: &mut Criterion) {
    let ours = known();
    let theirs: Vec<http::StatusCode> = CODES
        .iter()
        .filter_map(|&c| http::StatusCode::from_u16(c).ok())
        .collect();
    let rsips: Vec<rsip::StatusCode> = CODES.iter().map(|&c| rsip::StatusCode::from(c)).collect();
    let mut buf = String::with_capacity(64);
    let mut g = c.benchmark_group("display into a reused String");
    let hand_known: Vec<HandLine> = ours.iter().map(|c| HandLine(c.code())).collect();
    g.bench_function("hand-written Display", |b| {
        b.iter(|| {
            for c in &hand_known {
                buf.clear();
                write!(buf, "{}", black_box(c)).unwrap();
            }
            buf.len()
        })
    });
    g.bench_function("hand-written push_str", |b| {
        b.iter(|| {
            for c in &hand_known {
                buf.clear();
                buf.push_str(hand::line(black_box(c.0)));
            }
            buf.len()
        })
    });
    g.bench_function("sip-responses", |b| {
        b.iter(|| {
            for c in &ours {
                buf.clear();
                write!(buf, "{}", black_box(c)).unwrap();
            }
            buf.len()
        })
    });
    g.bench_function("sip-responses as_str", |b| {
        b.iter(|| {
            for c in &ours {
                buf.clear();
                buf.push_str(black_box(c).as_str());
            }
            buf.len()
        })
    });
    let derived = known_derived();
    g.bench_function("derived", |b| {
        b.iter(|| {
            for c in &derived {
                buf.clear();
                write!(buf, "{}", black_box(c)).unwrap();
            }
            buf.len()
        })
    });
    g.bench_function("derived as_str", |b| {
        b.iter(|| {
            for c in &derived {
                buf.clear();
                buf.push_str(black_box(c).as_str());
            }
            buf.len()
        })
    });
    g.bench_function("http", |b| {
        b.iter(|| {
            for c in &theirs {
                buf.clear();
                write!(buf, "{}", black_box(c)).unwrap();
            }
            buf.len()
        })
    });
    g.bench_function("rsip", |b| {
        b.iter(|| {
            for c in &rsips {
                buf.clear();
                write!(buf, "{}", black_box(c)).unwrap();
            }
            buf.len()
        })
    });
    g.finish();
}

/// Writing a status line to send: `status_line()` (a const string), `Status` with a custom
/// reason (RFC 3261 21.1.4), and the same lines through `write!`.
fn write_status_line(c: &mut Criterion) {
    let ours = known();
    let reason = "5 calls queued; expected waiting time is 15 minutes";
    let mut buf = String::with_capacity(128);
    let mut g = c.benchmark_group("write a status line");
    g.bench_function("write! registered", |b| {
        b.iter(|| {
            for c in &ours {
                buf.clear();
                let c = black_box(c);
                write!(buf, "SIP/2.0 {} {}\r\n", c.code(), c.reason()).unwrap();
            }
            buf.len()
        })
    });
    g.bench_function("status_line()", |b| {
        b.iter(|| {
            for c in &ours {
                buf.clear();
                buf.push_str(black_box(c).status_line());
            }
            buf.len()
        })
    });
    g.bench_function("write! custom reason", |b| {
        b.iter(|| {
            for c in &ours {
                buf.clear();
                write!(
                    buf,
                    "SIP/2.0 {} {}\r\n",
                    black_box(c).code(),
                    black_box(reason)
                )
                .unwrap();
            }
            buf.len()
        })
    });
    let checked: Vec<_> = ours
        .iter()
        .map(|&c| sip_responses::Status::with_reason(c, reason).unwrap())
        .collect();
    g.bench_function("Status custom reason, checked once", |b| {
        b.iter(|| {
            for status in &checked {
                buf.clear();
                black_box(status).write_status_line(&mut buf).unwrap();
            }
            buf.len()
        })
    });
    g.bench_function("Status custom reason", |b| {
        b.iter(|| {
            for c in &ours {
                buf.clear();
                let status =
                    sip_responses::Status::with_reason(*black_box(c), black_box(reason)).unwrap();
                status.write_status_line(&mut buf).unwrap();
            }
            buf.len()
        })
    });
    g.finish();
}

fn status_line(c: &mut Criterion) {
    let line = b"SIP/2.0 180 Ringing\r\n";
    let message = b"SIP/2.0 180 Ringing\r\nContent-Length: 0\r\n\r\n";
    let mut g = c.benchmark_group("status line");
    g.bench_function("hand-written three digits", |b| {
        b.iter(|| hand::from_bytes(&black_box(line)[8..11]))
    });
    g.bench_function("sip-responses", |b| {
        b.iter(|| {
            // Parsed at the head of a whole response, looked up, the reason read as &str.
            StatusLine::parse(black_box(message))
                .ok()
                .and_then(|l| Some((l.code().known::<StatusCode>()?, l.reason().len())))
        })
    });
    g.bench_function("rsip (whole message)", |b| {
        b.iter(|| {
            rsip::Response::try_from(black_box(&message[..]))
                .ok()
                .map(|r| r.status_code)
        })
    });
    g.finish();
}

/// RFC 3261 Section 17 with RFC 6026, per transaction: its whole life through its machine
/// (created, each response, the timer that ends it) writing each status line it handles into
/// a reused String; beside `write!` of the same lines alone.
fn transaction(c: &mut Criterion) {
    use sip_responses::transaction::{
        Deliver, FinalCode, InviteClient, InviteClientState, InviteServer, InviteServerState,
        NonInviteClient, NonInviteClientState, NonInviteResponse, NonInviteServer,
        NonInviteServerState, Timers, Transport,
    };
    use std::time::Duration;
    let ms = Duration::from_millis;
    let udp = Transport::Unreliable;
    let timers = Timers::DEFAULT;
    let ok = FinalCode::new(StatusCode::Ok).unwrap();
    let mut buf = String::with_capacity(64);
    fn line(buf: &mut String, code: StatusCode) {
        buf.clear();
        write!(buf, "SIP/2.0 {} {}\r\n", code.code(), code.reason()).unwrap();
    }
    let mut g = c.benchmark_group("transaction life");
    // INVITE client: 100, 180, 200 (to Accepted), Timer M.
    let invite_client = [StatusCode::Trying, StatusCode::Ringing, StatusCode::Ok];
    g.bench_function("write! 100 180 200", |b| {
        b.iter(|| {
            for &code in &invite_client {
                line(&mut buf, black_box(code));
            }
            buf.len()
        })
    });
    g.bench_function("InviteClient 100 180 200 M", |b| {
        b.iter(|| {
            let mut tx = InviteClient::new(black_box(ms(0)), udp, timers);
            for (i, &code) in (1..).zip(&invite_client) {
                if tx.handle_response(ms(i * 10), black_box(code)) == Deliver::ToUser {
                    line(&mut buf, code);
                }
            }
            debug_assert_eq!(tx.state(), InviteClientState::Accepted);
            let m = tx.poll_timeout().unwrap();
            tx.handle_timeout(black_box(m));
            assert_eq!(tx.state(), InviteClientState::Terminated);
            buf.len()
        })
    });
    // Non-INVITE client: 200, Timer K.
    g.bench_function("write! 200", |b| {
        b.iter(|| {
            line(&mut buf, black_box(StatusCode::Ok));
            buf.len()
        })
    });
    g.bench_function("NonInviteClient 200 K", |b| {
        b.iter(|| {
            let mut tx = NonInviteClient::new(black_box(ms(0)), udp, timers);
            if tx.handle_response(ms(10), black_box(StatusCode::Ok)) == Deliver::ToUser {
                line(&mut buf, StatusCode::Ok);
            }
            let k = tx.poll_timeout().unwrap();
            tx.handle_timeout(black_box(k));
            assert_eq!(tx.state(), NonInviteClientState::Terminated);
            buf.len()
        })
    });
    // INVITE server: 180, 200 (to Accepted), Timer L.
    let invite_server = [StatusCode::Ringing, StatusCode::Ok];
    g.bench_function("write! 180 200", |b| {
        b.iter(|| {
            for &code in &invite_server {
                line(&mut buf, black_box(code));
            }
            buf.len()
        })
    });
    g.bench_function("InviteServer 180 200 L", |b| {
        b.iter(|| {
            let mut tx = InviteServer::new(black_box(ms(0)), udp, timers);
            for (i, &code) in (1..).zip(&invite_server) {
                if tx.send_response(ms(i * 10), black_box(code)).is_ok() {
                    line(&mut buf, code);
                }
            }
            debug_assert_eq!(tx.state(), InviteServerState::Accepted);
            let l = tx.poll_timeout().unwrap();
            tx.handle_timeout(black_box(l));
            assert_eq!(tx.state(), InviteServerState::Terminated);
            buf.len()
        })
    });
    // Non-INVITE server: 200, Timer J (its 200 written once, as in "write! 200").
    g.bench_function("NonInviteServer 200 J", |b| {
        b.iter(|| {
            let mut tx = NonInviteServer::new(black_box(ms(0)), udp, timers);
            let response = NonInviteResponse::Final(black_box(ok));
            if tx.send_response(ms(10), response).is_ok() {
                line(&mut buf, StatusCode::Ok);
            }
            let j = tx.poll_timeout().unwrap();
            tx.handle_timeout(black_box(j));
            assert_eq!(tx.state(), NonInviteServerState::Terminated);
            buf.len()
        })
    });
    g.finish();
}

fn interpret(c: &mut Criterion) {
    let unknown = [155u16, 199, 299, 499, 555, 699, 799];
    let mut g = c.benchmark_group("interpret");
    g.bench_function("hand-written", |b| {
        b.iter(|| each(&unknown, hand::interpret))
    });
    g.bench_function("sip-responses", |b| {
        b.iter(|| each(&unknown, |c| StatusCode::interpret(c).ok()))
    });
    g.bench_function("derived", |b| {
        b.iter(|| each(&unknown, |c| Derived::interpret(c).ok()))
    });
    // The target: http's `from_u16` (a range check only) on the same codes.
    g.bench_function("http from_u16", |b| {
        b.iter(|| each(&unknown, |c| http::StatusCode::from_u16(c).ok()))
    });
    for code in [486u16, 499] {
        g.bench_with_input(
            BenchmarkId::new("sip-responses single", code),
            &code,
            |b, &c| b.iter(|| StatusCode::interpret(black_box(c))),
        );
    }
    g.finish();
}

/// Where criterion wrote its estimates.
fn criterion_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("CARGO_TARGET_DIR").map(|d| PathBuf::from(d).join("criterion")),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/criterion")),
        Some(PathBuf::from("target/criterion")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_dir())
}

fn median_ns(dir: &std::path::Path, group: &str, id: &str) -> Option<f64> {
    let safe = |s: &str| s.replace('/', "_");
    let path = dir
        .join(safe(group))
        .join(safe(id))
        .join("new/estimates.json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    json["median"]["point_estimate"].as_f64()
}

/// One table of medians per operation, each with its ratio to the group's baseline.
fn print_ratios() {
    let Some(dir) = criterion_dir() else { return };
    let groups: [(&str, usize, &[&str]); 13] = [
        (
            "u16 to type",
            CODES.len(),
            &[
                "hand-written",
                "sip-responses",
                "sip-responses interpret",
                "derived",
                "derived interpret",
                "http",
                "rsip",
                "ezk-sip-types",
            ],
        ),
        (
            "bytes to type",
            TEXTS.len(),
            &[
                "hand-written",
                "sip-responses",
                "derived",
                "http",
                "rsip",
                "ezk-sip-types",
            ],
        ),
        (
            "reason phrase",
            6,
            &[
                "hand-written",
                "sip-responses",
                "derived",
                "http",
                "ezk-sip-types",
            ],
        ),
        (
            "display into a reused String",
            6,
            &[
                "hand-written Display",
                "sip-responses",
                "hand-written push_str",
                "sip-responses as_str",
                "derived",
                "derived as_str",
                "http",
                "rsip",
            ],
        ),
        (
            "status line",
            1,
            &[
                "hand-written three digits",
                "sip-responses",
                "rsip (whole message)",
            ],
        ),
        (
            "interpret",
            7,
            &["hand-written", "sip-responses", "derived", "http from_u16"],
        ),
        ("dispatch_code", CODES.len(), &["sip-responses", "derived"]),
        (
            "reliable provisional",
            1,
            &[
                "write! RSeq and Require",
                "Uas send + PRACK",
                "write! RAck",
                "Uac receive + RAck",
            ],
        ),
        (
            "1xx u16 to type",
            PROVISIONAL_CODES.len(),
            &[
                "sip-responses Provisional",
                "derived 1xx",
                "sip-responses Provisional interpret",
                "derived 1xx interpret",
            ],
        ),
        (
            "write a status line",
            6,
            &[
                "write! registered",
                "status_line()",
                "write! custom reason",
                "Status custom reason",
                "Status custom reason, checked once",
            ],
        ),
        (
            "transaction life",
            1,
            &["write! 100 180 200", "InviteClient 100 180 200 M"],
        ),
        (
            "transaction life",
            1,
            &[
                "write! 200",
                "NonInviteClient 200 K",
                "NonInviteServer 200 J",
            ],
        ),
        (
            "transaction life",
            1,
            &["write! 180 200", "InviteServer 180 200 L"],
        ),
    ];
    println!("\nmedian ns per operation, and ratio to the first row of each group:");
    for (group, per, ids) in groups {
        println!("{group}");
        let base = median_ns(&dir, group, ids[0]);
        for id in ids {
            if let (Some(t), Some(base)) = (median_ns(&dir, group, id), base) {
                println!("  {id:<28} {:>8.2} ns  {:>6.2}x", t / per as f64, t / base);
            }
        }
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    u16_to_type(&mut c);
    bytes_to_type(&mut c);
    reason(&mut c);
    display(&mut c);
    status_line(&mut c);
    interpret(&mut c);
    write_status_line(&mut c);
    dispatch(&mut c);
    provisional(&mut c);
    reliable(&mut c);
    transaction(&mut c);
    c.final_summary();
    print_ratios();
}
