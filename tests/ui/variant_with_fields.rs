use sip_responses::SipResponses;

#[derive(SipResponses, Clone, Copy)]
enum Codes {
    Ok(u8),
    Ringing { after: u32 },
}

fn main() {}
