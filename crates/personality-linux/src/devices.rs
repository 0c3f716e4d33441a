//! Linux's device numbers and /dev names: the one table that says which
//! (major, minor) pair is which device the core knows, in both directions,
//! and which nodes Linux's devtmpfs starts with. The kernel keeps no Linux
//! number of its own; it asks the personality (`Personality::device_at`,
//! `device_number`, `dev_nodes`, `dev_links`), which answers from here.
//!
//! The numbers are those of Linux's `Documentation/admin-guide/devices.txt`
//! (the LANANA registry) and of the drivers that allocate their own:
//!
//! - char major 1, the memory devices: minor 3 null, 5 zero, 7 full,
//!   8 random, 9 urandom;
//! - char major 4, the terminals: minors 64 to 255 are the UARTs ttyS0 to
//!   ttyS191 (minors below 64 are the virtual consoles, which we do not have);
//! - char major 5, the alternate terminals: minor 0 tty (the caller's
//!   controlling terminal), 1 console, 2 ptmx (the pseudo-terminal
//!   multiplexer);
//! - char major 10, the misc devices: minor 237 loop-control;
//! - char majors 136 to 143, the Unix98 pseudo-terminal slaves: devpts
//!   numbers /dev/pts/N as 136:N (the slave driver registers all 2^20
//!   minors of 136, so N never spills into 137);
//! - block major 7, the loop devices: loopN is 7:N (no partitions, as
//!   without `max_part`);
//! - block major 254: the first dynamically allocated block major, which
//!   `register_blkdev(0, ..)` hands out from the top; virtio-blk gets it
//!   and gives each disk 16 minors (its PART_BITS is 4): vda is 254:0,
//!   vdb 254:16. Our served disks stand where virtio-blk's would.
//!
//! Linux's minor is 20 bits wide (MINORMASK): a number that does not fit
//! names no device, and a device whose minor would not fit has no number.

use kernel_ops::{DevLink, DevNode, DeviceId};

const MEM_MAJOR: u32 = 1;
const TTY_MAJOR: u32 = 4;
const TTYAUX_MAJOR: u32 = 5;
const LOOP_MAJOR: u32 = 7;
const MISC_MAJOR: u32 = 10;
const UNIX98_PTY_SLAVE_MAJOR: u32 = 136;
/// The first dynamic block major, where virtio-blk's disks land.
const SERVED_DISK_MAJOR: u32 = 254;

/// The first ttyS minor under major 4, and how many there are.
const SERIAL_FIRST_MINOR: u32 = 64;
const SERIAL_PORTS: u32 = 192;
/// loop-control's misc minor (LOOP_CTRL_MINOR).
const LOOP_CTRL_MINOR: u32 = 237;
/// Minors per virtio disk: the whole disk and 15 partitions.
const MINORS_PER_DISK: u32 = 16;
/// The widest minor Linux's dev_t holds (MINORMASK).
const MAX_MINOR: u32 = (1 << 20) - 1;

/// The device Linux numbers `major:minor` (`block`: a block device node).
pub fn device_at(major: u32, minor: u32, block: bool) -> Option<DeviceId> {
    if minor > MAX_MINOR {
        return None;
    }
    let dev = if block {
        match major {
            LOOP_MAJOR => DeviceId::Loop(minor),
            // A partition's minor (not a multiple of 16) names no disk we serve.
            SERVED_DISK_MAJOR if minor.is_multiple_of(MINORS_PER_DISK) => DeviceId::ServedDisk(minor / MINORS_PER_DISK),
            _ => return None,
        }
    } else {
        match (major, minor) {
            (MEM_MAJOR, 3) => DeviceId::Null,
            (MEM_MAJOR, 5) => DeviceId::Zero,
            (MEM_MAJOR, 7) => DeviceId::Full,
            (MEM_MAJOR, 8) => DeviceId::Random,
            (MEM_MAJOR, 9) => DeviceId::Urandom,
            (TTY_MAJOR, n) if (SERIAL_FIRST_MINOR..SERIAL_FIRST_MINOR + SERIAL_PORTS).contains(&n) => {
                DeviceId::Serial(n - SERIAL_FIRST_MINOR)
            }
            (TTYAUX_MAJOR, 0) => DeviceId::ControllingTerminal,
            (TTYAUX_MAJOR, 1) => DeviceId::Console,
            (TTYAUX_MAJOR, 2) => DeviceId::PtyMultiplexer,
            (MISC_MAJOR, LOOP_CTRL_MINOR) => DeviceId::LoopControl,
            (UNIX98_PTY_SLAVE_MAJOR, n) => DeviceId::PtySlave(n),
            _ => return None,
        }
    };
    Some(dev)
}

