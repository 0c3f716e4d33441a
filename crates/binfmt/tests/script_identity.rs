//! `#!` scripts and unrecognised files, through `identify`.

mod support;

use binfmt::{identify, Identity, Malformed, Script, ScriptError, MAX_SCRIPT_LINE};

fn script(bytes: &[u8]) -> Script<'_> {
    match identify(bytes) {
        Identity::Script(script) => script,
        other => panic!("not a script: {other:?}"),
    }
}

#[test]
fn common_script_lines() {
    let s = script(b"#!/bin/sh\nexit 0\n");
    assert_eq!((s.interpreter, s.argument), (&b"/bin/sh"[..], None));
    let s = script(b"#!/usr/bin/env python3\n");
    assert_eq!((s.interpreter, s.argument), (&b"/usr/bin/env"[..], Some(&b"python3"[..])));
    let s = script(b"#! /usr/bin/perl -w -T  \n");
    assert_eq!((s.interpreter, s.argument), (&b"/usr/bin/perl"[..], Some(&b"-w -T"[..])));
}

#[test]
fn scripts_without_a_usable_interpreter_are_malformed() {
    assert_eq!(identify(b"#!\n"), Identity::Malformed(Malformed::Script(ScriptError::NoInterpreter)));
    let long = [b"#!/".as_slice(), &vec![b'p'; MAX_SCRIPT_LINE]].concat();
    assert_eq!(identify(&long), Identity::Malformed(Malformed::Script(ScriptError::InterpreterTruncated)));
}

#[test]
fn only_the_first_line_matters() {
    let mut body = b"#!/bin/bash\n".to_vec();
    body.extend(std::iter::repeat_n(b'#', 10_000));
    assert_eq!(script(&body).interpreter, b"/bin/bash");
}

#[test]
fn unknown_files() {
    for bytes in [&b""[..], b"#", b"M", b"hello world", b"\x7fEL", b"\xca\xfe", b"PK\x03\x04"] {
        assert_eq!(identify(bytes), Identity::Unknown, "{bytes:?}");
    }
}
