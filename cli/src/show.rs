//! What `table` and `explain` print.

use std::fmt::Write;

use sip_responses::q850::cause_text;
use sip_responses_codegen::{names, rfc, Response, Spec};

/// `4xx Client Error` for 486.
fn class(code: u16) -> String {
    let Some(class) = rfc::class_of(code) else {
        return String::new();
    };
    let mut words = String::new();
    for c in class.name.chars() {
        if c.is_ascii_uppercase() && !words.is_empty() {
            words.push(' ');
        }
        words.push(c);
    }
    format!("{}xx {words}", class.digit)
}

/// The Q.850 cause column: the number, or empty.
fn q850(r: &Response) -> String {
    r.q850.map(|c| c.to_string()).unwrap_or_default()
}

/// A markdown table cell: `|` escaped, line breaks as `<br>`.
fn md_cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace(['\r', '\n'], "<br>")
}

/// The table formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Csv,
    Json,
}

impl Format {
    pub fn parse(s: &str) -> Result<Format, String> {
        match s {
            "markdown" | "md" => Ok(Format::Markdown),
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            other => Err(format!(
                "unknown table format `{other}`; expected markdown, csv or json"
            )),
        }
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Every code of `spec`: code, reason, class, reference, flags.
pub fn table(spec: &Spec, format: Format) -> String {
    let mut out = String::new();
    match format {
        Format::Markdown => {
            out.push_str(
                "| code | reason | class | reference | flags | q850 |\n|---|---|---|---|---|---|\n",
            );
            for r in &spec.responses {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    r.code,
                    md_cell(&r.reason),
                    class(r.code),
                    md_cell(&r.reference),
                    r.flags.join(", "),
                    q850(r)
                );
            }
        }
        Format::Csv => {
            out.push_str("code,reason,class,reference,flags,q850\n");
            for r in &spec.responses {
                let _ = writeln!(
                    out,
                    "{},{},{},{},{},{}",
                    r.code,
                    csv_field(&r.reason),
                    csv_field(&class(r.code)),
                    csv_field(&r.reference),
                    csv_field(&r.flags.join(" ")),
                    q850(r)
                );
            }
        }
        Format::Json => {
            out.push_str("[\n");
            for (i, r) in spec.responses.iter().enumerate() {
                let flags: Vec<String> = r.flags.iter().map(|f| json_string(f)).collect();
                let _ = write!(
                    out,
                    "  {{\"code\": {}, \"reason\": {}, \"class\": {}, \"reference\": {}, \"flags\": [{}], \"q850\": {}}}",
                    r.code,
                    json_string(&r.reason),
                    json_string(&class(r.code)),
                    json_string(&r.reference),
                    flags.join(", "),
                    r.q850.map_or_else(|| "null".to_owned(), |c| c.to_string())
                );
                out.push_str(if i + 1 < spec.responses.len() {
                    ",\n"
                } else {
                    "\n"
                });
            }
            out.push_str("]\n");
        }
    }
    out
}

fn handler_line(spec: &Spec, r: &Response) -> String {
    let method = names::handler_method(&r.ident);
    let x00 = r.class_digit() * 100;
    match spec.get(x00) {
        Some(base) if !rfc::handler_required(r.code, r.required, true) => {
            format!(
                "{method} (by default as {}: {})",
                base.code,
                names::handler_method(&base.ident)
            )
        }
        _ => format!("{method} (required)"),
    }
}

/// Everything `spec` knows about `code`, or what RFC 3261 8.1.3.2 makes of an unknown one.
pub fn explain(spec: &Spec, code: u16) -> Result<String, String> {
    let mut out = String::new();
    if let Some(r) = spec.get(code) {
        let _ = writeln!(out, "{} {}", r.code, r.reason);
        let _ = writeln!(out, "  class:     {}", class(r.code));
        let _ = writeln!(out, "  reference: {}", r.reference);
        let _ = writeln!(out, "  variant:   StatusCode::{}", r.ident);
        let _ = writeln!(out, "  handler:   {}", handler_line(spec, r));
        for flag in &r.flags {
            let meaning = spec
                .flags
                .iter()
                .find(|f| &f.name == flag)
                .map_or("", |f| f.meaning.as_str());
            let _ = writeln!(out, "  flag:      {flag}: {meaning}");
        }
        if !r.headers.is_empty() {
            let _ = writeln!(out, "  carries:   {}", r.headers.join(", "));
        }
        if let Some(cause) = r.q850 {
            let _ = writeln!(
                out,
                "  q850:      a gateway releases the PSTN call with cause {cause} ({}) (RFC 3398, 8.2.6.1)",
                cause_text(cause).unwrap_or("not named by Q.850")
            );
        }
        let causes: Vec<String> = spec
            .q850
            .iter()
            .filter(|(_, code)| *code == Some(r.code))
            .map(|(cause, _)| cause.to_string())
            .collect();
        if !causes.is_empty() {
            let (noun, verb) = if causes.len() == 1 {
                ("cause", "is")
            } else {
                ("causes", "are")
            };
            let _ = writeln!(
                out,
                "  from q850: {noun} {} {verb} answered with {} (RFC 3398, 7.2.4.1)",
                causes.join(", "),
                r.code
            );
        }
        let _ = writeln!(out, "\n{}", r.description);
        return Ok(out);
    }
    if !rfc::CODES.contains(&code) {
        return Err(format!(
            "{code} is not a SIP status code: codes are three digits in 100..=699"
        ));
    }
    let _ = writeln!(out, "{code} is not in the spec `{}`.", spec.name);
    let target = rfc::class_fallback(code / 100);
    match spec.get(target) {
        Some(t) => {
            let kind = if code < 200 {
                "an unknown provisional code"
            } else {
                "an unknown final code"
            };
            let _ = writeln!(
                out,
                "RFC 3261 Section 8.1.3.2: a UAC treats {kind} as {} {}, so `interpret({code})` gives StatusCode::{} and dispatch calls {}.",
                t.code,
                t.reason,
                t.ident,
                names::handler_method(&t.ident)
            );
        }
        None => {
            let _ = writeln!(out, "RFC 3261 Section 8.1.3.2 would treat it as {target}, which this spec lacks: `interpret({code})` is an error.");
        }
    }
    Ok(out)
}
