//! Random sequences of map / unmap / update_flags / allocation limits, checked
//! step by step against a simple model: a BTreeMap of pages plus the set of
//! tables that must exist.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use paging::{MapError, PageFlags, PageSize, PageTable, Translation, UnmapError, UpdateFlagsError, VirtAddr};
use proptest::prelude::*;
use support::{phys, walk_entries, FakeMemory};

#[derive(Clone, Debug)]
enum Op {
    Map { addr: u64, frame: u64, size: PageSize, flags: PageFlags },
    Unmap { addr: u64 },
    UpdateFlags { addr: u64, flags: PageFlags },
    LimitAllocations(Option<usize>),
}

/// Addresses crowd into a few tables of both halves so that operations collide.
fn address() -> impl Strategy<Value = u64> {
    (prop::sample::select(vec![0u64, 1, 255, 256, 511]), 0u64..3, 0u64..3, 0u64..4, 0u64..2).prop_map(
        |(pml4, pdpt, pd, pt, half_page)| {
            let raw = (pml4 << 39) | (pdpt << 30) | (pd << 21) | (pt << 12) | (half_page * 0x800);
            VirtAddr::new_sign_extended(raw).as_u64()
        },
    )
}

fn page_aligned_address() -> impl Strategy<Value = u64> {
    address().prop_map(|a| a & !0xFFF)
}

fn frame() -> impl Strategy<Value = u64> {
    (0u64..4, prop::sample::select(vec![0x1000u64, 0x20_0000, 0x4000_0000])).prop_map(|(n, unit)| (n + 1) * unit)
}

fn size() -> impl Strategy<Value = PageSize> {
    prop::sample::select(PageSize::ALL.to_vec())
}

fn flags() -> impl Strategy<Value = PageFlags> {
    (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(user, writable, nx, cow)| {
        let mut f = PageFlags::empty();
        for (on, flag) in [
            (user, PageFlags::USER),
            (writable, PageFlags::WRITABLE),
            (nx, PageFlags::NO_EXECUTE),
            (cow, PageFlags::COPY_ON_WRITE),
        ] {
            if on {
                f |= flag;
            }
        }
        f
    })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (page_aligned_address(), frame(), size(), flags())
            .prop_map(|(addr, frame, size, flags)| Op::Map { addr, frame, size, flags }),
        3 => address().prop_map(|addr| Op::Unmap { addr: addr & !0x7FF }),
        1 => (page_aligned_address(), flags()).prop_map(|(addr, flags)| Op::UpdateFlags { addr, flags }),
        1 => prop::option::of(0usize..4).prop_map(Op::LimitAllocations),
    ]
}

fn level_span(level: u32) -> u64 {
    1 << (12 + 9 * (level - 1))
}

fn leaf_level(size: PageSize) -> u32 {
    match size {
        PageSize::Size4K => 1,
        PageSize::Size2M => 2,
        PageSize::Size1G => 3,
    }
}

#[derive(Default)]
struct Model {
    /// Page start -> (size, frame, flags including PRESENT).
    pages: BTreeMap<u64, (PageSize, u64, PageFlags)>,
    /// (level of the table, first address it covers). The root is implied.
    tables: BTreeSet<(u32, u64)>,
    allocations_left: Option<usize>,
}

impl Model {
    fn containing(&self, addr: u64) -> Option<(u64, (PageSize, u64, PageFlags))> {
        let (&start, &page) = self.pages.range(..=addr).next_back()?;
        (addr - start < page.0.bytes()).then_some((start, page))
    }

    fn tables_for(addr: u64, size: PageSize) -> Vec<(u32, u64)> {
        (leaf_level(size)..=3).map(|level| (level, addr & !(level_span(level + 1) - 1))).collect()
    }

    fn map(&mut self, addr: u64, frame: u64, size: PageSize, flags: PageFlags) -> Result<(), MapError> {
        if !addr.is_multiple_of(size.bytes()) || !frame.is_multiple_of(size.bytes()) {
            return Err(MapError::Misaligned);
        }
        if let Some((_, (existing, _, _))) = self.containing(addr) {
            return Err(if existing > size {
                MapError::HugePageInTheWay
            } else if existing == size {
                MapError::AlreadyMapped
            } else {
                MapError::TableInTheWay
            });
        }
        if size != PageSize::Size4K && self.tables.contains(&(leaf_level(size) - 1, addr)) {
            return Err(MapError::TableInTheWay);
        }
        let missing: Vec<_> = Self::tables_for(addr, size).into_iter().filter(|t| !self.tables.contains(t)).collect();
        if let Some(left) = self.allocations_left.as_mut() {
            if missing.len() > *left {
                *left = 0; // the real map allocated what it could, then gave it back
                return Err(MapError::OutOfMemory);
            }
            *left -= missing.len();
        }
        self.tables.extend(missing);
        self.pages.insert(addr, (size, frame, flags | PageFlags::PRESENT));
        Ok(())
    }

