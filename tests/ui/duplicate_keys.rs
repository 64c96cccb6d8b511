// A key given twice is an error on the second, never silently the later value.
use sip_responses::SipResponses;

sip_responses::include_spec! { path = "../../../../tests/specs/small.toml", name = A, name = B }

#[derive(SipResponses, Clone, Copy)]
#[sip(spec = "../../../../tests/specs/small.toml", spec = "../../../../tests/specs/small.toml")]
enum Twice {
    #[sip(code = 100, code = 180)]
    Trying,
}

fn main() {}
