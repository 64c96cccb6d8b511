//! Code generation: one function per generated item family, over a [`Set`] of variants.
//!
//! A spec expands to `spec_items` (behind [`crate::generate_spec`]): the all-codes enum, one enum per class, `Classified`,
//! conversions and handler traits. A derive expands to [`set_impls`] on the user's enum.
//! Both use the same functions, so the two paths cannot drift apart.

use std::fmt::Write as _;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::{Response, Spec};
use crate::names;
use crate::options::GeneratorOptions;
use crate::rfc::{self, CLASSES};

/// A set of response codes as a Rust enum: the type and one variant per code.
pub struct Set<'a> {
    /// The enum's name.
    pub ty: Ident,
    /// Each variant with its spec entry, in ascending code order.
    pub variants: Vec<(Ident, &'a Response)>,
    /// How the enum's methods take it: by value where the generator defines it, by
    /// reference where it is a user's.
    pub receiver: Receiver,
    /// The class digits (1..=6) the set stands for, ascending: all six for an all-codes enum
    /// or a derived enum without `#[sip(class = "...")]`, one for a class enum. Its
    /// `dispatch_code` gives a code of another class `CodeError::OtherClass`.
    pub classes: Vec<u16>,
}

/// How a set's methods take the enum, the one thing in which the runtime's `__codes!` treats
/// a generated enum and a user's derived enum apart: `self: Self` or `self: &Self`, passed as
/// `[Self]` or `[&Self]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receiver {
    /// `Self`: a generated enum, `Copy`, `#[repr(u16)]` with the codes as discriminants.
    Value,
    /// `&Self`: a user's enum under the derive, maybe not `Copy`; nothing in the expansion
    /// copies a value.
    Ref,
}

impl quote::ToTokens for Receiver {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(match self {
            Receiver::Value => quote!([Self]),
            Receiver::Ref => quote!([&Self]),
        });
    }
}

impl<'a> Set<'a> {
    /// The set of `responses` under `ty`, with the spec's variant names.
    pub fn new(ty: Ident, responses: impl IntoIterator<Item = &'a Response>) -> Self {
        let variants = responses
            .into_iter()
            .map(|r| (Ident::new(&r.ident, Span::call_site()), r))
            .collect();
        Set {
            ty,
            variants,
            receiver: Receiver::Value,
            classes: CLASSES.iter().map(|c| c.digit).collect(),
        }
    }

    /// The set of `responses` of the class `digit` under `ty` (a class enum).
    fn of_class(ty: Ident, digit: u16, responses: impl IntoIterator<Item = &'a Response>) -> Self {
        Set {
            classes: vec![digit],
            ..Set::new(ty, responses)
        }
    }

