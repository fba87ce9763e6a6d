//! A small set of entries by hash, for the few places that write or check each distinct value
//! once: a snapshot's texts, urls and dates, and a feed's urls.

/// Which entries were seen already, by hash: an open-addressed table of entry numbers, the
/// entries kept by its user (a standard `HashMap` would bring its own hashing and table code
/// into the WASM for this alone).
#[derive(Default)]
pub(super) struct Seen {
    /// Entry number + 1 in each slot, 0 for none; the length a power of two, at most half full.
    slots: Vec<u32>,
    hashes: Vec<u64>,
}

impl Seen {
    /// The number of the entry with this hash for which `same` holds, or `None` once `next` (the
    /// number a new entry gets) is recorded for it.
    pub(super) fn find_or_add(
        &mut self,
        hash: u64,
        same: impl Fn(u32) -> bool,
        next: u32,
    ) -> Option<u32> {
        if (self.hashes.len() + 1) * 2 > self.slots.len() {
            let mut slots = vec![0u32; (self.slots.len() * 2).max(64)];
            let mask = slots.len() - 1;
            for (entry, hash) in self.hashes.iter().enumerate() {
                let mut at = *hash as usize & mask;
                while slots.get(at).is_some_and(|s| *s != 0) {
                    at = (at + 1) & mask;
                }
                if let Some(slot) = slots.get_mut(at) {
                    *slot = u32::try_from(entry + 1).unwrap_or(0);
                }
            }
            self.slots = slots;
        }
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            match self.slots.get(at).copied() {
                Some(0) | None => break,
                Some(entry) => {
                    let number = entry - 1;
                    let same_hash = self.hashes.get(number as usize) == Some(&hash);
                    if same_hash && same(number) {
                        return Some(number);
                    }
                }
            }
            at = (at + 1) & mask;
        }
        if let Some(slot) = self.slots.get_mut(at) {
            *slot = next + 1;
        }
        self.hashes.push(hash);
        None
    }
}
