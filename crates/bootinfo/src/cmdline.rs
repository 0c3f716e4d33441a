//! Splitting the kernel command line into parameters.
//!
//! Syntax, deliberately small:
//! - Parameters are separated by ASCII whitespace.
//! - A parameter is `key=value` (split at the first `=`) or a bare `flag`.
//! - Double quotes group: whitespace between a pair of `"` does not split, so
//!   `init="/bin/sh -x"` is one parameter. Quotes that enclose a whole value
//!   (`key="v"`) or a whole parameter (`"key=v"`) are stripped; any other
//!   quote is kept as text. There are no escapes; a quote left open runs to
//!   the end of the line.
//! - A bare `--` ends the kernel's parameters; what follows is for init
//!   ([`CommandLine::init_args`]), as on Linux.
//! - When a key repeats, [`CommandLine::get`] returns the last value.

/// One parsed parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param<'a> {
    pub key: &'a str,
    /// `None` for a bare flag; `Some("")` for `key=`.
    pub value: Option<&'a str>,
}

#[derive(Clone, Copy, Debug)]
pub struct CommandLine<'a> {
    text: &'a str,
}

impl<'a> CommandLine<'a> {
    pub const fn new(text: &'a str) -> Self {
        Self { text }
    }

    pub const fn as_str(&self) -> &'a str {
        self.text
    }

    /// The kernel's parameters, in order, up to a bare `--`.
    pub fn params(&self) -> Params<'a> {
        Params { tokens: Tokens { rest: self.text } }
    }

    /// The value of the last `key=value`; `None` if the key only appears as a
    /// bare flag or not at all.
    pub fn get(&self, key: &str) -> Option<&'a str> {
        self.params().filter(|p| p.key == key).filter_map(|p| p.value).last()
    }

    /// Whether `key` appears at all, as a flag or with a value.
    pub fn has(&self, key: &str) -> bool {
        self.params().any(|p| p.key == key)
    }

    /// The parameters meant for init's environment, as Linux passes
    /// `key=value` parameters it does not know to init: here those whose
    /// key looks like an environment variable (`HOME`, `LANG`, `TZ`: upper
    /// case letters, digits and `_`, not starting with a digit), so the
    /// kernel's own lower-case parameters never leak into it.
    pub fn environment(&self) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.params().filter_map(|p| {
            let value = p.value?;
            let mut chars = p.key.chars();
            let first_ok = chars.next().is_some_and(|c| c.is_ascii_uppercase() || c == '_');
            let rest_ok = chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
            (first_ok && rest_ok).then_some((p.key, value))
        })
    }

    /// Everything after the first bare `--`, as written (quotes kept), or
    /// `""` if there is none.
    pub fn init_args(&self) -> &'a str {
        let mut tokens = Tokens { rest: self.text };
        while let Some(token) = tokens.next() {
            if token == "--" {
                return tokens.rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
            }
        }
        ""
    }
}

/// Iterator over a command line's parameters.
#[derive(Clone, Debug)]
pub struct Params<'a> {
    tokens: Tokens<'a>,
}

impl<'a> Iterator for Params<'a> {
    type Item = Param<'a>;

    fn next(&mut self) -> Option<Param<'a>> {
        let token = self.tokens.next()?;
        if token == "--" {
            self.tokens.rest = "";
            return None;
        }
        let token = strip_enclosing_quotes(token);
        Some(match token.split_once('=') {
            Some((key, value)) => Param { key, value: Some(strip_enclosing_quotes(value)) },
            None => Param { key: token, value: None },
        })
    }
}

/// Whitespace-separated raw tokens, with double quotes grouping.
#[derive(Clone, Debug)]
struct Tokens<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let text = self.rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
        if text.is_empty() {
            self.rest = text;
            return None;
        }
        let mut in_quotes = false;
        let mut end = text.len();
        for (i, byte) in text.bytes().enumerate() {
            match byte {
                b'"' => in_quotes = !in_quotes,
                b if b.is_ascii_whitespace() && !in_quotes => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        // `end` is at an ASCII byte or the end, so both slices are on char boundaries.
        let (token, rest) = text.split_at(end);
        self.rest = rest;
        Some(token)
    }
}

