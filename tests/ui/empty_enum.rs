// An enum without variants stands for no code: refused on the enum, not left to rustc.
#[derive(sip_responses::SipResponses)]
enum Nothing {}

fn main() {}
