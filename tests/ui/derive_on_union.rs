use sip_responses::SipResponses;

#[derive(SipResponses)]
union Codes {
    code: u16,
    other: u32,
}

fn main() {}
