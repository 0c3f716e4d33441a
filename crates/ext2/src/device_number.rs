//! Device numbers of device nodes, stored in `i_block` the way Linux does:
//! a major and minor below 256 each in the old 16-bit form in `i_block[0]`,
//! anything else in the new 32-bit form in `i_block[1]` with `i_block[0]`
//! zero. The new form holds a 12-bit major and a 20-bit minor.

use vfs::{DeviceNumber, Error};

/// The two `i_block` words for `dev`; `InvalidArgument` if it does not fit.
pub fn encode(dev: DeviceNumber) -> Result<[u32; 2], Error> {
    let DeviceNumber { major, minor } = dev;
    if major < 256 && minor < 256 {
        return Ok([(major << 8) | minor, 0]);
    }
    if major >= 1 << 12 || minor >= 1 << 20 {
        return Err(Error::InvalidArgument);
    }
    Ok([0, (minor & 0xff) | (major << 8) | ((minor & !0xff) << 12)])
}

pub fn decode(words: [u32; 2]) -> DeviceNumber {
    let [old, new] = words;
    if old != 0 {
        DeviceNumber { major: (old >> 8) & 0xff, minor: old & 0xff }
    } else {
        DeviceNumber { major: (new & 0xfff00) >> 8, minor: (new & 0xff) | ((new >> 12) & 0xfff00) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for (major, minor) in [(1, 3), (8, 0), (255, 255), (259, 1), (4095, 1_048_575), (0, 256)] {
            let dev = DeviceNumber { major, minor };
            assert_eq!(decode(encode(dev).unwrap()), dev);
        }
        assert_eq!(encode(DeviceNumber { major: 1, minor: 3 }), Ok([0x103, 0]));
        assert_eq!(encode(DeviceNumber { major: 4096, minor: 0 }), Err(Error::InvalidArgument));
    }
}
