//! The records an import touches, each beside what was stored before, so that only new and
//! changed records are written and counted.

pub(super) struct Pool<T> {
    slots: Vec<Slot<T>>,
}

struct Slot<T> {
    value: T,
    /// What the store holds; None for a record the import creates.
    stored: Option<T>,
}

/// New and changed records, in the order they joined the pool.
pub(super) struct Changes<T> {
    pub records: Vec<T>,
    pub created: usize,
    pub updated: usize,
}

impl<T: Clone + PartialEq> Pool<T> {
    pub fn new() -> Self {
        Pool { slots: Vec::new() }
    }

    /// Adds a record as stored; returns its index.
    pub fn stored(&mut self, value: T) -> usize {
        self.slots.push(Slot {
            stored: Some(value.clone()),
            value,
        });
        self.slots.len() - 1
    }

    /// Adds a record the import creates; returns its index.
    pub fn created(&mut self, value: T) -> usize {
        self.slots.push(Slot {
            value,
            stored: None,
        });
        self.slots.len() - 1
    }

    pub fn get(&self, index: usize) -> &T {
        &self.slots[index].value
    }

    pub fn set(&mut self, index: usize, value: T) {
        self.slots[index].value = value;
    }

    pub fn into_changes(self) -> Changes<T> {
        let mut changes = Changes {
            records: Vec::new(),
            created: 0,
            updated: 0,
        };
        for slot in self.slots {
            match &slot.stored {
                None => changes.created += 1,
                Some(stored) if *stored != slot.value => changes.updated += 1,
                Some(_) => continue,
            }
            changes.records.push(slot.value);
        }
        changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_new_and_changed_records_are_written() {
        let mut pool = Pool::new();
        pool.stored("same");
        let changed = pool.stored("old");
        pool.set(changed, "new");
        pool.created("fresh");
        let c = pool.into_changes();
        assert_eq!(c.records, ["new", "fresh"]);
        assert_eq!((c.created, c.updated), (1, 1));
    }
}
