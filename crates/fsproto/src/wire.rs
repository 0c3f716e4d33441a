//! Little-endian cursors over a message buffer. Encoding stops with
//! `TooLarge` at the buffer's end; decoding treats every byte as an
//! allegation and stops with `Malformed` at the first thing out of place.

/// Why a message could not be encoded or decoded.
#[derive(Copy, Clone, Eq, PartialEq, Debug)]
pub enum WireError {
    /// The message does not fit in the buffer.
    TooLarge,
    /// The bytes are not a well-formed message.
    Malformed,
}

pub(crate) struct Writer<'a> {
    buf: &'a mut [u8],
    pos: usize,
}

impl<'a> Writer<'a> {
    pub fn new(buf: &'a mut [u8]) -> Self {
        Writer { buf, pos: 0 }
    }

    pub fn len(&self) -> usize {
        self.pos
    }

    pub fn bytes(&mut self, data: &[u8]) -> Result<(), WireError> {
        let end = self.pos.checked_add(data.len()).ok_or(WireError::TooLarge)?;
        self.buf.get_mut(self.pos..end).ok_or(WireError::TooLarge)?.copy_from_slice(data);
        self.pos = end;
        Ok(())
    }

    pub fn u64(&mut self, v: u64) -> Result<(), WireError> {
        self.bytes(&v.to_le_bytes())
    }

    pub fn u32(&mut self, v: u32) -> Result<(), WireError> {
        self.bytes(&v.to_le_bytes())
    }

    /// A length-prefixed byte string.
    pub fn blob(&mut self, data: &[u8]) -> Result<(), WireError> {
        let len = u32::try_from(data.len()).map_err(|_| WireError::TooLarge)?;
        self.u32(len)?;
        self.bytes(data)
    }

    /// Reserves `len` bytes to be filled in place (a read's data) and
    /// returns them.
    pub fn reserve(&mut self, len: usize) -> Result<&mut [u8], WireError> {
        let end = self.pos.checked_add(len).ok_or(WireError::TooLarge)?;
        if end > self.buf.len() {
            return Err(WireError::TooLarge);
        }
        let start = self.pos;
        self.pos = end;
        Ok(&mut self.buf[start..end])
    }

    /// Gives back the tail of a reservation that was not used.
    pub fn shrink_to(&mut self, len: usize) {
        self.pos = self.pos.min(len);
    }

    /// Overwrites four bytes written earlier (a count known only later).
    pub fn patch_u32(&mut self, at: usize, v: u32) {
        if let Some(dst) = self.buf.get_mut(at..at + 4) {
            dst.copy_from_slice(&v.to_le_bytes());
        }
    }
}

pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    pub fn bytes(&mut self, len: usize) -> Result<&'a [u8], WireError> {
        let end = self.pos.checked_add(len).ok_or(WireError::Malformed)?;
        let out = self.buf.get(self.pos..end).ok_or(WireError::Malformed)?;
        self.pos = end;
        Ok(out)
    }

    pub fn u64(&mut self) -> Result<u64, WireError> {
        let b = self.bytes(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    pub fn u32(&mut self) -> Result<u32, WireError> {
        let b = self.bytes(4)?;
        let mut a = [0u8; 4];
        a.copy_from_slice(b);
        Ok(u32::from_le_bytes(a))
    }

    pub fn blob(&mut self) -> Result<&'a [u8], WireError> {
        let len = self.u32()? as usize;
        self.bytes(len)
    }

    /// The message must end here: trailing bytes mean a malformed message.
    pub fn finish(self) -> Result<(), WireError> {
        if self.pos == self.buf.len() {
            Ok(())
        } else {
            Err(WireError::Malformed)
        }
    }
}
