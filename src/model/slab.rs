//! Storage for cases and claims that come and go, with slot reuse and stale-reference detection.

/// A reference into a [`Slab`]: slot plus generation, so that an event about a case that has since left (and whose
/// slot was reused) is recognised as stale instead of acting on the wrong case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotRef {
    pub slot: u32,
    pub generation: u32,
}

/// A vector of entries with a free list; memory follows the number of live entries, not all that ever lived.
#[derive(Debug, Clone)]
pub struct Slab<T> {
    entries: Vec<(u32, Option<T>)>,
    free: Vec<u32>,
    live: usize,
}

impl<T> Default for Slab<T> {
    fn default() -> Self {
        Slab { entries: Vec::new(), free: Vec::new(), live: 0 }
    }
}

impl<T> Slab<T> {
    /// Stores `value` and returns its reference.
    pub fn insert(&mut self, value: T) -> SlotRef {
        self.live += 1;
        if let Some(slot) = self.free.pop() {
            let entry = &mut self.entries[slot as usize];
            entry.1 = Some(value);
            SlotRef { slot, generation: entry.0 }
        } else {
            let slot = u32::try_from(self.entries.len()).expect("fewer than 2^32 live entries");
            self.entries.push((0, Some(value)));
            SlotRef { slot, generation: 0 }
        }
    }

    /// The entry, if `r` still refers to it.
    #[inline]
    pub fn get(&self, r: SlotRef) -> Option<&T> {
        match self.entries.get(r.slot as usize) {
            Some((generation, value)) if *generation == r.generation => value.as_ref(),
            _ => None,
        }
    }

    /// The entry, mutably, if `r` still refers to it.
    #[inline]
    pub fn get_mut(&mut self, r: SlotRef) -> Option<&mut T> {
        match self.entries.get_mut(r.slot as usize) {
            Some((generation, value)) if *generation == r.generation => value.as_mut(),
            _ => None,
        }
    }

    /// Removes and returns the entry if `r` still refers to it; later references to the slot become stale.
    pub fn remove(&mut self, r: SlotRef) -> Option<T> {
        let entry = self.entries.get_mut(r.slot as usize)?;
        if entry.0 != r.generation {
            return None;
        }
        let value = entry.1.take()?;
        entry.0 = entry.0.wrapping_add(1);
        self.free.push(r.slot);
        self.live -= 1;
        Some(value)
    }

    /// Number of live entries.
    pub fn len(&self) -> usize {
        self.live
    }

    /// Whether there is no live entry.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Removes everything, keeping capacity.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.free.clear();
        self.live = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reused_slots_make_old_references_stale() {
        let mut slab = Slab::default();
        let a = slab.insert("a");
        assert_eq!(slab.remove(a), Some("a"));
        let b = slab.insert("b");
        assert_eq!(a.slot, b.slot);
        assert_eq!(slab.get(a), None);
        assert_eq!(slab.remove(a), None);
        assert_eq!(slab.get(b), Some(&"b"));
        assert_eq!(slab.len(), 1);
    }
}
