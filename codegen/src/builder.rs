//! [`Builder`]: generation from build scripts, in the style of prost-build.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Error};
use crate::options::Options;
use crate::spec::Spec;

/// Generates Rust from a spec in a build script, writing a formatted file into `OUT_DIR`.
///
/// ```no_run
/// // In build.rs's main:
/// if let Err(e) = sip_responses_codegen::Builder::new()
///     .spec("spec/acme.toml")
///     .name("AcmeStatus")
///     .derive("serde::Serialize")
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
    name: Option<String>,
    prefix: Option<String>,
    vis: Option<String>,
    derives: Vec<String>,
    attributes: Vec<String>,
    handlers: Option<bool>,
    serde: bool,
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
        self.name = Some(name.to_owned());
        self
    }

    /// A prefix for the other generated types (class enums, `Classified`, handler traits).
    pub fn prefix(&mut self, prefix: &str) -> &mut Self {
        self.prefix = Some(prefix.to_owned());
        self
    }

    /// Visibility of the generated items (default `pub`).
    pub fn vis(&mut self, vis: &str) -> &mut Self {
        self.vis = Some(vis.to_owned());
        self
    }

    /// An extra derive for every generated enum, e.g. `serde::Serialize`.
    pub fn derive(&mut self, path: &str) -> &mut Self {
        self.derives.push(path.to_owned());
        self
    }

    /// An extra attribute (without `#[...]`) for every generated enum.
    pub fn attribute(&mut self, attribute: &str) -> &mut Self {
        self.attributes.push(attribute.to_owned());
        self
    }

    /// Whether to emit the handler traits (default true).
    pub fn handlers(&mut self, on: bool) -> &mut Self {
        self.handlers = Some(on);
        self
    }

    /// Whether to implement serde's traits for the generated enums (default false; needs
    /// the `serde` feature of `sip-responses`).
    pub fn serde(&mut self, on: bool) -> &mut Self {
        self.serde = on;
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

    /// The options these settings stand for.
    ///
    /// # Errors
    /// An option that is not valid Rust (a name that is no identifier, and so on).
    pub fn options(&self) -> Result<Options, Error> {
        let mut options = Options::default();
        let mut problems = Vec::new();
        let mut check = |r: Result<&mut Options, String>| {
            if let Err(e) = r {
                problems.push(Diagnostic::file("sip_responses_codegen::Builder", e));
            }
        };
        if let Some(name) = &self.name {
            check(options.name(name));
        }
        if let Some(prefix) = &self.prefix {
            check(options.prefix(prefix));
        }
        if let Some(vis) = &self.vis {
            check(options.vis(vis));
        }
        for derive in &self.derives {
            check(options.derive(derive));
        }
        for attribute in &self.attributes {
            check(options.attribute(attribute));
        }
        if let Some(on) = self.handlers {
            options.handlers(on);
        }
        options.serde(self.serde);
        if problems.is_empty() {
            if let Err(found) = options.validate() {
                problems.extend(
                    found
                        .into_iter()
                        .map(|e| Diagnostic::file("sip_responses_codegen::Builder", e)),
                );
            }
        }
        Error::from_diagnostics(problems).map_or(Ok(options), Err)
    }

    /// The formatted source for the spec, without writing it.
    ///
    /// # Errors
    /// Every problem of the spec or the options, each with its location.
    pub fn source(&self) -> Result<(String, Spec), Error> {
        let options = self.options()?;
        let spec = match &self.spec {
            Some(path) => Spec::read(path)?,
            None => Spec::iana(),
        };
        let tokens = crate::generate_spec(&spec, &options);
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
