//! Replays the committed fuzz corpora (`fuzz/corpus/<target>/`) on the stable toolchain, so
//! every input the fuzzers found interesting stays a regression test.

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        run(&std::fs::read(&path).unwrap());
        count += 1;
    }
    assert!(count > 0, "the corpus {} is empty", dir.display());
    eprintln!("{target}: replayed {count} inputs");
}

#[test]
fn status_line_corpus() {
    replay("status_line", sip_responses_tests::fuzz::status_line);
}

#[test]
fn from_str_corpus() {
    replay("from_str", sip_responses_tests::fuzz::from_str);
}

#[test]
fn spec_corpus() {
    replay("spec", sip_responses_tests::fuzz::spec);
}

/// The lenient parser against the strict one, over the status-line corpus and its own.
#[test]
fn lenient_status_line_corpus() {
    replay(
        "status_line",
        sip_responses_tests::fuzz::lenient_status_line,
    );
    replay(
        "lenient_status_line",
        sip_responses_tests::fuzz::lenient_status_line,
    );
}

/// The RSeq and RAck parsers of RFC 3262.
#[test]
fn rseq_rack_corpus() {
    replay("rseq_rack", sip_responses_tests::fuzz::rseq_rack);
}