/// Linux's (major, minor) for `dev`; None where the minor would not fit.
pub fn device_number(dev: DeviceId) -> Option<(u32, u32)> {
    let number = match dev {
        DeviceId::Null => (MEM_MAJOR, 3),
        DeviceId::Zero => (MEM_MAJOR, 5),
        DeviceId::Full => (MEM_MAJOR, 7),
        DeviceId::Random => (MEM_MAJOR, 8),
        DeviceId::Urandom => (MEM_MAJOR, 9),
        DeviceId::Serial(n) if n < SERIAL_PORTS => (TTY_MAJOR, SERIAL_FIRST_MINOR + n),
        DeviceId::Serial(_) => return None,
        DeviceId::ControllingTerminal => (TTYAUX_MAJOR, 0),
        DeviceId::Console => (TTYAUX_MAJOR, 1),
        DeviceId::PtyMultiplexer => (TTYAUX_MAJOR, 2),
        DeviceId::LoopControl => (MISC_MAJOR, LOOP_CTRL_MINOR),
        DeviceId::PtySlave(n) => (UNIX98_PTY_SLAVE_MAJOR, n),
        DeviceId::Loop(n) => (LOOP_MAJOR, n),
        DeviceId::ServedDisk(n) => (SERVED_DISK_MAJOR, n.checked_mul(MINORS_PER_DISK)?),
    };
    (number.1 <= MAX_MINOR).then_some(number)
}

/// Group `disk` (Debian's gid 6), which owns the block devices and the
/// loop control, as udev's rules and devtmpfs leave them.
const DISK_GID: u32 = 6;

/// What Linux's devtmpfs holds at boot, before any disk or loop device
/// appears: the memory devices and terminals every program may open, the
/// console kept to root, the serial line to its group, loop-control to
/// group disk.
pub static DEV_NODES: [DevNode; 10] = [
    DevNode { name: "null", device: DeviceId::Null, mode: 0o666, gid: 0 },
    DevNode { name: "zero", device: DeviceId::Zero, mode: 0o666, gid: 0 },
    DevNode { name: "full", device: DeviceId::Full, mode: 0o666, gid: 0 },
    DevNode { name: "random", device: DeviceId::Random, mode: 0o666, gid: 0 },
    DevNode { name: "urandom", device: DeviceId::Urandom, mode: 0o666, gid: 0 },
    DevNode { name: "tty", device: DeviceId::ControllingTerminal, mode: 0o666, gid: 0 },
    DevNode { name: "console", device: DeviceId::Console, mode: 0o600, gid: 0 },
    DevNode { name: "ttyS0", device: DeviceId::Serial(0), mode: 0o660, gid: 0 },
    DevNode { name: "ptmx", device: DeviceId::PtyMultiplexer, mode: 0o666, gid: 0 },
    DevNode { name: "loop-control", device: DeviceId::LoopControl, mode: 0o660, gid: DISK_GID },
];

