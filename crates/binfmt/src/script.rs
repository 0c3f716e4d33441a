//! `#!` scripts, read exactly as Linux (5.1 and later) reads them, because a
//! Linux personality must agree with Linux on what a script line means.
//!
//! Linux looks only at the first [`MAX_SCRIPT_LINE`] bytes of the file
//! (`BINPRM_BUF_SIZE`), as a buffer zero-filled past the end of the file:
//!
//! - The line ends at the first `\n`; the search stops at a NUL byte.
//! - Without a `\n`, the line is the whole buffer less its last byte,
//!   *provided* the interpreter name is followed by a space, tab or NUL
//!   somewhere in the buffer; otherwise the name may have been cut, and the
//!   script is refused rather than run with a wrong interpreter.
//! - Trailing spaces and tabs are trimmed; leading ones skipped.
//! - The interpreter is the first word (ended by space, tab or NUL).
//! - The rest of the line, after the blanks that follow the interpreter,
//!   is **one** optional argument, spaces included (`#!/usr/bin/env -S a b`
//!   passes `-S a b`), and like any C string it ends at a NUL.
//!
//! One deliberate difference: a name that is empty because a NUL follows
//! `#!` is refused here as [`ScriptError::NoInterpreter`]; Linux would go
//! on to look up the empty path and fail with `ENOENT`.

use crate::identity::{Identity, Malformed};

/// How many bytes of a script's start are read: Linux's `BINPRM_BUF_SIZE`.
/// A `#!` line can use at most one byte less.
pub const MAX_SCRIPT_LINE: usize = 256;

/// What to run in place of a script: `interpreter [argument] script-path
/// args...`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Script<'a> {
    pub interpreter: &'a [u8],
    pub argument: Option<&'a [u8]>,
}

/// Why a `#!` line cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScriptError {
    /// Nothing but blanks after `#!`.
    NoInterpreter,
    /// No line end and no blank after the interpreter within the first
    /// [`MAX_SCRIPT_LINE`] bytes, so its name may be cut short.
    InterpreterTruncated,
}

pub(crate) fn identify(bytes: &[u8]) -> Identity<'_> {
    match parse(bytes) {
        Ok(script) => Identity::Script(script),
        Err(error) => Identity::Malformed(Malformed::Script(error)),
    }
}

fn is_blank(byte: u8) -> bool {
    byte == b' ' || byte == b'\t'
}

fn ends_word(byte: u8) -> bool {
    is_blank(byte) || byte == 0
}

