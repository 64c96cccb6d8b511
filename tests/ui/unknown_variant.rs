use sip_responses::SipResponses;

#[derive(SipResponses, Clone, Copy)]
enum Codes {
    Ringin,
    NotARealCode,
}

fn main() {}
