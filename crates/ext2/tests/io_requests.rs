//! How many device requests sequential I/O takes. In Helctic each one is
//! an IPC round trip to the virtio-blk driver and a virtio request, so a
//! file read or written in order must go out in runs, not block by block.

mod common;

use common::{assert_fsck_clean, mkfs, mount, now, TempDir};
use ext2::{BlockDevice, Ext2, MountOptions};
use vfs::{FileSystem, NewNode, NodeAttrs};

const FILE_BYTES: usize = 2 << 20;

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i as u32).wrapping_mul(2654435761).to_le_bytes()[1]).collect()
}

#[test]
fn a_file_read_in_order_is_read_in_runs() {
    let tmp = TempDir::new("runs-read");
    let src = tmp.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("big"), pattern(FILE_BYTES)).unwrap();
    let image = tmp.path().join("img");
    mkfs(&image, 1024, 8192, Some(&src), &[]);
    let fs = mount(&image);
    let ino = fs.lookup(2, b"big").unwrap();
    let mut out = vec![0u8; FILE_BYTES];
    let mut at = 0;
    // 64 KiB at a time, as a program's read loop would.
    while at < FILE_BYTES {
        let n = fs.read(ino, at as u64, &mut out[at..(at + 65536).min(FILE_BYTES)]).unwrap();
        assert!(n > 0);
        at += n;
    }
    assert!(out == pattern(FILE_BYTES), "the file read back differs");
    let dev = fs.unmount(now()).unwrap();
    let blocks = (FILE_BYTES / 1024) as u32;
    // 2048 data blocks and a few indirect ones; block by block would be
    // over 2050 requests.
    assert!(dev.reads < blocks / 16, "{} device reads for {blocks} blocks", dev.reads);
}

#[test]
fn a_file_written_in_order_is_written_in_runs_even_past_the_cache() {
    let tmp = TempDir::new("runs-write");
    let image = tmp.path().join("img");
    mkfs(&image, 1024, 16384, None, &[]);
    let mut fs = mount(&image);
    let ino = fs.create(2, b"big", NewNode::File, NodeAttrs::new(0o644, 0, 0), now()).unwrap();
    // Twice the cache: most blocks leave by eviction, not by sync.
    let data = pattern(2 * ext2::CACHE_BYTES);
    for (i, piece) in data.chunks(65536).enumerate() {
        assert_eq!(fs.write(ino, (i * 65536) as u64, piece, now()), Ok(piece.len()));
    }
    let dev = fs.unmount(now()).unwrap();
    let blocks = (data.len() / 1024) as u32;
    assert!(dev.writes < blocks / 16, "{} device writes for {blocks} blocks", dev.writes);
    assert!(dev.size() > 0);
    dev.save(&image);
    assert_fsck_clean(&image);
    let fs = Ext2::mount(common::MemDevice::load(&image), MountOptions { read_only: true }, now()).unwrap();
    let mut back = vec![0u8; data.len()];
    assert_eq!(fs.read(ino, 0, &mut back), Ok(data.len()));
    assert!(back == data, "the file read back differs");
}

#[test]
fn a_sequential_reader_gets_runs_longer_than_its_reads() {
    let tmp = TempDir::new("runs-sequential");
    let src = tmp.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    let bytes = 4 << 20;
    std::fs::write(src.join("big"), pattern(bytes)).unwrap();
    let image = tmp.path().join("img");
    mkfs(&image, 4096, 16384, Some(&src), &[]);
    let fs = mount(&image);
    let ino = fs.lookup(2, b"big").unwrap();
    let mut out = vec![0u8; bytes];
    for at in (0..bytes).step_by(65536) {
        assert_eq!(fs.read(ino, at as u64, &mut out[at..at + 65536]), Ok(65536));
    }
    assert!(out == pattern(bytes), "the file read back differs");
    let dev = fs.unmount(now()).unwrap();
    // 64 reads of 16 blocks each; after the first, runs of 64 blocks (the
    // 256 KiB a device request carries): about 16 data reads, plus the
    // indirect blocks and what mounting reads.
    assert!(dev.reads < 32, "{} device reads for 64 reads of 64 KiB", dev.reads);
}
