//! `sip-responses`: generate Rust from a SIP response-code spec, check specs, list and explain
//! codes.

mod show;

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use sip_responses_codegen::options::{self, Kind};
use sip_responses_codegen::{
    format_source, generate_spec, generated_header, Error, Options, Spec, IANA_PATH,
};

/// The help text; generate's options come from the codegen key table, the one `include_spec`!
/// parses too.
fn usage_text() -> String {
    let mut text = String::from(
        "\
usage: sip-responses <command> [args]

commands:
  generate [SPEC] [-o FILE] [OPTIONS]           print formatted Rust for SPEC
  check SPEC...                                 validate specs; print every problem with file:line:column
  table [SPEC] [--format markdown|csv|json]     list the codes with reason, class, reference and flags
  explain CODE [SPEC]                           everything SPEC knows about CODE, or what RFC 3261 8.1.3.2 makes of it

generate's options (the keys of include_spec!):
",
    );
    for key in options::KEYS {
        let name = key.name();
        let flag = match key.kind() {
            Kind::Bool => format!("--{name} / --no-{name}"),
            Kind::TypeName | Kind::Prefix => format!("--{name} NAME"),
            Kind::Visibility => format!("--{name} VIS"),
            Kind::Path => format!("--{name} PATH"),
            Kind::Attribute => format!("--{name} ATTR"),
        };
        let again = if key.repeats() {
            "; may be repeated"
        } else {
            ""
        };
        let _ = writeln!(text, "  {flag:<44}  {}{again}", key.help());
    }
    text.push_str(
        "
SPEC defaults to the bundled IANA registry (spec/iana.toml).
exit status: 0 success, 1 a spec or code problem, 2 a usage error
",
    );
    text
}

/// A failed run: what to print and the exit status.
enum Failure {
    Usage(String),
    Spec(Error),
    Other(String),
}

/// Colour on a terminal, unless `NO_COLOR` is set; plain otherwise.
fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn main() -> ExitCode {
    let color = color();
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}\n\n{}", usage_text());
            ExitCode::from(2)
        }
        Err(Failure::Spec(e)) => {
            eprint!("{}", e.render(color));
            ExitCode::FAILURE
        }
        Err(Failure::Other(message)) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

// Takes what the callers have (a `&str`, a `String`, a `lexopt::Error`) by value.
#[allow(clippy::needless_pass_by_value)]
fn usage(e: impl ToString) -> Failure {
    Failure::Usage(e.to_string())
}

fn read(spec: Option<&PathBuf>) -> Result<Spec, Failure> {
    match spec {
        Some(path) => Spec::read(path).map_err(Failure::Spec),
        None => Ok(Spec::iana()),
    }
}

/// Writes to stdout; a reader that went away (`generate | head`) ends the run quietly.
fn write_stdout(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::Other(format!("cannot write to stdout: {e}")))
        }
        _ => Ok(()),
    }
}

/// The key a `--flag` of generate stands for, and whether it is the `--no-` form of a
/// boolean key.
fn generate_option(flag: &str) -> Option<(options::Key, bool)> {
    if let Some(key) = options::key(flag) {
        return Some((key, false));
    }
    let key = options::key(flag.strip_prefix("no-")?)?;
    (key.kind() == Kind::Bool).then_some((key, true))
}

// The command line in one `match`, one arm per command, as a reader of `--help` expects.
#[allow(clippy::too_many_lines)]
fn run() -> Result<(), Failure> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_env();
    let command = match parser.next().map_err(usage)? {
        Some(Value(cmd)) => cmd.string().map_err(usage)?,
        Some(Short('h') | Long("help")) => return write_stdout(&usage_text()),
        Some(other) => return Err(usage(other.unexpected())),
        None => return Err(usage("no command given")),
    };
    let mut values: Vec<std::ffi::OsString> = Vec::new();
    let mut output: Option<PathBuf> = None;
    let mut format = show::Format::Markdown;
    let mut options = Options::default();
    let mut seen: Vec<options::Key> = Vec::new();
    while let Some(arg) = parser.next().map_err(usage)? {
        match arg {
            Value(v) => values.push(v),
            Short('o') | Long("output") if command == "generate" => {
                output = Some(parser.value().map_err(usage)?.into());
            }
            Long(flag) if command == "generate" && flag != "help" => {
                let Some((key, negated)) = generate_option(flag) else {
                    return Err(usage(format!("unknown option --{flag} for generate")));
                };
                if !key.repeats() && seen.contains(&key) {
                    return Err(usage(format!("--{key} given twice")));
                }
                seen.push(key);
                let value = match key.kind() {
                    Kind::Bool => (if negated { "false" } else { "true" }).to_owned(),
                    _ => parser.value().map_err(usage)?.string().map_err(usage)?,
                };
                options.set(key.name(), &value).map_err(usage)?;
            }
            Long("format") if command == "table" => {
                format =
                    show::Format::parse(&parser.value().map_err(usage)?.string().map_err(usage)?)
                        .map_err(usage)?;
            }
            Short('h') | Long("help") => return write_stdout(&usage_text()),
            other => return Err(usage(other.unexpected())),
        }
    }
    options.validate().map_err(|problems| {
        let lines: Vec<String> = problems.0.iter().map(ToString::to_string).collect();
        usage(lines.join("\n       "))
    })?;
    let paths: Vec<PathBuf> = values.iter().map(PathBuf::from).collect();
    let at_most_one = |what: &str| {
        if paths.len() > 1 {
            Err(usage(format!("{what} takes at most one spec")))
        } else {
            Ok(paths.first())
        }
    };
    match command.as_str() {
        "generate" => {
            let spec = read(at_most_one("generate")?)?;
            let file = if paths.is_empty() {
                IANA_PATH.to_owned()
            } else {
                spec.file.clone()
            };
            let tokens = generate_spec(&spec, &options).map_err(usage)?;
            let source = format_source(tokens, &generated_header(&file)).map_err(Failure::Other)?;
            match output {
                Some(path) => std::fs::write(&path, source)
                    .map_err(|e| Failure::Other(format!("cannot write {}: {e}", path.display()))),
                None => write_stdout(&source),
            }
        }
        "check" => {
            if paths.is_empty() {
                return Err(usage("check needs at least one spec file"));
            }
            let mut failed = 0;
            for path in &paths {
                match Spec::read(path) {
                    Ok(spec) => write_stdout(&format!(
                        "{}: ok, {} codes\n",
                        spec.file,
                        spec.responses.len()
                    ))?,
                    Err(e) => {
                        eprint!("{}", e.render(color()));
                        failed += 1;
                    }
                }
            }
            match failed {
                0 => Ok(()),
                n => Err(Failure::Other(format!(
                    "{n} of {} specs failed the check",
                    paths.len()
                ))),
            }
        }
        "table" => write_stdout(&show::table(&read(at_most_one("table")?)?, format)),
        "explain" => {
            let Some(code) = values.first() else {
                return Err(usage("explain needs a code, e.g. `explain 486`"));
            };
            let text = code.to_string_lossy();
            let code: u16 = match text.as_bytes() {
                [b'1'..=b'9', b'0'..=b'9', b'0'..=b'9'] => text.parse().unwrap_or_default(),
                _ => return Err(usage(format!("`{text}` is not a status code: three digits 100..=699, without sign or leading zero"))),
            };
            if paths.len() > 2 {
                return Err(usage("explain takes a code and at most one spec"));
            }
            let spec = read(paths.get(1))?;
            write_stdout(&show::explain(&spec, code).map_err(Failure::Other)?)
        }
        other => Err(usage(format!("unknown command `{other}`"))),
    }
}
