sip_responses::include_spec!("../../../../tests/specs/broken.toml");

fn main() {}
