//! Generates ACME's status-code types from `spec/acme.toml` into `OUT_DIR`.

fn main() {
    let result = sip_responses_codegen::Builder::new()
        .spec("spec/acme.toml")
        .name("AcmeStatus")
        .prefix("Acme")
        .generate();
    if let Err(e) = result {
        eprintln!("{}", e.render(false));
        std::process::exit(1);
    }
}