fn strip_enclosing_quotes(s: &str) -> &str {
    if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
        &s[1..s.len() - 1]
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    fn params(text: &str) -> Vec<(&str, Option<&str>)> {
        CommandLine::new(text).params().map(|p| (p.key, p.value)).collect()
    }

    #[test]
    fn splits_flags_and_key_values() {
        assert_eq!(
            params("  quiet console=ttyS0,115200\tlog=debug \n test=a=b empty="),
            [
                ("quiet", None),
                ("console", Some("ttyS0,115200")),
                ("log", Some("debug")),
                ("test", Some("a=b")),
                ("empty", Some(""))
            ]
        );
    }

    #[test]
    fn environment_takes_upper_case_names_only() {
        let c = CommandLine::new(
            r#"root=/dev/vda HOME=/root LANG="C.UTF-8" _X1=y 1A=no Mixed=no FLAG services=/native/init -- HOME=/arg"#,
        );
        let env: Vec<(&str, &str)> = c.environment().collect();
        assert_eq!(env, [("HOME", "/root"), ("LANG", "C.UTF-8"), ("_X1", "y")]);
    }

    #[test]
    fn empty_and_blank_lines_have_no_params() {
        assert!(params("").is_empty());
        assert!(params(" \t\n ").is_empty());
        assert!(!CommandLine::new("").has(""));
    }

    #[test]
    fn quotes_group_and_are_stripped_when_enclosing() {
        assert_eq!(
            params(r#"init="/bin/sh -x" "dyndbg=file a.c +p" say="hi there"#),
            [("init", Some("/bin/sh -x")), ("dyndbg", Some("file a.c +p")), ("say", Some("\"hi there"))]
        );
        // Quotes in the middle of a value are text.
        assert_eq!(params(r#"a=x"y z"w"#), [("a", Some(r#"x"y z"w"#))]);
        assert_eq!(params(r#""" k"#), [("", None), ("k", None)]);
    }

    #[test]
    fn lookup_helpers() {
        let line = CommandLine::new("quiet test=fork log=info log=trace verbose=");
        assert_eq!(line.get("test"), Some("fork"));
        assert_eq!(line.get("log"), Some("trace"), "last value wins");
        assert_eq!(line.get("quiet"), None, "a flag has no value");
        assert_eq!(line.get("verbose"), Some(""));
        assert_eq!(line.get("missing"), None);
        assert!(line.has("quiet"));
        assert!(line.has("test"));
        assert!(!line.has("tes"), "keys match whole");
        assert!(!line.has("fork"), "values are not keys");
    }

    #[test]
    fn double_dash_ends_kernel_params() {
        let line = CommandLine::new("quiet -- init_flag  --x \"a b\"");
        assert_eq!(params(line.as_str()), [("quiet", None)]);
        assert!(!line.has("init_flag"));
        assert_eq!(line.init_args(), "init_flag  --x \"a b\"");
        assert_eq!(CommandLine::new("quiet").init_args(), "");
        assert_eq!(CommandLine::new("a --").init_args(), "");
        // `--` inside quotes or as part of a word is not the separator.
        assert_eq!(params("\"--\" x--"), [("--", None), ("x--", None)]);
    }

    #[test]
    fn non_ascii_text_is_split_safely() {
        assert_eq!(params("név=Ünnep ⚙=x\u{a0}y"), [("név", Some("Ünnep")), ("⚙", Some("x\u{a0}y"))]);
    }
}

/// Splits program arguments (the text after `--`) into words: whitespace
/// separates them, double quotes group them, and inside quotes `\"` and
/// `\\` stand for `"` and `\`. Each word is handed to `word` already
/// unescaped; words longer than 4096 bytes are cut there. No allocation.
pub fn split_words(text: &str, word: &mut dyn FnMut(&[u8])) {
    let mut buf = [0u8; 4096];
    let mut len = 0;
    let mut in_word = false;
    let mut quoted = false;
    let mut bytes = text.bytes().peekable();
    while let Some(b) = bytes.next() {
        match b {
            b'"' => {
                quoted = !quoted;
                in_word = true;
            }
            b'\\' if quoted && matches!(bytes.peek(), Some(b'"') | Some(b'\\')) => {
                if let Some(next) = bytes.next() {
                    if len < buf.len() {
                        buf[len] = next;
                        len += 1;
                    }
                }
            }
            b' ' | b'\t' | b'\n' if !quoted => {
                if in_word {
                    word(&buf[..len]);
                    len = 0;
                    in_word = false;
                }
            }
            _ => {
                in_word = true;
                if len < buf.len() {
                    buf[len] = b;
                    len += 1;
                }
            }
        }
    }
    if in_word {
        word(&buf[..len]);
    }
}

#[cfg(test)]
mod split_tests {
    extern crate std;
    use super::split_words;
    use std::string::String;
    use std::vec::Vec;

    fn split(s: &str) -> Vec<String> {
        let mut out = Vec::new();
        split_words(s, &mut |w| out.push(String::from_utf8(w.to_vec()).unwrap()));
        out
    }

    #[test]
    fn plain_and_quoted_words() {
        assert_eq!(split("sh -c echo"), ["sh", "-c", "echo"]);
        assert_eq!(split(r#""sh" "-c" "echo hello; ls /""#), ["sh", "-c", "echo hello; ls /"]);
        assert_eq!(split(r#""a\"b" "c\\d" "" x"#), ["a\"b", "c\\d", "", "x"]);
        assert_eq!(split("  spaced   out  "), ["spaced", "out"]);
        assert!(split("").is_empty());
    }

    #[test]
    fn unterminated_quote_runs_to_the_end() {
        assert_eq!(split(r#""open ended"#), ["open ended"]);
    }
}
