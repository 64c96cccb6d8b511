// `Rejections` lacks 400, the RFC 3261 8.1.3.2 target of every other 4xx code: its handler
// has `on_other_client_error(code, ctx)` for them, and a handler that leaves it out (so that
// a 487 from the wire would reach nothing) does not compile.
use sip_responses::{RawCode, SipResponses};

#[derive(SipResponses)]
enum Rejections {
    BusyHere,
    Decline,
}

struct Client;

impl RejectionsHandler<()> for Client {
    type Output = &'static str;
    fn on_busy_here(&mut self, (): ()) -> &'static str { "busy" }
    fn on_decline(&mut self, (): ()) -> &'static str { "decline" }
    fn on_other_provisional(&mut self, _: RawCode, (): ()) -> &'static str { "1xx" }
    fn on_other_success(&mut self, _: RawCode, (): ()) -> &'static str { "2xx" }
    fn on_other_redirection(&mut self, _: RawCode, (): ()) -> &'static str { "3xx" }
    fn on_other_server_error(&mut self, _: RawCode, (): ()) -> &'static str { "5xx" }
    fn on_other_global_failure(&mut self, _: RawCode, (): ()) -> &'static str { "6xx" }
}

fn main() {}
