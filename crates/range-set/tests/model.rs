//! RangeSet against a model: one bit per unit of a small address range.

use proptest::prelude::*;
use range_set::RangeSet;

const UNITS: u64 = 64;

#[derive(Debug, Clone)]
enum Op {
    Insert(u64, u64),
    Remove(u64, u64),
    Clear,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..=UNITS, 0..=UNITS).prop_map(|(a, b)| Op::Insert(a, b)),
        3 => (0..=UNITS, 0..=UNITS).prop_map(|(a, b)| Op::Remove(a, b)),
        1 => Just(Op::Clear),
    ]
}

fn bits(a: u64, b: u64) -> u64 {
    if a >= b {
        0
    } else {
        let width = b - a;
        let ones = if width == 64 { u64::MAX } else { (1u64 << width) - 1 };
        ones << a
    }
}

proptest! {
    #[test]
    fn behaves_like_a_bitmap(ops in proptest::collection::vec(op(), 0..40), probes in proptest::collection::vec((0..=UNITS, 0..=UNITS), 8)) {
        let mut set = RangeSet::new();
        let mut model = 0u64;
        for op in ops {
            match op {
                Op::Insert(a, b) => { set.insert(a, b); model |= bits(a, b); }
                Op::Remove(a, b) => { set.remove(a, b); model &= !bits(a, b); }
                Op::Clear => { set.clear(); model = 0; }
            }
            // Disjoint, non-touching, non-empty, ascending.
            let ranges: Vec<(u64, u64)> = set.iter().collect();
            for w in ranges.windows(2) {
                prop_assert!(w[0].1 < w[1].0);
            }
            for (s, e) in &ranges {
                prop_assert!(s < e);
            }
            prop_assert_eq!(set.total(), u64::from(model.count_ones()));
            prop_assert_eq!(set.is_empty(), model == 0);
            for u in 0..UNITS {
                prop_assert_eq!(set.contains(u), model & (1 << u) != 0);
            }
            for &(a, b) in &probes {
                prop_assert_eq!(set.covered(a, b), u64::from((model & bits(a, b)).count_ones()));
            }
        }
    }
}

#[test]
fn far_apart_ranges_at_the_top_of_the_address_space() {
    let mut set = RangeSet::new();
    set.insert(0x7fff_0000_0000, 0x7fff_0001_0000);
    set.insert(u64::MAX - 0x2000, u64::MAX);
    set.remove(u64::MAX - 0x1000, u64::MAX);
    assert_eq!(set.total(), 0x1_0000 + 0x1000);
    assert_eq!(set.covered(0, u64::MAX), 0x1_1000);
}