    /// The classes the set stands for whose RFC 3261 8.1.3.2 target (183, or the x00) it
    /// lacks, each with the handler method its other codes reach: `on_other_client_error`.
    pub fn unmapped_classes(&self) -> impl Iterator<Item = (&'static rfc::Class, Ident)> + '_ {
        CLASSES
            .iter()
            .filter(|c| {
                self.classes.contains(&c.digit) && self.find(rfc::class_fallback(c.digit)).is_none()
            })
            .map(|c| (c, format_ident!("{}", names::other_method(c))))
    }

    /// What `__codes!`'s `handler [...]` says beside the trait's name: the `other` methods
    /// of [`Self::unmapped_classes`] and the classes `outside` the set, each left out when
    /// empty (so a set with every target and every class passes nothing).
    fn unmapped_tokens(&self) -> TokenStream {
        let mut out = TokenStream::new();
        let other: Vec<TokenStream> = self
            .unmapped_classes()
            .map(|(c, method)| {
                let digit = proc_macro2::Literal::u16_unsuffixed(c.digit);
                quote!(#digit #method)
            })
            .collect();
        if !other.is_empty() {
            out.extend(quote!(other [#(#other)*]));
        }
        // As one pattern, each run of classes a range (`2..=6`, not `2 | 3 | 4 | 5 | 6`,
        // which clippy's `manual_range_patterns` asks of the caller's crate).
        let mut runs: Vec<(u16, u16)> = Vec::new();
        for c in CLASSES.iter().filter(|c| !self.classes.contains(&c.digit)) {
            match runs.last_mut() {
                Some((_, last)) if *last + 1 == c.digit => *last = c.digit,
                _ => runs.push((c.digit, c.digit)),
            }
        }
        let outside = runs.iter().map(|&(first, last)| {
            let (one, first) = (first == last, proc_macro2::Literal::u16_unsuffixed(first));
            let last = proc_macro2::Literal::u16_unsuffixed(last);
            if one {
                quote!(#first)
            } else {
                quote!(#first..=#last)
            }
        });
        if !runs.is_empty() {
            out.extend(quote!(outside [#(#outside)|*]));
        }
        out
    }

    /// Whether the set has a code of the class `digit`.
    fn has_class(&self, digit: u16) -> bool {
        self.variants.iter().any(|(_, r)| r.class_digit() == digit)
    }

    fn find(&self, code: u16) -> Option<&Ident> {
        self.variants
            .iter()
            .find(|(_, r)| r.code == code)
            .map(|(v, _)| v)
    }
}

/// Everything a spec generates, for `include_spec!`, build scripts and the CLI.
pub(crate) fn spec_items(spec: &Spec, options: &GeneratorOptions) -> TokenStream {
    let krate = &options.krate;
    let vis = &options.vis;
    let all = Set::new(GeneratorOptions::ident(&options.name), &spec.responses);
    let classes: Vec<(u16, &str, Set<'_>)> = CLASSES
        .iter()
        .filter(|c| spec.class(c.digit).next().is_some())
        .map(|c| {
            (
                c.digit,
                c.name,
                Set::of_class(options.prefixed(c.name), c.digit, spec.class(c.digit)),
            )
        })
        .collect();
    let classified = options.prefixed("Classified");
    let response_handler = options.prefixed("ResponseHandler");
    let provisional_handler = options.prefixed("ProvisionalHandler");
    let handlers = options.handlers;

    let mut out = TokenStream::new();
    let spec_doc = format!(
        "Every response code of the spec {} ({} codes), generated by sip-responses.",
        names::doc_text(&spec.name),
        spec.responses.len()
    );
    out.extend(enum_def(&all, &spec_doc, options, None));
    out.extend(http_names(&all, krate));
    out.extend(rows(
        &all,
        spec,
        krate,
        handlers.then_some(&response_handler),
        None,
    ));
    if handlers {
        out.extend(handler_trait(&all, &response_handler, vis, krate));
    }
    for (digit, _, set) in &classes {
        let doc = CLASSES[usize::from(*digit) - 1].doc;
        out.extend(enum_def(set, doc, options, Some(&all.ty)));
        let handler = (handlers && *digit == 1).then_some(&provisional_handler);
        let class = format_ident!("{}", CLASSES[usize::from(*digit) - 1].name);
        out.extend(rows(set, spec, krate, handler, Some((&class, &all.ty))));
        if let Some(handler) = handler {
            out.extend(handler_trait(set, handler, vis, krate));
        }
    }
    out.extend(classify(&all, &classes, &classified, vis));
    if spec.extends.is_some() && spec.extends_iana {
        out.extend(iana_conversions(&all, krate));
    }
    if options.serde {
        let types = std::iter::once(&all.ty).chain(classes.iter().map(|(_, _, set)| &set.ty));
        out.extend(quote!(#krate::__impl_serde!(#(#types),*);));
    }
    out
}

/// The impls a derive puts on a user's enum: inherent items and trait impls, the handler
/// trait `<Enum>Handler` (with `vis`) unless `handlers` is off, and serde's traits with
/// `serde`. Of `options`, the derive sets only the keys `Key::on_derive` names.
///
/// # Errors
/// Every problem of the options ([`Options::validate`](crate::Options::validate)).
pub fn set_impls(
    set: &Set<'_>,
    spec: &Spec,
    options: &crate::Options,
    vis: &TokenStream,
) -> Result<TokenStream, crate::OptionErrors> {
    let options = options.resolve()?;
    let krate = &options.krate;
    let handler = format_ident!("{}Handler", set.ty);
    let mut out = rows(set, spec, krate, options.handlers.then_some(&handler), None);
    if options.handlers {
        out.extend(handler_trait(set, &handler, vis, krate));
    }
    if options.serde {
        let ty = &set.ty;
        out.extend(quote!(#krate::__impl_serde!(#ty);));
    }
    if spec.extends_iana || std::ptr::eq(spec, Spec::iana_ref()) {
        out.extend(iana_conversions(set, krate));
    }
    Ok(out)
}

/// The http-style constants of the all-codes enum (`StatusCode::OK`, `BUSY_HERE`), one row
/// per code for the runtime's `__http_names!`.
fn http_names(set: &Set<'_>, krate: &TokenStream) -> TokenStream {
    let ty = &set.ty;
    let rows = set.variants.iter().filter_map(|(v, r)| {
        let name = format_ident!("{}", names::http_const(&v.to_string())?);
        let code = proc_macro2::Literal::u16_unsuffixed(r.code);
        Some(quote!(#name #v #code;))
    });
    quote! {
        /// The codes by their http-style names, as `http::StatusCode` and rsip write them.
        impl #ty {
            #krate::__http_names! { #(#rows)* }
        }
    }
}

/// `From`/`TryFrom` both ways between a set built on the IANA registry and `StatusCode`,
/// by code: `From` where every code of one side is in the other, `TryFrom` otherwise;
/// nothing when the two share no code.
fn iana_conversions(set: &Set<'_>, krate: &TokenStream) -> TokenStream {
    let iana = Spec::iana_ref();
    let pairs: Vec<(&Ident, Ident)> = set
        .variants
        .iter()
        .filter_map(|(v, r)| {
            let theirs = iana.get(r.code)?;
            Some((v, Ident::new(&theirs.ident, Span::call_site())))
        })
        .collect();
    if pairs.is_empty() {
        return TokenStream::new();
    }
    let into = if pairs.len() == set.variants.len() {
        quote!(total)
    } else {
        quote!(partial)
    };
    let from = if pairs.len() == iana.responses.len() {
        quote!(total)
    } else {
        quote!(partial)
    };
    let ty = &set.ty;
    let pairs = pairs.iter().map(|(v, i)| quote!(#v #i));
    quote!(#krate::__iana_conversions!(#ty; into #into; from #from; [#(#pairs)*]);)
}

/// `#[doc]` attributes for `text`, one per line, each line led by a space as `///` would.
/// Text from a spec goes through [`names::doc_text`] first (see [`variant_doc`]).
fn doc_attr(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote!(#(#[doc = #lines])*)
}

/// The doc of a code's variant; every piece of spec text in it is made safe by
/// [`names::doc_text`] (the reason's grammar already excludes backticks).
fn variant_doc(r: &Response) -> String {
    let mut doc = format!(
        "`{} {}` ({})\n\n{}",
        r.code,
        names::doc_text(&r.reason),
        names::doc_text(&r.reference),
        names::doc_text(&r.description)
    );
    if !r.flags.is_empty() {
        let _ = write!(doc, "\n\nFlags: {}.", r.flags.join(", "));
    }
    if !r.header_requirements.is_empty() {
        let carries: Vec<String> = r
            .header_requirements
            .iter()
            .map(crate::HeaderRequirement::describe)
            .collect();
        let _ = write!(
            doc,
            "\n\nHeader fields: {}.",
            names::doc_text(&carries.join("; "))
        );
    }
    doc
}

/// The enum of a set. A class enum's variants point at the all-codes enum (`parent`) for
/// their description instead of repeating it.
fn enum_def(
    set: &Set<'_>,
    doc: &str,
    options: &GeneratorOptions,
    parent: Option<&Ident>,
) -> TokenStream {
    let doc = doc_attr(doc);
    let Set { ty, variants, .. } = set;
    let vis = &options.vis;
    let derives = &options.derives;
    let attributes = &options.attributes;
    let variants = variants.iter().map(|(v, r)| {
        let doc = doc_attr(&match parent {
            Some(parent) => format!(
                "`{} {}`: see [`{parent}::{v}`].",
                r.code,
                names::doc_text(&r.reason)
            ),
            None => variant_doc(r),
        });
        let code = proc_macro2::Literal::u16_unsuffixed(r.code);
        quote!(#doc #v = #code,)
    });
    quote! {
        #doc
        #[derive(
            ::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy,
            ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash,
            ::core::cmp::PartialOrd, ::core::cmp::Ord #(, #derives)*
        )]
        #(#[#attributes])*
        #[allow(clippy::doc_markdown)] // spec prose is not Rust
        #[repr(u16)]
        #vis enum #ty { #(#variants)* }
    }
}

/// The inherent items and trait impls of a set (the all-codes enum, a class enum, a user's
/// enum): the spec as rows of the runtime's `__codes!` macro, which owns every method, table
/// and trait impl. A class enum passes its class and the all-codes enum (`class`), and has no
/// `from_q850`.
fn rows(
    set: &Set<'_>,
    spec: &Spec,
    krate: &TokenStream,
    handler: Option<&Ident>,
    class: Option<(&Ident, &Ident)>,
) -> TokenStream {
    let ty = &set.ty;
    let receiver = set.receiver;
    let flags = spec.flags.iter().map(|flag| {
        let predicate = format_ident!("{}", names::flag_predicate(&flag.name));
        let name = &flag.name;
        let meaning = names::doc_text(&flag.meaning);
        let with = set
            .variants
            .iter()
            .filter(|(_, r)| r.has_flag(&flag.name))
            .map(|(v, _)| v);
        quote!(#predicate #name #meaning [#(#with)*];)
    });
    let target = |code: Option<u16>| {
        let v = code.and_then(|c| set.find(c));
        quote!([#v])
    };
    // One arm per response (`1 | 2 | 3 => ...`); causes that map to the default need none.
    let mut groups: Vec<(Option<u16>, Vec<proc_macro2::Literal>)> = Vec::new();
    for (cause, code) in spec.q850.iter().filter(|(_, c)| *c != spec.q850_default) {
        let cause = proc_macro2::Literal::u8_unsuffixed(*cause);
        match groups.iter_mut().find(|(c, _)| c == code) {
            Some((_, causes)) => causes.push(cause),
            None => groups.push((*code, vec![cause])),
        }
    }
    let q850 = groups.iter().map(|(code, causes)| {
        let target = target(*code);
        quote!(#(#causes)|* => #target;)
    });
    let default = target(spec.q850_default);
    let (class, from_q850) = match class {
        Some((class, parent)) => (quote!(class #class of #parent;), TokenStream::new()),
        None => (
            TokenStream::new(),
            quote!(from_q850 [#(#q850)*] _ => #default;),
        ),
    };
    let rows = set.variants.iter().enumerate().map(|(pos, (v, r))| {
        let pos = proc_macro2::Literal::usize_unsuffixed(pos);
        let code = proc_macro2::Literal::u16_unsuffixed(r.code);
        let (reason, reference) = (&r.reason, &r.reference);
        let (flags, headers) = (&r.flags, &r.headers);
        let requirements = r.header_requirements.iter().map(|h| {
            let level = if h.should {
                quote!(should)
            } else {
                quote!(must)
            };
            let one_of = &h.one_of;
            quote!(#level [#(#one_of),*])
        });
        let cause = r.q850.map(proc_macro2::Literal::u8_unsuffixed);
        let method = format_ident!("{}", names::handler_method(&v.to_string()));
        quote!(#pos #code #v #reason #reference [#(#flags),*] [#(#headers),*] [#(#requirements)*] [#cause] #method;)
    });
    let handler = handler.map_or_else(TokenStream::new, |h| {
        let unmapped = set.unmapped_tokens();
        quote!(#h #unmapped)
    });
    quote! {
        #krate::__codes! {
            #ty #receiver;
            #class
            handler [#handler];
            flags [#(#flags)*]
            #from_q850
            rows [#(#rows)*]
        }
    }
}

/// A method per code, and one per class whose RFC 3261 8.1.3.2 target (183, or the x00) the
/// set lacks: `on_other_client_error(code, ctx)`, which receives the code that arrived.
/// Required: every 1xx, every code marked `handling = "required"`, each x00 in the set, any
/// final code whose class has no x00 in the set, and each `on_other_*`; the rest default to
/// their class's x00 method (RFC 3261, Section 8.1.3.2).
fn handler_trait(
    set: &Set<'_>,
    name: &Ident,
    vis: &TokenStream,
    krate: &TokenStream,
) -> TokenStream {
    let ty = &set.ty;
    let methods = set.variants.iter().map(|(v, r)| {
        let method = format_ident!("{}", names::handler_method(&v.to_string()));
        let x00 = r.class_digit() * 100;
        let fallback = set
            .find(x00)
            .filter(|_| !rfc::handler_required(r.code, r.required, set.find(x00).is_some()));
        if let Some(f) = fallback {
            let target = format_ident!("{}", names::handler_method(&f.to_string()));
            let doc = doc_attr(&format!(
                "Handles `{} {}`; by default as `{x00}`, as RFC 3261 Section 8.1.3.2 says.",
                r.code,
                names::doc_text(&r.reason)
            ));
            quote!(#doc fn #method(&mut self, ctx: Ctx) -> Self::Output { self.#target(ctx) })
        } else {
            let doc = doc_attr(&format!(
                "Handles `{} {}` (required).",
                r.code,
                names::doc_text(&r.reason)
            ));
            quote!(#doc fn #method(&mut self, ctx: Ctx) -> Self::Output;)
        }
    });
    let others = set.unmapped_classes().map(|(c, method)| {
        let (d, target) = (c.digit, rfc::class_fallback(c.digit));
        let doc = doc_attr(&if set.has_class(d) {
            format!(
                "Handles a {d}xx code [`{ty}`] does not have, given the code that arrived \
                 (required): RFC 3261 Section 8.1.3.2 treats an unknown {d}xx code as `{target}`, \
                 which [`{ty}`] lacks too."
            )
        } else {
            format!(
                "Handles every {d}xx code, given the code that arrived (required): [`{ty}`] has \
                 no {d}xx code, not even `{target}`, which RFC 3261 Section 8.1.3.2 treats an \
                 unknown {d}xx code as."
            )
        });
        quote!(#doc fn #method(&mut self, code: #krate::RawCode, ctx: Ctx) -> Self::Output;)
    });
    let doc = handler_trait_doc(set);
    quote! {
        #doc
        #[allow(clippy::doc_markdown)]
        #vis trait #name<Ctx> {
            /// What every method returns.
            type Output;
            #(#methods)*
            #(#others)*
        }
    }
}

/// The doc of a set's handler trait: which methods are required, and which method a code
/// from the wire reaches, class by class.
fn handler_trait_doc(set: &Set<'_>) -> TokenStream {
    let ty = &set.ty;
    let others = set.unmapped_classes().next().is_some();
    let mut routes = String::new();
    for c in CLASSES.iter().filter(|c| set.classes.contains(&c.digit)) {
        let d = c.digit;
        let target = rfc::class_fallback(d);
        let _ = match set.find(target) {
            Some(v) => writeln!(
                routes,
                "- {d}xx: a code of the set reaches its own method, any other `{}` ({target}).",
                names::handler_method(&v.to_string())
            ),
            None if set.has_class(d) => writeln!(
                routes,
                "- {d}xx: a code of the set reaches its own method, any other `{}` with the \
                 code (the set lacks {target}).",
                names::other_method(c)
            ),
            None => writeln!(
                routes,
                "- {d}xx: every code reaches `{}` with the code (the set has no {d}xx code).",
                names::other_method(c)
            ),
        };
    }
    let outside: Vec<String> = CLASSES
        .iter()
        .filter(|c| !set.classes.contains(&c.digit))
        .map(|c| format!("{}xx", c.digit))
        .collect();
    let (reach, outside) = if outside.is_empty() {
        ("every code in 100..=699".to_owned(), String::new())
    } else {
        (
            format!(
                "every code of its class{}",
                if set.classes.len() == 1 { "" } else { "es" }
            ),
            format!(
                "A code of another class ({}) is `Err(CodeError::OtherClass(code))`: no method \
                 of this trait stands for it. ",
                outside.join(", ")
            ),
        )
    };
    let given = if others {
        "; an `on_other_*` method is given it"
    } else {
        ""
    };
    doc_attr(&format!(
        "Handles every code of [`{ty}`], one method each.\n\n\
         `Ctx` (e.g. the response, or the code that arrived with it) is passed through \
         untouched. {which}\n\n\
         Codes from the wire go through [`{ty}::dispatch_code`], which applies RFC 3261 \
         Section 8.1.3.2 and reaches a method for {reach}:\n\n\
         {routes}\n\
         {outside}A code outside 100..=699 is `Err(CodeError::OutOfRange(code))`. A value \
         already typed goes through [`{ty}::dispatch`]. A method reached through the fallback \
         does not see the code that arrived unless `Ctx` carries it (pass `(code, response)` \
         when it matters){given}.",
        which = required_doc(set),
    ))
}

/// Which methods of a set's handler trait are required, of the kinds the set has.
fn required_doc(set: &Set<'_>) -> String {
    let all_required = set.variants.iter().all(|(_, r)| {
        let has_x00 = set.find(r.class_digit() * 100).is_some();
        rfc::handler_required(r.code, r.required, has_x00)
    });
    if all_required {
        return "Every method is required: a handler that leaves out a case does not compile."
            .to_owned();
    }
    let any = |f: &dyn Fn(&Response) -> bool| set.variants.iter().any(|(_, r)| f(r));
    let mut required: Vec<String> = Vec::new();
    if set.has_class(1) {
        required.push("every 1xx".to_owned());
    }
    if any(&|r| r.code >= 200 && r.code % 100 == 0) {
        required.push("each x00".to_owned());
    }
    if any(&|r| r.code >= 200 && set.find(r.class_digit() * 100).is_none()) {
        required.push("each final code whose x00 the set lacks".to_owned());
    }
    if any(&|r| r.required) {
        required.push("the codes the spec marks `handling = \"required\"`".to_owned());
    }
    required.extend(set.unmapped_classes().map(|(_, m)| format!("`{m}`")));
    let required = match required.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    };
    format!(
        "Implement the required methods ({required}); every other method falls back to its \
         class's x00 method, as RFC 3261 Section 8.1.3.2 treats an unknown final code."
    )
}

fn classify(
    all: &Set<'_>,
    classes: &[(u16, &str, Set<'_>)],
    classified: &Ident,
    vis: &TokenStream,
) -> TokenStream {
    let all_ty = &all.ty;
    let variants = classes.iter().map(|(digit, name, set)| {
        let name = format_ident!("{name}");
        let ty = &set.ty;
        let doc = doc_attr(&format!("A {digit}xx code."));
        quote!(#doc #name(#ty),)
    });
    let arms = classes.iter().flat_map(|(_, name, set)| {
        let name = format_ident!("{name}");
        let ty = &set.ty;
        set.variants
            .iter()
            .map(move |(v, _)| quote!(Self::#v => #classified::#name(#ty::#v),))
    });
    let doc = doc_attr(&format!("A [`{all_ty}`] split by class: `match code.classify()` by class, then each class exhaustively."));
    quote! {
        #doc
        #[derive(
            ::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy,
            ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash
        )]
        #vis enum #classified { #(#variants)* }

        impl #all_ty {
            /// Splits the code by class, carrying the class enum.
            #[must_use]
            #[allow(clippy::too_many_lines)]
            pub const fn classify(self) -> #classified {
                match self { #(#arms)* }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Options;

    /// The name registry knows every associated function and constant generated on an enum,
    /// so that a variant can never shadow one.
    #[test]
    fn the_registry_lists_every_generated_item() {
        let code = crate::generate_spec(Spec::iana_ref(), &Options::default())
            .unwrap()
            .to_string();
        let flags: Vec<String> = Spec::iana_ref()
            .flags
            .iter()
            .map(|f| names::flag_predicate(&f.name))
            .collect();
        let consts = code.split("pub const fn ").skip(1);
        for piece in consts.chain(code.split("pub fn ").skip(1)) {
            let name = piece.split([' ', '(', '<']).next().unwrap();
            assert!(
                names::ASSOCIATED.contains(&name) || flags.iter().any(|f| f == name),
                "`{name}` is generated but not in names::ASSOCIATED"
            );
        }
        assert!(
            code.contains("pub const fn classify"),
            "the scan sees what it checks"
        );
    }

    #[test]
    fn options_reach_the_generated_items() {
        let mut options = Options::default();
        options
            .name("Sip")
            .prefix("Sip")
            .vis("pub(crate)")
            .derive("serde::Serialize")
            .handlers(false);
        let code = crate::generate_spec(Spec::iana_ref(), &options)
            .unwrap()
            .to_string();
        assert!(code.contains("pub (crate) enum Sip {"), "{code}");
        assert!(code.contains("pub (crate) enum SipProvisional {"), "{code}");
        assert!(code.contains("Ord , serde :: Serialize)]"), "{code}");
        assert!(
            !code.contains("Handler"),
            "handlers(false) emits no handler trait"
        );
        assert!(!code.contains("__impl_serde"), "serde is off by default");
        options.serde(true);
        let code = crate::generate_spec(Spec::iana_ref(), &options);
        assert!(code.is_err(), "serde on with a serde derive is refused");
        let mut options = Options::default();
        options.name("Sip").prefix("Sip").serde(true);
        let code = crate::generate_spec(Spec::iana_ref(), &options)
            .unwrap()
            .to_string();
        assert!(
            code.contains(":: sip_responses :: __impl_serde ! (Sip , SipProvisional , SipSuccess"),
            "{code}"
        );
    }
}
