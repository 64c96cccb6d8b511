//! Every kind of spec error is reported with file, line and column, all at once.

use sip_responses_codegen::Spec;

const HEAD: &str = "[spec]\nname = \"t\"\n[flags]\nhot = \"A flag.\"\n";

fn entry(code: &str, reason: &str) -> String {
    format!(
        "[[response]]\ncode = {code}\nreason = {reason}\nreference = \"R\"\ndescription = \"D\"\n"
    )
}

/// A spec with the fallbacks 183 and 200, plus `extra`.
fn spec(extra: &str) -> String {
    format!(
        "{HEAD}{}{}{extra}",
        entry("183", "\"Session Progress\""),
        entry("200", "\"OK\"")
    )
}

/// The `file:line:column: message` lines for `text`.
fn errors(text: &str) -> Vec<String> {
    match Spec::parse("t.toml", text) {
        Ok(_) => panic!("spec was accepted:\n{text}"),
        Err(e) => e.diagnostics().iter().map(ToString::to_string).collect(),
    }
}

fn assert_one(text: &str, want: &str) {
    let got = errors(text);
    assert_eq!(got, [want], "for:\n{text}");
}

// Line numbers: HEAD is lines 1-4, each entry 5 lines, so `extra` starts at line 15.

#[test]
fn syntax_error() {
    assert_one(
        &spec("[[response]\n"),
        "t.toml:15:12: TOML syntax: unclosed array table, expected `]`",
    );
}

#[test]
fn missing_key() {
    assert_one(
        &spec("[[response]]\ncode = 404\nreason = \"Not Found\"\ndescription = \"D\"\n"),
        "t.toml:15:1: missing key `reference` in [[response]] 404",
    );
}

#[test]
fn unknown_key() {
    assert_one(
        &spec(&format!("{}colour = \"red\"\n", entry("404", "\"Not Found\""))),
        "t.toml:20:1: unknown key `colour` in [[response]]; expected one of: code, reason, reference, description, flags, headers, ident, handling, q850",
    );
}

#[test]
fn code_out_of_range() {
    assert_one(
        &spec(&entry("700", "\"Too Far\"")),
        "t.toml:16:8: code 700 is outside 100..=699",
    );
    assert_one(
        &spec(&entry("99", "\"Too Low\"")),
        "t.toml:16:8: code 99 is outside 100..=699",
    );
}

#[test]
fn code_of_wrong_type() {
    assert_one(
        &spec(&entry("\"404\"", "\"Not Found\"")),
        "t.toml:16:8: `code` in [[response]] must be an integer, found string",
    );
}

#[test]
fn duplicate_code() {
    assert_one(
        &spec(&entry("200", "\"Fine\"")),
        "t.toml:15:1: duplicate code 200 (first defined at t.toml:10:1)",
    );
}

#[test]
fn bad_reasons() {
    assert_one(
        &spec(&entry("404", "\"\"")),
        "t.toml:17:10: the reason of [[response]] 404 is empty",
    );
    assert_one(
        &spec(&entry("404", "\" Not Found\"")),
        "t.toml:17:10: the reason of [[response]] 404 has leading or trailing whitespace",
    );
    assert_one(
        &spec(&entry("404", "\"Not Found\\r\\nX-Injected: 1\"")),
        "t.toml:17:10: the reason of [[response]] 404 contains the control character '\\r' at byte 9, which RFC 3261 Section 25 does not allow in a Reason-Phrase",
    );
}

#[test]
fn undeclared_flag() {
    assert_one(
        &spec(&format!(
            "{}flags = [\"cold\"]\n",
            entry("404", "\"Not Found\"")
        )),
        "t.toml:20:10: flag `cold` is not declared in `[flags]` (declared: hot)",
    );
}

#[test]
fn identifier_clash_suggests_ident() {
    assert_one(
        &spec(&entry("206", "\"ok\"")),
        "t.toml:15:1: codes 200 and 206 both give the Rust name `Ok` (200 is defined at t.toml:10:1) \
         (set `ident = \"...\"` in the [[response]] of 206 to name it apart)",
    );
}

#[test]
fn reserved_word_suggests_ident() {
    assert_one(
        &spec(&entry("299", "\"Self\"")),
        "t.toml:17:10: the reason of [[response]] 299 derives no usable Rust name: `Self` is a reserved word in Rust (set `ident = \"...\"` in this [[response]] to name the variant)",
    );
}

