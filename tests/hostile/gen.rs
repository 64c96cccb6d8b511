// Random specs from the whole spec grammar, for the property test (`tests/spec_grammar.rs`)
// and for the fixed sample `protocol/build.rs` compiles. Included with `include!`, so it has
// no dependencies: a seed drives a xorshift generator, and the same seed gives the same spec.

/// A deterministic random source.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*, never zero.
        let mut x = self.0 | 1;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// Mostly from `usual`, sometimes (`percent`) from `hostile`.
    fn mostly<'a>(&mut self, usual: &[&'a str], hostile: &[&'a str], percent: usize) -> &'a str {
        if self.chance(percent) {
            self.pick(hostile)
        } else {
            self.pick(usual)
        }
    }
}

/// Words of reasons: ordinary, non-ASCII, the grammar's marks, the characters it refuses,
/// and words whose derived names clash with generated items.
const WORDS: &[&str] = &[
    "Busy", "Here", "busy", "Not", "Found", "Ça", "für", "日本", "x\ty", "100%25", "(a)", "it's",
    "a;b", "a/b", "?", "!", "All", "Code", "Queued", "Session", "Progress", "-", "_", "~", "Some",
    "None", "Vendor", "Thing", "Alpha", "Beta", "Gamma", "Delta", "Omega", "Zeta",
];
const HOSTILE_WORDS: &[&str] = &[
    "Ok", "OK", "Error", "ERR", "Err", "Self", "ALL", "code", "from_u16", "Output", "<b>", "[x]",
    "a|b", "#1", "a\"b", "9Lives", "50%", "A", "B",
];
const IDENTS: &[&str] = &[
    "BusyHere",
    "busy_here",
    "Busy_Here",
    "ok",
    "Ok",
    "ALL",
    "Code",
    "X1",
    "Error",
    "Err",
    "VendorThing",
    "Self",
    "Output",
    "Ringing",
    "SessionProgress",
    "Trying",
];
const FLAGS: &[&str] = &[
    "hop-by-hop",
    "billable",
    "x-y",
    "retry-after",
    "is",
    "a1",
    "final",
];
const TEXTS: &[&str] = &[
    "Plain.",
    "Two\\r\\nlines",
    "bare\\rCR",
    "tab\\there",
    "[link] <tag> `code`",
    "```\\nfn x() {}\\n```",
    "    indented",
    "Ünïcode",
    "~~~",
];
const HOSTILE_TEXTS: &[&str] = &["", "  ", "bidi \\u202E here", "nul \\u0000"];

/// A spec for `seed`, written as TOML text.
#[must_use]
pub fn random_spec(seed: u64) -> String {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut out = String::from("[spec]\nname = \"random\"\n");
    if rng.chance(30) {
        out.push_str("extends = \"iana\"\n");
    }
    let flags: Vec<&str> = (0..rng.below(3)).map(|_| rng.pick(FLAGS)).collect();
    if !flags.is_empty() {
        out.push_str("\n[flags]\n");
        for f in &flags {
            out.push_str(&format!(
                "{f} = \"{}\"\n",
                rng.mostly(TEXTS, HOSTILE_TEXTS, 5)
            ));
        }
    }
    let mut codes: Vec<u16> = (0..=rng.below(10))
        .map(|_| 100 + rng.below(600) as u16)
        .collect();
    if rng.chance(80) {
        // The RFC 3261 8.1.3.2 fallbacks of the classes used, most of the time.
        let fallbacks: Vec<u16> = codes
            .iter()
            .map(|c| if c / 100 == 1 { 183 } else { c / 100 * 100 })
            .collect();
        codes.extend(fallbacks);
    }
    codes.sort_unstable();
    if rng.chance(90) {
        codes.dedup();
    }
    for code in codes {
        let words: Vec<&str> = (0..=rng.below(3))
            .map(|_| rng.mostly(WORDS, HOSTILE_WORDS, 3))
            .collect();
        let reason = words.join(" ").replace('\\', "\\\\").replace('"', "\\\"");
        out.push_str(&format!(
            "\n[[response]]\ncode = {code}\nreason = \"{reason}\"\nreference = \"{}\"\ndescription = \"{}\"\n",
            if rng.chance(90) { "RFC 0" } else { rng.mostly(TEXTS, HOSTILE_TEXTS, 5) },
            rng.mostly(TEXTS, HOSTILE_TEXTS, 3)
        ));
        if rng.chance(25) {
            out.push_str(&format!("ident = \"{}{}\"\n", rng.pick(IDENTS), code));
        }
        if !flags.is_empty() && rng.chance(40) {
            out.push_str(&format!("flags = [\"{}\"]\n", rng.pick(&flags)));
        }
        if rng.chance(20) {
            out.push_str("handling = \"required\"\n");
        }
    }
    out
}