/// Parses the `#!` line of `bytes`, which starts with `#!`.
fn parse(bytes: &[u8]) -> Result<Script<'_>, ScriptError> {
    let window = bytes.get(..MAX_SCRIPT_LINE).unwrap_or(bytes);
    // Linux's buffer is zero-filled past the file's end.
    let at = |index: usize| window.get(index).copied().unwrap_or(0);
    let last = MAX_SCRIPT_LINE.saturating_sub(1);
    let first_from = |start: usize, end_inclusive: usize, wanted: fn(u8) -> bool| {
        (start..=end_inclusive).find(|&index| wanted(at(index)))
    };

    let newline = window.iter().take_while(|&&byte| byte != 0).position(|&byte| byte == b'\n');
    let mut line_end = match newline {
        Some(index) => index,
        None => {
            let name = first_from(2, last, |byte| !is_blank(byte)).ok_or(ScriptError::NoInterpreter)?;
            first_from(name, last, ends_word).ok_or(ScriptError::InterpreterTruncated)?;
            last
        }
    };
    while line_end > 2 && is_blank(at(line_end.saturating_sub(1))) {
        line_end = line_end.saturating_sub(1);
    }
    let name_start = match first_from(2, line_end, |byte| !is_blank(byte)) {
        Some(start) if start != line_end => start,
        _ => return Err(ScriptError::NoInterpreter),
    };
    let separator = first_from(name_start, line_end, ends_word);
    let name_end = separator.unwrap_or(line_end);
    let argument = match separator {
        Some(separator) if at(separator) != 0 => first_from(separator, line_end, |byte| !is_blank(byte)),
        _ => None,
    };

    let interpreter = bytes.get(name_start..name_end).ok_or(ScriptError::NoInterpreter)?;
    if interpreter.is_empty() {
        return Err(ScriptError::NoInterpreter);
    }
    let argument = argument.map(|start| {
        // The argument is a C string ending at the line end or a NUL.
        let end = (start..line_end).find(|&index| at(index) == 0).unwrap_or(line_end);
        bytes.get(start..end).unwrap_or_default()
    });
    Ok(Script { interpreter, argument })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(text: &[u8]) -> Result<(&[u8], Option<&[u8]>), ScriptError> {
        parse(text).map(|s| (s.interpreter, s.argument))
    }

    #[test]
    fn interpreter_only() {
        assert_eq!(script(b"#!/bin/sh\necho hi\n"), Ok((&b"/bin/sh"[..], None)));
        assert_eq!(script(b"#!/bin/sh"), Ok((&b"/bin/sh"[..], None)));
        assert_eq!(script(b"#! \t/bin/sh \t\r\n"), Ok((&b"/bin/sh"[..], Some(&b"\r"[..]))));
        assert_eq!(script(b"#!  /bin/sh   \n"), Ok((&b"/bin/sh"[..], None)));
    }

    #[test]
    fn one_argument_keeps_inner_spaces() {
        assert_eq!(script(b"#!/usr/bin/env python3\n"), Ok((&b"/usr/bin/env"[..], Some(&b"python3"[..]))));
        assert_eq!(script(b"#!/usr/bin/env -S a  b \t \n"), Ok((&b"/usr/bin/env"[..], Some(&b"-S a  b"[..]))));
        assert_eq!(script(b"#!/bin/awk\t-f\n"), Ok((&b"/bin/awk"[..], Some(&b"-f"[..]))));
    }

    #[test]
    fn nul_ends_strings_like_in_c() {
        assert_eq!(script(b"#!/bin/sh\0 -x\n"), Ok((&b"/bin/sh"[..], None)));
        assert_eq!(script(b"#!/bin/sh -e\0junk\n"), Ok((&b"/bin/sh"[..], Some(&b"-e"[..]))));
        // The newline search stops at the NUL; the line is then the buffer.
        assert_eq!(script(b"#!/bin/sh \0\n"), Ok((&b"/bin/sh"[..], Some(&b""[..]))));
    }

    #[test]
    fn missing_interpreter() {
        assert_eq!(script(b"#!"), Err(ScriptError::NoInterpreter));
        assert_eq!(script(b"#!\n/bin/sh"), Err(ScriptError::NoInterpreter));
        assert_eq!(script(b"#!   \t\n"), Err(ScriptError::NoInterpreter));
        assert_eq!(script(&[b"#!".as_slice(), &[b' '; 300]].concat()), Err(ScriptError::NoInterpreter));
    }

    #[test]
    fn long_lines() {
        // A name that fills the buffer may be cut: refused.
        let long_name = [b"#!/".as_slice(), &[b'a'; 300]].concat();
        assert_eq!(script(&long_name), Err(ScriptError::InterpreterTruncated));
        // A complete name with an over-long argument: the argument is cut at
        // byte 255 of the file.
        let long_argument = [b"#!/bin/sh ".as_slice(), &[b'x'; 400], b"\n"].concat();
        let (name, argument) = script(&long_argument).unwrap();
        assert_eq!(name, b"/bin/sh");
        assert_eq!(argument.unwrap().len(), 255 - 10);
        // A line of exactly 255 bytes plus newline fits.
        let exact = [b"#!/bin/sh ".as_slice(), &[b'y'; 245], b"\n"].concat();
        assert_eq!(script(&exact).unwrap().1.unwrap().len(), 245);
    }
}
