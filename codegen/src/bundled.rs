//! The bundled IANA spec as Rust data, the one source of `Spec::iana` in every build: a derive
//! over the bundled spec needs no TOML parser (none is compiled without the `spec-files`
//! feature), and a build with one does not parse the registry again for each compilation. The data (`bundled_iana.rs`) is what the pipeline makes of `spec/iana.toml`,
//! locations included; the test below renders it from the parsed spec and fails when the two
//! differ (`SIP_RESPONSES_BLESS=1 cargo test -p sip-responses-codegen bundled` rewrites it).

use crate::model::{Flag, HeaderRequirement, Response, Spec};

/// One `[[response]]` of the bundled spec, as the pipeline resolves it.
struct Row {
    code: u16,
    reason: &'static str,
    reference: &'static str,
    description: &'static str,
    flags: &'static [&'static str],
    headers: &'static [&'static str],
    /// `(should, one_of)` of each `headers` entry.
    header_requirements: &'static [(bool, &'static [&'static str])],
    ident: &'static str,
    required: bool,
    q850: Option<u8>,
    location: &'static str,
}

include!("bundled_iana.rs");

/// The bundled IANA registry spec (`spec/iana.toml`).
pub const IANA_TOML: &str = include_str!("../spec/iana.toml");
/// The name under which the bundled IANA spec reports its locations.
pub const IANA_PATH: &str = "spec/iana.toml";

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

/// The bundled spec, built from the data.
fn iana() -> Spec {
    Spec {
        file: crate::IANA_PATH.to_owned(),
        name: NAME.to_owned(),
        description: DESCRIPTION.map(str::to_owned),
        flags: FLAGS
            .iter()
            .map(|(name, meaning)| Flag {
                name: (*name).to_owned(),
                meaning: (*meaning).to_owned(),
            })
            .collect(),
        responses: RESPONSES
            .iter()
            .map(|r| Response {
                code: r.code,
                reason: r.reason.to_owned(),
                reference: r.reference.to_owned(),
                description: r.description.to_owned(),
                flags: strings(r.flags),
                headers: strings(r.headers),
                header_requirements: r
                    .header_requirements
                    .iter()
                    .map(|(should, one_of)| HeaderRequirement {
                        should: *should,
                        one_of: strings(one_of),
                    })
                    .collect(),
                ident: r.ident.to_owned(),
                required: r.required,
                q850: r.q850,
                location: r.location.to_owned(),
            })
            .collect(),
        extends: None,
        extends_iana: false,
        sources: Vec::new(),
        q850: Q850.to_vec(),
        q850_default: Q850_DEFAULT,
    }
}

impl Spec {
    /// The bundled IANA spec.
    #[must_use]
    pub fn iana() -> Spec {
        Spec::iana_ref().clone()
    }

    /// The bundled IANA spec, built once per process (a proc macro serves many derives in
    /// one compilation).
    pub fn iana_ref() -> &'static Spec {
        static IANA: std::sync::OnceLock<Spec> = std::sync::OnceLock::new();
        IANA.get_or_init(iana)
    }
}

#[cfg(all(test, feature = "spec-files"))]
mod tests {
    use std::fmt::Write as _;

    use crate::model::Spec;

    /// `bundled_iana.rs` as the parsed `spec/iana.toml` gives it.
    fn render(spec: &Spec) -> String {
        let mut o = String::from(
            "// @generated from spec/iana.toml by the test `bundled::tests::the_data_is_the_parsed_spec`\n\
             // (SIP_RESPONSES_BLESS=1 rewrites it). Do not edit. Included by `bundled.rs`.\n\n",
        );
        let _ = writeln!(o, "const NAME: &str = {:?};", spec.name);
        let _ = writeln!(
            o,
            "const DESCRIPTION: Option<&str> = {:?};",
            spec.description
        );
        let _ = writeln!(
            o,
            "const Q850_DEFAULT: Option<u16> = {:?};",
            spec.q850_default
        );
        o.push_str("const FLAGS: &[(&str, &str)] = &[\n");
        for f in &spec.flags {
            let _ = writeln!(o, "    ({:?}, {:?}),", f.name, f.meaning);
        }
        o.push_str("];\nconst Q850: &[(u8, Option<u16>)] = &[\n");
        for (cause, code) in &spec.q850 {
            let _ = writeln!(o, "    ({cause}, {code:?}),");
        }
        o.push_str("];\nconst RESPONSES: &[Row] = &[\n");
        for r in &spec.responses {
            let requirements: Vec<String> = r
                .header_requirements
                .iter()
                .map(|h| format!("({}, &{:?})", h.should, h.one_of))
                .collect();
            let _ = writeln!(
                o,
                "    Row {{\n        code: {},\n        reason: {:?},\n        reference: {:?},\n        \
                 description: {:?},\n        flags: &{:?},\n        headers: &{:?},\n        \
                 header_requirements: &[{}],\n        ident: {:?},\n        required: {},\n        \
                 q850: {:?},\n        location: {:?},\n    }},",
                r.code,
                r.reason,
                r.reference,
                r.description,
                r.flags,
                r.headers,
                requirements.join(", "),
                r.ident,
                r.required,
                r.q850,
                r.location,
            );
        }
        o.push_str("];\n");
        o
    }

    #[test]
    fn the_data_is_the_parsed_spec() {
        let parsed = Spec::parse(crate::IANA_PATH, crate::IANA_TOML).unwrap();
        // What the data cannot say: the bundled spec extends nothing and reads no file.
        assert!(parsed.extends.is_none() && !parsed.extends_iana && parsed.sources.is_empty());
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/bundled_iana.rs");
        let want = render(&parsed);
        if std::env::var_os("SIP_RESPONSES_BLESS").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap();
        assert!(
            have == want,
            "src/bundled_iana.rs is not the parsed spec/iana.toml; rewrite it with \
             SIP_RESPONSES_BLESS=1 cargo test -p sip-responses-codegen bundled"
        );
        assert_eq!(super::iana(), parsed);
    }
}
