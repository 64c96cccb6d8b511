// A `Reason` cannot be filled by hand: a text with CRLF would write a second header line.
use sip_responses::q850::{Protocol, Reason};

fn main() {
    let _injected = Reason {
        protocol: Protocol::Q850,
        cause: Some(16),
        text: Some("Busy\r\nVia: SIP/2.0/UDP evil"),
        source: "",
    };
}
