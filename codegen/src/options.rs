//! What users customise about generated code: names, visibility, extra derives and attributes.

use std::str::FromStr;

use proc_macro2::{Ident, Span, TokenStream};

use crate::names;

/// Options for [`crate::generate_spec`]; `Options::default()` gives the runtime crate's own
/// choices (`pub enum StatusCode`, handler traits on).
#[derive(Clone, Debug)]
pub struct Options {
    pub(crate) name: String,
    pub(crate) prefix: String,
    pub(crate) vis: TokenStream,
    pub(crate) derives: Vec<TokenStream>,
    pub(crate) attributes: Vec<TokenStream>,
    pub(crate) handlers: bool,
    pub(crate) serde: bool,
    pub(crate) krate: TokenStream,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            name: "StatusCode".into(),
            prefix: String::new(),
            vis: quote::quote!(pub),
            derives: Vec::new(),
            attributes: Vec::new(),
            handlers: true,
            serde: false,
            krate: quote::quote!(::sip_responses),
        }
    }
}

fn tokens(what: &str, text: &str) -> Result<TokenStream, String> {
    TokenStream::from_str(text)
        .map_err(|e| format!("{what} `{text}` is not valid Rust tokens: {e}"))
}

fn ident_ok(what: &str, text: &str) -> Result<String, String> {
    names::check_ident(text).map_err(|why| format!("{what}: {why}"))?;
    Ok(text.to_owned())
}

impl Options {
    /// The name of the enum of all codes (default `StatusCode`).
    ///
    /// # Errors
    /// When `name` is not a usable type name (UpperCamelCase, no primitive or prelude name).
    /// Whether it clashes with another generated type is checked by [`Options::validate`].
    pub fn name(&mut self, name: &str) -> Result<&mut Self, String> {
        names::check_type(name).map_err(|why| format!("type name: {why}"))?;
        self.name = name.to_owned();
        Ok(self)
    }

    /// A prefix for every other generated type (`Sip` gives `SipProvisional`,
    /// `SipResponseHandler`, ...); default none.
    ///
    /// # Errors
    /// When `prefix` followed by a type name is not a usable identifier.
    pub fn prefix(&mut self, prefix: &str) -> Result<&mut Self, String> {
        if !prefix.is_empty() {
            ident_ok("type prefix", &format!("{prefix}Provisional"))?;
        }
        self.prefix = prefix.to_owned();
        Ok(self)
    }

    /// Visibility of the generated items, e.g. `pub(crate)` (default `pub`).
    ///
    /// # Errors
    /// When `vis` does not lex as Rust tokens.
    pub fn vis(&mut self, vis: &str) -> Result<&mut Self, String> {
        self.vis = tokens("visibility", vis)?;
        Ok(self)
    }

    /// An extra derive for every generated enum, e.g. `serde::Serialize`.
    ///
    /// # Errors
    /// When `path` does not lex as Rust tokens.
    pub fn derive(&mut self, path: &str) -> Result<&mut Self, String> {
        self.derives.push(tokens("derive", path)?);
        Ok(self)
    }

    /// An extra attribute (without `#[...]`) for every generated enum, e.g. `non_exhaustive`.
    ///
    /// # Errors
    /// When `attribute` does not lex as Rust tokens.
    pub fn attribute(&mut self, attribute: &str) -> Result<&mut Self, String> {
        self.attributes.push(tokens("attribute", attribute)?);
        Ok(self)
    }

    /// Whether to emit the handler traits and `dispatch` (default true).
    pub fn handlers(&mut self, on: bool) -> &mut Self {
        self.handlers = on;
        self
    }

    /// Whether to implement serde's `Serialize` and `Deserialize` for the generated enums
    /// (a code is a number; see `sip_responses::serde`). Needs the `serde` feature of
    /// `sip-responses` in the crate that compiles the output. Default false.
    pub fn serde(&mut self, on: bool) -> &mut Self {
        self.serde = on;
        self
    }

    /// The path generated code uses for the runtime crate (default `::sip_responses`).
    ///
    /// # Errors
    /// When `path` does not lex as Rust tokens.
    pub fn runtime_path(&mut self, path: &str) -> Result<&mut Self, String> {
        self.krate = tokens("runtime path", path)?;
        Ok(self)
    }

    /// Every problem with the options taken together: the generated type names (the
    /// all-codes enum's name and the prefixed class enums, `Classified` and handler traits)
    /// must be usable and pairwise distinct.
    ///
    /// # Errors
    /// One message per problem.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let problems = names::check_types(&self.name, &self.prefix);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// Token-level setters for the proc macros, which already hold tokens.
    #[doc(hidden)]
    pub fn set_tokens(&mut self, vis: Option<TokenStream>, derives: Vec<TokenStream>) -> &mut Self {
        if let Some(vis) = vis {
            self.vis = vis;
        }
        self.derives.extend(derives);
        self
    }

    pub(crate) fn ident(&self, name: &str) -> Ident {
        Ident::new(name, Span::call_site())
    }

    pub(crate) fn prefixed(&self, name: &str) -> Ident {
        Ident::new(&format!("{}{name}", self.prefix), Span::call_site())
    }
}
