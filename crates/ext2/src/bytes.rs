//! Little-endian fields at fixed offsets of on-disk records. A field that
//! would fall outside the buffer reads as zero and is not written: records
//! are always built at their full size, so this never happens, and if it
//! did it would not panic.

pub fn u8_at(buf: &[u8], offset: usize) -> u8 {
    buf.get(offset).copied().unwrap_or(0)
}

pub fn u16_at(buf: &[u8], offset: usize) -> u16 {
    match buf.get(offset..offset.saturating_add(2)) {
        Some(&[a, b]) => u16::from_le_bytes([a, b]),
        _ => 0,
    }
}

pub fn u32_at(buf: &[u8], offset: usize) -> u32 {
    match buf.get(offset..offset.saturating_add(4)) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
        _ => 0,
    }
}

pub fn set_u8(buf: &mut [u8], offset: usize, value: u8) {
    if let Some(slot) = buf.get_mut(offset) {
        *slot = value;
    }
}

pub fn set_u16(buf: &mut [u8], offset: usize, value: u16) {
    if let Some(slot) = buf.get_mut(offset..offset.saturating_add(2)) {
        slot.copy_from_slice(&value.to_le_bytes());
    }
}

pub fn set_u32(buf: &mut [u8], offset: usize, value: u32) {
    if let Some(slot) = buf.get_mut(offset..offset.saturating_add(4)) {
        slot.copy_from_slice(&value.to_le_bytes());
    }
}
