// A protocol crate wrote its handler for the IANA registry; its spec (tests/specs/vendor.toml,
// which extends IANA) gained the vendor code 155. The build now names the new method.
sip_responses::include_spec!("../../../../tests/specs/vendor.toml");

struct Client;

impl ProvisionalHandler<()> for Client {
    type Output = ();
    fn on_trying(&mut self, (): ()) {}
    fn on_ringing(&mut self, (): ()) {}
    fn on_call_is_being_forwarded(&mut self, (): ()) {}
    fn on_queued(&mut self, (): ()) {}
    fn on_session_progress(&mut self, (): ()) {}
    fn on_early_dialog_terminated(&mut self, (): ()) {}
}

fn main() {}
