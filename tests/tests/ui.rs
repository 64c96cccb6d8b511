//! Every diagnostic a user of the macros can meet, pinned as a compile-fail case
//! (`tests/ui/*.rs` with its `.stderr`). Regenerate with `TRYBUILD=overwrite`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
}
