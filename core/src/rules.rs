//! The RFC rules the runtime and the code generator both apply, written once. This file is
//! compiled into `sip-responses` (`core/src/rules.rs`) and, through a symlink, into
//! `sip-responses-codegen` (`codegen/src/rules.rs`), since neither crate can depend on the
//! other (the runtime has no dependencies; codegen is on the proc-macro path). `no_std`, no
//! allocation, no imports: plain `const fn`s and constants.

/// The class digit of `code`, 1..=6, if it is in 100..=699 (RFC 3261, Section 7.2).
#[must_use]
#[inline]
pub const fn class_digit(code: u16) -> Option<u16> {
    if code >= 100 && code <= 699 {
        Some(code / 100)
    } else {
        None
    }
}

/// RFC 3261, Section 8.1.3.2, for a code in 100..=699: what an unknown code is treated as
/// (183 Session Progress for 1xx, x00 for a final class).
#[must_use]
#[inline]
pub const fn fallback(code: u16) -> u16 {
    if code < 200 {
        183
    } else {
        code / 100 * 100
    }
}

/// RFC 3262, Section 3: whether a response with `code` may be sent reliably (with `Require:
/// 100rel` and an `RSeq`): the provisional codes 101..=199. "The UAS MUST NOT attempt to send
/// a 100 (Trying) response reliably."
#[must_use]
#[inline]
pub const fn may_send_reliably(code: u16) -> bool {
    code >= 101 && code <= 199
}

/// The spec flag of codes a stateful proxy never forwards upstream (100 Trying; RFC 3261,
/// Section 16.7 step 5).
pub const HOP_BY_HOP: &str = "hop-by-hop";
/// The spec flag of codes a proxy prefers among 4xx responses (401, 407, 415, 420, 484;
/// RFC 3261, Section 16.7 step 6).
pub const AFFECTS_RESUBMISSION: &str = "affects-resubmission";
/// The spec flag of codes whose challenges a proxy merges (401, 407; RFC 3261, Section 16.7
/// step 7).
pub const CHALLENGE: &str = "challenge";

/// The offset of the first byte of `reason` that RFC 3261 Section 25's Reason-Phrase does
/// not allow, if there is one:
///
/// ```text
/// Reason-Phrase = *(reserved / unreserved / escaped / UTF8-NONASCII / UTF8-CONT / SP / HTAB)
/// ```
///
/// Refused: every control but HTAB (CR and LF too), `"` `<` `>` `[` `]` `{` `}` `|` `\` `^`
/// `` ` `` `#`, and a `%` that two hex digits do not follow. Bytes of non-ASCII characters
/// are all allowed (UTF8-NONASCII, UTF8-CONT); the refused bytes are all ASCII.
#[must_use]
pub const fn reason_phrase_refused(reason: &[u8]) -> Option<usize> {
    let mut i = 0;
    // Eight bytes a step with one branch for all eight, until a chunk holds a byte the table
    // flags: a byte-at-a-time loop ran at 0.33 or 0.53 ns a byte depending only on where the
    // linker placed it.
    while reason.len() - i >= 8 {
        let mut flagged = false;
        let mut k = 0;
        while k < 8 {
            flagged |= REFUSED[reason[i + k] as usize];
            k += 1;
        }
        if flagged {
            break;
        }
        i += 8;
    }
    // The rest, and the chunk with a flagged byte, one at a time: which byte, where, and
    // whether a `%` starts an escape.
    while i < reason.len() {
        let b = reason[i];
        if REFUSED[b as usize] {
            let escape = b == b'%'
                && i + 2 < reason.len()
                && reason[i + 1].is_ascii_hexdigit()
                && reason[i + 2].is_ascii_hexdigit();
            if !escape {
                return Some(i);
            }
        }
        i += 1;
    }
    None
}

/// The bytes a Reason-Phrase refuses (`%` only without two hex digits after it).
const REFUSED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b != b'\t' as usize;
        b += 1;
    }
    table[0x7f] = true;
    let marks = b"\"<>[]{}|\\^`#%";
    let mut i = 0;
    while i < marks.len() {
        table[marks[i] as usize] = true;
        i += 1;
    }
    table
};
