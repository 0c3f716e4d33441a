//! Frames and heap, on real memory.

use super::TestResult;
use crate::check;
use crate::mm::{frames, heap};
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

pub fn frames_distinct_and_returned() -> TestResult {
    let (free_before, total) = frames::stats();
    check!(free_before > 0 && free_before <= total);
    let mut got = Vec::new();
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
    check!(pages.iter().all(|p| (&**p as *const Page as usize) % 4096 == 0), "page not 4096-aligned");
    check!(pages.iter().all(|p| p.0[4095] == 1));
    let lines: Vec<Box<Line>> = (0..100).map(|_| Box::new(Line([2; 64]))).collect();
    check!(lines.iter().all(|l| (&**l as *const Line as usize) % 64 == 0 && l.0[63] == 2));
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
