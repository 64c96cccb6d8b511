// trybuild compiles this case in target/tests/trybuild/<crate>/, so the fixture path climbs
// back to the repository.
use sip_responses::SipResponses;

#[derive(SipResponses, Clone, Copy)]
#[sip(spec = "../../../../tests/specs/broken.toml")]
enum Codes {
    Ok,
}

fn main() {}
