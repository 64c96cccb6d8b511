#!/usr/bin/env bash
# Compile-time cost of sip-responses next to http and rsip, measured from clean in one run.
#
#   bash benches/compile-time.sh            # from the repository root
#
# Measures, each in a scratch crate with its own empty target directory:
#   1. cold `cargo build --release` of a bin using only: sip-responses with its default
#      features (the types), sip-responses with the derive, http, rsip, thiserror, serde with
#      its derive, and serde's derive beside ours (plus the number of crates compiled; the
#      last minus serde's is the marginal cost of our derive in a crate that derives serde);
#   2. `cargo check` of a crate (its dependencies already built) with #[derive(SipResponses)]
#      on 20 enums, and with include_spec! of the IANA spec and of a 600-code stress spec
#      (every code 100..=699, generated here).
# Expansion time alone (parse, validate, generate) is measured by criterion:
#   cargo bench -p sip-responses-benches --bench codegen
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CARGO_TERM_COLOR=never

now() { date +%s.%N; }
elapsed() { awk -v a="$(now)" -v b="$1" 'BEGIN { printf "%.3f", a - b }'; }

# A bin crate named $1 with dependency line $2 and main.rs $3.
make_crate() {
  mkdir -p "$work/$1/src"
  printf '[package]\nname = "%s"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[dependencies]\n%s\n\n[workspace]\n' "$1" "$2" > "$work/$1/Cargo.toml"
  printf '%s\n' "$3" > "$work/$1/src/main.rs"
  cp "$root/Cargo.lock" "$work/$1/Cargo.lock" 2>/dev/null || true
}

cold_build() {
  local name=$1
  (cd "$work/$name" && cargo fetch -q)
  local start; start=$(now)
  local log; log=$(cd "$work/$name" && cargo build --release 2>&1)
  local secs; secs=$(elapsed "$start")
  local crates; crates=$(grep -c "Compiling" <<<"$log" || true)
  printf '%-34s %7.2f s  %3d crates\n' "$name" "$secs" "$crates"
}

echo "== cold release build of a bin using only the crate (machine: $(nproc) cores, $(rustc --version))"
make_crate ours-default "sip-responses = { path = \"$root/runtime\" }" \
  'fn main() { println!("{}", sip_responses::StatusCode::interpret(499).map_or(0, |c| c.code())); }'
make_crate ours-derive "sip-responses = { path = \"$root/runtime\", features = [\"derive\"] }" \
  '#[derive(sip_responses::SipResponses, Clone, Copy)] #[sip(class = "2xx")] enum S { Ok, Accepted, NoNotification }
fn main() { println!("{}", S::Ok); }'
make_crate http "http = \"1\"" \
  'fn main() { println!("{}", http::StatusCode::from_u16(404).map_or(0, |c| c.as_u16())); }'
make_crate rsip "rsip = \"0.4\"" \
  'fn main() { println!("{}", rsip::StatusCode::from(404)); }'
make_crate thiserror "thiserror = \"2\"" \
  '#[derive(Debug, thiserror::Error)] #[error("busy")] struct Busy;
fn main() { println!("{}", Busy); }'
make_crate serde-derive "serde = { version = \"1\", features = [\"derive\"] }" \
  '#[derive(serde::Serialize)] struct S { code: u16 }
fn main() { let s = S { code: 486 }; println!("{}", s.code); }'
make_crate serde-derive-and-ours "serde = { version = \"1\", features = [\"derive\"] }
sip-responses = { path = \"$root/runtime\", features = [\"derive\"] }" \
  '#[derive(serde::Serialize)] struct S { code: u16 }
#[derive(sip_responses::SipResponses, Clone, Copy)] #[sip(class = "2xx")] enum C { Ok, Accepted, NoNotification }
fn main() { let s = S { code: 486 }; println!("{} {}", s.code, C::Ok); }'
for c in ours-default ours-derive http rsip thiserror serde-derive serde-derive-and-ours; do cold_build "$c"; done

echo
echo "== cargo check of the crate alone (dependencies built), median of 5"
variants=""
for i in $(seq 1 20); do
  variants+="#[derive(sip_responses::SipResponses, Clone, Copy)] #[sip(class = \"1xx\")] pub enum P$i { Trying, Ringing, CallIsBeingForwarded, Queued, SessionProgress, EarlyDialogTerminated }
"
done
make_crate derive-20 "sip-responses = { path = \"$root/runtime\", features = [\"derive\"] }" "$variants
fn main() { println!(\"{}\", P1::Ringing); }"
make_crate include-iana "sip-responses = { path = \"$root/runtime\", features = [\"spec-files\"] }" \
  "sip_responses::include_spec!(\"$root/spec/iana.toml\");
fn main() { println!(\"{}\", StatusCode::Ringing); }"
# The stress spec: every code 100..=699.
{
  printf '[spec]\nname = "stress"\n\n'
  for code in $(seq 100 699); do
    printf '[[response]]\ncode = %d\nreason = "Code %d"\nreference = "Stress"\ndescription = "Generated."\n\n' "$code" "$code"
  done
} > "$work/stress.toml"
make_crate include-stress "sip-responses = { path = \"$root/runtime\", features = [\"spec-files\"] }" \
  "sip_responses::include_spec!(\"$work/stress.toml\");
fn main() { println!(\"{}\", StatusCode::Code183); }"
baseline_src='fn main() { println!("{}", sip_responses::StatusCode::Ringing); }'
make_crate no-macro "sip-responses = { path = \"$root/runtime\", features = [\"derive\"] }" "$baseline_src"

check_time() {
  local name=$1
  (cd "$work/$name" && CARGO_TARGET_DIR="$work/target-check" cargo check -q 2>/dev/null)
  local times=()
  for _ in 1 2 3 4 5; do
    touch "$work/$name/src/main.rs"
    local start; start=$(now)
    (cd "$work/$name" && CARGO_TARGET_DIR="$work/target-check" cargo check -q)
    times+=("$(elapsed "$start")")
  done
  local median; median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
  printf '%-34s %7.3f s\n' "$name" "$median"
}
for c in no-macro derive-20 include-iana include-stress; do check_time "$c"; done