#[test]
fn missing_fallback_code() {
    let text = format!("{HEAD}{}", entry("180", "\"Ringing\""));
    assert_one(
        &text,
        "t.toml:5:1: the spec uses class 1xx (code 180) but lacks code 183, which RFC 3261 Section 8.1.3.2 needs as that class's fallback (add a [[response]] with code = 183)",
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = spec(&format!(
        "{}{}{}",
        entry("700", "\"A\""),
        entry("404", "\" B\""),
        entry("200", "\"OK\"")
    ));
    let got = errors(&text);
    assert_eq!(got.len(), 3, "{got:#?}");
    assert!(got[0].starts_with("t.toml:16:8: code 700"), "{got:#?}");
    assert!(
        got[1].starts_with("t.toml:22:10: the reason of [[response]] 404"),
        "{got:#?}"
    );
    assert!(
        got[2].starts_with("t.toml:25:1: duplicate code 200"),
        "{got:#?}"
    );
}

#[test]
fn unreadable_files() {
    let dir =
        std::env::temp_dir().join(format!("sip-responses-spec-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let missing = dir.join("missing.toml");
    let err = Spec::read(&missing).unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "{0}: spec file not found (looked for {0})",
            missing.display()
        )
    );
    let latin1 = dir.join("latin1.toml");
    std::fs::write(&latin1, b"[spec]\nname = \"caf\xe9\"\n").unwrap();
    let err = Spec::read(&latin1).unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "{}:2:12: spec file is not valid UTF-8: byte 0xE9 at offset 18 starts no character",
            latin1.display()
        )
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn rendered_errors_show_the_line_and_a_caret() {
    let err = Spec::parse("t.toml", &spec(&entry("700", "\"A\""))).unwrap_err();
    let rendered = err.render(false);
    assert!(rendered.contains("error: code 700 is outside 100..=699\n  --> t.toml:16:8\n   |\n16 | code = 700\n   |        ^^^\n"), "{rendered}");
    assert!(
        rendered.ends_with("error: could not use the spec due to 1 previous error\n"),
        "{rendered}"
    );
}

/// The examples in spec/README.md are specs that pass (the second extends IANA).
#[test]
fn spec_readme_examples_are_valid() {
    let readme = include_str!("../../spec/README.md");
    let blocks: Vec<&str> = readme
        .split("```toml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .collect();
    assert_eq!(blocks.len(), 2);
    for block in blocks {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/README-example.toml");
        if let Err(e) = Spec::parse(path, block) {
            panic!("{}", e.render(false));
        }
    }
}

/// Every associated item the runtime's shared macros (`core/src/private/`, one file each) put
/// on a set is in the codegen's name registry, so a variant can never take its name: the spec
/// is refused with a location instead of rustc failing in the user's crate. The generator's
/// own unit test covers what it writes itself; this covers what the macros add, the per-code
/// facts of `__facts!`'s list (`reason -> &'static str;`) included.
#[test]
fn the_registry_lists_every_item_the_runtime_macros_define() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/src/private");
    let mut source = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        source += &std::fs::read_to_string(entry.unwrap().path()).unwrap();
    }
    let mut names = Vec::new();
    let mut in_macro = false;
    for line in source.lines() {
        if line.starts_with("macro_rules!") {
            in_macro = true;
        } else if line == "}" {
            in_macro = false;
        }
        let item = line.trim_start();
        if !in_macro || item.len() == line.len() {
            continue;
        }
        let ident = |rest: &str| -> String {
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        };
        // An inherent function has a visibility (`pub`, `pub(crate)`, `pub(in ...)`); a trait
        // impl's `fn` has none and takes no name a variant could (its `type` does: `Error`).
        // Constants, statics and types count with any visibility.
        let (visible, unscoped) = match item.strip_prefix("pub") {
            Some(rest) if rest.starts_with('(') => {
                (true, rest.split_once(") ").map_or(rest, |(_, r)| r))
            }
            Some(rest) if rest.starts_with(' ') => (true, rest.trim_start()),
            _ => (false, item),
        };
        let kinds: &[&str] = if visible {
            &[
                "const fn ",
                "unsafe fn ",
                "fn ",
                "const ",
                "static ",
                "type ",
            ]
        } else {
            &["const fn ", "const ", "static ", "type "]
        };
        let declared = kinds.iter().find_map(|kind| unscoped.strip_prefix(kind));
        if let Some(rest) = declared {
            names.push(ident(rest));
        } else if let Some((name, _)) = item.split_once(" -> ") {
            // A per-code fact, whose method every set has: `reason -> &'static str;`.
            if !name.contains(' ') && !name.starts_with('$') {
                names.push(ident(name));
            }
        } else if let Some((name, class)) = item.split_once(' ') {
            // A class predicate: `is_success Success,`.
            if name.starts_with("is_") && class.ends_with(',') {
                names.push(ident(name));
            }
        }
    }
    // `const _: () = { ... }` is the block the items live in, not an item.
    names.retain(|name| !name.is_empty() && name != "_");
    for must in [
        "from_u16",
        "interpret",
        "from_bytes",
        "BY_CODE",
        "INTERPRET",
        "POSITION",
        "FACTS",
        "reason",
        "header_requirements",
        "is_global_failure",
    ] {
        assert!(
            names.iter().any(|n| n == must),
            "{must} not found in {names:?}"
        );
    }
    for name in &names {
        assert!(
            sip_responses_codegen::names::ASSOCIATED.contains(&name.as_str()),
            "the runtime macros define `{name}`, which names::ASSOCIATED does not list"
        );
    }
}
