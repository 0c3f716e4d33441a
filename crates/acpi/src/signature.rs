//! The four-byte name at the start of every system description table.

use core::fmt;

/// A table signature such as `APIC` or `FACP`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Signature(pub [u8; 4]);

impl Signature {
    /// Multiple APIC Description Table.
    pub const MADT: Signature = Signature(*b"APIC");
    /// Fixed ACPI Description Table.
    pub const FADT: Signature = Signature(*b"FACP");
    /// IA-PC High Precision Event Timer table.
    pub const HPET: Signature = Signature(*b"HPET");
    /// Root System Description Table (32-bit pointers).
    pub const RSDT: Signature = Signature(*b"RSDT");
    /// Extended System Description Table (64-bit pointers).
    pub const XSDT: Signature = Signature(*b"XSDT");
    /// Differentiated System Description Table (AML; found through the FADT).
    pub const DSDT: Signature = Signature(*b"DSDT");

    /// The signature as text, if all four bytes are printable ASCII.
    pub fn as_str(&self) -> Option<&str> {
        if self.0.iter().all(|b| b.is_ascii_graphic() || *b == b' ') {
            core::str::from_utf8(&self.0).ok()
        } else {
            None
        }
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.as_str() {
            Some(text) => f.write_str(text),
            None => {
                let [a, b, c, d] = self.0;
                write!(f, "{a:02x}{b:02x}{c:02x}{d:02x}")
            }
        }
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({self})")
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::format;

    #[test]
    fn prints_text_or_hex() {
        assert_eq!(format!("{}", Signature::MADT), "APIC");
        assert_eq!(format!("{:?}", Signature::HPET), "Signature(HPET)");
        assert_eq!(format!("{}", Signature([0, 1, 0xfe, b'A'])), "0001fe41");
    }
}
