//! Helpers shared by the integration tests.

#![allow(dead_code)]

use manifest::{parse, Manifest};

/// Parses `text`, which must be valid, and checks that its canonical form
/// parses back to the same manifest and renders to itself.
pub fn ok(text: &str) -> Manifest {
    let m = parse(text.as_bytes()).unwrap_or_else(|e| panic!("{e}\n--- input:\n{text}"));
    let canonical = m.render();
    let again = parse(canonical.as_bytes()).unwrap_or_else(|e| panic!("{e}\n--- rendered:\n{canonical}"));
    assert_eq!(again, m, "rendered:\n{canonical}");
    assert_eq!(again.render(), canonical);
    m
}

/// The error `text` must produce, as (line, message).
pub fn err(text: &str) -> (usize, &'static str) {
    match parse(text.as_bytes()) {
        Ok(m) => panic!("accepted:\n{text}\nas {m:?}"),
        Err(e) => (e.line, e.message),
    }
}