/// The links systemd and initramfs scripts make in /dev, which programs
/// (shells' `<(...)`, `cat /dev/stdin`) take for granted.
pub static DEV_LINKS: [DevLink; 4] = [
    DevLink { name: "fd", target: "/proc/self/fd" },
    DevLink { name: "stdin", target: "/proc/self/fd/0" },
    DevLink { name: "stdout", target: "/proc/self/fd/1" },
    DevLink { name: "stderr", target: "/proc/self/fd/2" },
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// One of every kind of device, with indices at the edges of their ranges.
    fn every_device() -> alloc::vec::Vec<DeviceId> {
        let mut all = alloc::vec![
            DeviceId::Null,
            DeviceId::Zero,
            DeviceId::Full,
            DeviceId::Random,
            DeviceId::Urandom,
            DeviceId::ControllingTerminal,
            DeviceId::Console,
            DeviceId::PtyMultiplexer,
            DeviceId::LoopControl,
        ];
        for n in [0, 1, 7, 255, 256, 4095, MAX_MINOR] {
            all.extend([DeviceId::PtySlave(n), DeviceId::Loop(n)]);
        }
        for n in [0, 1, 191] {
            all.push(DeviceId::Serial(n));
        }
        for n in [0, 1, 2, MAX_MINOR / MINORS_PER_DISK] {
            all.push(DeviceId::ServedDisk(n));
        }
        all
    }

    #[test]
    fn every_device_round_trips_through_its_number() {
        for dev in every_device() {
            let (major, minor) = device_number(dev).unwrap_or_else(|| panic!("{dev:?} has no number"));
            assert_eq!(device_at(major, minor, dev.is_block()), Some(dev), "{major}:{minor}");
            // The same number of the other kind is another device or none.
            assert_ne!(device_at(major, minor, !dev.is_block()), Some(dev));
        }
    }

    #[test]
    fn devices_beyond_linux_minors_have_no_number() {
        for dev in [
            DeviceId::Serial(192),
            DeviceId::PtySlave(MAX_MINOR + 1),
            DeviceId::Loop(u32::MAX),
            DeviceId::ServedDisk(MAX_MINOR / MINORS_PER_DISK + 1),
            DeviceId::ServedDisk(u32::MAX),
        ] {
            assert_eq!(device_number(dev), None, "{dev:?}");
        }
    }

    #[test]
    fn the_numbers_devices_txt_gives() {
        let char_devices = [
            (1, 3, DeviceId::Null),
            (1, 5, DeviceId::Zero),
            (1, 7, DeviceId::Full),
            (1, 8, DeviceId::Random),
            (1, 9, DeviceId::Urandom),
            (5, 0, DeviceId::ControllingTerminal),
            (5, 1, DeviceId::Console),
            (5, 2, DeviceId::PtyMultiplexer),
            (4, 64, DeviceId::Serial(0)),
            (4, 255, DeviceId::Serial(191)),
            (136, 0, DeviceId::PtySlave(0)),
            (136, 300, DeviceId::PtySlave(300)),
            (10, 237, DeviceId::LoopControl),
        ];
        for (major, minor, dev) in char_devices {
            assert_eq!(device_at(major, minor, false), Some(dev), "{major}:{minor}");
            assert_eq!(device_number(dev), Some((major, minor)));
        }
        let block_devices = [
            (7, 0, DeviceId::Loop(0)),
            (7, 5, DeviceId::Loop(5)),
            (254, 0, DeviceId::ServedDisk(0)),
            (254, 16, DeviceId::ServedDisk(1)),
        ];
        for (major, minor, dev) in block_devices {
            assert_eq!(device_at(major, minor, true), Some(dev), "{major}:{minor}");
            assert_eq!(device_number(dev), Some((major, minor)));
        }
        // Numbers that are no device of ours: /dev/mem, tty0, a partition
        // of vda, a character node with the loop major.
        assert_eq!(device_at(1, 1, false), None);
        assert_eq!(device_at(4, 0, false), None);
        assert_eq!(device_at(254, 1, true), None);
        assert_eq!(device_at(7, 0, false), None);
        assert_eq!(device_at(1, 3, true), None);
    }

    #[test]
    fn every_dev_node_opens_its_device() {
        for node in &DEV_NODES {
            let (major, minor) = device_number(node.device).unwrap_or_else(|| panic!("/dev/{}", node.name));
            assert_eq!(device_at(major, minor, node.device.is_block()), Some(node.device), "/dev/{}", node.name);
            assert_eq!(node.mode & !0o7777, 0, "/dev/{}: permission bits only", node.name);
        }
        let names: alloc::collections::BTreeSet<&str> =
            DEV_NODES.iter().map(|n| n.name).chain(DEV_LINKS.iter().map(|l| l.name)).collect();
        assert_eq!(names.len(), DEV_NODES.len() + DEV_LINKS.len(), "names are unique");
    }

    /// Whatever a number names, that device's number is the same one.
    fn lookup_is_consistent(major: u32, minor: u32, block: bool) {
        if let Some(dev) = device_at(major, minor, block) {
            assert_eq!(dev.is_block(), block, "{major}:{minor} is {dev:?}");
            assert_eq!(device_number(dev), Some((major, minor)), "{dev:?}");
        }
    }

    #[test]
    fn every_small_number_is_consistent() {
        for major in 0..=300 {
            for minor in 0..=1100 {
                lookup_is_consistent(major, minor, false);
                lookup_is_consistent(major, minor, true);
            }
        }
    }

    proptest! {
        #[test]
        fn any_number_is_consistent(major in any::<u32>(), minor in any::<u32>(), block in any::<bool>()) {
            lookup_is_consistent(major, minor, block);
        }

        #[test]
        fn any_number_under_known_majors_is_consistent(
            major in prop::sample::select(alloc::vec![1u32, 4, 5, 7, 10, 136, 254]),
            minor in 0u32..=(MAX_MINOR + 2),
            block in any::<bool>(),
        ) {
            lookup_is_consistent(major, minor, block);
        }
    }
}
