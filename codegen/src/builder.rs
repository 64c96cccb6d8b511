//! [`Builder`]: generation from build scripts, in the style of prost-build.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Error};
use crate::model::Spec;
use crate::options::Options;

/// Generates Rust from a spec in a build script, writing a formatted file into `OUT_DIR`.
///
/// ```no_run
/// // In build.rs's main:
/// if let Err(e) = sip_responses_codegen::Builder::new()
///     .spec("spec/acme.toml")
///     .name("AcmeStatus")
///     .serde(true) // Serialize/Deserialize as the number, the crate's convention
///     .generate()
/// {
///     eprintln!("{}", e.render(false));
///     std::process::exit(1);
/// }
/// // In lib.rs: include!(concat!(env!("OUT_DIR"), "/sip_responses.rs"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Builder {
    spec: Option<PathBuf>,
    options: Options,
    out_dir: Option<PathBuf>,
    file_name: Option<String>,
    quiet: bool,
}

impl Builder {
    /// A builder for the bundled IANA spec with default options.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The spec file to read, relative to the build script's working directory (the package
    /// root); default: the bundled IANA spec.
    pub fn spec(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.spec = Some(path.as_ref().to_owned());
        self
    }

    /// The name of the all-codes enum (default `StatusCode`).
    pub fn name(&mut self, name: &str) -> &mut Self {
        self.options.name(name);
        self
    }

    /// A prefix for the other generated types (class enums, `Classified`, handler traits).
    pub fn prefix(&mut self, prefix: &str) -> &mut Self {
        self.options.prefix(prefix);
        self
    }

    /// Visibility of the generated items (default `pub`).
    pub fn vis(&mut self, vis: &str) -> &mut Self {
        self.options.vis(vis);
        self
    }

    /// An extra derive for every generated enum, e.g. `arbitrary::Arbitrary`. For serde use
    /// [`Builder::serde`]: a derived `serde::Serialize` writes the variant's name
    /// (`"BusyHere"`), where the crate's convention is the number (`486`).
    pub fn derive(&mut self, path: &str) -> &mut Self {
        self.options.derive(path);
        self
    }

    /// An extra attribute (without `#[...]`) for every generated enum.
    pub fn attribute(&mut self, attribute: &str) -> &mut Self {
        self.options.attribute(attribute);
        self
    }

    /// Whether to emit the handler traits (default true).
    pub fn handlers(&mut self, on: bool) -> &mut Self {
        self.options.handlers(on);
        self
    }

    /// Whether to implement serde's traits for the generated enums (default false; needs
    /// the `serde` feature of `sip-responses`).
    pub fn serde(&mut self, on: bool) -> &mut Self {
        self.options.serde(on);
        self
    }

    /// The path of the runtime crate in generated code (default `::sip_responses`), for a
    /// crate that renames or re-exports it.
    pub fn runtime_path(&mut self, path: &str) -> &mut Self {
        self.options.runtime_path(path);
        self
    }

    /// All the options at once, e.g. ones built from [`crate::options::KEYS`].
    pub fn options(&mut self, options: Options) -> &mut Self {
        self.options = options;
        self
    }

    /// Where to write (default: the `OUT_DIR` cargo gives build scripts).
    pub fn out_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.out_dir = Some(dir.as_ref().to_owned());
        self
    }

    /// The output file name (default `sip_responses.rs`).
    pub fn file_name(&mut self, name: &str) -> &mut Self {
        self.file_name = Some(name.to_owned());
        self
    }

    /// Do not print `cargo:rerun-if-changed` lines (for use outside build scripts).
    pub fn quiet(&mut self) -> &mut Self {
        self.quiet = true;
        self
    }

    /// The formatted source for the spec, without writing it.
    ///
    /// # Errors
    /// Every problem of the spec or the options, each with its location.
    pub fn source(&self) -> Result<(String, Spec), Error> {
        // Every problem of the options, each on its own line, before the spec is read.
        let invalid = |errors: crate::OptionErrors| {
            let problems = errors
                .0
                .into_iter()
                .map(|e| Diagnostic::file("sip_responses_codegen::Builder", e.to_string()));
            Error::from_diagnostics(problems.collect()).unwrap_or_else(|| {
                Error::one(Diagnostic::file(
                    "sip_responses_codegen::Builder",
                    "invalid options",
                ))
            })
        };
        self.options.validate().map_err(invalid)?;
        let spec = match &self.spec {
            Some(path) => Spec::read(path)?,
            None => Spec::iana(),
        };
        let tokens = crate::generate_spec(&spec, &self.options).map_err(invalid)?;
        let header = crate::generated_header(&spec.file);
        let source = crate::format_source(tokens, &header)
            .map_err(|e| Error::one(Diagnostic::file(&spec.file, e)))?;
        Ok((source, spec))
    }

    /// Reads the spec, generates, and writes the file into `OUT_DIR` (only when its content
    /// changed, so dependants do not rebuild needlessly). Prints `cargo:rerun-if-changed` for
    /// the spec read. Returns the path written.
    ///
    /// # Errors
    /// Every problem of the spec or the options, each with its location, rendered by
    /// [`Error::render`]; or a failure to write the output.
    pub fn generate(&self) -> Result<PathBuf, Error> {
        if let (false, Some(path)) = (self.quiet, &self.spec) {
            // Printed before reading, so that fixing a broken spec reruns the script.
            println!("cargo:rerun-if-changed={}", path.display());
        }
        let (source, spec) = self.source()?;
        if !self.quiet {
            // The specs it extends, too.
            for path in spec
                .sources
                .iter()
                .filter(|p| Some(p.as_path()) != self.spec.as_deref())
            {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
        let dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| {
                    Error::one(Diagnostic::file(
                        &spec.file,
                        "OUT_DIR is not set: call generate() from a build script, or set out_dir()",
                    ))
                })?,
        };
        let out = dir.join(self.file_name.as_deref().unwrap_or("sip_responses.rs"));
        let unchanged = std::fs::read_to_string(&out).is_ok_and(|old| old == source);
        if !unchanged {
            std::fs::write(&out, source).map_err(|e| {
                Error::one(Diagnostic::file(
                    &out.display().to_string(),
                    format!("cannot write generated code: {e}"),
                ))
            })?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_problem_is_reported_before_reading_the_spec() {
        let e = Builder::new()
            .spec("does/not/exist.toml")
            .vis("public")
            .derive("Clone")
            .runtime_path("::")
            .source()
            .unwrap_err();
        let messages: Vec<&str> = e.diagnostics().iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].starts_with("option `vis`"), "{messages:?}");
        assert!(messages[1].starts_with("option `crate`"), "{messages:?}");
        assert!(messages[2].starts_with("option `derive`"), "{messages:?}");
    }

    #[test]
    fn the_runtime_path_reaches_the_source() {
        let (source, _) = Builder::new()
            .runtime_path("crate::sip")
            .handlers(false)
            .source()
            .unwrap();
        assert!(source.contains("crate::sip::__codes!"), "{source}");
        assert!(!source.contains("::sip_responses::"), "{source}");
    }
}
