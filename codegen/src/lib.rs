//! Spec parsing, validation and code generation for `sip-responses`.
//!
//! The pipeline: [`Spec`] (TOML to a validated model, with locations), [`names`]
//! (identifier derivation), [`generate`] (tokens for each item family), and the adapters
//! that use them: the proc macros, [`Builder`] for build scripts, and the CLI.

mod diag;
pub mod generate;
pub mod names;
mod options;
mod spec;

pub use diag::{Diagnostic, Error};
pub use options::Options;
pub use spec::{Flag, Response, Spec, IANA_PATH, IANA_TOML};

/// The tokens for everything `spec` generates.
pub fn generate_spec(spec: &Spec, options: &Options) -> proc_macro2::TokenStream {
    generate::spec_items(spec, options)
}

/// Formats generated tokens as a Rust source file (prettyplease), with a header line.
///
/// # Errors
/// When the tokens do not parse as a file, which would be a bug in the generator.
#[cfg(feature = "format")]
pub fn format_source(tokens: proc_macro2::TokenStream, header: &str) -> Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    let mut out = String::new();
    for line in header.lines() {
        out.push_str("// ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&prettyplease::unparse(&file));
    Ok(out)
}
