// `Early` lacks 183, the RFC 3261 8.1.3.2 target of every other 1xx code: a handler for its
// two codes alone (so that a 182, a 183 or an unknown 155 would reach nothing) does not
// compile, and the error names the method those codes reach.
use sip_responses::{RawCode, SipResponses};

#[derive(SipResponses)]
enum Early {
    Trying,
    Ringing,
}

struct Client;

impl EarlyHandler<()> for Client {
    type Output = ();
    fn on_trying(&mut self, (): ()) {}
    fn on_ringing(&mut self, (): ()) {}
    fn on_other_success(&mut self, _: RawCode, (): ()) {}
    fn on_other_redirection(&mut self, _: RawCode, (): ()) {}
    fn on_other_client_error(&mut self, _: RawCode, (): ()) {}
    fn on_other_server_error(&mut self, _: RawCode, (): ()) {}
    fn on_other_global_failure(&mut self, _: RawCode, (): ()) {}
}

fn main() {}
