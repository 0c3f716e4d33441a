//! Building a table (host side, in `cargo xtask`).

use crate::{ENTRY_LEN, HEADER_LEN, MAGIC};
use alloc::string::String;
use alloc::vec::Vec;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub addr: u64,
    pub size: u32,
    pub name: String,
}

/// Serialises `symbols` (any order; duplicates at one address keep the
/// first name given). Names longer than 255 bytes are cut at a char boundary
/// to keep the table small.
pub fn build(mut symbols: Vec<Symbol>) -> Vec<u8> {
    symbols.sort_by_key(|s| s.addr);
    symbols.dedup_by_key(|s| s.addr);
    let mut names = Vec::new();
    let mut entries = Vec::with_capacity(symbols.len() * ENTRY_LEN);
    for s in &symbols {
        let mut end = s.name.len().min(255);
        while !s.name.is_char_boundary(end) {
            end -= 1;
        }
        let off = names.len() as u32;
        names.extend_from_slice(&s.name.as_bytes()[..end]);
        entries.extend_from_slice(&s.addr.to_le_bytes());
        entries.extend_from_slice(&s.size.to_le_bytes());
        entries.extend_from_slice(&off.to_le_bytes());
        entries.extend_from_slice(&(end as u32).to_le_bytes());
        entries.extend_from_slice(&0u32.to_le_bytes());
    }
    let mut out = Vec::with_capacity(HEADER_LEN + entries.len() + names.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&(symbols.len() as u32).to_le_bytes());
    out.extend_from_slice(&(names.len() as u32).to_le_bytes());
    out.extend_from_slice(&entries);
    out.extend_from_slice(&names);
    out
}
