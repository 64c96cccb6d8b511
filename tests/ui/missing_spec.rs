sip_responses::include_spec!("specs/does-not-exist.toml");

fn main() {}
