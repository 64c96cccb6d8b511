//! What a B2BUA does with a status it relays: keeps it owned across legs and tasks, and
//! writes it on the other leg exactly as it came: the code (one the set does not know
//! included) and the reason (a peer's `<` or Latin-1 byte included), never a line break.

use proptest::prelude::*;
use sip_responses::{Code, LenientStatusLine, OwnedStatus, Status, StatusCode, StatusLine};

#[test]
fn a_relayed_status_crosses_to_another_task_and_is_written_as_it_came() {
    let wire = b"SIP/2.0 486 Busy <right now>\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\n\r\n";
    // `with_reason` refuses the peer's `<`: a B2BUA cannot rebuild it from the text alone.
    assert!(Status::with_reason(StatusCode::BusyHere, "Busy <right now>").is_err());
    let line = LenientStatusLine::parse(wire).expect("a status line");
    let kept: OwnedStatus<Code<StatusCode>> = OwnedStatus::from(&line);
    let other_leg = std::thread::spawn(move || kept.status_line())
        .join()
        .expect("the other leg's task");
    assert_eq!(other_leg, b"SIP/2.0 486 Busy <right now>\r\n");
    // A code the set does not know keeps its number and its phrase (a stack that had
    // `Other(499, "Odd Thing")` keeps both).
    let odd = StatusLine::parse(b"SIP/2.0 499 Odd Thing\r\n").expect("strict");
    let relayed = OwnedStatus::from(odd.relay::<StatusCode>());
    assert_eq!(
        (relayed.code().get(), relayed.reason()),
        (499, Some("Odd Thing"))
    );
    assert_eq!(relayed.to_string(), "499 Odd Thing");
    assert_eq!(relayed.as_status(), Some(odd.relay::<StatusCode>()));
}

#[test]
fn latin1_is_kept_as_bytes() {
    let line = LenientStatusLine::parse(b"SIP/2.0 486 Occup\xe9\r\n").expect("lenient");
    let kept: OwnedStatus<Code<StatusCode>> = OwnedStatus::from(&line);
    assert_eq!(kept.reason(), None);
    assert_eq!(kept.reason_bytes(), b"Occup\xe9");
    assert_eq!(kept.status_line(), b"SIP/2.0 486 Occup\xe9\r\n");
    assert_eq!(kept.to_string(), "486 Occup\u{fffd}");
    assert_eq!(kept.as_status(), None); // not a reason a `Status` can hold
}

proptest! {
    /// Whatever the lenient reader accepts, the owned status writes a line that reads back to
    /// the same code and reason bytes, with nothing relaxed but what the bytes themselves are
    /// (the SP before an empty reason is written, as RFC 3261 Section 25 has it), and one
    /// CRLF: the only line break.
    #[test]
    fn what_is_kept_is_written_back(code in 100u16..=699, reason in proptest::collection::vec(any::<u8>(), 0..40)) {
        let mut wire = format!("SIP/2.0 {code} ").into_bytes();
        wire.extend_from_slice(&reason);
        wire.extend_from_slice(b"\r\n");
        let Ok(line) = LenientStatusLine::parse(&wire) else { return Ok(()) };
        let kept: OwnedStatus<Code<StatusCode>> = OwnedStatus::from(&line);
        let written = kept.status_line();
        prop_assert_eq!(written.iter().filter(|&&b| b == b'\n' || b == b'\r').count(), 2);
        prop_assert!(written.ends_with(b"\r\n"));
        let again = LenientStatusLine::parse(&written).expect("what it wrote reads back");
        prop_assert_eq!(again.code(), line.code());
        prop_assert_eq!(again.reason_bytes(), line.reason_bytes());
        prop_assert!(!again.relaxed().missing_space);
    }
}
