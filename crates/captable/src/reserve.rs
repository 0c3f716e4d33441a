//! Growing a vector without aborting: the one place storage grows, so that
//! running out of memory is always `Error::NoMemory`.

use alloc::vec::Vec;

use abi::Error;

/// Room for `additional` more elements in `v`.
pub(crate) fn grow<T>(v: &mut Vec<T>, additional: usize) -> Result<(), Error> {
    #[cfg(test)]
    if v.capacity() - v.len() < additional && crate::tests::fail_point::hit() {
        return Err(Error::NoMemory);
    }
    v.try_reserve(additional).map_err(|_| Error::NoMemory)
}
