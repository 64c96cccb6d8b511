//! `extends`: a spec builds on the bundled registry or on another spec file.

use sip_responses_codegen::{Options, Spec};

fn spec(name: &str) -> Result<Spec, sip_responses_codegen::Error> {
    Spec::read(format!("{}/specs/{name}", env!("CARGO_MANIFEST_DIR")).as_ref())
}

#[test]
fn extends_the_bundled_registry() {
    let vendor = spec("vendor.toml").unwrap();
    assert_eq!(vendor.responses.len(), 76);
    let added = vendor.get(155).unwrap();
    assert_eq!(
        (added.reason.as_str(), added.ident.as_str()),
        ("Vendor Ringing", "VendorRinging")
    );
    let busy = vendor.get(486).unwrap();
    assert_eq!(busy.reason, "Busy Here");
    assert_eq!(busy.flags, ["retry-after", "vendor"]);
    assert!(busy.required);
    // Inherited as is.
    assert_eq!(
        vendor.get(180).unwrap().reference,
        "RFC 3261, Section 21.1.2"
    );
    assert!(vendor.flags.iter().any(|f| f.name == "hop-by-hop"));
    assert_eq!(
        vendor.sources.len(),
        1,
        "the bundled spec is no file to track"
    );
}

#[test]
fn extends_a_spec_file_by_relative_path() {
    let extended = spec("small-extended.toml").unwrap();
    let codes: Vec<u16> = extended.responses.iter().map(|r| r.code).collect();
    assert_eq!(codes, [100, 150, 183, 200, 299, 400]);
    assert_eq!(extended.sources.len(), 2);
    assert!(extended.sources[1].ends_with("small.toml"));
}

#[test]
fn a_changed_reason_is_reported_with_both_locations() {
    let err = spec("conflict.toml").unwrap_err();
    let lines: Vec<String> = err.diagnostics().iter().map(ToString::to_string).collect();
    let file = format!("{}/specs/conflict.toml", env!("CARGO_MANIFEST_DIR"));
    assert_eq!(
        lines,
        [format!(
            "{file}:7:10: code 180 is redefined as \"Ringing Loudly\", but the spec it extends defines it as \"Ringing\" \
             (180 is defined at the bundled IANA spec (sip-responses-codegen's spec/iana.toml:22:1)) \
             (an extending spec may change flags, headers, handling and description, not the reason)"
        )]
    );
}

#[test]
fn a_broken_base_is_reported_with_its_own_locations() {
    let dir = std::env::temp_dir().join(format!("sip-responses-extends-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("base.toml"),
        "[spec]\nname = \"base\"\n[[response]]\ncode = 900\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("top.toml"),
        "[spec]\nname = \"top\"\nextends = \"base.toml\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("loop.toml"),
        "[spec]\nname = \"loop\"\nextends = \"loop.toml\"\n",
    )
    .unwrap();
    let lines: Vec<String> = Spec::read(&dir.join("top.toml"))
        .unwrap_err()
        .diagnostics()
        .iter()
        .map(ToString::to_string)
        .collect();
    // Only the base's own problem, pointing into the base, with a note naming the extends;
    // no follow-on errors about what the missing base would have provided.
    assert_eq!(
        lines,
        [format!(
            "{base}:4:8: code 900 is outside 100..=699 (`{base}` is the spec that {top}:3:11 extends)",
            base = dir.join("base.toml").display(),
            top = dir.join("top.toml").display(),
        )],
    );
    let looped = Spec::read(&dir.join("loop.toml")).unwrap_err().to_string();
    let name = dir.join("loop.toml").display().to_string();
    assert_eq!(
        looped,
        format!("{name}:3:11: `extends` forms a cycle: {name} -> {name}")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn handling_can_be_required_per_class() {
    let text =
        "[spec]\nname = \"strict\"\nextends = \"iana\"\n\n[handling]\n\"4xx\" = \"required\"\n\n\
                [[response]]\ncode = 404\nhandling = \"default\"\n";
    let dir = std::env::temp_dir().join(format!("sip-responses-handling-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("strict.toml"), text).unwrap();
    let spec = Spec::read(&dir.join("strict.toml")).unwrap();
    assert!(spec.get(486).unwrap().required);
    assert!(spec.get(400).unwrap().required);
    assert!(
        !spec.get(404).unwrap().required,
        "a response's own handling wins"
    );
    assert!(!spec.get(503).unwrap().required);
    std::fs::write(
        dir.join("bad.toml"),
        "[spec]\nname = \"b\"\nextends = \"iana\"\n[handling]\n\"7xx\" = \"always\"\n",
    )
    .unwrap();
    let lines: Vec<String> = Spec::read(&dir.join("bad.toml"))
        .unwrap_err()
        .diagnostics()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].ends_with(":5:1: `7xx` in [handling] is not a class: use 1xx .. 6xx"),
        "{lines:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The conversions with `StatusCode` of a set that extends IANA, generated in this crate
/// (the orphan rule allows both directions here, in the set's crate).
mod vendor {
    sip_responses::include_spec! { path = "specs/vendor.toml", name = VendorStatus, prefix = Vendor }
}

#[test]
fn a_set_that_extends_iana_converts_with_status_code() {
    use sip_responses::{CodeError, ResponseCode, StatusCode};
    use vendor::VendorStatus;
    for &iana in StatusCode::ALL {
        let ours = VendorStatus::from(iana);
        assert_eq!(ours.code(), iana.code());
        assert_eq!(StatusCode::try_from(ours), Ok(iana));
    }
    assert_eq!(
        StatusCode::try_from(VendorStatus::VendorRinging),
        Err(CodeError::Unknown(155))
    );
    let all: Vec<StatusCode> = VendorStatus::ALL
        .iter()
        .filter_map(|&c| c.try_into().ok())
        .collect();
    assert_eq!(all, StatusCode::ALL);
    // The hostile corpus's vendor spec, through `tests/src/lib.rs`.
    use sip_responses_tests::hostile::vendor_on_iana::Vendor;
    assert_eq!(Vendor::from(StatusCode::Ringing).code(), 180);
    assert!(StatusCode::try_from(Vendor::from(StatusCode::Ringing)).is_ok());
    assert_eq!(<Vendor as ResponseCode>::ALL.len(), 76);
}

/// Which specs build on IANA, and the pairs the conversions match on: by code, so an
/// inherited code renamed with `ident` maps to IANA's variant.
#[test]
fn conversions_pair_variants_by_code() {
    assert!(spec("vendor.toml").unwrap().extends_iana);
    assert!(!spec("small-extended.toml").unwrap().extends_iana);
    assert!(
        !Spec::iana().extends_iana,
        "the registry itself extends nothing"
    );
    let renamed = Spec::parse(
        "t.toml",
        "[spec]\nname = \"t\"\nextends = \"iana\"\n[[response]]\ncode = 486\nident = \"Engaged\"\n",
    )
    .unwrap();
    assert!(renamed.extends_iana);
    let code = sip_responses_codegen::generate_spec(&renamed, &Options::default())
        .unwrap()
        .to_string();
    assert!(
        code.contains("__iana_conversions ! (StatusCode ; into total ; from total ;"),
        "{code}"
    );
    assert!(code.contains(" Engaged BusyHere "), "{code}");
    // The registry's own set converts with nothing (it is `StatusCode`).
    let iana = sip_responses_codegen::generate_spec(&Spec::iana(), &Options::default())
        .unwrap()
        .to_string();
    assert!(!iana.contains("__iana_conversions"));
}
