//! The manifest's tokens: names, paths, numbers and rights. Each check
//! returns the message of the rule a token breaks.

use crate::{Rights, MAX_NAME, MAX_PATH};
use alloc::string::String;

/// The rights letters, in canonical order.
pub(crate) const RIGHTS_LETTERS: [(u8, Rights); 6] = [
    (b'r', Rights::READ),
    (b'w', Rights::WRITE),
    (b'x', Rights::EXEC),
    (b'g', Rights::GRANT),
    (b't', Rights::TRANSFER),
    (b'd', Rights::DERIVE),
];

/// Bytes known to be ASCII, as a `String`.
fn ascii_string(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

pub(crate) fn name(token: &[u8]) -> Result<String, &'static str> {
    if token.is_empty() {
        return Err("name is empty");
    }
    if token.len() > MAX_NAME {
        return Err("name longer than 15 bytes");
    }
    if !token.iter().all(|&b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-')) {
        return Err("name may only contain a-z 0-9 _ -");
    }
    Ok(ascii_string(token))
}

pub(crate) fn path(token: &[u8]) -> Result<String, &'static str> {
    if token.len() > MAX_PATH {
        return Err("path longer than 255 bytes");
    }
    if !token.iter().all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'/' | b'-')) {
        return Err("path may only contain A-Z a-z 0-9 . _ / -");
    }
    if token.split(|&b| b == b'/').any(|c| c.is_empty() || c == b"." || c == b"..") {
        return Err("path must be relative, without empty, . or .. components");
    }
    Ok(ascii_string(token))
}

pub(crate) fn number(token: &[u8]) -> Result<u64, &'static str> {
    const INVALID: &str = "invalid number (decimal, or hex with 0x)";
    const TOO_BIG: &str = "number does not fit in 64 bits";
    let (digits, radix) = match token.strip_prefix(b"0x") {
        Some(hex) => (hex, 16),
        None => (token, 10),
    };
    if digits.is_empty() {
        return Err(INVALID);
    }
    let mut value: u64 = 0;
    for &b in digits {
        let digit = char::from(b).to_digit(radix).ok_or(INVALID)?;
        value = value.checked_mul(u64::from(radix)).and_then(|v| v.checked_add(u64::from(digit))).ok_or(TOO_BIG)?;
    }
    Ok(value)
}

pub(crate) fn rights(token: &[u8]) -> Result<Rights, &'static str> {
    if token == b"-" {
        return Ok(Rights::NONE);
    }
    let mut rights = Rights::NONE;
    for &b in token {
        let (_, right) = RIGHTS_LETTERS
            .iter()
            .find(|(letter, _)| *letter == b)
            .ok_or("rights are letters from rwxgtd, or - for none")?;
        if rights.contains(*right) {
            return Err("right given twice");
        }
        rights = rights | *right;
    }
    Ok(rights)
}

/// Canonical text for `rights`: its letters in `rwxgtd` order, or `-`.
/// Bits outside `Rights::ALL` are not shown.
pub(crate) fn rights_text(rights: Rights) -> String {
    let text: String = RIGHTS_LETTERS
        .iter()
        .filter(|(_, right)| rights.contains(*right))
        .map(|(letter, _)| char::from(*letter))
        .collect();
    if text.is_empty() {
        String::from("-")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(number(b"0"), Ok(0));
        assert_eq!(number(b"007"), Ok(7));
        assert_eq!(number(b"0x0"), Ok(0));
        assert_eq!(number(b"0x2f8"), Ok(0x2f8));
        assert_eq!(number(b"0x2F8"), Ok(0x2f8));
        assert_eq!(number(b"18446744073709551615"), Ok(u64::MAX));
        assert_eq!(number(b"0xffffffffffffffff"), Ok(u64::MAX));
        assert_eq!(number(b"0x0000000000000000000001"), Ok(1));
        assert_eq!(number(b"18446744073709551616"), Err("number does not fit in 64 bits"));
        assert_eq!(number(b"0x10000000000000000"), Err("number does not fit in 64 bits"));
        for bad in [&b""[..], b"0x", b"0X1", b"-1", b"+1", b"1_000", b"12a", b"0xg", b"x1", b"1.0"] {
            assert_eq!(number(bad), Err("invalid number (decimal, or hex with 0x)"), "{bad:?}");
        }
    }

    #[test]
    fn rights_letters() {
        assert_eq!(rights(b"-"), Ok(Rights::NONE));
        assert_eq!(rights(b"r"), Ok(Rights::READ));
        assert_eq!(rights(b"dtgxwr"), Ok(Rights::ALL));
        assert_eq!(rights(b"wg"), Ok(Rights::WRITE | Rights::GRANT));
        assert_eq!(rights(b"rr"), Err("right given twice"));
        assert_eq!(rights(b"--"), Err("rights are letters from rwxgtd, or - for none"));
        assert_eq!(rights(b"r-"), Err("rights are letters from rwxgtd, or - for none"));
        assert_eq!(rights(b"R"), Err("rights are letters from rwxgtd, or - for none"));
        assert_eq!(rights_text(Rights::NONE), "-");
        assert_eq!(rights_text(Rights::ALL), "rwxgtd");
        assert_eq!(rights_text(Rights::DERIVE | Rights::READ), "rd");
        for bits in 0..=0x3f {
            let r = Rights(bits);
            assert_eq!(rights(rights_text(r).as_bytes()), Ok(r));
        }
    }

    #[test]
    fn names_and_paths() {
        assert_eq!(name(b"a-b_9").as_deref(), Ok("a-b_9"));
        assert_eq!(name(b"abcdefghijklmno").as_deref(), Ok("abcdefghijklmno"));
        assert_eq!(name(b"abcdefghijklmnop"), Err("name longer than 15 bytes"));
        assert_eq!(name(b"Ab"), Err("name may only contain a-z 0-9 _ -"));
        assert_eq!(name(b"a.b"), Err("name may only contain a-z 0-9 _ -"));
        assert_eq!(path(b"a/b.elf").as_deref(), Ok("a/b.elf"));
        assert_eq!(path(b".hidden/..x/a..b").as_deref(), Ok(".hidden/..x/a..b"));
        for bad in [&b"/a"[..], b"a/", b"a//b", b".", b"..", b"./a", b"a/./b", b"a/../b", b"a/.."] {
            assert_eq!(path(bad), Err("path must be relative, without empty, . or .. components"), "{bad:?}");
        }
        assert_eq!(path(b"a b"), Err("path may only contain A-Z a-z 0-9 . _ / -"));
        assert_eq!(path(b"a\\b"), Err("path may only contain A-Z a-z 0-9 . _ / -"));
        let long = [b'a'; 256];
        assert_eq!(path(&long), Err("path longer than 255 bytes"));
        assert!(path(&long[..255]).is_ok());
    }
}
