use sip_responses::SipResponses;

#[derive(SipResponses, Clone, Copy)]
#[repr(u16)]
enum Codes {
    Ok = 200,
    BusyHere = 468,
}

fn main() {}
