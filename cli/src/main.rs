//! `sip-responses`: generate Rust from a SIP response-code spec, and check specs.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use sip_responses_codegen::{
    format_source, generate_spec, generated_header, Error, Options, Spec, IANA_PATH,
};

const USAGE: &str = "\
usage: sip-responses <command> [args]

commands:
  generate [SPEC] [-o FILE]   print formatted Rust for SPEC (default: the bundled IANA spec)
  check SPEC...               validate specs; print every problem with file:line:column
";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode, String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_env();
    let command = match parser.next().map_err(|e| e.to_string())? {
        Some(Value(cmd)) => cmd.string().map_err(|e| e.to_string())?,
        Some(Short('h') | Long("help")) => {
            print!("{USAGE}");
            return Ok(ExitCode::SUCCESS);
        }
        Some(other) => return Err(other.unexpected().to_string()),
        None => return Err("no command given".into()),
    };
    let mut specs: Vec<PathBuf> = Vec::new();
    let mut output: Option<PathBuf> = None;
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Value(path) => specs.push(path.into()),
            Short('o') | Long("output") if command == "generate" => {
                output = Some(parser.value().map_err(|e| e.to_string())?.into());
            }
            other => return Err(other.unexpected().to_string()),
        }
    }
    let color = std::io::stderr().is_terminal();
    match command.as_str() {
        "generate" => {
            if specs.len() > 1 {
                return Err("generate takes at most one spec".into());
            }
            let spec = match specs.first() {
                Some(path) => Spec::read(path),
                None => Ok(Spec::iana()),
            };
            let spec = match spec {
                Ok(spec) => spec,
                Err(e) => return Ok(report(&e, color)),
            };
            let file = if specs.is_empty() {
                IANA_PATH.to_owned()
            } else {
                spec.file.clone()
            };
            let tokens = generate_spec(&spec, &Options::default());
            let source = format_source(tokens, &generated_header(&file))?;
            match output {
                Some(path) => std::fs::write(&path, source)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
                None => std::io::stdout()
                    .write_all(source.as_bytes())
                    .map_err(|e| format!("cannot write to stdout: {e}"))?,
            }
            Ok(ExitCode::SUCCESS)
        }
        "check" => {
            if specs.is_empty() {
                return Err("check needs at least one spec file".into());
            }
            let mut failed = false;
            for path in &specs {
                match Spec::read(path) {
                    Ok(spec) => println!("{}: ok, {} codes", spec.file, spec.responses.len()),
                    Err(e) => {
                        report(&e, color);
                        failed = true;
                    }
                }
            }
            Ok(if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        other => Err(format!("unknown command `{other}`")),
    }
}

fn report(error: &Error, color: bool) -> ExitCode {
    eprint!("{}", error.render(color));
    ExitCode::FAILURE
}
