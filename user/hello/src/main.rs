//! The smallest native Helctic program: prints a greeting, exercises the
//! heap, describes the capabilities every task starts with, exits 0.

#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec::Vec;
use rt::abi::{CapInfo, Rights, FIRST_GRANTED_SLOT};
use rt::println;

rt::entry!(main);

fn main(_arg: u64) -> i32 {
    println!("hello from a native task");

    let squares: Vec<u64> = (1..=1000u64).map(|n| n * n).collect();
    let sum: u64 = squares.iter().sum();
    println!("heap: {} squares at {:p}, sum {}", squares.len(), squares.as_ptr(), sum);

    // Task, address space and main thread (abi::TASK_SELF_SLOT and on).
    for slot in 0..FIRST_GRANTED_SLOT {
        match rt::sys::cap_info(slot) {
            Ok(info) => println!("slot {slot}: {}", Described(info)),
            Err(error) => println!("slot {slot}: {} ({})", error.name(), error.description()),
        }
    }
    0
}

/// A capability in one line: type, rights by name, badge, range.
struct Described(CapInfo);

impl core::fmt::Display for Described {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let info = &self.0;
        write!(f, "{} rights ", info.cap_type.name())?;
        let mut first = true;
        for (right, name) in Rights::NAMES {
            if info.rights.contains(*right) {
                write!(f, "{}{name}", if first { "" } else { "|" })?;
                first = false;
            }
        }
        if first {
            write!(f, "NONE")?;
        }
        write!(f, " badge {:#x} range {:#x}+{:#x}", info.badge, info.base, info.len)
    }
}
