//! Sentences for people — error messages and layer labels — as data: a template key with named
//! arguments. The CLI prints the English (`Display`); the page receives the key and the
//! arguments and writes the sentence in the reader's language from its own string table (English
//! from `all()`, the other languages translated there). So the core never formats a sentence
//! the page cannot translate, and the English lives in one place.
//!
//! Templates are declared next to the errors that use them, with the `templates!` macro, and
//! listed once in `crate::messages::all()` — above every module it lists, so this one stays a
//! leaf that every module may use; `tests/i18n.test.mjs` fails when a template lacks a translation.

use std::fmt;

/// One sentence pattern: `key` names it for the page, `en` is its English with `{name}`
/// placeholders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Template {
    pub key: &'static str,
    pub en: &'static str,
}

/// A value put into a template: text already written (a number, a shape, a name, or a reason
/// given by another library), or another sentence to write in the same language.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    Text(String),
    Message(Message),
}

/// A sentence: a template and its arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub template: Template,
    pub args: Vec<(&'static str, Arg)>,
}

impl Message {
    pub fn new(template: Template) -> Self {
        Message { template, args: Vec::new() }
    }

    /// Adds `{name}`, written as `value` displays. Panics (a programmer error) when the template
    /// has no such placeholder.
    pub fn with(self, name: &'static str, value: impl fmt::Display) -> Self {
        self.arg(name, Arg::Text(value.to_string()))
    }

    /// Adds `{name}` as a nested sentence, written in the reader's language too.
    pub fn nested(self, name: &'static str, message: Message) -> Self {
        self.arg(name, Arg::Message(message))
    }

    fn arg(mut self, name: &'static str, value: Arg) -> Self {
        assert!(placeholders(self.template.en).any(|p| p == name), "template {} has no placeholder {{{name}}}", self.template.key);
        self.args.push((name, value));
        self
    }

    pub fn key(&self) -> &'static str {
        self.template.key
    }

    /// Every placeholder has its argument, nested sentences included (for tests: the page's
    /// tests/i18n.test.mjs renders every gallery row and checks none is left unfilled).
    pub fn is_complete(&self) -> bool {
        placeholders(self.template.en).all(|p| self.args.iter().any(|(n, _)| *n == p))
            && self.args.iter().all(|(_, a)| !matches!(a, Arg::Message(m) if !m.is_complete()))
    }
}

/// Compares the English, for tests: `assert_eq!(layer.label(), "ReLU")`.
impl PartialEq<&str> for Message {
    fn eq(&self, other: &&str) -> bool {
        self.to_string() == *other
    }
}

/// A sentence given as it is, for unit tests that build trees with labels of their own (the core
/// itself writes every sentence from a template).
#[cfg(test)]
const AS_GIVEN: Template = Template { key: "test.asGiven", en: "{detail}" };

#[cfg(test)]
impl From<&str> for Message {
    fn from(s: &str) -> Self {
        Message::new(AS_GIVEN).with("detail", s)
    }
}

impl From<Template> for Message {
    fn from(template: Template) -> Self {
        Message::new(template)
    }
}

/// The `{name}`s of a template, in order.
pub fn placeholders(template: &str) -> impl Iterator<Item = &str> {
    template.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
}

impl fmt::Display for Message {
    /// The English sentence.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.template.en;
        while let Some(open) = rest.find('{') {
            f.write_str(&rest[..open])?;
            let Some(close) = rest[open..].find('}') else { break };
            let name = &rest[open + 1..open + close];
            match self.args.iter().find(|(n, _)| *n == name) {
                Some((_, Arg::Text(s))) => f.write_str(s)?,
                Some((_, Arg::Message(m))) => write!(f, "{m}")?,
                None => f.write_str(&rest[open..=open + close])?,
            }
            rest = &rest[open + close + 1..];
        }
        f.write_str(rest)
    }
}

