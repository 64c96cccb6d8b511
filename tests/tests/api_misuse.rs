//! Values whose checks a caller must not bypass: building them by hand does not compile
//! (`ui-api/*.rs` with the `.stderr` rustc gives; regenerate with `TRYBUILD=overwrite`).

#[test]
fn checked_values_have_no_public_fields() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui-api/*.rs");
}
