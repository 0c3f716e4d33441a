//! `reboot(2)` magic numbers and commands (`linux/reboot.h`).
//!
//! The call refuses (EINVAL) unless `magic1` is [`LINUX_REBOOT_MAGIC1`] and
//! `magic2` is one of the four `MAGIC2*` values (dates in hex, a guard
//! against a stray call with random arguments). busybox `reboot`, `halt` and
//! `poweroff` use it, and so does an init on Ctrl-Alt-Del configuration.

pub const LINUX_REBOOT_MAGIC1: u32 = 0xfee1_dead;
pub const LINUX_REBOOT_MAGIC2: u32 = 672_274_793;
pub const LINUX_REBOOT_MAGIC2A: u32 = 85_072_278;
pub const LINUX_REBOOT_MAGIC2B: u32 = 369_367_448;
pub const LINUX_REBOOT_MAGIC2C: u32 = 537_993_216;

pub const LINUX_REBOOT_CMD_RESTART: u32 = 0x0123_4567;
pub const LINUX_REBOOT_CMD_HALT: u32 = 0xCDEF_0123;
/// Ctrl-Alt-Del reboots immediately.
pub const LINUX_REBOOT_CMD_CAD_ON: u32 = 0x89AB_CDEF;
/// Ctrl-Alt-Del sends SIGINT to init instead.
pub const LINUX_REBOOT_CMD_CAD_OFF: u32 = 0x0000_0000;
pub const LINUX_REBOOT_CMD_POWER_OFF: u32 = 0x4321_FEDC;
/// Restart with a command string argument.
pub const LINUX_REBOOT_CMD_RESTART2: u32 = 0xA1B2_C3D4;
pub const LINUX_REBOOT_CMD_SW_SUSPEND: u32 = 0xD000_FCE2;
pub const LINUX_REBOOT_CMD_KEXEC: u32 = 0x4558_4543;

/// Whether the two magic arguments authorise the call.
pub const fn magic_ok(magic1: u32, magic2: u32) -> bool {
    magic1 == LINUX_REBOOT_MAGIC1
        && matches!(magic2, LINUX_REBOOT_MAGIC2 | LINUX_REBOOT_MAGIC2A | LINUX_REBOOT_MAGIC2B | LINUX_REBOOT_MAGIC2C)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic() {
        assert_eq!(LINUX_REBOOT_MAGIC2, 0x2812_1969);
        assert_eq!(LINUX_REBOOT_MAGIC2A, 0x0512_1996);
        assert_eq!(LINUX_REBOOT_MAGIC2B, 0x1604_1998);
        assert_eq!(LINUX_REBOOT_MAGIC2C, 0x2011_2000);
        assert!(magic_ok(0xfee1dead, 0x28121969));
        assert!(!magic_ok(0xfee1dead, 0));
        assert!(!magic_ok(0, LINUX_REBOOT_MAGIC2));
    }
}
