//! Editing a spec rebuilds what was generated from it: `include_spec!` (through its
//! `include_bytes!` dependency) and a build script using `Builder` (through
//! `cargo:rerun-if-changed`). Builds a scratch crate twice with cargo and compares its output.

use std::path::{Path, PathBuf};
use std::process::Command;

const SPEC: &str = r#"
[spec]
name = "scratch"

[[response]]
code = 183
reason = "Session Progress"
reference = "RFC 3261, Section 21.1.5"
description = "Progress."

[[response]]
code = 200
reason = "OK"
reference = "RFC 3261, Section 21.2.1"
description = "Success."
"#;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

// `{:?}` of a path is its quoted form, which the TOML written here needs.
#[allow(clippy::unnecessary_debug_formatting)]
fn write_crate(dir: &Path) {
    let ws = workspace();
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"scratch\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nsip-responses = {{ path = {runtime:?}, features = [\"spec-files\"] }}\n\n\
             [build-dependencies]\nsip-responses-codegen = {{ path = {codegen:?} }}\n\n[workspace]\n",
            runtime = ws.join("runtime"),
            codegen = ws.join("codegen"),
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("build.rs"),
        "fn main() {\n    if let Err(e) = sip_responses_codegen::Builder::new().spec(\"codes.toml\").name(\"Built\").prefix(\"Built\").generate() {\n        eprintln!(\"{}\", e.render(false));\n        std::process::exit(1);\n    }\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("src/main.rs"),
        "mod built { include!(concat!(env!(\"OUT_DIR\"), \"/sip_responses.rs\")); }\n\
         mod via_macro { sip_responses::include_spec! { path = \"codes.toml\", name = Expanded, prefix = Expanded } }\n\
         fn main() { println!(\"{} | {}\", built::Built::from_u16(200).unwrap(), via_macro::Expanded::from_u16(200).unwrap()); }\n",
    )
    .unwrap();
    // The workspace's lock file keeps the scratch crate on the versions already built.
    let _ = std::fs::copy(ws.join("Cargo.lock"), dir.join("Cargo.lock"));
}

fn run(dir: &Path) -> String {
    let out = Command::new(env!("CARGO"))
        .args(["run", "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", workspace().join("target/scratch"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "scratch build failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[test]
fn editing_the_spec_rebuilds_macro_and_build_script_output() {
    let dir = workspace().join("target/scratch/crate");
    let _ = std::fs::remove_dir_all(&dir);
    write_crate(&dir);
    std::fs::write(dir.join("codes.toml"), SPEC).unwrap();
    assert_eq!(run(&dir), "200 OK | 200 OK");

    // mtime resolution: make sure the edit is seen as newer than the last build.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    std::fs::write(
        dir.join("codes.toml"),
        SPEC.replace("reason = \"OK\"", "reason = \"All Good\""),
    )
    .unwrap();
    assert_eq!(run(&dir), "200 All Good | 200 All Good");
}
