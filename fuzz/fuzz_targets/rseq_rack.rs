#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sip_responses_tests::fuzz::rseq_rack(data));
