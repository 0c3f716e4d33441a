//! Frames and heap, on real memory.

use super::TestResult;
use crate::check;
use crate::mm::{frames, heap};
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

pub fn frames_distinct_and_returned() -> TestResult {
    // Room first: growing the Vec could grow the heap, which takes frames.
    let mut got = Vec::with_capacity(256);
    let (free_before, total) = frames::stats();
    check!(free_before > 0 && free_before <= total);
    for _ in 0..256 {
        got.push(frames::alloc().map_err(|_| String::from("out of frames"))?);
    }
    check!(got.iter().all(|f| f % 4096 == 0), "unaligned frame");
    let mut sorted = got.clone();
    sorted.sort_unstable();
    sorted.dedup();
    check!(sorted.len() == got.len(), "a frame was handed out twice");
    check!(frames::stats().0 == free_before - 256);
    for f in got {
        frames::free(f);
    }
    check!(frames::stats().0 == free_before, "frames not all returned");
    Ok(())
}

pub fn frames_zeroed() -> TestResult {
    let f = frames::alloc_zeroed().map_err(|_| String::from("out of frames"))?;
    let base = crate::arch::layout::phys_to_virt(f);
    let all_zero = (0..512).all(|i| crate::arch::layout::read_kernel_word(base + i * 8) == Some(0));
    frames::free(f);
    check!(all_zero, "alloc_zeroed frame {f:#x} is not zero");
    Ok(())
}

pub fn bad_free_is_refused() -> TestResult {
    let before = frames::stats().0;
    let f = frames::alloc().map_err(|_| String::from("out of frames"))?;
    frames::free(f);
    frames::free(f); // double free: refused and logged, counts unchanged
    frames::free(f + 1); // misaligned
    check!(frames::stats().0 == before, "a bad free changed the free count");
    Ok(())
}

pub fn heap_boxes_and_vecs() -> TestResult {
    let b = Box::new(0x1234_5678u64);
    check!(*b == 0x1234_5678);
    let v: Vec<u32> = (0..10_000).collect();
    check!(v.iter().map(|&x| u64::from(x)).sum::<u64>() == 49_995_000);
    let mut s = String::new();
    for i in 0..100 {
        s.push_str(&alloc::format!("{i},"));
    }
    check!(s.starts_with("0,1,2,") && s.ends_with("98,99,"));
    let big = alloc::vec![0xa5u8; 1 << 20];
    check!(big.iter().all(|&b| b == 0xa5));
    Ok(())
}

pub fn heap_alignment() -> TestResult {
    #[repr(align(4096))]
    struct Page([u8; 4096]);
    #[repr(align(64))]
    struct Line([u8; 64]);
    let pages: Vec<Box<Page>> = (0..8).map(|_| Box::new(Page([1; 4096]))).collect();
    check!(pages.iter().all(|p| (&**p as *const Page as usize).is_multiple_of(4096)), "page not 4096-aligned");
    check!(pages.iter().all(|p| p.0[4095] == 1));
    let lines: Vec<Box<Line>> = (0..100).map(|_| Box::new(Line([2; 64]))).collect();
    check!(lines.iter().all(|l| (&**l as *const Line as usize).is_multiple_of(64) && l.0[63] == 2));
    Ok(())
}

pub fn heap_grows() -> TestResult {
    let (_, held_before) = heap::stats();
    // More than the heap holds right now: it must take more frames.
    let chunks: Vec<Vec<u8>> = (0..8).map(|i| alloc::vec![i as u8; held_before / 4 + 1]).collect();
    let (used, held_after) = heap::stats();
    check!(held_after > held_before, "heap did not grow ({held_before} -> {held_after})");
    check!(used >= 2 * held_before, "in-use bytes {used} too small");
    check!(chunks.iter().enumerate().all(|(i, c)| c.iter().all(|&b| b == i as u8)), "chunk contents corrupted");
    Ok(())
}

/// Free memory in runs of 16 frames only (every 17th frame held): the heap
/// must still grow for 32 KiB blocks, by a smaller step than its usual one
/// (a fuzz campaign's kernel panicked there with 120 MiB free).
pub fn heap_grows_in_fragmented_memory() -> TestResult {
    let (free, _) = frames::stats();
    let mut taken: Vec<u64> = Vec::new();
    check!(taken.try_reserve_exact(free + 16).is_ok(), "no room for the frame list");
    while let Ok(f) = frames::alloc() {
        taken.push(f);
        if taken.len() == taken.capacity() {
            break;
        }
    }
    taken.sort_unstable();
    let mut held = Vec::new();
    check!(held.try_reserve_exact(taken.len() / 17 + 1).is_ok());
    for (i, &f) in taken.iter().enumerate() {
        if i % 17 == 0 {
            held.push(f);
        } else {
            frames::free(f);
        }
    }
    drop(taken);
    let (used, heap_held) = heap::stats();
    let mut blocks: Vec<Vec<u8>> = Vec::new();
    let wanted = (heap_held - used) / (32 << 10) + 8;
    let mut ok = blocks.try_reserve_exact(wanted).is_ok();
    for _ in 0..wanted {
        let mut b: Vec<u8> = Vec::new();
        if b.try_reserve_exact(32 << 10).is_err() {
            ok = false;
            break;
        }
        b.resize(32 << 10, 0x5a);
        blocks.push(b);
    }
    let (_, heap_after) = heap::stats();
    drop(blocks);
    for f in held {
        frames::free(f);
    }
    check!(ok, "a 32 KiB allocation failed with free memory in 16-frame runs");
    check!(heap_after > heap_held, "the heap did not grow");
    Ok(())
}

pub fn heap_exhaustion_is_an_error() -> TestResult {
    let mut v: Vec<u8> = Vec::new();
    check!(v.try_reserve(1 << 40).is_err(), "1 TiB reservation succeeded");
    let (free_before, _) = frames::stats();
    let mut w: Vec<u8> = Vec::new();
    // Larger than all free memory: fails without taking frames for good.
    check!(w.try_reserve(free_before * 4096 + (64 << 20)).is_err());
    v.push(1);
    check!(v == [1], "heap unusable after a failed allocation");
    Ok(())
}
