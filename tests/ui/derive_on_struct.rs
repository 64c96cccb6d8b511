use sip_responses::SipResponses;

#[derive(SipResponses)]
struct Codes {
    code: u16,
}

fn main() {}