thread_local! {
    /// Whether sentences serialise as data for the page, see `as_data`.
    static AS_DATA: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Run `f` (a serialisation for the page) with every `Message` in it serialised as data,
/// `{ key, args, en }`, each argument a string or a nested sentence: the page writes it in the
/// reader's language (`en` is its English). Everywhere else — the CLI's `--json` tables — a
/// sentence is its English.
pub fn as_data<T>(f: impl FnOnce() -> T) -> T {
    /// Puts the flag back even if `f` panics.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            AS_DATA.with(|a| a.set(self.0));
        }
    }
    let _restore = Restore(AS_DATA.with(|a| a.replace(true)));
    f()
}

impl serde::Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        if !AS_DATA.with(|a| a.get()) {
            return serializer.collect_str(self);
        }
        struct Args<'a>(&'a [(&'static str, Arg)]);
        impl serde::Serialize for Args<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(self.0.len()))?;
                for (name, arg) in self.0 {
                    match arg {
                        Arg::Text(s) => map.serialize_entry(name, s)?,
                        Arg::Message(m) => map.serialize_entry(name, m)?,
                    }
                }
                map.end()
            }
        }
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("key", self.key())?;
        map.serialize_entry("args", &Args(&self.args))?;
        // The English too, as the CLI writes it: what a log shows, and what the page's own
        // rendering of key and args is checked against.
        map.serialize_entry("en", &self.to_string())?;
        map.end()
    }
}

/// Anything that can say what it is as a `Message`: errors a person can cause, layer labels.
pub trait Explain {
    fn message(&self) -> Message;
}

impl Explain for Message {
    fn message(&self) -> Message {
        self.clone()
    }
}

/// Declares a module's templates as constants and lists them in `TEMPLATES`:
///
/// ```text
/// templates! {
///     TRUNCATED = "file.truncated": "the file is truncated: it has {len} bytes but needs {needed}";
/// }
/// ```
#[macro_export]
macro_rules! templates {
    ($($name:ident = $key:literal : $en:expr;)*) => {
        $(pub const $name: $crate::message::Template = $crate::message::Template { key: $key, en: $en };)*
        /// Every template this module declares.
        pub const TEMPLATES: &[$crate::message::Template] = &[$($name),*];
    };
}

/// Implements `Display` (the English) and `std::error::Error` for an error type through its
/// `Explain`, so the CLI and the page say the same thing.
#[macro_export]
macro_rules! explained_error {
    ($ty:ty) => {
        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&$crate::message::Explain::message(self), f)
            }
        }
        impl ::std::error::Error for $ty {}
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    const GREETING: Template = Template { key: "test.greeting", en: "{who} has {n} layers: {inner}" };
    const INNER: Template = Template { key: "test.inner", en: "Conv2d {c}" };

    #[test]
    fn english_fills_placeholders_and_nests() {
        let m = Message::new(GREETING).with("who", "LeNet").with("n", 7).nested("inner", Message::new(INNER).with("c", 6));
        assert_eq!(m.to_string(), "LeNet has 7 layers: Conv2d 6");
        assert!(m.is_complete());
        assert!(!Message::new(GREETING).with("who", "x").is_complete());
    }

    #[test]
    #[should_panic(expected = "no placeholder {nope}")]
    fn an_argument_the_template_lacks_is_a_bug() {
        let _ = Message::new(GREETING).with("nope", 1);
    }

    #[test]
    fn a_sentence_is_english_in_json_and_data_for_the_page() {
        let m = Message::new(GREETING).with("who", "LeNet").with("n", 7).nested("inner", Message::new(INNER).with("c", 6));
        assert_eq!(serde_json::to_value(&m).unwrap(), serde_json::json!("LeNet has 7 layers: Conv2d 6"));
        let data = as_data(|| serde_json::to_value(&m).unwrap());
        let inner = serde_json::json!({ "key": "test.inner", "args": { "c": "6" }, "en": "Conv2d 6" });
        assert_eq!(data, serde_json::json!({ "key": "test.greeting", "args": { "who": "LeNet", "n": "7", "inner": inner }, "en": "LeNet has 7 layers: Conv2d 6" }));
        assert_eq!(serde_json::to_value(&m).unwrap(), serde_json::json!("LeNet has 7 layers: Conv2d 6"), "as it was after");
    }
}
