//! The events of one replication. Small `Copy` values: the engine stores them inline in its heap.

use super::slab::SlotRef;

/// Something that happens at an instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Event {
    /// A calendar month begins: close the previous month's books, draw this month's arrivals.
    MonthStart { month: u16 },
    /// An arrival of a stream that some agreement may take reaches the border (the others are counted when
    /// screened, without an event); `key` is its draw key.
    Arrival { stream: u16, people: u16, key: u64 },
    /// The daily transfer operation of an agreement (a flight on flight days): cases board within the seats.
    TransferRun { agreement: u16 },
    /// A transferred case files a claim (`files`) or lets the filing window close.
    FilingOutcome { agreement: u16, files: bool, stream: u16, people: u16, key: u64 },
    /// A claim's patience runs out.
    Abandon { agreement: u16, claim: SlotRef },
    /// An adjudicator decides a claim.
    Decision { agreement: u16, claim: SlotRef },
    /// The number of adjudicators changes.
    AdjudicatorsChange { agreement: u16 },
    /// The `ordinal`-th other (non-transferred) claim of the month is filed.
    OtherClaim { agreement: u16, month: u16, ordinal: u32 },
    /// A transferee who came back reaches the sending country's border again, as a new case of the same stream.
    ReArrival { stream: u16, people: u16, key: u64 },
    /// A transferee who stayed past the filing window files a late claim.
    LateClaim { agreement: u16, stream: u16, people: u16, key: u64 },
    /// Transfers under an agreement are suspended and its waiting cases released.
    SuspensionStart { agreement: u16 },
    /// The `ordinal`-th session of a receiving country's deciding body: decisions made since the last one are
    /// issued (unless decisions are halted).
    Session { agreement: u16, ordinal: u32 },
    /// A halt of a receiving country's decisions begins or ends.
    DecisionHaltChange { agreement: u16 },
}

#[cfg(test)]
mod tests {
    #[test]
    fn events_stay_small() {
        assert!(std::mem::size_of::<super::Event>() <= 16);
    }
}
