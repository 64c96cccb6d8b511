//! What users customise about generated code: one model for every surface.
//!
//! [`Options`] holds the settings as text, with infallible setters (prost-build's `Config`
//! is the model); [`Options::validate`] reports every problem at once. [`KEYS`] is the one
//! table of option keys: `include_spec!` and the CLI both parse against it, and the
//! [`crate::Builder`] has one method per key.

use std::fmt;
use std::str::FromStr;

use proc_macro2::{Ident, Span, TokenStream, TokenTree};

use crate::names;

/// How an option's value is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An `UpperCamelCase` type name.
    TypeName,
    /// A type-name prefix (may be empty).
    Prefix,
    /// A visibility: `pub`, `pub(crate)`, `pub(super)`, `pub(in path)`, or empty for private.
    Visibility,
    /// A path such as `serde::Serialize` or `::sip_responses`.
    Path,
    /// An attribute's content without `#[...]`, such as `non_exhaustive`.
    Attribute,
    /// `true` or `false`.
    Bool,
}

/// Declares [`Key`] from one row per key: the one place a key is listed. Every use of a key
/// (parsing in [`Options::set`], the values [`Options::validate`] checks, where the derive
/// takes it) is an exhaustive `match` on it, so a new row does not compile until each of them
/// handles it.
macro_rules! keys {
    ($($(#[$doc:meta])* $variant:ident = $name:literal, $kind:ident, repeats: $repeats:literal, $help:literal;)*) => {
        /// One option key, as `include_spec!` and the CLI spell it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Key {
            $($(#[$doc])* $variant,)*
        }

        impl Key {
            /// Every key, in the order help lists them.
            pub const ALL: &'static [Key] = &[$(Key::$variant),*];

            /// The key: `name` in `include_spec! { name = X }`, `--name X` on the command line.
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self { $(Key::$variant => $name,)* }
            }

            /// How its value is written.
            #[must_use]
            pub const fn kind(self) -> Kind {
                match self { $(Key::$variant => Kind::$kind,)* }
            }

            /// Whether it may be given more than once (the values add up).
            #[must_use]
            pub const fn repeats(self) -> bool {
                match self { $(Key::$variant => $repeats,)* }
            }

            /// One line of help.
            #[must_use]
            pub const fn help(self) -> &'static str {
                match self { $(Key::$variant => $help,)* }
            }
        }
    };
}

keys! {
    /// The all-codes enum's name.
    Name = "name", TypeName, repeats: false, "name of the all-codes enum (default StatusCode)";
    /// The prefix of the other generated types.
    Prefix = "prefix", Prefix, repeats: false, "prefix of the other generated types (class enums, Classified, handler traits)";
    /// The generated items' visibility.
    Vis = "vis", Visibility, repeats: false, "visibility of the generated items (default pub)";
    /// An extra derive.
    Derive = "derive", Path, repeats: true, "an extra derive on every generated enum, e.g. arbitrary::Arbitrary";
    /// An extra attribute.
    Attribute = "attribute", Attribute, repeats: true, "an extra attribute (without #[...]) on every generated enum";
    /// Whether to emit the handler traits.
    Handlers = "handlers", Bool, repeats: false, "emit the handler traits and dispatch (default true)";
    /// Whether to implement serde's traits.
    Serde = "serde", Bool, repeats: false, "implement Serialize/Deserialize (needs sip-responses' serde feature; default false)";
    /// The runtime crate's path.
    Crate = "crate", Path, repeats: false, "path of the runtime crate in generated code (default ::sip_responses)";
}

impl Key {
    /// Whether `#[derive(SipResponses)]` takes the key in `#[sip(...)]`: the keys about what
    /// is generated; a user's enum has its own name, visibility, derives and attributes.
    #[must_use]
    pub const fn on_derive(self) -> bool {
        match self {
            Key::Handlers | Key::Serde | Key::Crate => true,
            Key::Name | Key::Prefix | Key::Vis | Key::Derive | Key::Attribute => false,
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Every option key, in the order help lists them.
pub const KEYS: &[Key] = Key::ALL;

/// The key named `name`, if there is one.
#[must_use]
pub fn key(name: &str) -> Option<Key> {
    KEYS.iter().copied().find(|k| k.name() == name)
}

/// The keys as a list for messages: `name, prefix, vis, ...`.
#[must_use]
pub fn key_list() -> String {
    KEYS.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")
}

/// One problem with the options: which key, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionError {
    /// The key the problem is about (`None`: a key that does not exist, named in `value`).
    pub key: Option<Key>,
    /// The offending value as given (empty when the problem is not one value's).
    pub value: String,
    /// What is wrong, naming the value.
    pub message: String,
}

impl fmt::Display for OptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.key {
            Some(key) => write!(f, "option `{key}`: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Every problem of a set of options (at least one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionErrors(pub Vec<OptionError>);

impl fmt::Display for OptionErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for OptionErrors {}

/// Options for [`crate::generate_spec`]; `Options::default()` gives the runtime crate's own
/// choices (`pub enum StatusCode`, handler traits on, no serde, `::sip_responses`).
#[derive(Clone, Debug)]
pub struct Options {
    name: String,
    prefix: String,
    vis: String,
    derives: Vec<String>,
    attributes: Vec<String>,
    handlers: bool,
    serde: bool,
    krate: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            name: "StatusCode".into(),
            prefix: String::new(),
            vis: "pub".into(),
            derives: Vec::new(),
            attributes: Vec::new(),
            handlers: true,
            serde: false,
            krate: "::sip_responses".into(),
        }
    }
}

impl Options {
    /// The name of the enum of all codes (default `StatusCode`).
    pub fn name(&mut self, name: &str) -> &mut Self {
        name.clone_into(&mut self.name);
        self
    }

    /// A prefix for every other generated type (`Sip` gives `SipProvisional`,
    /// `SipResponseHandler`, ...); default none.
    pub fn prefix(&mut self, prefix: &str) -> &mut Self {
        prefix.clone_into(&mut self.prefix);
        self
    }

    /// Visibility of the generated items, e.g. `pub(crate)` (default `pub`).
    pub fn vis(&mut self, vis: &str) -> &mut Self {
        vis.clone_into(&mut self.vis);
        self
    }

    /// An extra derive for every generated enum, e.g. `arbitrary::Arbitrary`. The enums
    /// already derive `Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord`.
    pub fn derive(&mut self, path: &str) -> &mut Self {
        self.derives.push(path.to_owned());
        self
    }

    /// An extra attribute (without `#[...]`) for every generated enum, e.g. `non_exhaustive`.
    pub fn attribute(&mut self, attribute: &str) -> &mut Self {
        self.attributes.push(attribute.to_owned());
        self
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

    /// The path generated code uses for the runtime crate (default `::sip_responses`), for
    /// a crate that renames or re-exports it (the key `crate`, like `#[serde(crate)]`).
    pub fn runtime_path(&mut self, path: &str) -> &mut Self {
        path.clone_into(&mut self.krate);
        self
    }

    /// Sets the option `key` from its text, as `include_spec!` and the CLI write it.
    ///
    /// # Errors
    /// An unknown key, or a boolean key whose value is not `true` or `false`. Every other
    /// value is checked by [`Options::validate`].
    pub fn set(&mut self, key: &str, value: &str) -> Result<&mut Self, OptionError> {
        let Some(k) = self::key(key) else {
            return Err(OptionError {
                key: None,
                value: key.to_owned(),
                message: format!("unknown option `{key}`; expected one of: {}", key_list()),
            });
        };
        let flag = || match value {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(OptionError {
                key: Some(k),
                value: value.to_owned(),
                message: format!("`{value}` is not `true` or `false`"),
            }),
        };
        Ok(match k {
            Key::Name => self.name(value),
            Key::Prefix => self.prefix(value),
            Key::Vis => self.vis(value),
            Key::Derive => self.derive(value),
            Key::Attribute => self.attribute(value),
            Key::Handlers => self.handlers(flag()?),
            Key::Serde => self.serde(flag()?),
            Key::Crate => self.runtime_path(value),
        })
    }

    /// The values given for `key`, as text; a boolean key has none (its setter takes a
    /// `bool`, so there is nothing to check).
    fn values(&self, key: Key) -> Vec<&str> {
        match key {
            Key::Name => vec![&self.name],
            Key::Prefix => vec![&self.prefix],
            Key::Vis => vec![&self.vis],
            Key::Derive => self.derives.iter().map(String::as_str).collect(),
            Key::Attribute => self.attributes.iter().map(String::as_str).collect(),
            Key::Handlers | Key::Serde => Vec::new(),
            Key::Crate => vec![&self.krate],
        }
    }

    /// Every problem with the options, each naming its key: a value that is not what its
    /// key takes, generated type names that are unusable or clash, and derives or
    /// attributes that would collide with what the generator emits (the enums derive
    /// `Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord` and are `#[repr(u16)]`).
    ///
    /// # Errors
    /// One [`OptionError`] per problem.
    pub fn validate(&self) -> Result<(), OptionErrors> {
        let mut problems = Vec::new();
        let problem = |key: Key, value: &str, message: String| OptionError {
            key: Some(key),
            value: value.to_owned(),
            message,
        };
        for &key in KEYS {
            // The type names are checked together below: a prefix and a name can clash.
            if matches!(key.kind(), Kind::TypeName | Kind::Prefix) {
                continue;
            }
            for text in self.values(key) {
                if let Err(message) = check(key.kind(), text) {
                    problems.push(problem(key, text, message));
                }
            }
        }
        for (part, message) in names::check_types(&self.name, &self.prefix) {
            let (key, value) = match part {
                names::TypePart::Prefix => (Key::Prefix, &self.prefix),
                names::TypePart::Name => (Key::Name, &self.name),
            };
            problems.push(problem(key, value, message));
        }
        for derive in &self.derives {
            let last = derive.rsplit("::").next().unwrap_or(derive).trim();
            if last == "Default" {
                problems.push(problem(Key::Derive, derive, format!("`{derive}`: an enum derives `Default` only with a `#[default]` variant, and no code is the default of a generated set")));
            } else if BUILT_IN_DERIVES.contains(&last) {
                problems.push(problem(
                    Key::Derive,
                    derive,
                    format!("`{derive}`: the generated enums already derive `{last}`"),
                ));
            } else if self.serde && matches!(last, "Serialize" | "Deserialize") {
                problems.push(problem(
                    Key::Derive,
                    derive,
                    format!("`{derive}`: the `serde` option already implements `{last}` (a code is a number)"),
                ));
            }
        }
        for attribute in &self.attributes {
            let head = attribute_head(attribute);
            let why = match head.as_str() {
                "repr" => "the generated enums are #[repr(u16)] (the code is the discriminant)",
                "derive" => "use the `derive` option, which checks for derives the enums already have",
                "cfg" | "cfg_attr" => "an attribute goes on the enums only, not on their impls, so a `cfg` would leave the impls without their type; put the `#[cfg]` on the `include_spec!` or `include!` (or the module around it)",
                _ => continue,
            };
            problems.push(problem(
                Key::Attribute,
                attribute,
                format!("`{attribute}`: {why}"),
            ));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(OptionErrors(problems))
        }
    }

    /// The options as tokens for the generator, after [`Options::validate`].
    pub(crate) fn resolve(&self) -> Result<GeneratorOptions, OptionErrors> {
        self.validate()?;
        // Validated values lex; an error here would be a bug in `check`, reported the same way.
        let lex = |key: Key, text: &str| {
            TokenStream::from_str(text).map_err(|e| {
                OptionErrors(vec![OptionError {
                    key: Some(key),
                    value: text.to_owned(),
                    message: format!("`{text}` is not valid Rust tokens: {e}"),
                }])
            })
        };
        Ok(GeneratorOptions {
            name: self.name.clone(),
            prefix: self.prefix.clone(),
            vis: lex(Key::Vis, &self.vis)?,
            derives: self
                .derives
                .iter()
                .map(|d| lex(Key::Derive, d))
                .collect::<Result<_, _>>()?,
            attributes: self
                .attributes
                .iter()
                .map(|a| lex(Key::Attribute, a))
                .collect::<Result<_, _>>()?,
            handlers: self.handlers,
            serde: self.serde,
            krate: lex(Key::Crate, &self.krate)?,
        })
    }
}

/// What the generated enums derive themselves.
const BUILT_IN_DERIVES: &[&str] = &[
    "Debug",
    "Clone",
    "Copy",
    "PartialEq",
    "Eq",
    "Hash",
    "PartialOrd",
    "Ord",
];

/// Whether `text` is a value of `kind`; the reason if not. The one rule per kind, used by
/// [`Options::validate`] and by `include_spec!` and `#[sip(crate = "...")]` to point at the
/// offending value.
///
/// # Errors
/// What is wrong with the value.
pub fn check(kind: Kind, text: &str) -> Result<(), String> {
    match kind {
        Kind::TypeName => names::check_type(text),
        Kind::Prefix if text.is_empty() => Ok(()),
        Kind::Prefix => names::check_ident(&format!("{text}Provisional")),
        Kind::Visibility => check_vis(text),
        Kind::Path => check_path(text),
        Kind::Attribute => check_attribute(text),
        Kind::Bool => match text {
            "true" | "false" => Ok(()),
            _ => Err(format!("`{text}` is not `true` or `false`")),
        },
    }
}

fn lex(text: &str) -> Result<Vec<TokenTree>, String> {
    TokenStream::from_str(text)
        .map(|t| t.into_iter().collect())
        .map_err(|e| format!("`{text}` is not valid Rust tokens: {e}"))
}

/// A path: `a::b`, `::a::b`; each segment an identifier (or `crate`, `self`, `super`).
fn check_path(text: &str) -> Result<(), String> {
    let not_a_path = || format!("`{text}` is not a path such as `serde::Serialize`");
    let tokens = lex(text)?;
    let mut expect_segment = true;
    let mut i = 0;
    if tokens.is_empty() {
        return Err(not_a_path());
    }
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Ident(_) if expect_segment => {
                expect_segment = false;
                i += 1;
            }
            TokenTree::Punct(p) if p.as_char() == ':' => match tokens.get(i + 1) {
                Some(TokenTree::Punct(q)) if q.as_char() == ':' && (i == 0 || !expect_segment) => {
                    expect_segment = true;
                    i += 2;
                }
                _ => return Err(not_a_path()),
            },
            _ => return Err(not_a_path()),
        }
    }
    if expect_segment {
        return Err(not_a_path());
    }
    Ok(())
}

/// `pub`, `pub(crate)`, `pub(self)`, `pub(super)`, `pub(in path)`, or empty (private).
fn check_vis(text: &str) -> Result<(), String> {
    let tokens = lex(text)?;
    let bad = || {
        format!("`{text}` is not a visibility: use pub, pub(crate), pub(super), pub(in path) or nothing")
    };
    match tokens.as_slice() {
        [] => Ok(()),
        [TokenTree::Ident(p)] if p == "pub" => Ok(()),
        [TokenTree::Ident(p), TokenTree::Group(g)]
            if p == "pub" && g.delimiter() == proc_macro2::Delimiter::Parenthesis =>
        {
            let inner: Vec<TokenTree> = g.stream().into_iter().collect();
            match inner.as_slice() {
                [TokenTree::Ident(w)] if w == "crate" || w == "self" || w == "super" => Ok(()),
                [TokenTree::Ident(w), rest @ ..] if w == "in" && !rest.is_empty() => {
                    check_path(&rest.iter().cloned().collect::<TokenStream>().to_string())
                        .map_err(|_| bad())
                }
                _ => Err(bad()),
            }
        }
        _ => Err(bad()),
    }
}

/// The content of an attribute: a path, then nothing, a delimited group, or `= tokens`.
fn check_attribute(text: &str) -> Result<(), String> {
    let tokens = lex(text)?;
    let bad = || {
        format!("`{text}` is not an attribute's content (a path, then `(...)` or `= value`), e.g. `non_exhaustive`")
    };
    let path_end = tokens
        .iter()
        .position(|t| match t {
            TokenTree::Ident(_) => false,
            TokenTree::Punct(p) => p.as_char() != ':',
            _ => true,
        })
        .unwrap_or(tokens.len());
    if path_end == 0 {
        return Err(bad());
    }
    let path: TokenStream = tokens[..path_end].iter().cloned().collect();
    check_path(&path.to_string()).map_err(|_| bad())?;
    match &tokens[path_end..] {
        [] | [TokenTree::Group(_)] => Ok(()),
        [TokenTree::Punct(eq), rest @ ..] if eq.as_char() == '=' && !rest.is_empty() => Ok(()),
        _ => Err(bad()),
    }
}

/// The attribute's name: `repr` for `repr(u8)`.
fn attribute_head(attribute: &str) -> String {
    attribute
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// Validated options as the generator's tokens.
#[derive(Clone, Debug)]
pub(crate) struct GeneratorOptions {
    pub(crate) name: String,
    pub(crate) prefix: String,
    pub(crate) vis: TokenStream,
    pub(crate) derives: Vec<TokenStream>,
    pub(crate) attributes: Vec<TokenStream>,
    pub(crate) handlers: bool,
    pub(crate) serde: bool,
    pub(crate) krate: TokenStream,
}

impl GeneratorOptions {
    pub(crate) fn ident(name: &str) -> Ident {
        Ident::new(name, Span::call_site())
    }

    pub(crate) fn prefixed(&self, name: &str) -> Ident {
        Ident::new(&format!("{}{name}", self.prefix), Span::call_site())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_rule_accepts_and_refuses() {
        for ok in ["pub", "pub(crate)", "pub(super)", "pub(in crate::a)", ""] {
            assert_eq!(check(Kind::Visibility, ok), Ok(()), "{ok}");
        }
        for bad in ["public", "pub(world)", "pub crate", "pub(in)"] {
            assert!(check(Kind::Visibility, bad).is_err(), "{bad}");
        }
        for ok in [
            "serde::Serialize",
            "::sip_responses",
            "crate::codes",
            "Arbitrary",
        ] {
            assert_eq!(check(Kind::Path, ok), Ok(()), "{ok}");
        }
        for bad in ["", "a::", "a b", "a::::b", "a()", "\"a\""] {
            assert!(check(Kind::Path, bad).is_err(), "{bad}");
        }
        for ok in [
            "non_exhaustive",
            "serde(rename_all = \"x\")",
            "doc = \"x\"",
            "a::b(c)",
        ] {
            assert_eq!(check(Kind::Attribute, ok), Ok(()), "{ok}");
        }
        for bad in ["", "]", "#[x]", "a b", "= x", "a(b) c"] {
            assert!(check(Kind::Attribute, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn validate_reports_every_problem_with_its_key() {
        let mut options = Options::default();
        options
            .name("lower")
            .vis("public")
            .derive("Clone")
            .derive("serde::Serialize")
            .serde(true)
            .attribute("repr(u8)")
            .runtime_path("not a path");
        let errors = options.validate().unwrap_err().0;
        let keys: Vec<&str> = errors.iter().filter_map(|e| e.key.map(Key::name)).collect();
        assert_eq!(
            keys,
            ["vis", "crate", "name", "derive", "derive", "attribute"],
            "{errors:?}"
        );
        assert!(
            errors[3].message.contains("already derive `Clone`"),
            "{errors:?}"
        );
        assert!(errors[4].message.contains("serde"), "{errors:?}");
        assert!(Options::default().validate().is_ok());
    }

    /// Values that parse but that rustc would refuse in the generated code (`Default` on an
    /// enum without a `#[default]` variant) or that would cut the enums off their impls (a
    /// `cfg` attribute), refused on every surface before rustc sees them.
    #[test]
    fn derives_and_attributes_the_enums_cannot_take_are_refused() {
        for derive in [
            "Default",
            "core::default::Default",
            "::std::default::Default",
        ] {
            let mut options = Options::default();
            options.derive(derive);
            let errors = options.validate().unwrap_err().0;
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert_eq!(
                (errors[0].key, errors[0].value.as_str()),
                (Some(Key::Derive), derive)
            );
            assert!(errors[0].message.contains("#[default]"), "{errors:?}");
        }
        for attribute in ["cfg(test)", "cfg_attr(test, non_exhaustive)"] {
            let mut options = Options::default();
            options.attribute(attribute);
            let errors = options.validate().unwrap_err().0;
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert_eq!(errors[0].key, Some(Key::Attribute));
            assert!(errors[0].message.contains("#[cfg]"), "{errors:?}");
        }
        let mut fine = Options::default();
        fine.derive("arbitrary::Arbitrary")
            .attribute("non_exhaustive");
        assert!(fine.validate().is_ok());
    }

    #[test]
    fn set_takes_every_key_of_the_table() {
        let mut options = Options::default();
        for &key in KEYS {
            let value = match key.kind() {
                Kind::TypeName | Kind::Prefix => "Sip",
                Kind::Visibility => "pub(crate)",
                Kind::Path if key == Key::Crate => "::renamed",
                Kind::Path => "arbitrary::Arbitrary",
                Kind::Attribute => "non_exhaustive",
                Kind::Bool => "false",
            };
            options.set(key.name(), value).unwrap();
        }
        assert!(options.set("nope", "x").is_err());
        assert!(options.set("serde", "yes").is_err());
        let resolved = options.resolve().unwrap();
        assert_eq!(resolved.name, "Sip");
        assert_eq!(resolved.krate.to_string(), ":: renamed");
        assert!(!resolved.handlers && !resolved.serde);
        assert_eq!(resolved.attributes.len(), 1);
    }
}
