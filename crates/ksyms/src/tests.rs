extern crate std;
use super::*;
use proptest::prelude::*;
use std::string::{String, ToString};
use std::vec::Vec;

fn sym(addr: u64, size: u32, name: &str) -> Symbol {
    Symbol { addr, size, name: name.to_string() }
}

#[test]
fn missing_table_is_reported() {
    assert_eq!(Table::parse(&[0u8; 64]).unwrap_err(), Error::Missing);
    assert_eq!(Table::parse(&[]).unwrap_err(), Error::Missing);
}

#[test]
fn lookup_finds_containing_symbol() {
    let blob = build(std::vec![sym(0x2000, 0x10, "b"), sym(0x1000, 0x100, "a"), sym(0x3000, 0, "c")]);
    let t = Table::parse(&blob).unwrap();
    assert_eq!(t.len(), 3);
    assert_eq!(t.lookup(0x1000), Some(Found { name: "a", start: 0x1000, offset: 0 }));
    assert_eq!(t.lookup(0x10ff).unwrap().offset, 0xff);
    assert_eq!(t.lookup(0x1100), None, "past a sized symbol's end");
    assert_eq!(t.lookup(0x0fff), None, "below the first symbol");
    assert_eq!(t.lookup(0x200f).unwrap().name, "b");
    assert_eq!(t.lookup(u64::MAX).unwrap().name, "c", "zero size reaches to the end");
}

#[test]
fn duplicate_addresses_keep_one_name() {
    let blob = build(std::vec![sym(0x10, 4, "first"), sym(0x10, 4, "second")]);
    let t = Table::parse(&blob).unwrap();
    assert_eq!(t.len(), 1);
    assert_eq!(t.lookup(0x11).unwrap().name, "first");
}

#[test]
fn long_names_are_cut_on_char_boundary() {
    let long: String = "é".repeat(200);
    let blob = build(std::vec![sym(0, 1, &long)]);
    let name = Table::parse(&blob).unwrap().lookup(0).unwrap().name;
    assert!(name.len() <= 255 && long.starts_with(name));
}

#[test]
fn every_truncation_is_rejected_or_safe() {
    let blob = build(std::vec![sym(0x10, 4, "x"), sym(0x20, 4, "yy")]);
    for n in 0..blob.len() {
        assert!(Table::parse(&blob[..n]).is_err(), "prefix of {n} bytes accepted");
    }
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512), addr: u64) {
        let mut b = bytes.clone();
        if b.len() >= 8 { b[..8].copy_from_slice(&MAGIC); }
        if let Ok(t) = Table::parse(&b) { let _ = t.lookup(addr); }
    }

    #[test]
    fn lookup_matches_linear_model(
        syms in proptest::collection::btree_map(0u64..100_000, (0u32..500, "[a-z]{1,12}"), 0..64),
        probes in proptest::collection::vec(0u64..101_000, 0..64),
    ) {
        let list: Vec<Symbol> = syms.iter().map(|(&a, (s, n))| sym(a, *s, n)).collect();
        let blob = build(list.clone());
        let t = Table::parse(&blob).unwrap();
        for p in probes {
            let model = list.iter().rev().find(|s| s.addr <= p)
                .filter(|s| s.size == 0 || p - s.addr < u64::from(s.size))
                .map(|s| (s.name.as_str(), s.addr));
            prop_assert_eq!(t.lookup(p).map(|f| (f.name, f.start)), model);
        }
    }
}
