sip_responses::include_spec! {
    path = "../../../../tests/specs/small.toml",
    colour = red,
}

fn main() {}
