//! The pipeline that produces a [`Spec`] (the model, [`crate::model`]):
//! [`load`](crate::load) (bounded file I/O, `extends`) -> [`walk`](crate::walk) (TOML, each
//! key once) -> [`resolve`](crate::resolve) (inheritance) -> [`valid`](crate::valid) (checks
//! across entries) -> [`Spec`]. No stage calls back into an earlier one, and none imports
//! from this module.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Error, Errors, SourceMap};
use crate::load::{self, Chain, Target};
use crate::model::Spec;

/// A location as a user reads it: one in the bundled IANA spec names that spec, since
/// `spec/iana.toml` is no file of the user's crate (`the bundled IANA spec
/// (sip-responses-codegen's spec/iana.toml:22:1)`).
pub(crate) fn shown(location: &str) -> String {
    match location.strip_prefix(crate::IANA_PATH) {
        Some(rest) if rest.starts_with(':') => {
            format!("the bundled IANA spec (sip-responses-codegen's {location})")
        }
        _ => location.to_owned(),
    }
}

impl Spec {
    /// Reads and validates the spec at `path`; errors name the path as given.
    ///
    /// # Errors
    /// The file cannot be read, or the spec is invalid (every problem, located).
    pub fn read(path: &Path) -> Result<Spec, Error> {
        Spec::read_named(path, &path.display().to_string())
    }

    /// Reads and validates the spec at `path`; errors name it `file` (e.g. the path as the
    /// user wrote it, where `path` is resolved against a manifest directory).
    ///
    /// # Errors
    /// The file cannot be read, or the spec is invalid (every problem, located).
    pub fn read_named(path: &Path, file: &str) -> Result<Spec, Error> {
        let loaded = load::read(path, file)?;
        build(
            file,
            &loaded.text,
            Some(path),
            &mut vec![(loaded.canonical, file.to_owned())],
        )
    }

    /// Parses and validates spec text; `file` names it in errors, and an `extends` path
    /// resolves against its directory.
    ///
    /// # Errors
    /// The spec is invalid (every problem, located), or a spec it extends cannot be read.
    pub fn parse(file: &str, text: &str) -> Result<Spec, Error> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        build(file, text, Some(Path::new(file)), &mut Chain::new())
    }
}

/// The pipeline for one file: walk it, build what it extends, resolve, check.
/// `chain` holds the files being read around it (for cycles); `path` is where it is.
fn build(file: &str, text: &str, path: Option<&Path>, chain: &mut Chain) -> Result<Spec, Error> {
    let map = SourceMap::new(file, text);
    let mut errors = Errors::default();
    let raw = crate::walk::read_tables(&map, text, &mut errors);
    let mut sources: Vec<PathBuf> = path
        .filter(|_| !chain.is_empty())
        .map(Path::to_owned)
        .into_iter()
        .collect();
    let base = match &raw.extends {
        None => None,
        Some(target) => match base(target, path, chain, &map) {
            Ok(base) => {
                sources.extend(base.sources.iter().cloned());
                Some(base)
            }
            Err(e) => {
                // The base's own problems, and nothing that follows from its absence.
                errors.extend(e);
                return Err(errors.finish().err().unwrap_or_else(|| {
                    Error::one(Diagnostic::file(file, "the spec it extends cannot be used"))
                }));
            }
        },
    };
    let extends_iana = raw
        .extends
        .as_ref()
        .is_some_and(|t| matches!(load::target(&t.value, path), Target::Iana))
        || base.as_ref().is_some_and(|b| b.extends_iana);
    let resolved = crate::resolve::resolve(raw, base.as_ref(), &map, &mut errors);
    crate::valid::check(&resolved, &map, &mut errors);
    errors.finish()?;
    Ok(Spec {
        file: file.to_owned(),
        name: resolved.name,
        description: resolved.description,
        flags: resolved.flags,
        responses: resolved.entries.into_iter().map(|e| e.response).collect(),
        extends: resolved.extends,
        extends_iana,
        sources,
        q850: resolved.q850,
        q850_default: resolved.q850_default,
    })
}

/// The spec `extends` names, built; problems are located at the `extends` value.
fn base(
    target: &crate::walk::Located,
    from: Option<&Path>,
    chain: &mut Chain,
    map: &SourceMap<'_>,
) -> Result<Spec, Error> {
    let at = |message: String| Error::one(map.at(target.span.clone(), message));
    let path = match load::target(&target.value, from) {
        Target::Iana => return Ok(Spec::iana()),
        Target::File(path) => path,
    };
    if chain.len() >= load::MAX_DEPTH {
        return Err(at(format!(
            "`extends` nests deeper than {} specs",
            load::MAX_DEPTH
        )));
    }
    // Named the way the user named the extending file, so messages read as typed.
    let name = Path::new(map.file())
        .parent()
        .unwrap_or(Path::new(""))
        .join(&target.value)
        .display()
        .to_string();
    let loaded = load::read(&path, &name).map_err(|e| match e.diagnostics() {
        [d] if d.is_whole_file() => at(format!(
            "the spec `{}` that this spec extends cannot be used: {}",
            target.value, d.message
        )),
        _ => e,
    })?;
    if let Some(cycle) = load::cycle(chain, &loaded.canonical, &name) {
        return Err(at(cycle));
    }
    chain.push((loaded.canonical.clone(), name.clone()));
    let built = build(&name, &loaded.text, Some(&path), chain);
    chain.pop();
    built.map_err(|e| {
        e.note_first(format!(
            "`{name}` is the spec that {} extends",
            map.location(target.span.start)
        ))
    })
}