    fn unmap(&mut self, addr: u64) -> Result<(u64, PageSize, PageFlags), UnmapError> {
        let (start, (size, frame, flags)) = self.containing(addr).ok_or(UnmapError::NotMapped)?;
        if start != addr {
            return Err(UnmapError::Misaligned { page_size: size });
        }
        self.pages.remove(&start);
        Ok((frame, size, flags))
    }

    fn update_flags(&mut self, addr: u64, flags: PageFlags) -> Result<PageFlags, UpdateFlagsError> {
        let (start, (size, frame, old)) = self.containing(addr).ok_or(UpdateFlagsError::NotMapped)?;
        if start != addr {
            return Err(UpdateFlagsError::Misaligned { page_size: size });
        }
        self.pages.insert(start, (size, frame, flags | PageFlags::PRESENT));
        Ok(old)
    }

    fn translate(&self, addr: u64) -> Option<Translation> {
        let (start, (size, frame, flags)) = self.containing(addr)?;
        Some(Translation { phys: phys(frame + (addr - start)), size, flags })
    }
}

fn check_invariants(mem: &FakeMemory, table: &PageTable, model: &Model) -> Result<(), TestCaseError> {
    let mut seen = Vec::new();
    table.for_each_mapping(mem, 0..u64::MAX, |v, t| seen.push((v.as_u64(), t.size, t.phys.as_u64(), t.flags)));
    let expected: Vec<_> = model.pages.iter().map(|(&v, &(size, frame, flags))| (v, size, frame, flags)).collect();
    prop_assert_eq!(seen, expected);
    prop_assert_eq!(mem.live_tables(), 1 + model.tables.len(), "tables: exactly those the model says");
    for (&start, &(_, _, flags)) in &model.pages {
        let entries = walk_entries(mem, table.root(), VirtAddr::new(start).unwrap());
        let (_, path) = entries.split_last().unwrap();
        for entry in path {
            prop_assert!(entry.flags().contains(PageFlags::PRESENT | PageFlags::WRITABLE));
            prop_assert!(!entry.flags().contains(PageFlags::NO_EXECUTE));
            if flags.contains(PageFlags::USER) {
                prop_assert!(entry.flags().contains(PageFlags::USER), "user page under a kernel-only entry");
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_operations_match_the_model(ops in prop::collection::vec(op(), 1..60), probes in prop::collection::vec(address(), 8)) {
        let mut mem = FakeMemory::new();
        let mut table = PageTable::new(&mut mem).unwrap();
        let mut model = Model::default();

        for op in &ops {
            match *op {
                Op::Map { addr, frame, size, flags } => {
                    let real = table.map(&mut mem, VirtAddr::new(addr).unwrap(), phys(frame), size, flags);
                    prop_assert_eq!(real, model.map(addr, frame, size, flags), "{:?}", op);
                }
                Op::Unmap { addr } => {
                    let real = table.unmap(&mut mem, VirtAddr::new(addr).unwrap()).map(|(p, s, f)| (p.as_u64(), s, f));
                    prop_assert_eq!(real, model.unmap(addr), "{:?}", op);
                }
                Op::UpdateFlags { addr, flags } => {
                    let real = table.update_flags(&mut mem, VirtAddr::new(addr).unwrap(), flags);
                    prop_assert_eq!(real, model.update_flags(addr, flags), "{:?}", op);
                }
                Op::LimitAllocations(limit) => {
                    match limit {
                        Some(n) => mem.limit_allocations(n),
                        None => mem.unlimited(),
                    }
                    model.allocations_left = limit;
                }
            }
            let touched = match *op {
                Op::Map { addr, .. } | Op::Unmap { addr } | Op::UpdateFlags { addr, .. } => Some(addr),
                Op::LimitAllocations(_) => None,
            };
            for probe in probes.iter().copied().chain(touched) {
                prop_assert_eq!(table.translate(&mem, VirtAddr::new(probe).unwrap()), model.translate(probe), "probe {:#x}", probe);
            }
            check_invariants(&mem, &table, &model)?;
        }

        // Teardown reports exactly the user pages and frees exactly the user tables.
        let user_tables = model.tables.iter().filter(|(_, base)| *base < 0x0000_8000_0000_0000).count();
        let kernel_tables = model.tables.len() - user_tables;
        let mut freed = Vec::new();
        table.free_user_half(&mut mem, |p, size, flags| freed.push((p.as_u64(), size, flags)));
        freed.sort_by_key(|&(p, size, flags)| (p, size, flags.bits()));
        let mut expected: Vec<_> = model.pages.range(..0x0000_8000_0000_0000)
            .map(|(_, &(size, frame, flags))| (frame, size, flags)).collect();
        expected.sort_by_key(|&(p, size, flags)| (p, size, flags.bits()));
        prop_assert_eq!(freed, expected);
        prop_assert_eq!(mem.frees, user_tables + failed_allocation_frees(&mem, &model));
        prop_assert_eq!(mem.live_tables(), 1 + kernel_tables);
    }
}

/// Frees made by `map` returning tables after an out-of-memory failure.
fn failed_allocation_frees(mem: &FakeMemory, model: &Model) -> usize {
    // Every successful allocation is either a live table, a table freed by
    // teardown, or one handed back by a failed map.
    mem.allocations - 1 - model.tables.len()
}
