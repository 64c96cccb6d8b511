// Every 1xx method of ProvisionalHandler is required: leaving out `on_queued` does not compile.
use sip_responses::ProvisionalHandler;

struct Client;

impl ProvisionalHandler<()> for Client {
    type Output = &'static str;
    fn on_trying(&mut self, _: ()) -> &'static str { "trying" }
    fn on_ringing(&mut self, _: ()) -> &'static str { "ringing" }
    fn on_call_is_being_forwarded(&mut self, _: ()) -> &'static str { "forwarded" }
    fn on_session_progress(&mut self, _: ()) -> &'static str { "progress" }
    fn on_early_dialog_terminated(&mut self, _: ()) -> &'static str { "terminated" }
}

fn main() {}
