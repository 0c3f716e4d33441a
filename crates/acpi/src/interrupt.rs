//! Interrupt signalling: the MPS INTI flags MADT entries carry, and the
//! electrical facts they resolve to.

/// How an interrupt line signals when asserted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Polarity {
    #[default]
    ActiveHigh,
    ActiveLow,
}

/// Whether an interrupt is an edge or a level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Trigger {
    #[default]
    Edge,
    Level,
}

/// The polarity field (bits 1:0) of MPS INTI flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PolarityFlag {
    /// 00: whatever the bus's specification says (ISA: active high).
    #[default]
    ConformsToBus,
    /// 01.
    ActiveHigh,
    /// 10: reserved by the specification.
    Reserved,
    /// 11.
    ActiveLow,
}

/// The trigger-mode field (bits 3:2) of MPS INTI flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TriggerFlag {
    /// 00: whatever the bus's specification says (ISA: edge).
    #[default]
    ConformsToBus,
    /// 01.
    Edge,
    /// 10: reserved by the specification.
    Reserved,
    /// 11.
    Level,
}

/// Decoded MPS INTI flags, as carried by interrupt source overrides and NMI
/// entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct InterruptFlags {
    pub polarity: PolarityFlag,
    pub trigger: TriggerFlag,
}

impl InterruptFlags {
    /// Decodes the 16-bit flags field; bits above 3 are reserved and ignored.
    pub fn from_bits(bits: u16) -> Self {
        let polarity = match bits & 0b11 {
            0b00 => PolarityFlag::ConformsToBus,
            0b01 => PolarityFlag::ActiveHigh,
            0b10 => PolarityFlag::Reserved,
            _ => PolarityFlag::ActiveLow,
        };
        let trigger = match (bits >> 2) & 0b11 {
            0b00 => TriggerFlag::ConformsToBus,
            0b01 => TriggerFlag::Edge,
            0b10 => TriggerFlag::Reserved,
            _ => TriggerFlag::Level,
        };
        InterruptFlags { polarity, trigger }
    }

    /// The polarity on an ISA line: "conforms" means ISA's active high, and
    /// so (for want of anything better) does a reserved value.
    pub fn isa_polarity(self) -> Polarity {
        match self.polarity {
            PolarityFlag::ActiveLow => Polarity::ActiveLow,
            _ => Polarity::ActiveHigh,
        }
    }

    /// The trigger mode on an ISA line: "conforms" means ISA's edge, and so
    /// does a reserved value.
    pub fn isa_trigger(self) -> Trigger {
        match self.trigger {
            TriggerFlag::Level => Trigger::Level,
            _ => Trigger::Edge,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_all_combinations() {
        let f = InterruptFlags::from_bits(0x000d);
        assert_eq!(f.polarity, PolarityFlag::ActiveHigh);
        assert_eq!(f.trigger, TriggerFlag::Level);
        assert_eq!((f.isa_polarity(), f.isa_trigger()), (Polarity::ActiveHigh, Trigger::Level));

        let f = InterruptFlags::from_bits(0x000f);
        assert_eq!((f.isa_polarity(), f.isa_trigger()), (Polarity::ActiveLow, Trigger::Level));

        let f = InterruptFlags::from_bits(0);
        assert_eq!(f, InterruptFlags::default());
        assert_eq!((f.isa_polarity(), f.isa_trigger()), (Polarity::ActiveHigh, Trigger::Edge));

        let f = InterruptFlags::from_bits(0xfffa);
        assert_eq!(f.polarity, PolarityFlag::Reserved);
        assert_eq!(f.trigger, TriggerFlag::Reserved);
        assert_eq!((f.isa_polarity(), f.isa_trigger()), (Polarity::ActiveHigh, Trigger::Edge));
    }
}
