//! The README's `console` blocks run as written, from the repository root where a reader
//! types them: what the README shows the command printing is what it prints. A test binary
//! of its own, since it changes the process's working directory.

#[test]
fn readme_examples() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::env::set_current_dir(&root).unwrap();
    trycmd::TestCases::new()
        .register_bin("sip-responses", trycmd::cargo::cargo_bin!("sip-responses"))
        .case("README.md");
}
