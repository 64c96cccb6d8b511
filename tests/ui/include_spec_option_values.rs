// Each option value is checked against the key table; every problem points at its key or
// value, all reported at once where they are found together.
sip_responses::include_spec! {
    path = "../../../../tests/specs/small.toml",
    crate = "not a path",
}

sip_responses::include_spec! {
    path = "../../../../tests/specs/small.toml",
    derive(Clone),
    attribute(repr(u8)),
    serde = true,
    derive(serde::Serialize),
}

#[derive(sip_responses::SipResponses)]
#[sip(crate = "::sip_responses::", handlers = "no")]
enum Bad {
    Ok,
}

fn main() {}
